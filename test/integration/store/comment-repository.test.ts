import type { Comment } from '../../../functions/core/model';
import { startTestStore, type TestStore } from '../../helpers/dynalite';

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
