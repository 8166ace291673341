/**
 * The webhook edge (issue 2), driven exactly as API Gateway calls it: the secret header, body
 * parsing, update_id deduplication, the answers to /start, /help and unknown commands,
 * silence for updates the bot does not handle, and the store failing (503, then the
 * redelivery processed once). Assertions are on the raw table and on what the stand-in saw.
 */

import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Telegram, TelegramError } from 'telegraf';
import { createHeraldApp, type HeraldApp } from '../../../functions/app';
import { faults } from '../../../functions/local/telegram-stand-in';
import { createDynamoClient, toDocumentClient } from '../../../functions/store/client';
import { plain } from '../../helpers/chat';
import {
  type Harness,
  samplePublication,
  seed,
  startHarness,
  TEST_SECRET,
  TEST_TOKEN,
} from '../../helpers/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  const { authors, articles } = samplePublication(3);
  await seed(h, authors, articles);
});

afterAll(async () => {
  await h?.stop();
});

/**
 * Update ids below the stand-in's own (it counts from 500,000,001 and jumps past any id it
 * is asked to deliver), so raw updates and the stand-in's users never share an id.
 */
let nextUpdateId = 100_000_000;
let nextMessageId = 1;

/** A private text message as Telegram sends it, with the bot_command entity when it is one. */
function textUpdate(chatId: number, text: string, updateId = nextUpdateId++) {
  const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  return {
    update_id: updateId,
    message: {
      message_id: nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: 'Raw' },
      from: { id: chatId, is_bot: false, first_name: 'Raw', language_code: 'en' },
      text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
    },
  };
}

/** Every item of the (small) test table, straight from DynamoDB. */
async function tableItems(): Promise<Record<string, unknown>[]> {
  const out = await h.db.doc.send(new ScanCommand({ TableName: h.db.tableName }));
  return out.Items ?? [];
}

async function claimOf(updateId: number): Promise<Record<string, unknown> | undefined> {
  const out = await h.db.doc.send(
    new GetCommand({
      TableName: h.db.tableName,
      Key: { pk: `UPD#${updateId}`, sk: 'UPD' },
      ConsistentRead: true,
    }),
  );
  return out.Item;
}

const sentTo = (chatId: number) =>
  h.standIn.callsTo('sendMessage').filter((c) => Number(c.params.chat_id) === chatId);

describe('the secret header', () => {
  it.each([
    ['a wrong secret', { 'x-telegram-bot-api-secret-token': 'not-the-secret' }],
    ['a secret of another case', { 'x-telegram-bot-api-secret-token': TEST_SECRET.toUpperCase() }],
    ['no secret', { 'content-type': 'application/json' }],
    ['an empty secret', { 'x-telegram-bot-api-secret-token': '' }],
  ])('answers 401 to %s, writes nothing and calls no Telegram method', async (_name, headers) => {
    // Prepare
    const update = textUpdate(3001, '/start');
    const itemsBefore = (await tableItems()).length;
    const callsBefore = h.standIn.calls.length;

    // Act
    const res = await h.post(JSON.stringify(update), headers);

    // Assess
    expect(res.statusCode).toBe(401);
    expect(await claimOf(update.update_id)).toBeUndefined();
    expect((await tableItems()).length).toBe(itemsBefore);
    expect(h.standIn.calls.length).toBe(callsBefore);
  });

  it('accepts the header in any letter case (API Gateway lower-cases it, other callers may not)', async () => {
    // Prepare
    const update = textUpdate(3002, '/help');

    // Act
    const res = await h.post(JSON.stringify(update), { 'X-Telegram-Bot-Api-Secret-Token': TEST_SECRET });

    // Assess
    expect(res.statusCode).toBe(200);
    expect(plain(h.standIn.lastMessage(3002)?.text)).toContain('/latest — the latest articles');
  });
});

describe('the body', () => {
  it.each([
    ['malformed JSON', '{"update_id": 1, "message": '],
    ['an empty body', ''],
    ['JSON without update_id', JSON.stringify({ message: { text: '/start' } })],
    ['a negative update_id', JSON.stringify({ update_id: -5 })],
    ['an update_id in a string', JSON.stringify({ update_id: '900' })],
    ['a JSON array', '[1,2,3]'],
  ])('answers 400 to %s and writes nothing', async (_name, body) => {
    // Prepare
    const itemsBefore = (await tableItems()).length;
    const callsBefore = h.standIn.calls.length;

    // Act
    const res = await h.post(body);

    // Assess
    expect(res.statusCode).toBe(400);
    expect((await tableItems()).length).toBe(itemsBefore);
    expect(h.standIn.calls.length).toBe(callsBefore);
  });

  it('processes a base64-encoded body', async () => {
    // Prepare
    const update = textUpdate(3003, '/help');
    const body = Buffer.from(JSON.stringify(update), 'utf8').toString('base64');

    // Act
    const res = await h.post(body, undefined, true);

    // Assess
    expect(res.statusCode).toBe(200);
    expect(h.standIn.messages(3003).map((m) => plain(m.text))).toEqual([
      expect.stringContaining('/help — this list'),
    ]);
  });
});

