import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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
  it('adds a comment once: the same comment again is a duplicate and counts nothing', async () => {
    // Prepare
    await newArticle('c-dup');
    const c = comment('c-dup', 1_780_000_000, 1);

    // Act
    const first = await ts.store.comments.addComment(c);
    const again = await ts.store.comments.addComment(c);

    // Assess
    expect([first, again]).toEqual(['added', 'duplicate']);
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
    expect([...results].sort()).toEqual(['added', 'duplicate']);
    expect(await replies('c-race')).toBe(1);
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

describe('listComments', () => {
  it('pages comments newest first and says when there is more', async () => {
    // Prepare
    await newArticle('c-list');
    for (let i = 0; i < 5; i++)
      await ts.store.comments.addComment(comment('c-list', 1_780_000_000 + i * 60, 300 + i));

    // Act
    const p1 = await ts.store.comments.listComments('c-list', 0, 2);
    const p2 = await ts.store.comments.listComments('c-list', 2, 2);
    const p3 = await ts.store.comments.listComments('c-list', 4, 2);

    // Assess
    expect(p1.items.map((c) => c.userName)).toEqual(['User 304', 'User 303']);
    expect(p2.items.map((c) => c.userName)).toEqual(['User 302', 'User 301']);
    expect(p3.items.map((c) => c.userName)).toEqual(['User 300']);
    expect([p1.hasMore, p2.hasMore, p3.hasMore]).toEqual([true, true, false]);
    expect(p1.items[0]?.text).toBe('Comment 304 <b>&</b>');
  });

  it('lists nothing for an article without comments (not its meta or body)', async () => {
    // Prepare
    await newArticle('c-none');

    // Act / Assess
    expect(await ts.store.comments.listComments('c-none', 0, 5)).toEqual({ items: [], hasMore: false });
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
    expect((await ts.store.comments.listComments('c-del', 0, 10)).items).toEqual([keep]);
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

describe('a store failure between the writes, then the same call again (a redelivery)', () => {
  let faulty: FaultyClient;
  let repo: CommentRepository;
  let nextArticle = 0;

  beforeAll(() => {
    faulty = faultyClient(ts.endpoint);
    repo = new CommentRepository(faulty.doc, ts.tableName);
  });
  afterAll(() => faulty?.destroy());

  async function freshArticle(): Promise<string> {
    const id = `crash-${nextArticle++}`;
    await newArticle(id);
    return id;
  }

  const raw = async (key: { pk: string; sk: string }) =>
    (await ts.doc.send(new GetCommand({ TableName: ts.tableName, Key: key, ConsistentRead: true }))).Item;
  const opsOf = async (id: string) => [...((await raw(articleMetaKey(id)))?.['ops'] ?? [])] as string[];

  it('makes 1 read + 4 writes to add and 4 writes to delete, and leaves the hot meta without ops', async () => {
    // Prepare
    const id = await freshArticle();
    const c = comment(id, 1_780_000_000, 1);

    // Act
    const from = faulty.calls.length;
    const added = await repo.addComment(c);
    const addCalls = faulty.calls.slice(from);
    const item = await raw(commentKey(id, c.commentId));
    const metaAfterAdd = await raw(articleMetaKey(id));
    const mid = faulty.calls.length;
    const deleted = await repo.deleteComment(id, c.commentId);
    const deleteCalls = faulty.calls.slice(mid);

    // Assess
    expect([added, deleted]).toEqual(['added', true]);
    expect(addCalls).toEqual(['GetItem', 'PutItem', 'UpdateItem', 'UpdateItem', 'UpdateItem']);
    expect(deleteCalls).toEqual(['UpdateItem', 'UpdateItem', 'DeleteItem', 'UpdateItem']);
    expect(Object.keys(item ?? {}).sort()).toEqual(
      ['articleId', 'commentId', 'createdAt', 'kind', 'pk', 'sk', 'text', 'userId', 'userName'].sort(),
    );
    expect(metaAfterAdd?.['ops']).toBeUndefined();
    expect((await raw(articleMetaKey(id)))?.['ops']).toBeUndefined();
    expect(await replies(id)).toBe(0);
  });

  // The calls of addComment: 0 GetItem meta, 1 PutItem comment, 2 ADD replies, 3 REMOVE
  // pending, 4 DELETE op. `leftover`: op ids left in the meta's `ops` (dropped once stale).
  const addCases: [number, Fault, string, string, number][] = [
    [0, 'request-lost', 'throws', 'added', 0],
    [1, 'request-lost', 'throws', 'added', 0],
    [2, 'request-lost', 'throws', 'added', 1],
    [3, 'request-lost', 'throws', 'added', 1],
    [4, 'request-lost', 'added', 'duplicate', 1],
    [0, 'answer-lost', 'throws', 'added', 0],
    [1, 'answer-lost', 'throws', 'added', 1],
    [2, 'answer-lost', 'throws', 'added', 1],
    // The marker was cleared: the repeat finds a complete comment.
    [3, 'answer-lost', 'throws', 'duplicate', 1],
    [4, 'answer-lost', 'added', 'duplicate', 0],
    [0, 'retried', 'added', 'duplicate', 0],
    [1, 'retried', 'added', 'duplicate', 0],
    [2, 'retried', 'added', 'duplicate', 0],
    // The retried REMOVE finds the marker gone: the call cannot tell it was its own write.
    [3, 'retried', 'duplicate', 'duplicate', 1],
    [4, 'retried', 'added', 'duplicate', 0],
  ];
  it.each(addCases)(
    'addComment: call %i fails (%s) → replies is still exactly +1 after the repeat',
    async (k, fault, first, again, leftover) => {
      // Prepare
      const id = await freshArticle();
      const c = comment(id, 1_780_000_000, 7);

      // Act
      faulty.fail(k, fault);
      const firstResult = await outcome(() => repo.addComment(c));
      const againResult = await repo.addComment(c);

      // Assess
      expect([firstResult, againResult]).toEqual([first, again]);
      expect(await replies(id)).toBe(1);
      expect(await ts.store.comments.getComment(id, c.commentId)).toEqual(c);
      const item = await raw(commentKey(id, c.commentId));
      expect([item?.['pending'], item?.['takenBy'], item?.['removing']]).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
      const ops = await opsOf(id);
      expect(ops).toHaveLength(leftover);
      for (const op of ops) expect(op).toMatch(new RegExp(`^cmt:${c.commentId}:`));
    },
  );

  // The calls of deleteComment: 0 mark `removing`, 1 ADD −1, 2 DeleteItem, 3 DELETE op.
  const deleteCases: [number, Fault, boolean | 'throws', boolean, number][] = [
    [0, 'request-lost', 'throws', true, 0],
    [1, 'request-lost', 'throws', true, 1],
    [2, 'request-lost', 'throws', true, 1],
    [3, 'request-lost', true, false, 1],
    [0, 'answer-lost', 'throws', true, 1],
    [1, 'answer-lost', 'throws', true, 1],
    // The comment is gone: the repeat finds nothing to delete.
    [2, 'answer-lost', 'throws', false, 1],
    [3, 'answer-lost', true, false, 0],
    [0, 'retried', true, false, 0],
    [1, 'retried', true, false, 0],
    [2, 'retried', false, false, 1],
    [3, 'retried', true, false, 0],
  ];
  it.each(deleteCases)(
    'deleteComment: call %i fails (%s) → replies is still exactly −1 after the repeat',
    async (k, fault, first, again, leftover) => {
      // Prepare
      const id = await freshArticle();
      const keep = comment(id, 1_780_000_000, 1);
      const drop = comment(id, 1_780_000_001, 2);
      await repo.addComment(keep);
      await repo.addComment(drop);

      // Act
      faulty.fail(k, fault);
      const firstResult = await outcome(() => repo.deleteComment(id, drop.commentId));
      const againResult = await repo.deleteComment(id, drop.commentId);

      // Assess
      expect([firstResult, againResult]).toEqual([first, again]);
      expect(await replies(id)).toBe(1);
      expect((await ts.store.comments.listComments(id, 0, 10)).items).toEqual([keep]);
      const ops = await opsOf(id);
      expect(ops).toHaveLength(leftover);
      for (const op of ops) expect(op).toMatch(new RegExp(`^del:${drop.commentId}:`));
    },
  );

  it('counts once when a redelivery takes over an add that is still running', async () => {
    // Prepare
    const id = await freshArticle();
    const c = comment(id, 1_780_000_000, 3);
    const held = faulty.hold(2);

    // Act: the first call stops before its count; the redelivery runs to the end meanwhile.
    const first = repo.addComment(c);
    await held.reached;
    const second = await ts.store.comments.addComment(c);
    held.release();

    // Assess
    expect([await first, second]).toEqual(['duplicate', 'added']);
    expect(await replies(id)).toBe(1);
  });

  it('finishes an interrupted add before deleting the comment', async () => {
    // Prepare: the add stops before its count.
    const id = await freshArticle();
    const c = comment(id, 1_780_000_000, 4);
    faulty.fail(2, 'request-lost');
    await outcome(() => repo.addComment(c));

    // Act
    const deleted = await ts.store.comments.deleteComment(id, c.commentId);

    // Assess
    expect(deleted).toBe(true);
    expect(await replies(id)).toBe(0);
    expect(await raw(commentKey(id, c.commentId))).toBeUndefined();
  });

  it('returns article-missing (and keeps no comment) when the article goes between the check and the count', async () => {
    // Prepare
    const id = await freshArticle();
    const c = comment(id, 1_780_000_000, 5);
    const held = faulty.hold(2);

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

  it('drops op ids older than an hour from the meta on the next comment, and keeps recent ones', async () => {
    // Prepare
    const id = await freshArticle();
    const op = (ageMs: number) => `cmt:x:${(Date.now() - ageMs).toString(36)}:leftover`;
    const stale = op(2 * 3600_000);
    const recent = op(60_000);
    await ts.doc.send(
      new UpdateCommand({
        TableName: ts.tableName,
        Key: articleMetaKey(id),
        UpdateExpression: 'ADD ops :ids',
        ExpressionAttributeValues: { ':ids': new Set([stale, recent]) },
      }),
    );

    // Act
    await repo.addComment(comment(id, 1_780_000_000, 6));

    // Assess
    expect(await opsOf(id)).toEqual([recent]);
    expect(await replies(id)).toBe(1);
  });
});
