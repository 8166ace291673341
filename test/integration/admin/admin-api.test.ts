import { Logger } from '@aws-lambda-powertools/logger';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  type AdminApi,
  type AdminResponse,
  createAdminApi,
  fromHttpApiEvent,
  MAX_BODY_BYTES,
} from '../../../functions/admin/admin-api';
import { createStatsReader } from '../../../functions/admin/stats';
import { type AdminServer, startAdminServer } from '../../../functions/local/admin-server';
import { type BotApiStandIn, createBotApiStandIn } from '../../../functions/local/telegram-stand-in';
import { type StreamAlerts, startStreamAlerts } from '../../helpers/alerts-rig';
import { startTestStore, type TestStore } from '../../helpers/test-store';
import { freshViewer } from '../../helpers/viewers';

const KEY = 'test-admin-key-0123456789';
const AUTH = { authorization: `Bearer ${KEY}` };
const JSON_AUTH = { ...AUTH, 'content-type': 'application/json' };

const author = (handle: string) => ({ handle, fullName: `Author ${handle}`, userSince: '2010-05-01' });
const article = (id: string, authorHandle: string, extra: Record<string, unknown> = {}) => ({
  id,
  title: `Title of ${id}`,
  authorHandle,
  publishedAt: '2026-11-20T08:00:00Z',
  body: 'First paragraph of the article. It has two sentences.\n\nSecond paragraph.',
  ...extra,
});

const TOKEN = '123456789:TEST-token-for-the-admin-api-alerts';
/** Subscribes to `writer`, so the articles tests see which writes alert. */
const READER = 4_001;

let db: TestStore;
let api: AdminApi;
let standIn: BotApiStandIn | undefined;
/** Alerts as `npm start` makes them: the table's stream drives the fan-out; the API has no hook. */
let streamAlerts: StreamAlerts | undefined;
const logger = new Logger({ serviceName: 'herald-test', logLevel: 'SILENT' });

beforeAll(async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  db = await startTestStore();
  standIn = createBotApiStandIn({
    token: TOKEN,
    botInfo: { id: 123456789, is_bot: true, first_name: 'Herald', username: 'HeraldTestBot' },
  });
  streamAlerts = startStreamAlerts(db, { apiRoot: await standIn.start(), token: TOKEN });
  api = createAdminApi({
    store: db.store,
    stats: createStatsReader({ doc: db.doc, tableName: db.tableName, articles: db.store.articles }),
    getApiKey: async () => KEY,
    logger,
  });
});

afterAll(async () => {
  await streamAlerts?.stop();
  await standIn?.stop();
  await db?.stop();
});

