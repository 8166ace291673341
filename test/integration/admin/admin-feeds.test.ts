/**
 * /admin/feeds: feed sources through the admin API on DynamoDB Local — add (400 naming the
 * field for a URL that cannot be a feed or an unknown author, nothing written), list, change
 * (pause, resume, alerts, authors) and remove.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type AdminApi, createAdminApi } from '../../../functions/admin/admin-api';
import { createStatsReader } from '../../../functions/admin/stats';
import { publishAuthor } from '../../../functions/core/publishing';
import { feedSourceId } from '../../../functions/store/feed-repository';
import { startTestStore, type TestStore } from '../../helpers/test-store';

const KEY = 'test-admin-key-0123456789';
const JSON_AUTH = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const FEED = 'https://voices.example.com/feed/';

let db: TestStore | undefined;
let api: AdminApi | undefined;

beforeAll(async () => {
  db = await startTestStore();
  const store = db.store;
  api = createAdminApi({
    store,
    stats: createStatsReader({ doc: db.doc, tableName: db.tableName, articles: store.articles }),
    getApiKey: async () => KEY,
    logger: new Logger({ serviceName: 'herald-test', logLevel: 'SILENT' }),
    now: () => new Date('2026-11-25T12:00:00Z'),
  });
  await publishAuthor(store, { handle: 'jdoe', fullName: 'Dr. Jane Doe', userSince: '2008-03-15' });
});

afterAll(async () => {
  await db?.stop();
});

async function call(method: string, path: string, body?: unknown) {
  if (!api) throw new Error('api not built');
  const res = await api({
    method,
    path,
    headers: JSON_AUTH,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.statusCode, json: res.body === '' ? undefined : (JSON.parse(res.body) as unknown) };
}

async function feedItems(): Promise<unknown[]> {
  if (!db) throw new Error('store not started');
  const out = await db.doc.send(
    new ScanCommand({
      TableName: db.tableName,
      FilterExpression: 'kind = :k',
      ExpressionAttributeValues: { ':k': 'feedsource' },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

describe('/admin/feeds', () => {
  it.each([
    [{ url: 'ftp://files.example/feed.xml' }, 'url', 'must be an http(s) URL'],
    [{ url: 'https://user:pw@voices.example.com/feed' }, 'url', 'must not contain a user name or password'],
    [{}, 'url', 'is required'],
    [
      { url: FEED, defaultAuthor: 'nobody' },
      'defaultAuthor',
      'no author "nobody" exists; create the author first',
    ],
    [{ url: FEED, authorMap: { 'Jane D': 'Not A Handle' } }, 'authorMap.Jane D', 'must be an author handle'],
    [{ url: FEED, alerts: 'yes' }, 'alerts', 'must be true or false'],
    [{ url: FEED, colour: 'red' }, 'colour', 'is not a field Herald knows'],
  ])('answers 400 naming the field for %j and writes nothing', async (body, field, message) => {
    // Act
    const res = await call('POST', '/admin/feeds', body);

    // Assess
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: 'validation failed', issues: [{ field, message }] });
    expect(await feedItems()).toEqual([]);
  });

  it('adds a source once, lists it, changes it and removes it', async () => {
    // Act: add (twice)
    const added = await call('POST', '/admin/feeds', { url: FEED, defaultAuthor: 'JDoe', alerts: false });
    const again = await call('POST', '/admin/feeds', { url: FEED });

    // Assess
    const id = feedSourceId(FEED);
    expect(added).toMatchObject({
      status: 201,
      json: {
        result: 'created',
        source: {
          id,
          url: FEED,
          paused: false,
          alerts: false,
          defaultAuthor: 'jdoe',
          createdAt: '2026-11-25T12:00:00.000Z',
          consecutiveFailures: 0,
          itemsSeen: 0,
          itemErrors: [],
        },
      },
    });
    expect(again).toMatchObject({ status: 200, json: { result: 'exists', source: { id, alerts: false } } });

    // Act: list, pause, resume with alerts, clear the default author, by id and by encoded URL
    const list = await call('GET', '/admin/feeds');
    const paused = await call('PATCH', `/admin/feeds/${id}`, { paused: true });
    const resumed = await call('PATCH', `/admin/feeds/${encodeURIComponent(FEED)}`, {
      paused: false,
      alerts: true,
      defaultAuthor: null,
      authorMap: { 'Jane Doe': 'jdoe' },
    });
    const one = await call('GET', `/admin/feeds/${id}`);

    // Assess
    expect(list).toMatchObject({ status: 200, json: { sources: [{ id, url: FEED }], hasMore: false } });
    expect(paused).toMatchObject({ status: 200, json: { paused: true } });
    expect(resumed).toMatchObject({
      status: 200,
      json: { paused: false, alerts: true, authorMap: { 'Jane Doe': 'jdoe' } },
    });
    expect(one.json).not.toHaveProperty('defaultAuthor');

    // Act: bad changes, then remove
    const empty = await call('PATCH', `/admin/feeds/${id}`, {});
    const unknown = await call('PATCH', '/admin/feeds/AAAAAAAAAAAAAAAAAAAAAA', { paused: true });
    const removed = await call('DELETE', `/admin/feeds/${id}`);
    const removedAgain = await call('DELETE', `/admin/feeds/${id}`);

    // Assess
    expect(empty).toMatchObject({ status: 400, json: { issues: [{ field: '(body)' }] } });
    expect(unknown.status).toBe(404);
    expect([removed.status, removedAgain.status]).toEqual([204, 404]);
    expect(await feedItems()).toEqual([]);
  });

  it('answers 405 naming the methods of the route', async () => {
    const res = await call('PUT', '/admin/feeds');
    expect(res).toMatchObject({ status: 405, json: { error: 'use GET, POST' } });
  });
});
