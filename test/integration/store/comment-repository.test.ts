import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Comment } from '../../../functions/core/model';
import { CommentRepository } from '../../../functions/store/comment-repository';
import { articleMetaKey, commentKey } from '../../../functions/store/keys';
import { type Fault, type FaultyClient, faultyClient, outcome } from '../../helpers/fault-client';
import { startTestStore, type TestStore } from '../../helpers/test-store';

let ts: TestStore;

beforeAll(async () => {
  ts = await startTestStore();
});

afterAll(async () => {
  await ts?.stop();
});

const derived = { summary: 'S.', readingMinutes: 1, wordCount: 100 };

async function newArticle(id: string): Promise<void> {
  await ts.store.articles.putArticle(
    { id, title: `About ${id}`, authorHandle: 'jdoe', body: 'b', publishedAt: '2026-01-01T00:00:00Z' },
    derived,
    'Jane',
  );
}

/** The id the bot builds: seconds in base 36 padded to 7, then the update id in base 36. */
function commentId(seconds: number, updateId: number): string {
  return seconds.toString(36).padStart(7, '0') + updateId.toString(36);
}

function comment(articleId: string, seconds: number, updateId: number, over: Partial<Comment> = {}): Comment {
  return {
    articleId,
    commentId: commentId(seconds, updateId),
    userId: 100 + updateId,
    userName: `User ${updateId}`,
    text: `Comment ${updateId} <b>&</b>`,
    createdAt: new Date(seconds * 1000).toISOString(),
    ...over,
  };
}

const replies = async (id: string) => (await ts.store.articles.getArticle(id))?.replies;

describe('addComment', () => {
  it('adds a comment once: the same comment again counts nothing', async () => {
    // Prepare
    await newArticle('c-dup');
    const c = comment('c-dup', 1_780_000_000, 1);

    // Act
    const first = await ts.store.comments.addComment(c);
    const again = await ts.store.comments.addComment(c);

    // Assess: the repeat carries the first one's ClientRequestToken, so DynamoDB answers it
    // like the first (within 10 minutes) without writing; later it is a duplicate.
    expect([first, again]).toEqual(['added', 'added']);
    expect(await replies('c-dup')).toBe(1);
    expect(await ts.store.comments.getComment('c-dup', c.commentId)).toEqual(c);
  });

  it('counts 50 concurrent comments exactly', async () => {
    // Prepare
    await newArticle('c-busy');

    // Act
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        ts.store.comments.addComment(comment('c-busy', 1_780_000_000 + i, 200 + i)),
      ),
    );

    // Assess
    expect(results.every((r) => r === 'added')).toBe(true);
    expect(await replies('c-busy')).toBe(50);
  });

  it('counts a comment delivered twice concurrently once', async () => {
    // Prepare
    await newArticle('c-race');
    const c = comment('c-race', 1_780_000_000, 9);

    // Act
    const results = await Promise.all([ts.store.comments.addComment(c), ts.store.comments.addComment(c)]);

    // Assess
    expect(await replies('c-race')).toBe(1);
    expect(results).toContain('added');
  });

  it('refuses a comment on a missing article and stores nothing', async () => {
    // Prepare
    const c = comment('c-missing', 1_780_000_000, 1);

    // Act
    const result = await ts.store.comments.addComment(c);

    // Assess
    expect(result).toBe('article-missing');
    expect(await ts.store.comments.getComment('c-missing', c.commentId)).toBeUndefined();
    expect(await ts.store.articles.getArticle('c-missing')).toBeUndefined();
  });
});

