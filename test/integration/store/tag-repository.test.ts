/**
 * The ranking of followed tags (`/tags`): a sparse gsi2 entry on each tag counter, refreshed
 * after each follow or unfollow from the exact count, gone at zero; read with one Query.
 */
import { SubscriptionRepository } from '../../../functions/store/subscription-repository';
import { TagRepository } from '../../../functions/store/tag-repository';
import { startTestStore, type TestStore } from '../../helpers/test-store';

let ts: TestStore;

beforeAll(async () => {
  ts = await startTestStore();
});

afterAll(async () => {
  await ts?.stop();
});

describe('TagRepository ranking', () => {
  it('ranks tags by followers, most first, and drops a tag nobody follows any more', async () => {
    // Prepare
    const follows = new SubscriptionRepository(ts.doc, ts.tableName);
    const tags = new TagRepository(ts.doc, ts.tableName);
    const follow = async (userId: number, tag: string) => {
      await follows.subscribeTag(userId, tag);
      await tags.refreshRank(tag);
    };
    const unfollow = async (userId: number, tag: string) => {
      await follows.unsubscribeTag(userId, tag);
      await tags.refreshRank(tag);
    };

    // Act
    for (const u of [1, 2, 3]) await follow(u, 'solar');
    for (const u of [1, 2]) await follow(u, 'wind');
    await follow(1, 'тундра');
    const before = await tags.topTags();
    await unfollow(1, 'тундра');
    await unfollow(1, 'solar');
    await unfollow(2, 'solar');
    const after = await tags.topTags();

    // Assess
    expect(before).toEqual([
      { tag: 'solar', followers: 3 },
      { tag: 'wind', followers: 2 },
      { tag: 'тундра', followers: 1 },
    ]);
    expect(after).toEqual([
      { tag: 'wind', followers: 2 },
      { tag: 'solar', followers: 1 },
    ]);
    expect(await tags.topTags(1)).toEqual([{ tag: 'wind', followers: 2 }]);
  });

  it('catches up a missed refresh (a crash after the follow) at the tag’s next change', async () => {
    // Prepare: a follow whose refresh never ran (a crash in between), then a second follow
    const follows = new SubscriptionRepository(ts.doc, ts.tableName);
    const tags = new TagRepository(ts.doc, ts.tableName);
    await follows.subscribeTag(10, 'tidal');

    // Act
    await follows.subscribeTag(11, 'tidal');
    await tags.refreshRank('tidal');

    // Assess: the refresh reads the exact count, not a step
    expect((await tags.topTags()).find((r) => r.tag === 'tidal')).toEqual({ tag: 'tidal', followers: 2 });
  });
});
