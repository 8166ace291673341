/**
 * /admin/channels: connected channels through the admin API on DynamoDB Local — connect with a
 * rule (400 naming the field for a bad chat id, rule or unknown author, nothing written), list,
 * change the rule, pause and resume, disconnect.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type AdminApi, createAdminApi } from '../../../functions/admin/admin-api';
import { createStatsReader } from '../../../functions/admin/stats';
import { publishAuthor } from '../../../functions/core/publishing';
import { ChannelRepository } from '../../../functions/store/channel-repository';
import { startTestStore, type TestStore } from '../../helpers/test-store';

const KEY = 'test-admin-key-0123456789';
const JSON_AUTH = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const CHANNEL = -1001234567890;

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
    channels: new ChannelRepository(db.doc, db.tableName),
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

async function channelItems(): Promise<unknown[]> {
  if (!db) throw new Error('store not started');
  const out = await db.doc.send(
    new ScanCommand({
      TableName: db.tableName,
      FilterExpression: 'kind = :k',
      ExpressionAttributeValues: { ':k': 'channel' },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

describe('/admin/channels', () => {
  it.each([
    [{}, 'chatId', 'is required'],
    [{ chatId: '-1001234567890' }, 'chatId', 'must be a number'],
    [
      { chatId: 12345 },
      'chatId',
      'must be a channel id (-100 followed by the channel number, e.g. -1001234567890)',
    ],
    [
      { chatId: CHANNEL, rule: { mode: 'everything' } },
      'rule.mode',
      'must have mode "all", "authors" or "tags"',
    ],
    [
      { chatId: CHANNEL, rule: { mode: 'authors', authors: [] } },
      'rule.authors',
      'must name at least one author',
    ],
    [
      { chatId: CHANNEL, rule: { mode: 'authors', authors: ['Not A Handle'] } },
      'rule.authors.0',
      'must be an author handle',
    ],
    [
      { chatId: CHANNEL, rule: { mode: 'authors', authors: ['jdoe', 'nobody'] } },
      'rule.authors.1',
      'no author "nobody" exists; create the author first',
    ],
    [{ chatId: CHANNEL, rule: { mode: 'tags', tags: [''] } }, 'rule.tags.0', 'must not be empty'],
    [{ chatId: CHANNEL, colour: 'red' }, '(body)', 'Unrecognized key: "colour"'],
  ])('answers 400 naming the field for %j and writes nothing', async (body, field, message) => {
    // Act
    const res = await call('POST', '/admin/channels', body);

    // Assess
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: 'validation failed', issues: [{ field, message }] });
    expect(await channelItems()).toHaveLength(0);
  });

  it('connects, lists, changes, pauses, resumes and disconnects a channel', async () => {
    // Act: connect
    const created = await call('POST', '/admin/channels', {
      chatId: CHANNEL,
      title: 'Voices',
      rule: { mode: 'authors', authors: ['JDoe'] },
    });
    const again = await call('POST', '/admin/channels', { chatId: CHANNEL });

    // Assess
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      result: 'created',
      channel: {
        chatId: CHANNEL,
        title: 'Voices',
        rule: { mode: 'authors', authors: ['jdoe'] },
        status: 'active',
      },
    });
    expect(again).toMatchObject({ status: 200, json: { result: 'exists', channel: { title: 'Voices' } } });
    expect((await call('GET', '/admin/channels')).json).toMatchObject({ channels: [{ chatId: CHANNEL }] });

    // Act: change the rule, pause, resume
    const tags = await call('PATCH', `/admin/channels/${CHANNEL}`, {
      rule: { mode: 'tags', tags: ['Economy'] },
    });
    const paused = await call('PATCH', `/admin/channels/${CHANNEL}`, { paused: true });
    const resumed = await call('PATCH', `/admin/channels/${CHANNEL}`, { paused: false });

    // Assess
    expect(tags.json).toMatchObject({ rule: { mode: 'tags', tags: ['Economy'] } });
    expect(paused.json).toMatchObject({ status: 'paused', pausedReason: 'admin' });
    expect(resumed.json).toMatchObject({ status: 'active' });
    expect(resumed.json).not.toHaveProperty('pausedReason');

    // Act: disconnect
    const removed = await call('DELETE', `/admin/channels/${CHANNEL}`);
    const gone = await call('GET', `/admin/channels/${CHANNEL}`);

    // Assess
    expect(removed.status).toBe(204);
    expect(gone.status).toBe(404);
    expect(await channelItems()).toHaveLength(0);
  });

  it('answers 400 for an empty change and 404 for an unknown or malformed channel', async () => {
    expect(await call('PATCH', `/admin/channels/${CHANNEL}`, {})).toMatchObject({
      status: 400,
      json: { issues: [{ field: '(body)', message: 'name at least one of rule, paused, title' }] },
    });
    expect((await call('PATCH', '/admin/channels/-1009999999999', { paused: true })).status).toBe(404);
    expect((await call('GET', '/admin/channels/not-a-channel')).status).toBe(404);
    expect((await call('DELETE', '/admin/channels/-1009999999999')).status).toBe(404);
  });
});