describe('deduplication', () => {
  it('answers an update delivered three times once (through the stand-in)', async () => {
    // Prepare
    const update = textUpdate(3004, '/help');

    // Act
    for (let i = 0; i < 3; i++) await h.standIn.deliverUpdate(update);

    // Assess
    expect(h.standIn.messages(3004)).toHaveLength(1);
    expect(h.statuses.slice(-3)).toEqual([200, 200, 200]);
  });

  it('processes the same body posted three times concurrently once: the copies come back later and are duplicates', async () => {
    // Prepare
    const body = JSON.stringify(textUpdate(3005, '/start'));

    // Act
    const results = await Promise.all([h.post(body), h.post(body), h.post(body)]);
    const later = await h.post(body);

    // Assess: a copy racing the holder of the claim gets 503 (so Telegram asks again), or a
    // duplicate when the holder already finished.
    const kinds = results.map((r) => {
      const answer = JSON.parse(String(r.body));
      return answer.inProgress
        ? '503 in progress'
        : answer.duplicate
          ? '200 duplicate'
          : `${r.statusCode} handled`;
    });
    expect(kinds.filter((k) => k === '200 handled')).toHaveLength(1);
    expect(
      kinds.filter((k) => k !== '200 handled' && k !== '503 in progress' && k !== '200 duplicate'),
    ).toEqual([]);
    expect([later.statusCode, JSON.parse(String(later.body)).duplicate]).toEqual([200, true]);
    expect(h.standIn.messages(3005)).toHaveLength(1);
    expect(await claimOf(JSON.parse(body).update_id)).toMatchObject({
      kind: 'update',
      doneAt: expect.any(Number),
    });
  });
});

describe('what the bot answers', () => {
  it('greets on /start, with buttons to start reading', async () => {
    // Prepare
    const ann = h.user(3010, 'Ann');

    // Act
    await ann.send('/start');

    // Assess
    const reply = h.standIn.lastMessage(3010);
    expect(plain(reply?.text)).toMatch(/^👋 Welcome, Ann!/);
    expect(plain(reply?.text)).toContain('Try /latest or /authors');
    expect(reply?.reply_markup?.inline_keyboard.flat().map((b) => plain(b.text))).toEqual([
      '📰 Latest articles',
      '✍️ Authors',
    ]);
  });

  it('lists the commands on /help', async () => {
    // Prepare
    const ann = h.user(3011, 'Ann');

    // Act
    await ann.send('/help');

    // Assess
    const text = plain(h.standIn.lastMessage(3011)?.text) ?? '';
    for (const command of [
      '/latest',
      '/authors',
      '/author <handle>',
      '/search <words>',
      '/subscribe <handle>',
    ]) {
      expect(text).toContain(command);
    }
    expect(text).toContain('/subscriptions');
    expect(text).toContain('/shared');
  });

  it.each(['/frobnicate', '/START_over', '/help_me please'])('points %p to /help', async (command) => {
    // Prepare
    const ann = h.user(3012, 'Ann');
    const before = h.standIn.messages(3012).length;

    // Act
    await ann.send(command);

    // Assess
    expect(h.standIn.messages(3012)).toHaveLength(before + 1);
    expect(plain(h.standIn.lastMessage(3012)?.text)).toBe(
      'I don’t know that command. /help lists what I can do.',
    );
  });

  it.each([
    [
      'a photo',
      {
        message: {
          message_id: 77,
          date: 1_795_000_000,
          chat: { id: 3013, type: 'private', first_name: 'Raw' },
          from: { id: 3013, is_bot: false, first_name: 'Raw' },
          photo: [
            { file_id: 'AgAD-photo', file_unique_id: 'AQAD-photo', width: 90, height: 90, file_size: 1200 },
          ],
          caption: '/latest',
        },
      },
    ],
    [
      'an edited message',
      {
        edited_message: {
          message_id: 78,
          date: 1_795_000_000,
          edit_date: 1_795_000_060,
          chat: { id: 3013, type: 'private', first_name: 'Raw' },
          from: { id: 3013, is_bot: false, first_name: 'Raw' },
          text: '/latest',
          entities: [{ type: 'bot_command', offset: 0, length: 7 }],
        },
      },
    ],
    [
      'a poll',
      {
        poll: {
          id: '5810000000000000001',
          question: 'Bikes or buses?',
          options: [
            { text: 'Bikes', voter_count: 3 },
            { text: 'Buses', voter_count: 2 },
          ],
          total_voter_count: 5,
          is_closed: false,
          is_anonymous: true,
          type: 'regular',
          allows_multiple_answers: false,
        },
      },
    ],
    ['an update type from the future', { business_weather_report: { sunny: true } }],
  ])('accepts %s with 200 and stays silent', async (_name, payload) => {
    // Prepare
    const callsBefore = h.standIn.calls.length;

    // Act
    const res = await h.post(JSON.stringify({ update_id: nextUpdateId++, ...payload }));

    // Assess
    expect(res.statusCode).toBe(200);
    expect(h.standIn.calls.length).toBe(callsBefore);
  });
});

