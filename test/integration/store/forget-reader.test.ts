/**
 * Issue 17, item 2: a reader's erasure on DynamoDB Local — everything keyed by or naming the
 * reader goes (but the ban), counters corrected, in bounded calls that resume.
 */
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Comment } from '../../../functions/core/model';
import { FORGET_BATCH, forgetReader } from '../../../functions/core/use-cases/forget-reader';
import { createStore } from '../../../functions/store';
import { DigestRepository } from '../../../functions/store/digest-repository';
import { DUE_SHARDS, tagKey } from '../../../functions/store/keys';
import { SHARE_OPEN_TTL_SECONDS } from '../../../functions/store/share-repository';
import { faultyClient } from '../../helpers/fault-client';
import { startTestStore, type TestStore } from '../../helpers/test-store';

let ts: TestStore;

beforeAll(async () => {
  ts = await startTestStore();
});

afterAll(async () => {
  await ts?.stop();
});

const READER = 31_337;
const FRIEND = 31_338;
const derived = { summary: 'S.', readingMinutes: 1, wordCount: 1 };

async function article(id: string): Promise<void> {
  await ts.store.articles.putArticle(
    { id, title: `About ${id}`, authorHandle: 'jdoe', body: 'b', publishedAt: '2026-01-01T00:00:00Z' },
    derived,
    'Jane',
  );
}

function comment(articleId: string, i: number, userId: number): Comment {
  return {
    articleId,
    commentId: (1_780_000_000 + i).toString(36).padStart(7, '0') + (5000 + i).toString(36),
    userId,
    userName: `User ${userId}`,
    text: `words ${i}`,
    createdAt: new Date((1_780_000_000 + i) * 1000).toISOString(),
  };
}

async function tagFollowers(tag: string): Promise<unknown> {
  const out = await ts.doc.send(
    new GetCommand({ TableName: ts.tableName, Key: tagKey(tag), ConsistentRead: true }),
  );
  return out.Item?.['subscriberCount'];
}

/** Every item that is keyed by or names `userId`, outside the ban (a Scan is fine in a test). */
async function itemsAbout(userId: number): Promise<Record<string, unknown>[]> {
  const out = await ts.doc.send(new ScanCommand({ TableName: ts.tableName, ConsistentRead: true }));
  const id = String(userId);
  return (out.Items ?? []).filter((i) => {
    const text = JSON.stringify(i);
    return (text.includes(`#${id}`) || i['userId'] === userId) && i['pk'] !== `BAN#${id}`;
  });
}