/** Alerts the stream made for `articleId`: fan-out invocations and alert messages to READER. */
async function alertsFor(articleId: string): Promise<{ fannedOut: number; messages: number }> {
  const alerts = streamAlerts as StreamAlerts;
  await alerts.settle();
  const title = `Title of ${articleId}`;
  return {
    fannedOut: alerts.fannedOut.filter((id) => id === articleId).length,
    messages: (standIn as BotApiStandIn)
      .messages(READER)
      .filter((m) => m.text.startsWith('New from') && m.text.includes(title)).length,
  };
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = JSON_AUTH,
): Promise<AdminResponse & { json: unknown }> {
  const res = await api({
    method,
    path,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { ...res, json: res.body === '' ? undefined : JSON.parse(res.body) };
}

/** Every item of the table, to prove a rejected request wrote nothing (a Scan is fine in a test). */
async function tableSnapshot(): Promise<unknown[]> {
  // Quiet first: the stream's fan-out and sender write alert items after earlier creations.
  await streamAlerts?.settle();
  const out = await db.doc.send(new ScanCommand({ TableName: db.tableName, ConsistentRead: true }));
  return (out.Items ?? []).sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`));
}

describe('authentication', () => {
  it('answers 401 with WWW-Authenticate to a missing, forged or non-Bearer key, and writes nothing', async () => {
    // Prepare
    const before = await tableSnapshot();
    const body = author('intruder');
    const attempts: Record<string, string>[] = [
      { 'content-type': 'application/json' },
      { 'content-type': 'application/json', authorization: `Bearer ${KEY}x` },
      { 'content-type': 'application/json', authorization: `Basic ${KEY}` },
      { 'content-type': 'application/json', authorization: 'Bearer' },
    ];

    // Act
    const results = await Promise.all(attempts.map((h) => call('PUT', '/admin/authors/intruder', body, h)));

    // Assess
    for (const r of results) {
      expect(r.statusCode).toBe(401);
      expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    expect(await tableSnapshot()).toEqual(before);
  });

  it('checks the key before the route, so an unknown caller learns nothing about routes', async () => {
    // Act
    const res = await call('GET', '/admin/nothing-here', undefined, {});

    // Assess
    expect(res.statusCode).toBe(401);
  });

  it('accepts the header in any case and the scheme in any case', async () => {
    // Act
    const res = await call('GET', '/admin/stats', undefined, { Authorization: `bearer ${KEY}` });

    // Assess
    expect(res.statusCode).toBe(200);
  });

  it('answers 503 (and writes nothing) when the key cannot be read', async () => {
    // Prepare
    const broken = createAdminApi({
      store: db.store,
      stats: createStatsReader({ doc: db.doc, tableName: db.tableName, articles: db.store.articles }),
      getApiKey: async () => {
        throw new Error('AccessDenied');
      },
      logger,
    });

    // Act
    const res = await broken({ method: 'GET', path: '/admin/stats', headers: AUTH });

    // Assess
    expect(res.statusCode).toBe(503);
  });
});

describe('authors', () => {
  it('creates (201), leaves unchanged (200), updates (200) and reads an author', async () => {
    // Act
    const created = await call('PUT', '/admin/authors/ada', author('ada'));
    const unchanged = await call('PUT', '/admin/authors/ada', author('ada'));
    const updated = await call('PUT', '/admin/authors/ADA', { ...author('ada'), fullName: 'Ada Lovelace' });
    const read = await call('GET', '/admin/authors/ada', undefined, AUTH);

    // Assess
    expect([created.statusCode, created.json]).toEqual([201, { handle: 'ada', result: 'created' }]);
    expect([unchanged.statusCode, unchanged.json]).toEqual([200, { handle: 'ada', result: 'unchanged' }]);
    expect([updated.statusCode, updated.json]).toEqual([200, { handle: 'ada', result: 'updated' }]);
    expect(read.statusCode).toBe(200);
    expect(read.json).toMatchObject({
      handle: 'ada',
      fullName: 'Ada Lovelace',
      userSince: '2010-05-01',
      articleCount: 0,
    });
  });

  it('takes the handle from the path when the body omits it, and refuses a different one', async () => {
    // Prepare
    const { handle: _omitted, ...withoutHandle } = author('grace');

    // Act
    const created = await call('PUT', '/admin/authors/grace', withoutHandle);
    const mismatch = await call('PUT', '/admin/authors/grace', author('hopper'));

    // Assess
    expect(created.statusCode).toBe(201);
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json).toEqual({
      error: 'validation failed',
      issues: [{ field: 'handle', message: expect.stringContaining('must equal the handle in the path') }],
    });
    expect(await db.store.authors.getAuthor('hopper')).toBeUndefined();
  });

  it('answers 404 for an unknown author', async () => {
    // Act
    const res = await call('GET', '/admin/authors/nobody', undefined, AUTH);

    // Assess
    expect(res.statusCode).toBe(404);
  });
});

describe('articles', () => {
  beforeAll(async () => {
    await call('PUT', '/admin/authors/writer', author('writer'));
    await db.store.subscriptions.subscribe(READER, 'writer');
  });

  afterAll(async () => {
    // The alerts of this block are done before the statistics below count them.
    await streamAlerts?.settle();
    await db.store.subscriptions.unsubscribe(READER, 'writer');
  });

  it('creates, then leaves unchanged, then updates an article; only the creation alerts (once)', async () => {
    // Act
    const created = await call('PUT', '/admin/articles/first-one', article('first-one', 'writer'));
    const unchanged = await call('PUT', '/admin/articles/first-one', article('first-one', 'writer'));
    const updated = await call(
      'PUT',
      '/admin/articles/first-one',
      article('first-one', 'writer', { title: 'New title' }),
    );
    const read = await call('GET', '/admin/articles/first-one', undefined, AUTH);

    // Assess
    expect([created.statusCode, created.json]).toEqual([201, { id: 'first-one', result: 'created' }]);
    expect([unchanged.statusCode, unchanged.json]).toEqual([200, { id: 'first-one', result: 'unchanged' }]);
    expect([updated.statusCode, updated.json]).toEqual([200, { id: 'first-one', result: 'updated' }]);
    expect(read.json).toMatchObject({
      id: 'first-one',
      title: 'New title',
      authorHandle: 'writer',
      authorName: 'Author writer',
      body: article('first-one', 'writer').body,
      views: 0,
    });
    // The card is read when the alert is sent, so it may carry either title; count by id.
    await (streamAlerts as StreamAlerts).settle();
    expect((streamAlerts as StreamAlerts).fannedOut.filter((id) => id === 'first-one')).toHaveLength(1);
    expect(standIn?.messages(READER).filter((m) => m.text.startsWith('New from'))).toHaveLength(1);
  });

  it('stores a new article without alerting when asked (?alerts=false): the item says so and nothing alerts', async () => {
    // Act
    const res = await api({
      method: 'PUT',
      path: '/admin/articles/quiet-one',
      query: { alerts: 'false' },
      headers: JSON_AUTH,
      body: JSON.stringify(article('quiet-one', 'writer')),
    });

    // Assess
    expect(res.statusCode).toBe(201);
    const meta = await db.doc.send(
      new GetCommand({ TableName: db.tableName, Key: { pk: 'ART#quiet-one', sk: 'META' } }),
    );
    // The stream filter drops INSERTs that carry `silent` (functions/alerts/stream-filter.ts).
    expect(meta.Item?.['silent']).toBe(true);
    expect(await alertsFor('quiet-one')).toEqual({ fannedOut: 0, messages: 0 });
    expect(await (streamAlerts as StreamAlerts).alerts.alerts.getRun('quiet-one')).toBeUndefined();
  });

  it('creates with POST (id in the body) and with PUT when the body omits the id', async () => {
    // Prepare
    const { id: _omitted, ...withoutId } = article('from-path', 'writer');

    // Act
    const posted = await call('POST', '/admin/articles', article('from-post', 'writer'));
    const put = await call('PUT', '/admin/articles/from-path', withoutId);

    // Assess
    expect([posted.statusCode, posted.json]).toEqual([201, { id: 'from-post', result: 'created' }]);
    expect([put.statusCode, put.json]).toEqual([201, { id: 'from-path', result: 'created' }]);
    expect(await alertsFor('from-post')).toEqual({ fannedOut: 1, messages: 1 });
    expect(await alertsFor('from-path')).toEqual({ fannedOut: 1, messages: 1 });
  });

  it('rejects a bad article with 400 naming every bad field, and writes nothing', async () => {
    // Prepare
    const before = await tableSnapshot();
    const bad = {
      title: '   ',
      authorHandle: 'Not a handle!',
      publishedAt: 'last tuesday',
      url: 'ftp://example.org/x',
      body: 42,
      summary: 'not an input field',
    };

    // Act
    const res = await call('PUT', '/admin/articles/bad-one', bad);

    // Assess
    expect(res.statusCode).toBe(400);
    const { error, issues } = res.json as { error: string; issues: { field: string; message: string }[] };
    expect(error).toBe('validation failed');
    const fields = issues.map((i) => i.field);
    for (const f of ['title', 'authorHandle', 'publishedAt', 'url', 'body']) expect(fields).toContain(f);
    expect(issues).toContainEqual({ field: 'summary', message: 'is not a field Herald knows' });
    expect(await tableSnapshot()).toEqual(before);
  });

  it('says "is required" for a missing publishedAt, names unknown keys, and refuses a date over a day ahead', async () => {
    // Prepare
    const before = await tableSnapshot();
    const base = { title: 'Later', authorHandle: 'writer', body: 'Text.' };
    const now = Date.now();
    const tooLate = new Date(now + 25 * 3_600_000).toISOString();
    const soon = new Date(now + 23 * 3_600_000).toISOString();

    // Act
    const missing = await call('PUT', '/admin/articles/no-date', base);
    const unknown = await call('PUT', '/admin/articles/odd-keys', {
      ...base,
      publishedAt: '2026-01-01T00:00:00Z',
      colour: 'red',
      tagz: ['x'],
    });
    const future = await call('PUT', '/admin/articles/from-2099', {
      ...base,
      publishedAt: '2099-01-01T00:00:00Z',
    });
    const tomorrow = await call('PUT', '/admin/articles/tomorrow', { ...base, publishedAt: tooLate });
    const afterState = await tableSnapshot();
    const nearlyNow = await call('PUT', '/admin/articles/in-23-hours', { ...base, publishedAt: soon });

    // Assess
    expect(missing.json).toEqual({
      error: 'validation failed',
      issues: [{ field: 'publishedAt', message: 'is required' }],
    });
    expect(unknown.json).toEqual({
      error: 'validation failed',
      issues: [
        { field: 'colour', message: 'is not a field Herald knows' },
        { field: 'tagz', message: 'is not a field Herald knows' },
      ],
    });
    for (const res of [future, tomorrow]) {
      expect(res.statusCode).toBe(400);
      expect(res.json).toMatchObject({
        issues: [
          { field: 'publishedAt', message: expect.stringMatching(/^must not be more than a day ahead/) },
        ],
      });
    }
    expect(afterState).toEqual(before);
    expect(nearlyNow.statusCode).toBe(201);
  });

  it('rejects a language that is not a BCP 47 tag with 400 naming the field, and writes nothing', async () => {
    // Prepare
    const before = await tableSnapshot();

    // Act
    const word = await call(
      'PUT',
      '/admin/articles/bad-lang',
      article('bad-lang', 'writer', { language: 'english' }),
    );
    const number = await call(
      'PUT',
      '/admin/articles/bad-lang',
      article('bad-lang', 'writer', { language: 42 }),
    );

    // Assess
    expect([word.statusCode, word.json]).toEqual([
      400,
      {
        error: 'validation failed',
        issues: [{ field: 'language', message: 'must be a BCP 47 language tag like en, ar or ur-PK' }],
      },
    ]);
    expect([number.statusCode, number.json]).toEqual([
      400,
      { error: 'validation failed', issues: [{ field: 'language', message: 'must be a string' }] },
    ]);
    expect(await tableSnapshot()).toEqual(before);
  });

  it('stores a declared language in canonical form, and detects one from the script when absent', async () => {
    // Prepare
    const urduBody = 'شہر کی گلیاں ہماری مشترکہ بیٹھک ہیں۔ بسیں ان کو جوڑتی ہیں۔';
    const arabicBody = 'ذهب الطبيب إلى المستشفى، ثم عاد إلى البيت. كان يوما طويلا.';

    // Act
    await call(
      'PUT',
      '/admin/articles/lang-declared',
      article('lang-declared', 'writer', { language: 'UR_pk' }),
    );
    await call(
      'PUT',
      '/admin/articles/lang-ur',
      article('lang-ur', 'writer', { title: 'شہر', body: urduBody }),
    );
    await call(
      'PUT',
      '/admin/articles/lang-ar',
      article('lang-ar', 'writer', { title: 'يوم', body: arabicBody }),
    );
    await call('PUT', '/admin/articles/lang-en', article('lang-en', 'writer'));
    const language = async (id: string) =>
      ((await call('GET', `/admin/articles/${id}`, undefined, AUTH)).json as { language?: string }).language;

    // Assess
    expect(await language('lang-declared')).toBe('ur-PK');
    expect(await language('lang-ur')).toBe('ur');
    expect(await language('lang-ar')).toBe('ar');
    expect(await language('lang-en')).toBe('en');
  });

  it('rejects wrong markup in the body with 400 naming the field and the line, writing nothing', async () => {
    // Prepare: an existing article, then an update (and a new article) whose bodies break the format
    await call('PUT', '/admin/articles/kept-as-is', article('kept-as-is', 'writer'));
    const before = await tableSnapshot();
    const badLink = ['A first paragraph.', '', 'Then a [link](javascript:alert(1))', 'that runs code.'].join(
      '\n',
    );
    const tooDeep = `Intro.\n\n${Array.from({ length: 20 }, (_, i) => `${'  '.repeat(i)}- level ${i + 1}`).join('\n')}`;

    // Act
    const update = await call(
      'PUT',
      '/admin/articles/kept-as-is',
      article('kept-as-is', 'writer', { body: badLink }),
    );
    const nested = await call(
      'PUT',
      '/admin/articles/nested-one',
      article('nested-one', 'writer', { body: tooDeep }),
    );

    // Assess
    expect([update.statusCode, update.json]).toEqual([
      400,
      {
        error: 'validation failed',
        issues: [
          {
            field: 'body',
            line: 3,
            message: 'line 3: a link must go to an http(s) URL; "javascript:alert(1)" does not',
          },
        ],
      },
    ]);
    // The seventh level opens on line 9 (the list starts on line 3).
    expect([nested.statusCode, nested.json]).toEqual([
      400,
      {
        error: 'validation failed',
        issues: [
          { field: 'body', line: 9, message: expect.stringMatching(/^line 9: .*nested more than 6 levels/) },
        ],
      },
    ]);
    expect(await tableSnapshot()).toEqual(before);
    expect(await alertsFor('nested-one')).toEqual({ fannedOut: 0, messages: 0 });
  });

  it('stores a Markdown body as written, with a summary and word count of its text, not its markup', async () => {
    // Prepare
    const body = [
      '## Why the buses matter',
      '',
      'Night buses carry **nurses**, cleaners and bakers to work. They run on [four routes](https://example.org/routes) today.',
      '',
      '> Cut them and the city stops at midnight.',
      '',
      '- route 12',
      '- route 40',
    ].join('\n');

    // Act
    const res = await call(
      'PUT',
      '/admin/articles/markdown-one',
      article('markdown-one', 'writer', { body }),
    );
    const read = await call('GET', '/admin/articles/markdown-one', undefined, AUTH);

    // Assess: the summary is the prose, without `**`, `[`, `>` or `##`; every word of the text counts
    expect(res.statusCode).toBe(201);
    expect(read.json).toMatchObject({
      body,
      summary: 'Night buses carry nurses, cleaners and bakers to work. They run on four routes today.',
      wordCount: 31,
    });
  });

  it('refuses a body id that differs from the path id, and a POST without id, writing nothing', async () => {
    // Prepare
    const before = await tableSnapshot();

    // Act
    const mismatch = await call('PUT', '/admin/articles/path-id', article('body-id', 'writer'));
    const { id: _omitted, ...withoutId } = article('x', 'writer');
    const noId = await call('POST', '/admin/articles', withoutId);

    // Assess
    expect(mismatch.statusCode).toBe(400);
    expect((mismatch.json as { issues: { field: string }[] }).issues).toEqual([
      { field: 'id', message: expect.stringContaining('path-id') },
    ]);
    expect(noId.statusCode).toBe(400);
    expect((noId.json as { issues: { field: string }[] }).issues.map((i) => i.field)).toEqual(['id']);
    expect(await tableSnapshot()).toEqual(before);
  });

  it('answers 409 naming authorHandle for an unknown author, writing nothing', async () => {
    // Prepare
    const before = await tableSnapshot();

    // Act
    const res = await call('PUT', '/admin/articles/orphan', article('orphan', 'ghost_writer'));

    // Assess
    expect(res.statusCode).toBe(409);
    expect(res.json).toEqual({
      error: 'unknown author',
      issues: [{ field: 'authorHandle', message: expect.stringContaining('ghost_writer') }],
    });
    expect(await tableSnapshot()).toEqual(before);
  });

  it('deletes an article (204), then answers 404 for it', async () => {
    // Prepare
    await call('PUT', '/admin/articles/short-lived', article('short-lived', 'writer'));

    // Act
    const deleted = await call('DELETE', '/admin/articles/short-lived', undefined, AUTH);
    const again = await call('DELETE', '/admin/articles/short-lived', undefined, AUTH);
    const read = await call('GET', '/admin/articles/short-lived', undefined, AUTH);

    // Assess
    expect([deleted.statusCode, deleted.body]).toEqual([204, '']);
    expect(again.statusCode).toBe(404);
    expect(read.statusCode).toBe(404);
    expect(await db.store.articles.getBody('short-lived')).toBeUndefined();
  });

  it('deletes a comment (204, replies lowered), then answers 404 for it', async () => {
    // Prepare
    await call('PUT', '/admin/articles/discussed', article('discussed', 'writer'));
    await db.store.comments.addComment({
      articleId: 'discussed',
      commentId: 'c0ffee1',
      userId: 7,
      userName: 'Reader',
      text: 'Spam spam spam',
      createdAt: '2026-11-21T10:00:00Z',
    });

    // Act
    const deleted = await call('DELETE', '/admin/articles/discussed/comments/c0ffee1', undefined, AUTH);
    const again = await call('DELETE', '/admin/articles/discussed/comments/c0ffee1', undefined, AUTH);

    // Assess
    expect(deleted.statusCode).toBe(204);
    expect(again.statusCode).toBe(404);
    expect((await db.store.articles.getArticle('discussed'))?.replies).toBe(0);
  });
});

