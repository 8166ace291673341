import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ArticleInput } from '../../../functions/core/model';
import type { ArticleDerived } from '../../../functions/core/ports';
import { searchPrefixes, titleTokens } from '../../../functions/core/text';
import { batchWriteAll } from '../../../functions/store/dynamo';
import { titleWordKey } from '../../../functions/store/keys';
import { startTestStore, type TestStore } from '../../helpers/test-store';

let ts: TestStore;

beforeAll(async () => {
  ts = await startTestStore();
  await ts.store.authors.putAuthor({ handle: 'araza', fullName: 'Ayesha Raza', userSince: '2012-04-01' });
});

afterAll(async () => {
  await ts?.stop();
});

const derived: ArticleDerived = { summary: 'خلاصہ', readingMinutes: 1, wordCount: 10 };
const PUBLISHED = '2026-02-01T00:00:00Z';

function article(id: string, title: string, over: Partial<ArticleInput> = {}): ArticleInput {
  return { id, title, authorHandle: 'araza', body: 'متن', publishedAt: PUBLISHED, ...over };
}

const found = async (query: string): Promise<string[]> =>
  (await ts.store.articles.searchTitles(query, 0, 10)).items.map((r) => r.id).sort();

async function partitionSize(prefix: string): Promise<number> {
  const out = await ts.doc.send(
    new QueryCommand({
      TableName: ts.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `TW#${prefix}` },
    }),
  );
  return out.Items?.length ?? 0;
}

/** Rebuilds an article's title index as Herald wrote it before Arabic folding (version 1). */
async function makeVersionOneIndex(input: ArticleInput): Promise<void> {
  const keys = (version: number) =>
    [...new Set(titleTokens(input.title, version).flatMap(searchPrefixes))].map((p) =>
      titleWordKey(p, input.publishedAt, input.id),
    );
  const row = { kind: 'titleWord', id: input.id, title: input.title, authorHandle: 'araza' };
  await batchWriteAll(
    ts.doc,
    ts.tableName,
    keys(2).map((Key) => ({ DeleteRequest: { Key } })),
  );
  await batchWriteAll(
    ts.doc,
    ts.tableName,
    keys(1).map((k) => ({
      PutRequest: { Item: { ...k, ...row, authorName: 'Ayesha Raza', publishedAt: input.publishedAt } },
    })),
  );
  await ts.doc.send(
    new UpdateCommand({
      TableName: ts.tableName,
      Key: { pk: `ART#${input.id}`, sk: 'META' },
      UpdateExpression: 'SET titleIndexed = :v1',
      ExpressionAttributeValues: { ':v1': true },
    }),
  );
}

describe('article language', () => {
  it('stores the language on the card, and reads an older article without one', async () => {
    // Prepare
    await ts.store.articles.putArticle(
      article('lang-ur', 'اردو', { language: 'ur-PK' }),
      derived,
      'Ayesha Raza',
    );
    await ts.store.articles.putArticle(article('lang-none', 'پرانا مضمون'), derived, 'Ayesha Raza');

    // Act
    const ur = await ts.store.articles.getArticle('lang-ur');
    const older = await ts.store.articles.getArticle('lang-none');
    const raw = await ts.doc.send(
      new GetCommand({ TableName: ts.tableName, Key: { pk: 'ART#lang-none', sk: 'META' } }),
    );

    // Assess
    expect(ur?.language).toBe('ur-PK');
    expect(older).toBeDefined();
    expect(older).not.toHaveProperty('language');
    expect(raw.Item).not.toHaveProperty('language');
  });

  it('counts a changed language as a change', async () => {
    // Prepare
    const input = article('lang-change', 'عنوان', { language: 'ar' });
    await ts.store.articles.putArticle(input, derived, 'Ayesha Raza');

    // Act
    const same = await ts.store.articles.putArticle(input, derived, 'Ayesha Raza');
    const changed = await ts.store.articles.putArticle({ ...input, language: 'fa' }, derived, 'Ayesha Raza');

    // Assess
    expect([same, changed]).toEqual(['unchanged', 'updated']);
    expect((await ts.store.articles.getArticle('lang-change'))?.language).toBe('fa');
  });
});

describe('searching Arabic and Urdu titles', () => {
  it('finds a title however its hamza, ta marbuta, tashkeel or Urdu letters are typed', async () => {
    // Prepare
    await ts.store.articles.putArticle(article('s-ar', 'أَخْبَارُ المَدْرَسَةِ الإبتدائية'), derived, 'Ayesha Raza');
    await ts.store.articles.putArticle(
      article('s-ur', 'پاکستان کی معیشت اور ہمارا مستقبل'),
      derived,
      'Ayesha Raza',
    );

    // Act / Assess: bare letters, other seats, Arabic ي ك ه for Urdu ی ک ہ, prefixes.
    expect(await found('اخبار المدرسه')).toEqual(['s-ar']);
    expect(await found('أخبار المدرسة الابتدائيه')).toEqual(['s-ar']);
    expect(await found('المدر')).toEqual(['s-ar']);
    expect(await found('پاكستان كي')).toEqual(['s-ur']);
    expect(await found('همارا')).toEqual(['s-ur']);
    expect(await found('پاکستان کی معیشت')).toEqual(['s-ur']);
  });

  it('rebuilds an index built before Arabic folding when the article is published again', async () => {
    // Prepare: an article indexed by the old normalization, which bare-letter queries miss.
    const input = article('s-old', 'آمنة تكتب عن المدينة');
    await ts.store.articles.putArticle(input, derived, 'Ayesha Raza');
    await makeVersionOneIndex(input);
    expect(await found('امنه')).toEqual([]);
    expect(await partitionSize('آم')).toBe(1);

    // Act
    const republished = await ts.store.articles.putArticle(input, derived, 'Ayesha Raza');

    // Assess: found, the old-only rows gone, and a further put writes nothing.
    expect(republished).toBe('updated');
    expect(await found('امنه')).toEqual(['s-old']);
    expect(await found('المدينه')).toEqual(['s-old']);
    expect(await partitionSize('آم')).toBe(0);
    expect(await partitionSize('آمنة')).toBe(0);
    expect(await ts.store.articles.putArticle(input, derived, 'Ayesha Raza')).toBe('unchanged');
  });

  it('leaves an old index alone when the new normalization builds the same rows', async () => {
    // Prepare: nothing in this title folds, so its old rows are already right.
    const input = article('s-plain', 'Quarterly wombat census');
    await ts.store.articles.putArticle(input, derived, 'Ayesha Raza');
    await makeVersionOneIndex(input);

    // Act / Assess
    expect(await ts.store.articles.putArticle(input, derived, 'Ayesha Raza')).toBe('unchanged');
    expect(await found('wombat')).toEqual(['s-plain']);
  });

  it('deletes both old and new index rows with the article', async () => {
    // Prepare
    const input = article('s-del', 'إعلان مؤقت');
    await ts.store.articles.putArticle(input, derived, 'Ayesha Raza');
    await makeVersionOneIndex(input);

    // Act
    await ts.store.articles.deleteArticle('s-del');

    // Assess
    expect(await partitionSize('إع')).toBe(0);
    expect(await partitionSize('اع')).toBe(0);
  });
});
