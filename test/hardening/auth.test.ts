/**
 * Auth: webhook calls without Telegram's secret header — missing, empty, forged, near misses,
 * the header under another name — and admin API calls without the bearer key are answered
 * 401 with nothing written: the table stays empty and the Bot API stand-in hears nothing.
 * Each group ends with the same request carrying the right credential, so the emptiness
 * checked above is the doing of the auth check, not of a request that could never write.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { type AdminApi, createAdminApi } from '../../functions/admin/admin-api';
import { createStatsReader } from '../../functions/admin/stats';
import { samplePublication, TEST_SECRET } from '../helpers/harness';
import { type Rig, startRig } from './support';

const ADMIN_KEY = 'hardening-admin-key-0123456789abcdef';

let rig: Rig;
let admin: AdminApi;

async function tableItemCount(): Promise<number> {
  const out = await rig.db.client.send(
    new ScanCommand({ TableName: rig.db.tableName, Select: 'COUNT', ConsistentRead: true }),
  );
  return out.Count ?? 0;
}

/** An update that writes if it gets in: /start records the user, claims the update_id and replies. */
function startUpdate(updateId: number): string {
  return JSON.stringify({
    update_id: updateId,
    message: {
      message_id: 1,
      date: 1_780_000_000,
      chat: { id: 4242, type: 'private', first_name: 'Eve' },
      from: { id: 4242, is_bot: false, first_name: 'Eve' },
      text: '/start a_article-00',
      entities: [{ type: 'bot_command', offset: 0, length: 6 }],
    },
  });
}

beforeAll(async () => {
  rig = await startRig();
  admin = createAdminApi({
    store: rig.store,
    stats: createStatsReader({ doc: rig.db.doc, tableName: rig.db.tableName, articles: rig.store.articles }),
    getApiKey: async () => ADMIN_KEY,
    logger: rig.logger,
  });
});

afterAll(async () => {
  await rig?.stop();
});

describe('webhook secret', () => {
  const oneCharOff = (s: string, at: number) =>
    s.slice(0, at) + (s[at] === 'x' ? 'y' : 'x') + s.slice(at + 1);
  const rejected: Array<[string, Record<string, string> | undefined]> = [
    ['no headers at all', undefined],
    ['no secret header', { 'content-type': 'application/json' }],
    ['an empty secret', { 'x-telegram-bot-api-secret-token': '' }],
    ['a forged secret', { 'x-telegram-bot-api-secret-token': 'forged-secret-value' }],
    [
      'the header name in Telegram’s casing with a wrong value',
      { 'X-Telegram-Bot-Api-Secret-Token': 'wrong' },
    ],
    [
      'the header name upper-cased with a wrong value',
      { 'X-TELEGRAM-BOT-API-SECRET-TOKEN': `${TEST_SECRET}!` },
    ],
    ['the first character off', { 'x-telegram-bot-api-secret-token': oneCharOff(TEST_SECRET, 0) }],
    [
      'the last character off',
      { 'x-telegram-bot-api-secret-token': oneCharOff(TEST_SECRET, TEST_SECRET.length - 1) },
    ],
    ['a character off in the middle', { 'x-telegram-bot-api-secret-token': oneCharOff(TEST_SECRET, 7) }],
    ['a prefix of the secret', { 'x-telegram-bot-api-secret-token': TEST_SECRET.slice(0, -1) }],
    ['the secret plus a suffix', { 'x-telegram-bot-api-secret-token': `${TEST_SECRET}x` }],
    ['the secret with surrounding spaces', { 'x-telegram-bot-api-secret-token': ` ${TEST_SECRET} ` }],
    ['the secret upper-cased', { 'x-telegram-bot-api-secret-token': TEST_SECRET.toUpperCase() }],
    [
      'two values joined, as API Gateway joins a repeated header',
      { 'x-telegram-bot-api-secret-token': `wrong,${TEST_SECRET}` },
    ],
    [
      'the secret under another header',
      { authorization: `Bearer ${TEST_SECRET}`, 'x-telegram-bot-api-secret': TEST_SECRET },
    ],
  ];

  it.each(rejected)('rejects %s with 401 and writes nothing', async (_name, headers) => {
    // Prepare
    const callsBefore = rig.standIn.calls.length;

    // Act
    const res = await rig.app.handleWebhook({
      headers: headers as Record<string, string>,
      body: startUpdate(1),
      isBase64Encoded: false,
    });

    // Assess
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(String(res.body))).toEqual({ error: 'unauthorized' });
    expect(await tableItemCount()).toBe(0);
    expect(rig.standIn.calls.length).toBe(callsBefore);
  });

  it('checks the secret before it even looks at the body', async () => {
    const res = await rig.post('not json at all', { 'x-telegram-bot-api-secret-token': 'wrong' });
    expect(res.statusCode).toBe(401);
  });

  it('lets the same update in with the right secret (whatever the header name’s case)', async () => {
    // Prepare: the article the deep link opens
    await rig.store.authors.putAuthor(samplePublication(1).authors[0]!);

    // Act
    const res = await rig.post(startUpdate(2), { 'X-Telegram-Bot-Api-Secret-Token': TEST_SECRET });

    // Assess: it wrote (claim + user) and replied
    expect(res.statusCode).toBe(200);
    expect(await tableItemCount()).toBeGreaterThan(1);
    expect(rig.standIn.callsTo('sendMessage').filter((c) => c.ok)).toHaveLength(1);
  });
});