it('erases a heavy reader in bounded, resumable calls, correcting the counts; others keep theirs', async () => {
  // Prepare: authors, articles, and a reader with everything Herald can store about them.
  for (const handle of ['jdoe', 'ann_writer']) {
    await ts.store.authors.putAuthor({ handle, fullName: handle, userSince: '2010-01-01' });
  }
  await article('a1');
  await article('a2');
  await ts.store.sessions.touchUser({ id: READER, firstName: 'Rita', username: 'rita', languageCode: 'ru' });
  await ts.store.sessions.setLanguage(READER, 'ru');
  await ts.store.subscriptions.subscribe(READER, 'jdoe');
  await ts.store.subscriptions.subscribe(READER, 'ann_writer');
  await ts.store.subscriptions.subscribe(FRIEND, 'jdoe');
  await ts.store.subscriptions.subscribeTag(READER, 'climate', undefined, 'daily');
  await ts.store.subscriptions.subscribeTag(READER, 'bikes');
  await ts.store.subscriptions.subscribeTag(FRIEND, 'climate');
  // Two articles waiting for the reader's digest (each with its slot's due marker).
  const digests = new DigestRepository(ts.doc, ts.tableName);
  for (const [articleId, dueAt] of [
    ['a1', Date.parse('2026-01-02T08:00:00Z')],
    ['a2', Date.parse('2026-01-03T08:00:00Z')],
  ] as const)
    await digests.queue(READER, {
      articleId,
      title: articleId,
      authorHandle: 'jdoe',
      authorName: 'Jane',
      summary: '',
      reason: 'daily',
      dueAt,
    });
  await ts.store.sessions.setPending(READER, { kind: 'comment', articleId: 'a1' }, 600);
  for (let i = 0; i < 30; i++) await ts.store.comments.addComment(comment(i % 2 ? 'a1' : 'a2', i, READER));
  await ts.store.comments.addComment(comment('a1', 99, FRIEND));
  const own = await ts.store.shares.getOrCreateShare({
    articleId: 'a1',
    title: 'A1',
    sharerId: READER,
    sharerName: 'Rita',
  });
  await ts.store.shares.openShare(own.share.code, FRIEND);
  const friends = await ts.store.shares.getOrCreateShare({
    articleId: 'a2',
    title: 'A2',
    sharerId: FRIEND,
    sharerName: 'F',
  });
  await ts.store.shares.openShare(friends.share.code, READER);
  await ts.store.moderation.ban({ userId: READER, by: 'moderator', createdAt: '2026-11-30T00:00:00Z' });
  const before = {
    jdoe: (await ts.store.authors.getAuthor('jdoe'))?.subscriberCount ?? 0,
    ann: (await ts.store.authors.getAuthor('ann_writer'))?.subscriberCount ?? 0,
    climate: await tagFollowers('climate'),
    bikes: await tagFollowers('bikes'),
  };
  expect([before.climate, before.bikes]).toEqual([2, 1]);
  expect((await itemsAbout(READER)).length).toBeGreaterThan(30);

  // Act: call until done, counting each call's DynamoDB requests.
  const client = faultyClient(ts.endpoint);
  const store = createStore(client.doc, ts.tableName);
  const perCall: number[] = [];
  let done = false;
  while (!done && perCall.length < 20) {
    const from = client.calls.length;
    ({ done } = await forgetReader(store, READER));
    perCall.push(client.calls.length - from);
  }
  client.destroy();

  // Assess
  expect(done).toBe(true);
  expect(perCall.length).toBeGreaterThan(1); // 30 comments > one batch of 25: it resumed
  // Bounded: one index Query and a transaction per comment, at most a batch of them, per call.
  for (const n of perCall) expect(n).toBeLessThanOrEqual(FORGET_BATCH + 12);
  expect(await itemsAbout(READER)).toEqual([]);
  expect((await ts.store.authors.getAuthor('jdoe'))?.subscriberCount).toBe(before.jdoe - 1);
  expect((await ts.store.authors.getAuthor('ann_writer'))?.subscriberCount).toBe(before.ann - 1);
  expect([await tagFollowers('climate'), await tagFollowers('bikes')]).toEqual([1, 0]);
  expect(await digests.entries(READER)).toEqual([]);
  expect(
    (await digests.duePage(Date.parse('2026-01-02T08:00:00Z'), READER % DUE_SHARDS, undefined, 10)).userIds,
  ).toEqual([]);
  expect([
    (await ts.store.articles.getArticle('a1'))?.replies,
    (await ts.store.articles.getArticle('a2'))?.replies,
  ]).toEqual([1, 0]);
  expect(await ts.store.shares.openShare(own.share.code, FRIEND)).toEqual({ status: 'not-found' });
  // The friend's own things stay; the ban stays.
  expect(await ts.store.subscriptions.isSubscribed(FRIEND, 'jdoe')).toBe(true);
  expect(await ts.store.subscriptions.listFollows(FRIEND)).toHaveLength(2);
  expect((await ts.store.shares.listByUser(FRIEND, 0, 5)).items[0]?.opens).toBe(1);
  expect(await ts.store.moderation.getBan(READER)).toBeDefined();
  expect((await ts.store.comments.commentsPage('a1', undefined, 5)).items.map((c) => c.userId)).toEqual([
    FRIEND,
  ]);
  // Erasing again finds nothing and writes nothing.
  expect(await forgetReader(ts.store, READER)).toEqual({ done: true });
});

it('gives a share-open record a TTL (it only serves "friends who opened")', async () => {
  // Prepare
  await article('a3');
  const { share } = await ts.store.shares.getOrCreateShare({
    articleId: 'a3',
    title: 'A3',
    sharerId: 1,
    sharerName: 'S',
  });

  // Act
  await ts.store.shares.openShare(share.code, 2);

  // Assess
  const out = await ts.doc.send(new ScanCommand({ TableName: ts.tableName, ConsistentRead: true }));
  const marker = (out.Items ?? []).find((i) => i['pk'] === `SHARE#${share.code}` && i['sk'] === 'OPEN#2');
  const expiresAt = Number(marker?.['expiresAt']);
  expect(expiresAt - Date.now() / 1000).toBeGreaterThan(SHARE_OPEN_TTL_SECONDS - 60);
  expect(expiresAt - Date.now() / 1000).toBeLessThanOrEqual(SHARE_OPEN_TTL_SECONDS);
  expect(SHARE_OPEN_TTL_SECONDS).toBe(180 * 86_400);
});