describe('commentsPage', () => {
  it('pages comments newest first by cursor, both ways, and says when there is more', async () => {
    // Prepare
    await newArticle('c-list');
    for (let i = 0; i < 5; i++)
      await ts.store.comments.addComment(comment('c-list', 1_780_000_000 + i * 60, 300 + i));
    const names = (p: { items: Comment[] }) => p.items.map((c) => c.userName);

    // Act
    const p1 = await ts.store.comments.commentsPage('c-list', undefined, 2);
    const p2 = await ts.store.comments.commentsPage('c-list', { before: p1.older ?? '' }, 2);
    const p3 = await ts.store.comments.commentsPage('c-list', { before: p2.older ?? '' }, 2);
    const back = await ts.store.comments.commentsPage('c-list', { after: p3.newer ?? '' }, 2);
    const backToFirst = await ts.store.comments.commentsPage('c-list', { after: back.newer ?? '' }, 2);

    // Assess
    expect([names(p1), names(p2), names(p3)]).toEqual([
      ['User 304', 'User 303'],
      ['User 302', 'User 301'],
      ['User 300'],
    ]);
    expect([p1.older !== undefined, p2.older !== undefined, p3.older]).toEqual([true, true, undefined]);
    expect([p1.newer, p2.newer !== undefined, p3.newer !== undefined]).toEqual([undefined, true, true]);
    expect(names(back)).toEqual(['User 302', 'User 301']);
    // Fewer than a page of newer comments is the first page.
    expect(backToFirst).toEqual(p1);
    expect(p1.items[0]?.text).toBe('Comment 304 <b>&</b>');
  });

  it('reads one page for any cursor, forged or not: 6 items for a 5-comment page', async () => {
    // Prepare: 40 comments; a reader forges cursors at the far ends and in between.
    await newArticle('c-forged');
    for (let i = 0; i < 40; i++)
      await ts.store.comments.addComment(comment('c-forged', 1_780_000_000 + i, 500 + i));
    const cursors = [{ before: 'zzzzzzzzzzzzzzzzzz' }, { before: '0' }, { after: '0' }, { after: 'zzzz' }];

    // Act
    const counts: number[] = [];
    for (const cursor of cursors) {
      const client = faultyClient(ts.endpoint);
      const repo = new CommentRepository(client.doc, ts.tableName);
      await repo.commentsPage('c-forged', cursor, 5);
      counts.push(client.calls.length);
      client.destroy();
    }
    const deepest = await ts.store.comments.commentsPage('c-forged', { before: 'zzzzzzzzzzzzzzzzzz' }, 5);

    // Assess: one Query each (two for a short page of newer ones), never a walk through the list.
    expect(counts).toEqual([1, 1, 1, 2]);
    expect(deepest.items).toHaveLength(5);
    await expect(ts.store.comments.commentsPage('c-forged', { before: 'x:y' }, 5)).rejects.toThrow(
      RangeError,
    );
    await expect(ts.store.comments.commentsPage('c-forged', undefined, 101)).rejects.toThrow(RangeError);
  });

  it('lists nothing for an article without comments (not its meta or body)', async () => {
    // Prepare
    await newArticle('c-none');

    // Act / Assess
    expect(await ts.store.comments.commentsPage('c-none', undefined, 5)).toEqual({ items: [] });
  });
});

describe("bans and a reader's comments", () => {
  it('a banned reader cannot post (nothing written, replies unchanged); unban lets them again', async () => {
    // Prepare
    await newArticle('c-ban');
    const by = { userId: 777, by: 'moderation-key', createdAt: '2026-11-30T10:00:00.000Z' };

    // Act
    const banned = await ts.store.moderation.ban({ ...by, reason: 'spam' });
    const again = await ts.store.moderation.ban(by);
    const refused = await ts.store.comments.addComment(comment('c-ban', 1_780_000_000, 1, { userId: 777 }));
    const ban = await ts.store.moderation.getBan(777);
    const lifted = await ts.store.moderation.unban(777);
    const liftedAgain = await ts.store.moderation.unban(777);
    const posted = await ts.store.comments.addComment(comment('c-ban', 1_780_000_100, 2, { userId: 777 }));

    // Assess
    expect([banned, again, refused, lifted, liftedAgain, posted]).toEqual([
      true,
      false,
      'banned',
      true,
      false,
      'added',
    ]);
    expect(ban).toEqual({ ...by, reason: 'spam' });
    expect(await replies('c-ban')).toBe(1);
  });

  it("deletes all of a reader's comments across articles in bounded calls, replies corrected", async () => {
    // Prepare: reader 888 wrote 7 comments on two articles; another reader wrote one.
    await newArticle('c-all-1');
    await newArticle('c-all-2');
    for (let i = 0; i < 7; i++)
      await ts.store.comments.addComment(
        comment(i % 2 ? 'c-all-1' : 'c-all-2', 1_780_000_000 + i, 900 + i, { userId: 888 }),
      );
    await ts.store.comments.addComment(comment('c-all-1', 1_780_000_100, 999, { userId: 889 }));

    // Act
    const first = await ts.store.moderation.deleteCommentsBy(888, 5);
    const second = await ts.store.moderation.deleteCommentsBy(888, 5);
    const none = await ts.store.moderation.deleteCommentsBy(888, 5);

    // Assess
    expect([first, second, none]).toEqual([
      { deleted: 5, more: true },
      { deleted: 2, more: false },
      { deleted: 0, more: false },
    ]);
    expect([await replies('c-all-1'), await replies('c-all-2')]).toEqual([1, 0]);
    expect(
      (await ts.store.comments.commentsPage('c-all-1', undefined, 10)).items.map((c) => c.userId),
    ).toEqual([889]);
  });
});

