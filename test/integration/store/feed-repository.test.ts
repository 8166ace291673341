/**
 * FeedSourceRepository on DynamoDB Local: one item per source in one partition, config
 * changes that never touch the state, state saves conditional on the version, and a list
 * bounded by maxSources.
 */
import { newFeedSourceState } from '../../../functions/core/feed-sources';
import { FeedSourceRepository, feedSourceId } from '../../../functions/store/feed-repository';
import { startTestStore, type TestStore } from '../../helpers/test-store';

let t: TestStore | undefined;
beforeAll(async () => {
  t = await startTestStore();
});
afterAll(async () => {
  await t?.stop();
});
const repo = () => {
  if (!t) throw new Error('store not started');
  return t.store.feeds;
};
const AT = '2026-11-25T12:00:00.000Z';

describe('FeedSourceRepository', () => {
  it('adds a source once, under its normalised URL', async () => {
    // Act
    const first = await repo().addSource({ url: 'HTTPS://Voices.Example.com/feed', alerts: true }, AT);
    const again = await repo().addSource({ url: 'https://voices.example.com/feed', alerts: false }, AT);

    // Assess
    expect(first).toMatchObject({
      id: feedSourceId('https://voices.example.com/feed'),
      url: 'https://voices.example.com/feed',
      alerts: true,
      paused: false,
      stateVersion: 0,
      state: newFeedSourceState(),
    });
    expect(again).toBeUndefined();
    expect((await repo().getSource(first?.id ?? ''))?.alerts).toBe(true);
  });

  it('changes the config without touching the state, and clears fields with null', async () => {
    // Prepare
    const s = await repo().addSource(
      { url: 'https://a.example/feed', alerts: true, defaultAuthor: 'jdoe', authorMap: { 'Jane D': 'jdoe' } },
      AT,
    );
    const id = s?.id ?? '';
    await repo().saveState(id, { ...newFeedSourceState(), lastSuccessAt: AT }, 0);

    // Act
    const changed = await repo().updateSource(id, { paused: true, defaultAuthor: null, authorMap: null });

    // Assess
    expect(changed).toMatchObject({
      paused: true,
      alerts: true,
      stateVersion: 1,
      state: { lastSuccessAt: AT },
    });
    expect(changed?.defaultAuthor).toBeUndefined();
    expect(changed?.authorMap).toBeUndefined();
    expect(await repo().updateSource('AAAAAAAAAAAAAAAAAAAAAA', { paused: true })).toBeUndefined();
  });

  it('saves a state only over the version it read', async () => {
    // Prepare
    const s = await repo().addSource({ url: 'https://b.example/feed', alerts: true }, AT);
    const id = s?.id ?? '';

    // Act
    const first = await repo().saveState(id, { ...newFeedSourceState(), etag: '"1"' }, 0);
    const stale = await repo().saveState(id, { ...newFeedSourceState(), etag: '"stale"' }, 0);

    // Assess
    expect([first, stale]).toEqual([true, false]);
    expect((await repo().getSource(id))?.state.etag).toBe('"1"');
  });

  it('does not bring a removed source back with a late state save', async () => {
    // Prepare
    const s = await repo().addSource({ url: 'https://c.example/feed', alerts: true }, AT);
    const id = s?.id ?? '';

    // Act
    const removed = await repo().removeSource(id);
    const removedAgain = await repo().removeSource(id);
    const saved = await repo().saveState(id, newFeedSourceState(), 0);

    // Assess
    expect([removed, removedAgain, saved]).toEqual([true, false, false]);
    expect(await repo().getSource(id)).toBeUndefined();
  });

  it('lists in URL order, at most maxSources', async () => {
    // Prepare
    if (!t) throw new Error('store not started');
    const small = new FeedSourceRepository(t.doc, t.tableName, 2);

    // Act
    const all = await repo().listSources();
    const bounded = await small.listSources();

    // Assess
    expect(all.items.map((s) => s.url)).toEqual([
      'https://a.example/feed',
      'https://b.example/feed',
      'https://voices.example.com/feed',
    ]);
    expect(all.hasMore).toBe(false);
    expect(bounded.items).toHaveLength(2);
    expect(bounded.hasMore).toBe(true);
  });
});
