/**
 * The admin API's request limit and the article schema agree: the largest article the schema
 * accepts gets through in the most expensive JSON a client may send (every character a
 * `\uXXXX` escape, as Python's json.dumps writes non-ASCII), one byte past the limit gets 413
 * with nothing written, and the limit fits what API Gateway and Lambda take.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  type AdminApi,
  createAdminApi,
  fromHttpApiEvent,
  MAX_BODY_BYTES,
} from '../../../functions/admin/admin-api';
import { createStatsReader } from '../../../functions/admin/stats';
import { articleInputSchema } from '../../../functions/core/model';
import { startTestStore, type TestStore } from '../../helpers/test-store';

const KEY = 'test-admin-key-0123456789';
/** Lambda's limit on a synchronous invocation's event (6 MB). */
const LAMBDA_EVENT_LIMIT = 6 * 1024 * 1024;
/** HTTP API's limit on a request payload (10 MB). */
const HTTP_API_PAYLOAD_LIMIT = 10 * 1024 * 1024;

/** Every field at the most characters the schema allows (checked in the first test). */
const LIMITS = { id: 40, title: 300, body: 200_000, url: 2048 };

/** Arabic and CJK prose, repeated: real text, so the stored body compresses as an article's would. */
const PROSE = 'في المدينة القديمة، كانت الأسواق تفتح قبل الفجر. 旧城的市场在黎明前开门。';

function fill(text: string, length: number): string {
  return text.repeat(Math.ceil(length / text.length)).slice(0, length);
}

function largestArticle(overrides: Partial<Record<keyof typeof LIMITS, number>> = {}) {
  const n = { ...LIMITS, ...overrides };
  return {
    id: `a${'0123456789'.repeat(4)}`.slice(0, n.id),
    title: fill(`${PROSE} `, n.title).replace(/\s+$/, 'x'),
    authorHandle: 'w'.repeat(32),
    body: fill(`${PROSE}\n\n`, n.body),
    url: `https://example.com/${'p'.repeat(n.url - 'https://example.com/'.length)}`,
    publishedAt: '2026-11-20T08:00:00.123456+05:30',
  };
}

/** JSON with every character of every string as a `\uXXXX` escape (6 bytes per UTF-16 unit). */
function fullyEscapedJson(value: Record<string, string>): string {
  const escapeAll = (s: string) =>
    Array.from({ length: s.length }, (_, i) => `\\u${s.charCodeAt(i).toString(16).padStart(4, '0')}`).join(
      '',
    );
  return `{${Object.entries(value)
    .map(([k, v]) => `"${escapeAll(k)}":"${escapeAll(v)}"`)
    .join(',')}}`;
}

/** The body as API Gateway hands it to Lambda when it base64-encodes it (the larger form). */
function httpApiEvent(method: string, path: string, body: string): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'ANY /admin/{proxy+}',
    rawPath: path,
    rawQueryString: '',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    requestContext: {
      accountId: '000000000000',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'cms' },
      requestId: 'req-1',
      routeKey: 'ANY /admin/{proxy+}',
      stage: '$default',
      time: '01/Dec/2026:10:00:00 +0000',
      timeEpoch: 1_796_119_200_000,
    },
    body: Buffer.from(body, 'utf8').toString('base64'),
    isBase64Encoded: true,
  };
}

let db: TestStore;
let api: AdminApi;

beforeAll(async () => {
  db = await startTestStore();
  api = createAdminApi({
    store: db.store,
    stats: createStatsReader({ doc: db.doc, tableName: db.tableName, articles: db.store.articles }),
    getApiKey: async () => KEY,
    logger: new Logger({ serviceName: 'herald-test', logLevel: 'SILENT' }),
  });
  const author = await api(
    fromHttpApiEvent(
      httpApiEvent(
        'PUT',
        `/admin/authors/${'w'.repeat(32)}`,
        JSON.stringify({ handle: 'w'.repeat(32), fullName: 'Writer', userSince: '2010-05-01' }),
      ),
    ),
  );
  expect(author.statusCode).toBe(201);
}, 60_000);

afterAll(async () => {
  await db?.stop();
});

describe('admin API body limit', () => {
  it('is sized for the schema: each field at its maximum is valid, one more character is not', () => {
    // Prepare / Act
    const largest = articleInputSchema.safeParse(largestArticle());
    const over = (['id', 'title', 'body', 'url'] as const).map(
      (field) => articleInputSchema.safeParse(largestArticle({ [field]: LIMITS[field] + 1 })).success,
    );

    // Assess
    expect(largest.success).toBe(true);
    expect(over).toEqual([false, false, false, false]);
  });

  it('accepts the largest valid article with every character escaped, through the Lambda adapter', async () => {
    // Prepare
    const article = largestArticle();
    const json = fullyEscapedJson(article);

    // Act
    const res = await api(fromHttpApiEvent(httpApiEvent('POST', '/admin/articles', json)));

    // Assess
    expect(Buffer.byteLength(json)).toBeGreaterThan(1_200_000);
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect([res.statusCode, JSON.parse(res.body)]).toEqual([201, { id: article.id, result: 'created' }]);
    expect(await db.store.articles.getBody(article.id)).toBe(article.body);
  });

  it('takes exactly MAX_BODY_BYTES and answers 413 to one byte more, writing nothing', async () => {
    // Prepare: the same valid article, padded with JSON whitespace to the limit and past it.
    const article = { ...largestArticle(), id: 'padded-one' };
    const json = fullyEscapedJson(article);
    const padded = (size: number) => `${json.slice(0, -1)}${' '.repeat(size - Buffer.byteLength(json))}}`;

    // Act
    const over = await api(
      fromHttpApiEvent(httpApiEvent('POST', '/admin/articles', padded(MAX_BODY_BYTES + 1))),
    );
    const afterOver = await db.store.articles.getArticle('padded-one');
    const at = await api(fromHttpApiEvent(httpApiEvent('POST', '/admin/articles', padded(MAX_BODY_BYTES))));

    // Assess
    expect(over.statusCode).toBe(413);
    expect(afterOver).toBeUndefined();
    expect(at.statusCode).toBe(201);
  });

  it('fits what the platform takes: the base64 event under Lambda 6 MB, the body under HTTP API 10 MB', () => {
    // Prepare
    const largest = 'x'.repeat(MAX_BODY_BYTES);

    // Act
    const eventBytes = Buffer.byteLength(JSON.stringify(httpApiEvent('POST', '/admin/articles', largest)));

    // Assess
    expect(MAX_BODY_BYTES).toBeLessThan(HTTP_API_PAYLOAD_LIMIT);
    expect(eventBytes).toBeLessThan(LAMBDA_EVENT_LIMIT);
  });
});