describe('bad requests', () => {
  it('answers 400 to malformed JSON, 415 to another content type and 413 to an oversized body', async () => {
    // Prepare
    const before = await tableSnapshot();
    const huge = JSON.stringify(article('huge-one', 'writer', { body: 'x'.repeat(MAX_BODY_BYTES) }));

    // Act
    const malformed = await call('PUT', '/admin/authors/someone', '{"handle": "someone",');
    const wrongType = await call('PUT', '/admin/authors/someone', JSON.stringify(author('someone')), {
      ...AUTH,
      'content-type': 'text/plain',
    });
    const noType = await call('PUT', '/admin/authors/someone', JSON.stringify(author('someone')), AUTH);
    const tooBig = await call('PUT', '/admin/articles/huge-one', huge);

    // Assess
    expect([malformed.statusCode, malformed.json]).toEqual([400, { error: 'the body is not valid JSON' }]);
    expect(wrongType.statusCode).toBe(415);
    expect(noType.statusCode).toBe(415);
    expect(tooBig.statusCode).toBe(413);
    expect(await tableSnapshot()).toEqual(before);
  });

  it('answers 404 to an unknown route and 405 (with Allow) to a wrong method', async () => {
    // Act
    const unknown = await call('GET', '/admin/users', undefined, AUTH);
    const outside = await call('GET', '/webhook', undefined, AUTH);
    const wrongMethod = await call('POST', '/admin/stats', {}, JSON_AUTH);
    const deleteAuthor = await call('DELETE', '/admin/authors/writer', undefined, AUTH);

    // Assess
    expect(unknown.statusCode).toBe(404);
    expect(outside.statusCode).toBe(404);
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.headers['allow']).toBe('GET');
    expect(deleteAuthor.statusCode).toBe(405);
    expect(deleteAuthor.headers['allow']).toBe('GET, PUT');
  });
});

