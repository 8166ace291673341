/**
 * Contract: paging (Limit and LastEvaluatedKey), index order, sparse indexes and the GSI
 * projections the listings rely on (docs/data-model.md, "Why the item boundaries are where
 * they are" and the access-pattern tables).
 */

import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { GSI1, GSI2 } from '../../../../functions/store/keys';
import { freshViewer } from '../../../helpers/viewers';
import { type ContractTable, eventually, startContractTable } from './contract-table';

let t: ContractTable;
let handle: string;
const ids: string[] = [];

beforeAll(async () => {
  t = await startContractTable();
  handle = `${t.run}_pager`;
  await t.store.authors.putAuthor({ handle, fullName: 'Pager', userSince: '2020-01-01' });
  for (let i = 0; i < 5; i++) {
    const id = `${t.run}-p${i}`;
    ids.push(id);
    await t.store.articles.putArticle(
      {
        id,
        title: `Pager ${i}`,
        authorHandle: handle,
        body: 'Body.',
        publishedAt: `2026-01-0${i + 1}T00:00:00Z`,
      },
      { summary: 'Not projected.', readingMinutes: 1, wordCount: 1 },
      'Pager',
    );
  }
  await t.store.articles.openArticle(ids[0] ?? '', freshViewer());
});

afterAll(async () => {
  await t?.stop();
});

const byAuthor = (input: { Limit?: number; ExclusiveStartKey?: Record<string, unknown> } = {}) =>
  t.doc.send(
    new QueryCommand({
      TableName: t.tableName,
      IndexName: GSI2,
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': `AUTHOR#${handle}` },
      ScanIndexForward: false,
      ...input,
    }),
  );

describe("an author's articles (gsi2) and the feed (gsi1)", () => {
  it('lists newest first and projects the listing attributes only: no counters, no summary', async () => {
    const out = await eventually(
      t,
      () => byAuthor(),
      (o) => o.Items?.length === 5,
    );
    expect(out.Items?.map((i) => i['id'])).toEqual([...ids].reverse());
    const oldest = out.Items?.at(-1);
    expect(oldest).toMatchObject({ id: ids[0], title: 'Pager 0', authorHandle: handle, kind: 'article' });
    for (const hidden of ['views', 'replies', 'shares', 'shareOpens', 'alertsSent', 'summary', 'bodyHash'])
      expect(oldest?.[hidden]).toBeUndefined();
  });

  it('pages with Limit and a LastEvaluatedKey of the table and index keys; the end has none', async () => {
    await eventually(
      t,
      () => byAuthor(),
      (o) => o.Items?.length === 5,
    );
    const p1 = await byAuthor({ Limit: 2 });
    const p2 = await byAuthor({ Limit: 2, ExclusiveStartKey: p1.LastEvaluatedKey });
    const p3 = await byAuthor({ Limit: 2, ExclusiveStartKey: p2.LastEvaluatedKey });
    expect([p1.Items?.length, p2.Items?.length, p3.Items?.length]).toEqual([2, 2, 1]);
    expect(Object.keys(p1.LastEvaluatedKey ?? {}).sort()).toEqual(['gsi2pk', 'gsi2sk', 'pk', 'sk']);
    expect(p3.LastEvaluatedKey).toBeUndefined();
  });

  it('offset paging through the repository says when there is more', async () => {
    await eventually(
      t,
      () => t.store.articles.byAuthor(handle, 0, 100),
      (p) => p.items.length === 5,
    );
    const p1 = await t.store.articles.byAuthor(handle, 0, 2);
    const p3 = await t.store.articles.byAuthor(handle, 4, 2);
    expect(p1).toEqual({
      items: [expect.objectContaining({ id: ids[4] }), expect.objectContaining({ id: ids[3] })],
      hasMore: true,
    });
    expect(p3).toEqual({ items: [expect.objectContaining({ id: ids[0] })], hasMore: false });
  });

  it('the feed row of an article is in gsi1 under FEED with the same projection', async () => {
    const out = await eventually(
      t,
      () =>
        t.doc.send(
          new QueryCommand({
            TableName: t.tableName,
            IndexName: GSI1,
            KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :sk',
            ExpressionAttributeValues: { ':pk': 'FEED', ':sk': `2026-01-01T00:00:00.000Z#${ids[0]}` },
          }),
        ),
      (o) => o.Items?.length === 1,
    );
    expect(out.Items?.[0]).toMatchObject({ id: ids[0], title: 'Pager 0' });
    expect(out.Items?.[0]?.['views']).toBeUndefined();
  });
});

