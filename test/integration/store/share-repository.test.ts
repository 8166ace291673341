import { ShareRepository } from '../../../functions/store/share-repository';
import { type Fault, type FaultyClient, faultyClient, outcome } from '../../helpers/fault-client';
import { startTestStore, type TestStore } from '../../helpers/test-store';

let ts: TestStore;
let faulty: FaultyClient;
let repo: ShareRepository;
let nextArticle = 0;

beforeAll(async () => {
  ts = await startTestStore();
  faulty = faultyClient(ts.endpoint);
  repo = new ShareRepository(faulty.doc, ts.tableName);
});

afterAll(async () => {
  faulty?.destroy();
  await ts?.stop();
});

const SHARER = 1;

/** A fresh article and the sharer's link to it. */
async function sharedArticle(): Promise<{ id: string; code: string }> {
  const id = `shared-${nextArticle++}`;
  await ts.store.articles.putArticle(
    { id, title: `About ${id}`, authorHandle: 'jdoe', body: 'b', publishedAt: '2026-01-01T00:00:00Z' },
    { summary: 'S.', readingMinutes: 1, wordCount: 1 },
    'Jane',
  );
  const { share } = await repo.getOrCreateShare({
    articleId: id,
    title: id,
    sharerId: SHARER,
    sharerName: 'Sam',
  });
  return { id, code: share.code };
}

/** The share's `opens` and the article's `shareOpens`, which must always agree. */
async function counts(id: string, code: string): Promise<{ opens: number; shareOpens: number }> {
  const share = await ts.store.shares.openShare(code, SHARER); // the sharer's open counts nothing
  const meta = await ts.store.articles.getArticle(id);
  return {
    opens: share.status === 'opened' ? share.share.opens : Number.NaN,
    shareOpens: meta?.shareOpens ?? Number.NaN,
  };
}

async function callsOf(fn: () => Promise<unknown>): Promise<string[]> {
  const from = faulty.calls.length;
  await fn();
  return faulty.calls.slice(from);
}

describe('countShare', () => {
  it('is true once per sharer and article; a later link reuses the count and gets a code', async () => {
    // Prepare
    const id = `counted-${nextArticle++}`;

    // Act
    const first = await repo.countShare(7, id);
    const again = await repo.countShare(7, id);
    const link = await repo.getOrCreateShare({ articleId: id, title: id, sharerId: 7, sharerName: 'Sam' });
    const linkAgain = await repo.getOrCreateShare({
      articleId: id,
      title: id,
      sharerId: 7,
      sharerName: 'Sam',
    });
    const afterLink = await repo.countShare(7, id);

    // Assess
    expect([first, again, afterLink]).toEqual([true, false, false]);
    expect(link.created).toBe(false);
    expect(link.share.code).toMatch(/^[0-9A-Za-z]{10}$/);
    expect(linkAgain.share.code).toBe(link.share.code);
  });
});

describe('openShare', () => {
  it("counts a friend's first open once on the share and the article, never the sharer's", async () => {
    // Prepare
    const { id, code } = await sharedArticle();

    // Act
    const bySharer = await repo.openShare(code, SHARER);
    const first = await repo.openShare(code, 2);
    const again = await repo.openShare(code, 2);
    const otherFriend = await repo.openShare(code, 3);

    // Assess
    expect([bySharer, first, again, otherFriend].map((r) => r.status === 'opened' && r.counted)).toEqual([
      false,
      true,
      false,
      true,
    ]);
    expect(await counts(id, code)).toEqual({ opens: 2, shareOpens: 2 });
    expect(await repo.openShare('NoSuchCode', 2)).toEqual({ status: 'not-found' });
  });

  it('reads with one BatchGetItem and counts with one transaction; a known opener costs one read', async () => {
    // Prepare
    const { code } = await sharedArticle();

    // Act
    const firstCalls = await callsOf(() => repo.openShare(code, 2));
    const againCalls = await callsOf(() => repo.openShare(code, 2));

    // Assess
    expect(firstCalls).toEqual(['BatchGetItem', 'TransactWriteItems']);
    expect(againCalls).toEqual(['BatchGetItem']);
  });

  it('counts concurrent first opens by one friend once', async () => {
    // Prepare
    const { id, code } = await sharedArticle();

    // Act
    const results = await Promise.all([1, 2, 3].map(() => repo.openShare(code, 5)));

    // Assess
    expect(results.filter((r) => r.status === 'opened' && r.counted)).toHaveLength(1);
    expect(await counts(id, code)).toEqual({ opens: 1, shareOpens: 1 });
  });

  /** The old code put the marker, then counted in separate writes: a crash in between lost the open. */
  const faults: Fault[] = ['request-lost', 'answer-lost', 'retried'];
  it.each(faults)(
    'a failure (%s) at any call, then the repeat: the open is counted exactly once on both',
    async (fault) => {
      const probe = await sharedArticle();
      const calls = (await callsOf(() => repo.openShare(probe.code, 9))).length;
      for (let k = 0; k < calls; k++) {
        // Prepare
        const { id, code } = await sharedArticle();

        // Act
        faulty.fail(k, fault);
        await outcome(() => repo.openShare(code, 2));
        await repo.openShare(code, 2);

        // Assess
        expect({ k, ...(await counts(id, code)) }).toEqual({ k, opens: 1, shareOpens: 1 });
      }
    },
  );

  it('counts nothing anywhere when the article is gone', async () => {
    // Prepare
    const { id, code } = await sharedArticle();
    await ts.store.articles.deleteArticle(id);

    // Act
    const result = await repo.openShare(code, 2);

    // Assess
    expect(result).toMatchObject({ status: 'opened', counted: false });
    expect((await ts.store.shares.openShare(code, SHARER)).status === 'opened').toBe(true);
    expect(await ts.store.shares.listByUser(SHARER, 0, 100)).toEqual({
      items: expect.arrayContaining([expect.objectContaining({ code, opens: 0 })]),
      hasMore: false,
    });
  });
});