describe('stats', () => {
  beforeAll(async () => {
    await call('PUT', '/admin/authors/statler', author('statler'));
    await call('PUT', '/admin/articles/counted', article('counted', 'statler'));
    await call(
      'PUT',
      '/admin/articles/counted-too',
      article('counted-too', 'statler', { publishedAt: '2026-11-01T08:00:00Z' }),
    );
    // Their alert runs finish with no subscribers (none yet), so alertsSent stays what is set here.
    await streamAlerts?.settle();
    await db.store.articles.openArticle('counted', freshViewer());
    await db.store.articles.openArticle('counted', freshViewer());
    await db.store.articles.addToCounter('counted', 'shares', 3);
    await db.store.articles.addToCounter('counted', 'shareOpens', 5);
    await db.store.articles.addToCounter('counted', 'alertsSent', 11);
    await db.store.subscriptions.subscribe(501, 'statler');
    await db.store.subscriptions.subscribe(502, 'statler');
  });

  it('reports totals and one row per article with views, replies, shares, opens and alerts', async () => {
    // Act
    const res = await call('GET', '/admin/stats', undefined, AUTH);

    // Assess
    expect(res.statusCode).toBe(200);
    const report = res.json as {
      totals: Record<string, number>;
      articles: { id: string; views: number; alertsSent: number }[];
      truncated: boolean;
    };
    const articles = await db.store.articles.latest(0, 100);
    const authors = await db.store.authors.listAuthors(0, 100);
    expect(report.totals.articles).toBe(articles.items.length);
    expect(report.totals.authors).toBe(authors.items.length);
    expect(report.totals.subscriptions).toBe(2);
    expect(report.totals.views).toBe(2);
    expect(report.totals.shares).toBe(3);
    expect(report.totals.shareOpens).toBe(5);
    expect(report.truncated).toBe(false);
    expect(report.articles.map((a) => a.id)).toEqual(articles.items.map((a) => a.id));
    // 11 set on `counted`, plus one per alert the stream's pipeline sent to the articles tests' reader.
    const rows = report.articles;
    expect(rows.find((a) => a.id === 'first-one')?.alertsSent).toBe(1);
    expect(report.totals.alertsSent).toBe(rows.reduce((sum, a) => sum + a.alertsSent, 0));
    expect(report.articles.find((a) => a.id === 'counted')).toEqual({
      id: 'counted',
      title: 'Title of counted',
      authorHandle: 'statler',
      authorName: 'Author statler',
      publishedAt: '2026-11-20T08:00:00Z',
      views: 2,
      replies: 0,
      shares: 3,
      shareOpens: 5,
      alertsSent: 11,
    });
  });

  it('reports one article, and 404 for an unknown one', async () => {
    // Act
    const one = await call('GET', '/admin/articles/counted/stats', undefined, AUTH);
    const unknown = await call('GET', '/admin/articles/no-such/stats', undefined, AUTH);

    // Assess
    expect(one.statusCode).toBe(200);
    expect(one.json).toMatchObject({ id: 'counted', views: 2, shares: 3, shareOpens: 5, alertsSent: 11 });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('adapters', () => {
  it('maps an API Gateway HTTP API v2 event to a request', () => {
    // Prepare
    const event = {
      rawPath: '/admin/articles/x',
      queryStringParameters: { alerts: 'false' },
      headers: { authorization: 'Bearer k' },
      body: 'e30=',
      isBase64Encoded: true,
      requestContext: { http: { method: 'PUT' } },
    } as unknown as APIGatewayProxyEventV2;

    // Act
    const req = fromHttpApiEvent(event);

    // Assess
    expect(req).toEqual({
      method: 'PUT',
      path: '/admin/articles/x',
      query: { alerts: 'false' },
      headers: { authorization: 'Bearer k' },
      body: 'e30=',
      isBase64Encoded: true,
    });
  });

  describe('the local admin server', () => {
    let server: AdminServer | undefined;
    beforeAll(async () => {
      server = await startAdminServer({ api });
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('serves the same API over HTTP on 127.0.0.1', async () => {
      // Act
      const created = await fetch(`${server!.url}/admin/authors/over_http`, {
        method: 'PUT',
        headers: JSON_AUTH,
        body: JSON.stringify(author('over_http')),
      });
      const refused = await fetch(`${server!.url}/admin/stats`);

      // Assess
      expect(server!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(created.status).toBe(201);
      expect(await created.json()).toEqual({ handle: 'over_http', result: 'created' });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });

    it('answers 413 to an oversized upload without writing it', async () => {
      // Act
      const res = await fetch(`${server!.url}/admin/articles/too-big`, {
        method: 'PUT',
        headers: JSON_AUTH,
        body: JSON.stringify(article('too-big', 'writer', { body: 'y'.repeat(2 * MAX_BODY_BYTES) })),
      });

      // Assess
      expect(res.status).toBe(413);
      expect(await db.store.articles.getArticle('too-big')).toBeUndefined();
    });
  });
});