describe("an author's subscribers (sparse gsi1, real cursor)", () => {
  it('pages with a cursor, leaves a blocked user out and has exactly 4 key attributes in its cursor', async () => {
    const base = Number.parseInt(t.run.slice(1, 7), 16) * 100;
    for (let i = 0; i < 5; i++) await t.store.subscriptions.subscribe(base + i, handle);
    await t.store.subscriptions.setUserActive(base + 4, false);
    const all = async () => {
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await t.store.subscriptions.subscribersPage(handle, cursor, 2);
        seen.push(...page.userIds);
        cursor = page.next;
      } while (cursor !== undefined);
      return seen.sort((a, b) => a - b);
    };
    const ids = await eventually(t, all, (s) => s.length === 4);
    expect(ids).toEqual([base, base + 1, base + 2, base + 3]);
    expect((await t.store.authors.getAuthor(handle))?.subscriberCount).toBe(5);
  });
});

describe("the subscribers' languages (in gsi1's sort key: `<userId>#<locale>`)", () => {
  it('pages readers of mixed languages with a cursor, follows a change of language and survives a block', async () => {
    const base = Number.parseInt(t.run.slice(1, 7), 16) * 100 + 20;
    const locales = ['ar', undefined, 'ur', 'ru', 'en'] as const;
    for (const [i, locale] of locales.entries())
      await t.store.subscriptions.subscribe(base + i, handle, locale);
    await t.store.subscriptions.setUserLocale(base + 1, 'ru');
    await t.store.subscriptions.setUserActive(base + 2, false);
    await t.store.subscriptions.setUserActive(base + 2, true);
    const mine = async () => {
      const seen: Record<string, string | null> = {};
      let cursor: string | undefined;
      do {
        const page = await t.store.subscriptions.subscribersPage(handle, cursor, 2);
        for (const id of page.userIds)
          if (id >= base && id < base + 5) seen[String(id)] = page.locales?.[String(id)] ?? null;
        cursor = page.next;
      } while (cursor !== undefined);
      return seen;
    };
    const seen = await eventually(
      t,
      mine,
      (s) => s[String(base + 1)] === 'ru' && Object.keys(s).length === 5,
    );
    expect(seen).toEqual({
      [String(base)]: 'ar',
      [String(base + 1)]: 'ru',
      [String(base + 2)]: 'ur',
      [String(base + 3)]: 'ru',
      [String(base + 4)]: 'en',
    });
  });
});

describe("a user's shares (gsi1 SHARER#, `opens` projected)", () => {
  it('lists the share with its opens from the index alone', async () => {
    const sharer = Number.parseInt(t.run.slice(1, 7), 16) * 100 + 50;
    const { share } = await t.store.shares.getOrCreateShare({
      articleId: ids[1] ?? '',
      title: 'Pager 1',
      sharerId: sharer,
      sharerName: 'S',
    });
    await t.store.shares.openShare(share.code, sharer + 1);
    const page = await eventually(
      t,
      () => t.store.shares.listByUser(sharer, 0, 10),
      (p) => p.items[0]?.opens === 1,
    );
    expect(page).toEqual({
      items: [expect.objectContaining({ code: share.code, opens: 1, articleId: ids[1] })],
      hasMore: false,
    });
    expect((await t.store.articles.getArticle(ids[1] ?? ''))?.shareOpens).toBe(1);
  });
});