describe('admin API key', () => {
  const article = samplePublication(1).articles[0]!;
  const author = { handle: 'mallory', fullName: 'Mallory', userSince: '2020-01-01' };
  const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
  const rejected: Array<[string, Record<string, string>]> = [
    ['no Authorization header', {}],
    ['an empty Authorization header', { authorization: '' }],
    ['Bearer with no key', { authorization: 'Bearer ' }],
    ['a wrong key', { authorization: 'Bearer not-the-key' }],
    ['a key one character off', { authorization: `Bearer ${ADMIN_KEY.slice(0, -1)}x` }],
    ['a prefix of the key', { authorization: `Bearer ${ADMIN_KEY.slice(0, -1)}` }],
    ['the key plus a suffix', { authorization: `Bearer ${ADMIN_KEY}0` }],
    ['the key with a second token', { authorization: `Bearer ${ADMIN_KEY} extra` }],
    ['the Basic scheme with the key as password', { authorization: basic(`admin:${ADMIN_KEY}`) }],
    ['the Basic scheme with the bare key', { authorization: `Basic ${ADMIN_KEY}` }],
    ['another scheme', { authorization: `Token ${ADMIN_KEY}` }],
    ['the bare key without a scheme', { authorization: ADMIN_KEY }],
    ['the key in another header', { 'x-api-key': ADMIN_KEY }],
  ];
  const writes = [
    { method: 'POST', path: '/admin/articles', body: JSON.stringify(article) },
    { method: 'PUT', path: `/admin/authors/${author.handle}`, body: JSON.stringify(author) },
    { method: 'DELETE', path: '/admin/articles/article-00' },
  ];

  let itemsBefore: number;
  beforeAll(async () => {
    itemsBefore = await tableItemCount();
  });

  it.each(rejected)('rejects %s with 401 and writes nothing', async (_name, headers) => {
    for (const w of writes) {
      // Act
      const res = await admin({ ...w, headers: { 'content-type': 'application/json', ...headers } });

      // Assess
      expect({ req: `${w.method} ${w.path}`, status: res.statusCode }).toEqual({
        req: `${w.method} ${w.path}`,
        status: 401,
      });
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    expect(await tableItemCount()).toBe(itemsBefore);
  });

  it('accepts the same writes with the right bearer key', async () => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` };
    const jdoe = samplePublication(1).authors[0]!;
    expect((await admin({ ...writes[1]!, headers })).statusCode).toBe(201);
    expect(
      (await admin({ method: 'PUT', path: '/admin/authors/jdoe', body: JSON.stringify(jdoe), headers }))
        .statusCode,
    ).toBeLessThan(300);
    expect((await admin({ ...writes[0]!, headers })).statusCode).toBe(201);
    expect(await tableItemCount()).toBeGreaterThan(itemsBefore);
  });
});