describe('deleteComment', () => {
  it('deletes once and lowers replies once', async () => {
    // Prepare
    await newArticle('c-del');
    const keep = comment('c-del', 1_780_000_000, 1);
    const drop = comment('c-del', 1_780_000_001, 2);
    await ts.store.comments.addComment(keep);
    await ts.store.comments.addComment(drop);

    // Act
    const results = await Promise.all([
      ts.store.comments.deleteComment('c-del', drop.commentId),
      ts.store.comments.deleteComment('c-del', drop.commentId),
    ]);

    // Assess
    expect([...results].sort()).toEqual([false, true]);
    expect(await replies('c-del')).toBe(1);
    expect(await ts.store.comments.getComment('c-del', drop.commentId)).toBeUndefined();
    expect((await ts.store.comments.commentsPage('c-del', undefined, 10)).items).toEqual([keep]);
  });

  it('returns false for a comment that never existed', async () => {
    expect(await ts.store.comments.deleteComment('c-del', 'zzzzzzz1')).toBe(false);
  });
});

describe('takeCommentQuota', () => {
  it('allows N per minute, refuses the next, and resets in a new minute', async () => {
    // Prepare
    const minute = new Date('2026-11-25T08:00:00Z');
    const sameMinute = new Date('2026-11-25T08:00:59.999Z');
    const nextMinute = new Date('2026-11-25T08:01:00Z');

    // Act
    const taken = [
      await ts.store.comments.takeCommentQuota(1, 3, minute),
      await ts.store.comments.takeCommentQuota(1, 3, minute),
      await ts.store.comments.takeCommentQuota(1, 3, sameMinute),
      await ts.store.comments.takeCommentQuota(1, 3, sameMinute),
    ];
    const otherUser = await ts.store.comments.takeCommentQuota(2, 3, minute);
    const afterReset = await ts.store.comments.takeCommentQuota(1, 3, nextMinute);

    // Assess
    expect(taken).toEqual([true, true, true, false]);
    expect(otherUser).toBe(true);
    expect(afterReset).toBe(true);
  });

  it('grants exactly N of many concurrent requests', async () => {
    // Prepare
    const now = new Date('2026-11-25T09:00:00Z');

    // Act
    const results = await Promise.all(
      Array.from({ length: 20 }, () => ts.store.comments.takeCommentQuota(3, 5, now)),
    );

    // Assess
    expect(results.filter((r) => r)).toHaveLength(5);
  });
});

