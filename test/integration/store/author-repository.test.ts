import type { AuthorInput } from '../../../functions/core/model';
import { startTestStore, type TestStore } from '../../helpers/test-store';

let ts: TestStore;

beforeAll(async () => {
  ts = await startTestStore();
});

afterAll(async () => {
  await ts?.stop();
});

const derived = { summary: 'S.', readingMinutes: 1, wordCount: 100 };

function author(handle: string, over: Partial<AuthorInput> = {}): AuthorInput {
  return { handle, fullName: `Full ${handle}`, userSince: '2008-03-15', ...over };
}

describe('putAuthor and getAuthor', () => {
  it('reports created, unchanged, then updated, and reads the profile back', async () => {
    // Prepare
    const input = author('ann', { bio: 'Writes about ships.', siteUrl: 'https://example.com/ann' });

    // Act
    const results = [
      await ts.store.authors.putAuthor(input),
      await ts.store.authors.putAuthor(input),
      await ts.store.authors.putAuthor({ ...input, fullName: 'Dr. Ann Smith' }),
    ];

    // Assess
    expect(results).toEqual(['created', 'unchanged', 'updated']);
    expect(await ts.store.authors.getAuthor('ann')).toEqual({
      handle: 'ann',
      fullName: 'Dr. Ann Smith',
      userSince: '2008-03-15',
      bio: 'Writes about ships.',
      siteUrl: 'https://example.com/ann',
      articleCount: 0,
      subscriberCount: 0,
    });
  });

  it('removes optional fields that an update leaves out', async () => {
    // Prepare
    await ts.store.authors.putAuthor(author('bob', { bio: 'Old bio' }));

    // Act
    const result = await ts.store.authors.putAuthor(author('bob'));

    // Assess
    expect(result).toBe('updated');
    expect((await ts.store.authors.getAuthor('bob'))?.bio).toBeUndefined();
  });

  it('keeps both counters across an update', async () => {
    // Prepare
    await ts.store.authors.putAuthor(author('cat'));
    await ts.store.articles.putArticle(
      { id: 'cat-1', title: 'One', authorHandle: 'cat', body: 'b', publishedAt: '2026-01-01T00:00:00Z' },
      derived,
      'Full cat',
    );
    await ts.store.subscriptions.subscribe(1, 'cat');

    // Act
    await ts.store.authors.putAuthor(author('cat', { fullName: 'Catherine' }));

    // Assess
    expect(await ts.store.authors.getAuthor('cat')).toMatchObject({
      fullName: 'Catherine',
      articleCount: 1,
      subscriberCount: 1,
    });
  });

  it('counts articles imported before their author', async () => {
    // Prepare
    await ts.store.articles.putArticle(
      { id: 'early-1', title: 'Early', authorHandle: 'dan', body: 'b', publishedAt: '2026-01-01T00:00:00Z' },
      derived,
      'Dan',
    );
    const beforeProfile = await ts.store.authors.getAuthor('dan');

    // Act
    const result = await ts.store.authors.putAuthor(author('dan'));

    // Assess
    expect(beforeProfile).toBeUndefined();
    expect(result).toBe('created');
    expect((await ts.store.authors.getAuthor('dan'))?.articleCount).toBe(1);
  });

  it('returns undefined for an unknown handle', async () => {
    expect(await ts.store.authors.getAuthor('nobody')).toBeUndefined();
  });
});

describe('listAuthors', () => {
  let store: TestStore;

  beforeAll(async () => {
    store = await startTestStore();
    await Promise.all(
      ['erin', 'abe', 'dora', 'cleo', 'bea'].map((h) => store.store.authors.putAuthor(author(h))),
    );
    await store.store.articles.putArticle(
      { id: 'abe-1', title: 'By Abe', authorHandle: 'abe', body: 'b', publishedAt: '2026-01-01T00:00:00Z' },
      derived,
      'Full abe',
    );
    await store.store.subscriptions.subscribe(42, 'bea');
  });

  afterAll(async () => {
    await store?.stop();
  });

  it('pages authors by handle with their counters', async () => {
    // Act
    const p1 = await store.store.authors.listAuthors(0, 2);
    const p2 = await store.store.authors.listAuthors(2, 2);
    const p3 = await store.store.authors.listAuthors(4, 2);

    // Assess
    expect(p1.items.map((a) => a.handle)).toEqual(['abe', 'bea']);
    expect(p2.items.map((a) => a.handle)).toEqual(['cleo', 'dora']);
    expect(p3.items.map((a) => a.handle)).toEqual(['erin']);
    expect([p1.hasMore, p2.hasMore, p3.hasMore]).toEqual([true, true, false]);
    expect(p1.items[0]).toEqual({
      handle: 'abe',
      fullName: 'Full abe',
      userSince: '2008-03-15',
      articleCount: 1,
      subscriberCount: 0,
    });
    expect(p1.items[1]?.subscriberCount).toBe(1);
  });

  it('does not list counter-only placeholders of authors without a profile', async () => {
    // Prepare
    await store.store.articles.putArticle(
      {
        id: 'ghost-1',
        title: 'Ghost',
        authorHandle: 'aaa_ghost',
        body: 'b',
        publishedAt: '2026-01-01T00:00:00Z',
      },
      derived,
      'Ghost',
    );

    // Act
    const page = await store.store.authors.listAuthors(0, 10);

    // Assess
    expect(page.items.map((a) => a.handle)).toEqual(['abe', 'bea', 'cleo', 'dora', 'erin']);
    expect(page.hasMore).toBe(false);
  });

  it('rejects invalid paging arguments', async () => {
    await expect(store.store.authors.listAuthors(-2, 2)).rejects.toThrow(RangeError);
  });
});
