/**
 * Contract: the single-item conditions and races the access patterns of docs/data-model.md
 * rely on, run through the repositories.
 */

import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { UnknownAuthorError } from '../../../../functions/core/errors';
import { authorKey } from '../../../../functions/store/keys';
import { freshViewer } from '../../../helpers/viewers';
import { type ContractTable, startContractTable } from './contract-table';

let t: ContractTable;
let ann: string;

beforeAll(async () => {
  t = await startContractTable();
  ann = `${t.run}_ann`;
  await t.store.authors.putAuthor({ handle: ann, fullName: 'Ann', userSince: '2020-01-01' });
  await t.store.articles.putArticle(
    {
      id: `${t.run}-a`,
      title: 'Contract article',
      authorHandle: ann,
      body: 'Body.',
      publishedAt: '2026-01-01T00:00:00Z',
    },
    { summary: 'S.', readingMinutes: 1, wordCount: 1 },
    'Ann',
  );
});

afterAll(async () => {
  await t?.stop();
});

/** A user id unlikely to meet another run's on a shared table. */
const user = (n: number) => Number.parseInt(t.run.slice(1, 7), 16) * 100 + n;
const article = () => `${t.run}-a`;

describe('sessions', () => {
  it('claimUpdate: exactly one of 10 concurrent deliveries claims the lease; the others see it in progress', async () => {
    const id = user(1);
    const leaseUntil = Date.now() + 60_000;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.store.sessions.claimUpdate(id, { owner: `delivery-${i}`, leaseUntil, ttlSeconds: 60 }),
      ),
    );
    expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r === 'in-progress')).toHaveLength(9);
  });

  it('takePending: exactly one of 8 concurrent conditional deletes (ALL_OLD) gets the item', async () => {
    await t.store.sessions.setPending(user(2), { kind: 'comment', articleId: article() }, 600);
    const results = await Promise.all(Array.from({ length: 8 }, () => t.store.sessions.takePending(user(2))));
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
  });
});

describe('subscriptions', () => {
  it('concurrent subscribes of the same user: one subscription, +1', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => t.store.subscriptions.subscribe(user(3), ann)),
    );
    expect(results.filter((r) => r)).toHaveLength(1);
    expect((await t.store.authors.getAuthor(ann))?.subscriberCount).toBe(1);
  });

  it('a subscribe to a missing author writes nothing and creates no author item', async () => {
    const handle = `${t.run}_nobody`;
    await expect(t.store.subscriptions.subscribe(user(4), handle)).rejects.toThrow(UnknownAuthorError);
    const out = await t.doc.send(
      new GetCommand({ TableName: t.tableName, Key: authorKey(handle), ConsistentRead: true }),
    );
    expect(out.Item).toBeUndefined();
    expect(await t.store.subscriptions.isSubscribed(user(4), handle)).toBe(false);
  });
});

describe('articles', () => {
  it('openArticle on a missing article fails its condition and creates nothing', async () => {
    expect(await t.store.articles.openArticle(`${t.run}-missing`, freshViewer())).toBeUndefined();
    expect(await t.store.articles.getArticle(`${t.run}-missing`)).toBeUndefined();
  });

  it('openArticle: 30 concurrent ADDs are all counted and each returns its own count', async () => {
    const metas = await Promise.all(
      Array.from({ length: 30 }, () => t.store.articles.openArticle(article(), freshViewer())),
    );
    const views = metas.map((m) => m?.views ?? 0);
    expect(new Set(views).size).toBe(30);
    expect(Math.max(...views)).toBe(30);
  });

  it('views racing comment transactions on the same meta are all counted (TransactionConflict is retried)', async () => {
    // DynamoDB Local runs transactions one at a time; on a real table this is the race.
    const id = article();
    const before = await t.store.articles.getArticle(id);
    const comments = Array.from({ length: 10 }, (_, i) => ({
      articleId: id,
      commentId: `00000${i}zz`,
      userId: user(20 + i),
      userName: 'U',
      text: `c${i}`,
      createdAt: '2026-01-01T00:00:00Z',
    }));
    await Promise.all([
      ...comments.map((c) => t.store.comments.addComment(c)),
      ...Array.from({ length: 40 }, () => t.store.articles.openArticle(id, freshViewer())),
    ]);
    const after = await t.store.articles.getArticle(id);
    expect([after?.views, after?.replies]).toEqual([(before?.views ?? 0) + 40, (before?.replies ?? 0) + 10]);
  });

  it('an unconditional ADD on a missing author creates a counter-only item, which reads as no author', async () => {
    const handle = `${t.run}_later`;
    await t.doc.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: authorKey(handle),
        UpdateExpression: 'ADD articleCount :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
    expect(await t.store.authors.getAuthor(handle)).toBeUndefined();
    await t.store.authors.putAuthor({ handle, fullName: 'Later', userSince: '2020-01-01' });
    expect((await t.store.authors.getAuthor(handle))?.articleCount).toBe(1);
  });
});

describe('comments', () => {
  it('the comment quota grants exactly N of 12 concurrent requests', async () => {
    const now = new Date('2026-11-25T09:00:00Z');
    const results = await Promise.all(
      Array.from({ length: 12 }, () => t.store.comments.takeCommentQuota(user(5), 4, now)),
    );
    expect(results.filter((r) => r)).toHaveLength(4);
  });

  it('a comment on a missing article writes nothing', async () => {
    const c = {
      articleId: `${t.run}-gone`,
      commentId: '0000001a',
      userId: user(6),
      userName: 'U',
      text: 'x',
      createdAt: '2026-01-01T00:00:00Z',
    };
    expect(await t.store.comments.addComment(c)).toBe('article-missing');
    expect(await t.store.comments.getComment(c.articleId, c.commentId)).toBeUndefined();
  });

  it('a condition on a missing attribute is false, not an error (claimUpdate: `expiresAt < :now`)', async () => {
    const k = { pk: `${t.run}#COND`, sk: 'x' };
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: k }));
    await expect(
      t.doc.send(
        new PutCommand({
          TableName: t.tableName,
          Item: k,
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': 1 },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });
});