describe('exactly once: one transaction, failures and repeats', () => {
  let faulty: FaultyClient;
  let repo: CommentRepository;
  let nextArticle = 0;

  beforeAll(() => {
    faulty = faultyClient(ts.endpoint);
    repo = new CommentRepository(faulty.doc, ts.tableName);
  });
  afterAll(() => {
    faulty?.destroy();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  async function freshArticle(): Promise<string> {
    const id = `crash-${nextArticle++}`;
    await newArticle(id);
    return id;
  }

  const raw = async (key: { pk: string; sk: string }) =>
    (await ts.doc.send(new GetCommand({ TableName: ts.tableName, Key: key, ConsistentRead: true }))).Item;

  async function callsOf(fn: () => Promise<unknown>): Promise<string[]> {
    const from = faulty.calls.length;
    await fn();
    return faulty.calls.slice(from);
  }

  /** Moves only `Date` forward (the SDK's timers stay real). */
  function twoHoursLater(): void {
    const now = Date.now();
    jest.useFakeTimers({
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
      now: now + 2 * 3600_000,
    });
  }

  it('adds and deletes with one transaction each, and leaves the hot meta without bookkeeping', async () => {
    // Prepare
    const id = await freshArticle();
    const c = comment(id, 1_780_000_000, 1);

    // Act
    const addCalls = await callsOf(() => repo.addComment(c));
    const item = await raw(commentKey(id, c.commentId));
    const metaAfterAdd = await raw(articleMetaKey(id));
    const deleteCalls = await callsOf(() => repo.deleteComment(id, c.commentId));

    // Assess
    expect(addCalls).toEqual(['TransactWriteItems']);
    expect(deleteCalls).toEqual(['TransactWriteItems']);
    expect(Object.keys(item ?? {}).sort()).toEqual(
      [
        'articleId',
        'commentId',
        'createdAt',
        'gsi1pk',
        'gsi1sk',
        'kind',
        'pk',
        'sk',
        'text',
        'userId',
        'userName',
      ].sort(),
    );
    expect(metaAfterAdd?.['replies']).toBe(1);
    expect(await replies(id)).toBe(0);
  });

  it('changes nothing when the transaction fails: no comment, no count', async () => {
    // Prepare
    const id = await freshArticle();
    const c = comment(id, 1_780_000_000, 2);
    faulty.fail(0, 'request-lost');

    // Act
    const result = await outcome(() => repo.addComment(c));

    // Assess
    expect(result).toBe('throws');
    expect(await raw(commentKey(id, c.commentId))).toBeUndefined();
    expect(await replies(id)).toBe(0);
  });

  /**
   * A store failure at any call of addComment, two hours, another comment on the article,
   * then the redelivery of the same comment. The old op-id protocol dropped the interrupted
   * add's op id as stale on the other comment's write and counted the redelivery again.
   */
  const faults: Fault[] = ['request-lost', 'answer-lost', 'retried'];
  it.each(faults)(
    'addComment: a failure (%s) at any call, two hours, another comment, the redelivery → replies exact',
    async (fault) => {
      const probe = await freshArticle();
      const calls = (await callsOf(() => repo.addComment(comment(probe, 1_780_000_000, 1)))).length;
      for (let k = 0; k < calls; k++) {
        // Prepare
        jest.useRealTimers();
        const id = await freshArticle();
        const c = comment(id, 1_780_000_000, 7);

        // Act
        faulty.fail(k, fault);
        await outcome(() => repo.addComment(c));
        twoHoursLater();
        await repo.addComment(comment(id, 1_780_000_100, 8));
        const again = await repo.addComment(c);

        // Assess
        expect({ k, replies: await replies(id) }).toEqual({ k, replies: 2 });
        expect(['added', 'duplicate']).toContain(again);
        expect(await ts.store.comments.getComment(id, c.commentId)).toEqual(c);
      }
    },
  );

  it.each(faults)(
    'deleteComment: a failure (%s) at any call, two hours, another delete, the repeat → replies exact',
    async (fault) => {
      const probe = await freshArticle();
      await repo.addComment(comment(probe, 1_780_000_000, 1));
      const calls = (await callsOf(() => repo.deleteComment(probe, commentId(1_780_000_000, 1)))).length;
      for (let k = 0; k < calls; k++) {
        // Prepare
        jest.useRealTimers();
        const id = await freshArticle();
        const keep = comment(id, 1_780_000_000, 1);
        const drop = comment(id, 1_780_000_001, 2);
        const other = comment(id, 1_780_000_002, 3);
        for (const c of [keep, drop, other]) await repo.addComment(c);

        // Act
        faulty.fail(k, fault);
        await outcome(() => repo.deleteComment(id, drop.commentId));
        twoHoursLater();
        await repo.deleteComment(id, other.commentId);
        await repo.deleteComment(id, drop.commentId);

        // Assess
        expect({ k, replies: await replies(id) }).toEqual({ k, replies: 1 });
        expect((await ts.store.comments.commentsPage(id, undefined, 10)).items).toEqual([keep]);
      }
    },
  );

  it('answers a redelivery within ten minutes like the first attempt (same ClientRequestToken), counting once', async () => {
    // Prepare
    const id = await freshArticle();
    const c = comment(id, 1_780_000_000, 4);

    // Act
    faulty.fail(0, 'answer-lost');
    const first = await outcome(() => repo.addComment(c));
    const redelivery = await repo.addComment(c);

    // Assess
    expect([first, redelivery]).toEqual(['throws', 'added']);
    expect(await replies(id)).toBe(1);
  });

  it('counts once when a redelivery runs while the first attempt is still under way', async () => {
    // Prepare
    const id = await freshArticle();
    const c = comment(id, 1_780_000_000, 3);
    const held = faulty.hold(0);

    // Act
    const first = repo.addComment(c);
    await held.reached;
    const second = await ts.store.comments.addComment(c);
    held.release();

    // Assess
    expect(await replies(id)).toBe(1);
    expect([await first, second]).toEqual(['added', 'added']);
  });

  it('returns article-missing and keeps no comment when the article goes before the transaction', async () => {
    // Prepare
    const id = await freshArticle();
    const c = comment(id, 1_780_000_000, 5);
    const held = faulty.hold(0);

    // Act
    const added = repo.addComment(c);
    await held.reached;
    await ts.store.articles.deleteArticle(id);
    held.release();

    // Assess
    expect(await added).toBe('article-missing');
    expect(await raw(commentKey(id, c.commentId))).toBeUndefined();
    expect(await raw(articleMetaKey(id))).toBeUndefined();
  });
});
