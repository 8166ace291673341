/**
 * Contract: DynamoDB's 400 KB item limit, counted in UTF-8 bytes (the article body relies on
 * it: bodies over 100 KB of UTF-8 are stored brotli-compressed).
 */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type ContractTable, startContractTable } from './contract-table';

let t: ContractTable;

beforeAll(async () => {
  t = await startContractTable();
});

afterAll(async () => {
  await t?.stop();
});

const key = (sk: string) => ({ pk: `${t.run}#SIZE`, sk });
const put = (sk: string, s: string) =>
  t.doc.send(new PutCommand({ TableName: t.tableName, Item: { ...key(sk), s } }));

it('accepts an item just under 400 KB and rejects one just over', async () => {
  await expect(put('under', 'a'.repeat(400 * 1024 - 100))).resolves.toBeDefined();
  await expect(put('over', 'a'.repeat(400 * 1024))).rejects.toMatchObject({ name: 'ValidationException' });
  await t.doc.send(new DeleteCommand({ TableName: t.tableName, Key: key('under') }));
});

it('measures strings in UTF-8 bytes: 140,000 CJK characters (420 KB) are too big', async () => {
  await expect(put('cjk', '字'.repeat(140_000))).rejects.toMatchObject({
    name: 'ValidationException',
    message: expect.stringMatching(/size has exceeded/i),
  });
});

it('stores a 600 KB CJK article body (compressed) and reads it back whole', async () => {
  const body = '文章的内容。'.repeat(33_000); // 198,000 characters, ~594 KB of UTF-8
  const id = `${t.run}-big`;
  await t.store.articles.putArticle(
    { id, title: 'Big', authorHandle: `${t.run}_big`, body, publishedAt: '2026-01-01T00:00:00Z' },
    { summary: 'S.', readingMinutes: 1, wordCount: 1 },
    'Big',
  );
  expect(await t.store.articles.getBody(id)).toBe(body);
  await t.store.articles.deleteArticle(id);
});