describe('HTML escaping cannot hide', () => {
  it('the stand-in rejects a reply with an unescaped < or & exactly as Telegram does', async () => {
    // Prepare
    const telegram = new Telegram(TEST_TOKEN, { apiRoot: h.standIn.apiRoot });
    h.user(3020, 'Ann');

    // Act
    const failures = await Promise.all(
      ['Tom < Jerry', 'Tom & Jerry', '<br> tags'].map((text) =>
        telegram.sendMessage(3020, text, { parse_mode: 'HTML' }).then(
          () => undefined,
          (err: unknown) => err,
        ),
      ),
    );

    // Assess
    for (const err of failures) {
      expect(err).toBeInstanceOf(TelegramError);
      expect((err as TelegramError).code).toBe(400);
      expect((err as TelegramError).description).toMatch(/^Bad Request: can't parse entities: /);
    }
    expect(h.standIn.messages(3020)).toHaveLength(0);
  });

  it('the card of an article titled with <, & and quotes passes and shows the title as written', async () => {
    // Prepare
    const ann = h.user(3021, 'Ann');

    // Act
    await ann.send('/start a_article-00');

    // Assess
    const card = h.standIn.lastMessage(3021);
    expect(plain(card?.text).split('\n')[0]).toBe('Why <br> tags & "quotes" won\'t save the web 🚲');
    expect(card?.sentText).toContain('Why &lt;br&gt; tags &amp; &quot;quotes&quot;');
    // The title in bold, its length in UTF-16 code units as Telegram counts (🚲 counts two).
    expect(card?.entities).toContainEqual({ type: 'bold', offset: 0, length: 46 });
    expect(sentTo(3021).every((c) => c.ok)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// The store failing
// ---------------------------------------------------------------------------------------------

/**
 * An HTTP proxy in front of DynamoDB Local that can answer DynamoDB operations with a 500
 * InternalServerError (after the SDK's own retries, the call fails as it would in an outage).
 */
interface StoreProxy {
  endpoint: string;
  /** Fails every operation for which `when(operation, body)` is true; `() => true` is a full outage. */
  fail(when: (operation: string, body: string) => boolean): void;
  heal(): void;
  stop(): Promise<void>;
}

async function startStoreProxy(target: string): Promise<StoreProxy> {
  let failing: ((operation: string, body: string) => boolean) | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      if (failing?.(operation, body.toString('utf8'))) {
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
            message: 'outage',
          }),
        );
        return;
      }
      const upstream = request(
        `${target}${req.url ?? '/'}`,
        { method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    fail: (when) => {
      failing = when;
    },
    heal: () => {
      failing = undefined;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('when the store fails', () => {
  let proxy: StoreProxy;
  let client: DynamoDBClient;
  let app: HeraldApp;

  beforeAll(async () => {
    proxy = await startStoreProxy(h.db.endpoint);
    client = createDynamoClient({ region: 'us-east-1', endpoint: proxy.endpoint });
    // A second app on the same table and stand-in, reaching the store through the proxy.
    app = createHeraldApp({
      config: { ...h.config, dynamoEndpoint: proxy.endpoint },
      logger: new Logger({ serviceName: 'herald-test', logLevel: 'SILENT' }),
      token: TEST_TOKEN,
      webhookSecret: TEST_SECRET,
      doc: toDocumentClient(client),
    });
  });

  afterAll(async () => {
    client?.destroy();
    await proxy?.stop();
  });

  afterEach(() => proxy.heal());

  const post = (body: string) =>
    app.handleWebhook({
      headers: { 'x-telegram-bot-api-secret-token': TEST_SECRET },
      body,
      isBase64Encoded: false,
    });

  it('answers 503 while the store is down, then processes the redelivery once', async () => {
    // Prepare
    const body = JSON.stringify(textUpdate(3030, '/help'));
    proxy.fail(() => true);

    // Act
    const during = await post(body);
    proxy.heal();
    const redelivered = await post(body);
    const again = await post(body);

    // Assess
    expect(during.statusCode).toBe(503);
    expect([redelivered.statusCode, again.statusCode]).toEqual([200, 200]);
    expect(h.standIn.messages(3030).map((m) => plain(m.text))).toEqual([
      expect.stringContaining('/help — this list'),
    ]);
  });

  it('answers 503 when the store fails while the update is handled, releases the claim, and processes the redelivery once', async () => {
    // Prepare: the claim (PutItem) and its release (DeleteItem) work; /start's user record (UpdateItem) fails
    const update = textUpdate(3031, '/start');
    const body = JSON.stringify(update);
    proxy.fail((operation) => operation === 'UpdateItem');

    // Act
    const during = await post(body);
    const claimAfterFailure = await claimOf(update.update_id);
    proxy.heal();
    const redelivered = await post(body);

    // Assess
    expect(during.statusCode).toBe(503);
    expect(claimAfterFailure).toBeUndefined();
    expect(redelivered.statusCode).toBe(200);
    expect(h.standIn.messages(3031).map((m) => plain(m.text))).toEqual([
      expect.stringMatching(/^👋 Welcome, Raw!/),
    ]);
  });

  // When the outage also fails the release of the claim, the claim stays until its lease
  // expires; the redelivery after that is processed, on this instance or any other.
  it('processes the redelivery after the lease when the outage also failed the release of the claim', async () => {
    // Prepare: only the claim (PutItem) gets through; a second instance with its clock a minute ahead
    const body = JSON.stringify(textUpdate(3032, '/start'));
    proxy.fail((operation) => operation !== 'PutItem');
    const later = createHeraldApp({
      config: h.config,
      logger: new Logger({ serviceName: 'herald-test', logLevel: 'SILENT' }),
      token: TEST_TOKEN,
      webhookSecret: TEST_SECRET,
      doc: h.db.doc,
      now: () => new Date(Date.now() + 60_000),
    });

    // Act
    const during = await post(body);
    proxy.heal();
    const tooSoon = await post(body);
    const redelivered = await later.handleWebhook({
      headers: { 'x-telegram-bot-api-secret-token': TEST_SECRET },
      body,
      isBase64Encoded: false,
    });
    const again = await post(body);

    // Assess
    expect([during.statusCode, tooSoon.statusCode, redelivered.statusCode]).toEqual([503, 503, 200]);
    expect(JSON.parse(String(again.body))).toEqual({ ok: true, duplicate: true });
    expect(h.standIn.messages(3032)).toHaveLength(1);
  });
});

describe('a handler that outlasts its time budget', () => {
  let slow: Harness;

  beforeAll(async () => {
    // The same table, a stand-in of its own, a 1 s budget.
    slow = await startHarness({ db: h.db, env: { HANDLER_TIMEOUT_MS: '1000' } });
  });

  afterAll(async () => {
    await slow?.standIn.stop();
  });

  const viewsOf = async (id: string) => (await h.app.store.articles.getArticles([id]))[0]?.views;

  it('keeps its claim until it settles: a copy meanwhile is "in progress", the redelivery a duplicate; one card, one view', async () => {
    // Prepare: the card's sendMessage takes 1.5 s, longer than the whole budget.
    const body = JSON.stringify(textUpdate(3040, '/start a_article-01'));
    slow.standIn.injectFault(faults.slow(1500, { method: 'sendMessage', chatId: 3040 }));
    const before = await viewsOf('article-01');

    // Act: the answer, a copy at once, then Telegram's redelivery after the slow call finished.
    const first = await slow.post(body);
    const copy = await slow.post(body);
    await new Promise((r) => setTimeout(r, 800));
    const redelivered = await slow.post(body);

    // Assess
    expect([first.statusCode, JSON.parse(String(first.body)).inProgress]).toEqual([503, true]);
    expect([copy.statusCode, JSON.parse(String(copy.body)).inProgress]).toEqual([503, true]);
    expect(JSON.parse(String(redelivered.body))).toEqual({ ok: true, duplicate: true });
    expect(slow.standIn.callsTo('sendMessage').filter((c) => c.ok && c.params.chat_id === 3040)).toHaveLength(
      1,
    );
    expect(await viewsOf('article-01')).toBe((before ?? 0) + 1);
  });
});
