/**
 * Faults: the store failing under the webhook, and Telegram failing under the bot.
 *
 * The store (DynamoDB Local in its own process, on disk) sits behind a fault proxy that can cut any
 * single request off. Three angles:
 *
 * 1. One store call fails (with all of the SDK's retries) and the store is back at once —
 *    for every store call of opening, subscribing, unsubscribing and commenting. The webhook
 *    must answer 503 (Telegram redelivers), release its claim on the update_id, and the
 *    redelivery must be processed exactly once: counters exact, the reader answered once.
 * 2. The store stays down until the webhook has answered, so releasing the claim fails too.
 * 3. DynamoDB Local killed (SIGKILL) while 200 updates are in flight, restarted, everything redelivered.
 *
 * (2) is why the claim is a lease: the webhook claims `update_id` with a lease that outlasts the
 * invocation and marks it done after processing. A claim left behind by a store failure is
 * free again once its lease expired, so the redelivery is processed on whichever instance it
 * reaches; a copy arriving while the lease holds is answered 503 and comes back later.
 *
 * Telegram: 429 with retry_after 1 and a 500 are retried within the handler's deadline; a 429
 * with retry_after 30 is beyond it and is given up cleanly (200, error logged, nothing sent
 * twice, nothing crashed).
 */

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Update } from 'telegraf/types';
import { createHeraldApp } from '../../functions/app';
import type { WebhookResult } from '../../functions/bot/webhook';
import { forwardWebhookReply, webhookEvent } from '../../functions/local/runtime';
import { faults, type SimulatedUser, type StoredMessage } from '../../functions/local/telegram-stand-in';
import { createDynamoClient, toDocumentClient } from '../../functions/store/client';
import { fuzzSeed, Rng } from '../helpers/fuzz';
import { samplePublication, TEST_SECRET, TEST_TOKEN } from '../helpers/harness';
import { type FaultProxy, startFaultProxy } from './fault-proxy';
import { type ProcessStore, startProcessStore } from './store-process';
import { describeLine, mapPool, RecordingLogger, type Rig, seedStore, startRig, tally } from './support';

/** The SDK client for a local endpoint makes 3 attempts (functions/store/client.ts). */
const SDK_ATTEMPTS = 3;
const STORE_ERRORS =
  /^(could not record the update; Telegram will redeliver|could not release the update claim|could not mark the update done)$/;

let db: ProcessStore;
let proxy: FaultProxy;
let client: DynamoDBClient;
let rig: Rig;
let nextUserId = 8000;
/** The share link the share-open flow opens (made by its `prepare`). */
let shareCode = '';

/** The answers to one user action: its update and what the webhook said. */
interface Delivered {
  update: Update;
  answer: WebhookResult;
}

/** Runs a user action, capturing the update it produced and the webhook's answer. */
async function deliverOnce(action: () => Promise<Update>): Promise<Delivered> {
  let answer: WebhookResult | undefined;
  const previous = rig.onUserUpdate;
  rig.onUserUpdate = async (u) => {
    answer = await rig.deliver(u);
  };
  try {
    const update = await action();
    return { update, answer: answer! };
  } finally {
    rig.onUserUpdate = previous;
  }
}

const isDuplicate = (r: WebhookResult) => JSON.parse(String(r.body)).duplicate === true;

/** A reader with a first bot message (the welcome, with buttons) to press on. */
/**
 * A reader who has said /start (its card is `first`); a `firstContact` reader has not, so its
 * first update reads its /language choice (which the bot then keeps for a minute, bot/locale.ts).
 */
async function newReader(
  firstContact = false,
): Promise<{ u: SimulatedUser; id: number; first: StoredMessage }> {
  const id = nextUserId++;
  const u = rig.user(id, `Reader${id}`);
  if (firstContact) return { u, id, first: undefined as unknown as StoredMessage };
  await u.send('/start');
  return { u, id, first: rig.standIn.lastMessage(id)! };
}

async function commentsBy(articleId: string, userId: number): Promise<number> {
  const page = await rig.store.comments.commentsPage(articleId, undefined, 100);
  return page.items.filter((c) => c.userId === userId).length;
}

interface Flow {
  name: string;
  /**
   * The store operations one delivery makes, claim first and the completion mark last
   * (checked against a clean run). In a `firstContact` flow the second is the reader's
   * `/language` choice (GetItem of the profile, bot/locale.ts); the others' readers said /start
   * first, so the bot already knows it.
   */
  calls: string[];
  /** The act is the reader's first update (no /start before it): see {@link newReader}. */
  firstContact?: boolean;
  prepare?: (r: { u: SimulatedUser; first: StoredMessage }) => Promise<unknown>;
  act: (r: { u: SimulatedUser; first: StoredMessage }) => Promise<Update>;
  read: (userId: number) => Promise<Record<string, number>>;
  delta: Record<string, number>;
  /**
   * Calls (0-based) whose failure the flow absorbs: the update is still processed (200 at once)
   * and the redelivery is a duplicate.
   */
  absorbed?: number[];
}

const views = async (id: string) => (await rig.store.articles.getArticle(id))!.views;
const subscribers = async (h: string) => (await rig.store.authors.getAuthor(h))!.subscriberCount;

const FLOWS: Flow[] = [
  {
    name: 'open an article (button)',
    // Claim, the view (UpdateItem ALL_NEW), the reader's subscription for the card's button; the mark.
    calls: ['PutItem', 'UpdateItem', 'GetItem', 'UpdateItem'],
    // The view is counted by then: the card goes out with 🔔 Subscribe rather than count it twice.
    absorbed: [2],
    act: ({ u, first }) => u.press(first, '1:o:article-03'),
    read: async () => ({ views: await views('article-03') }),
    delta: { views: 1 },
  },
  {
    name: 'open an article (deep link)',
    // A first contact: claim, the /language choice, the view (UpdateItem ALL_NEW), the reader's
    // subscription for the card's button; the mark.
    firstContact: true,
    calls: ['PutItem', 'GetItem', 'UpdateItem', 'GetItem', 'UpdateItem'],
    // The view is counted by then: the card goes out with 🔔 Subscribe rather than count it twice.
    absorbed: [3],
    act: ({ u }) => u.send('/start a_article-04'),
    read: async () => ({ views: await views('article-04') }),
    delta: { views: 1 },
  },
  {
    name: 'subscribe (button)',
    // Claim, user's `active`, the subscription and its count in one transaction (which alone
    // decides that the author exists), the author's name, the new follow's mode (for the card's
    // mode button), the author's latest articles (sent after a follow); the completion mark.
    calls: ['PutItem', 'GetItem', 'TransactWriteItems', 'GetItem', 'GetItem', 'Query', 'UpdateItem'],
    act: ({ u, first }) => u.press(first, '1:s:jdoe'),
    read: async (id) => ({
      subscribers: await subscribers('jdoe'),
      subscribed: Number(await rig.store.subscriptions.isSubscribed(id, 'jdoe')),
    }),
    delta: { subscribers: 1, subscribed: 1 },
  },
  {
    name: 'unsubscribe (button)',
    // Claim, the delete and its count in one transaction; the completion mark.
    calls: ['PutItem', 'TransactWriteItems', 'UpdateItem'],
    prepare: ({ u, first }) => u.press(first, '1:s:ivanova'),
    act: ({ u, first }) => u.press(first, '1:x:ivanova'),
    read: async (id) => ({
      subscribers: await subscribers('ivanova'),
      subscribed: Number(await rig.store.subscriptions.isSubscribed(id, 'ivanova')),
    }),
    delta: { subscribers: -1, subscribed: -1 },
  },
  {
    name: 'post a comment (the text after the prompt)',
    // Claim, pending input, quota, the comment and its count in one transaction; the completion mark.
    calls: ['PutItem', 'DeleteItem', 'UpdateItem', 'TransactWriteItems', 'UpdateItem'],
    prepare: ({ u, first }) => u.press(first, '1:pc:article-05'),
    act: ({ u }) => u.send('A comment that must be posted exactly once'),
    read: async (id) => ({
      replies: (await rig.store.articles.getArticle('article-05'))!.replies,
      mine: await commentsBy('article-05', id),
    }),
    delta: { replies: 1, mine: 1 },
  },
  {
    name: "open a friend's share link (first open)",
    // A first contact: claim, the /language choice, the share and this opener's marker, the
    // marker and both open counts in one transaction, the view, the reader's subscription (the
    // card's button), the completion mark.
    firstContact: true,
    calls: [
      'PutItem',
      'GetItem',
      'BatchGetItem',
      'TransactWriteItems',
      'UpdateItem',
      'GetItem',
      'UpdateItem',
    ],
    absorbed: [5],
    prepare: async () => {
      const { share } = await rig.store.shares.getOrCreateShare({
        articleId: 'article-08',
        title: 'Shared',
        sharerId: 1,
        sharerName: 'Sam',
      });
      shareCode = share.code;
    },
    act: ({ u }) => u.send(`/start s_${shareCode}`),
    read: async () => {
      const meta = await rig.store.articles.getArticle('article-08');
      const share = await rig.store.shares.listByUser(1, 0, 10);
      return {
        views: meta?.views ?? Number.NaN,
        shareOpens: meta?.shareOpens ?? Number.NaN,
        opens: share.items.find((s) => s.code === shareCode)?.opens ?? Number.NaN,
      };
    },
    delta: { views: 1, shareOpens: 1, opens: 1 },
  },
];

/** Successful Bot API calls by method within a slice of the stand-in's log. */
const okMethods = (from: number) =>
  tally(
    rig.standIn.calls
      .slice(from)
      .filter((c) => c.ok)
      .map((c) => c.method),
  );

/** What one clean delivery of each flow sends to Telegram, from a run without faults. */
const cleanReplies = new Map<string, Record<string, number>>();

beforeAll(async () => {
  db = await startProcessStore({ persistent: true });
  proxy = await startFaultProxy(db.endpoint);
  client = createDynamoClient({ region: 'us-east-1', endpoint: proxy.endpoint });
  rig = await startRig({ db, doc: toDocumentClient(client) });
  await seedStore(rig.store, samplePublication(12));
  for (const flow of FLOWS) {
    const r = await newReader(flow.firstContact);
    await flow.prepare?.(r);
    const ops = proxy.calls.length;
    const calls = rig.standIn.calls.length;
    const { answer } = await deliverOnce(() => flow.act(r));
    expect(answer.statusCode).toBe(200);
    // If this fails the store's call sequence changed: update `calls`.
    expect({ flow: flow.name, ops: proxy.calls.slice(ops).map((c) => c.op) }).toEqual({
      flow: flow.name,
      ops: flow.calls,
    });
    cleanReplies.set(flow.name, okMethods(calls));
  }
}, 60_000);

afterAll(async () => {
  await rig?.stop();
  client?.destroy();
  await proxy?.stop();
});

describe('one store call failing, the store back at once', () => {
  const cases = FLOWS.flatMap((flow) => flow.calls.map((op, k) => ({ flow, k, op })));
  for (const { flow, k, op } of cases) {
    const absorbed = flow.absorbed?.includes(k) === true;
    const completion = k === flow.calls.length - 1;
    const title = completion
      ? `${flow.name}: call ${k + 1} (${op}, the completion mark) fails → 200 (processed); a copy while the lease holds is 503 "in progress"`
      : absorbed
        ? `${flow.name}: call ${k + 1} (${op}) fails → absorbed: 200 at once, the redelivery is a duplicate`
        : `${flow.name}: call ${k + 1} (${k === 0 ? 'the update claim' : op}) fails → 503, then the redelivery is processed exactly once`;
    it(title, async () => {
      // Prepare
      const r = await newReader(flow.firstContact);
      await flow.prepare?.(r);
      const before = await flow.read(r.id);
      const calls = rig.standIn.calls.length;
      const logs = rig.logger.lines.length;
      const ops = proxy.calls.length;

      // Act: the k-th store call and its retries are cut off; then Telegram redelivers.
      proxy.cutNext(SDK_ATTEMPTS, k);
      const first = await deliverOnce(() => flow.act(r));
      proxy.up();
      const cut = proxy.calls.slice(ops).filter((c) => c.cut);
      const again = await rig.deliver(first.update);

      // Assess
      expect(cut.map((c) => c.op)).toEqual(Array(SDK_ATTEMPTS).fill(op));
      expect(first.answer.statusCode).toBe(absorbed || completion ? 200 : 503);
      if (completion)
        expect(JSON.parse(String(again.body))).toEqual({ error: 'in progress', inProgress: true });
      else {
        expect(again.statusCode).toBe(200);
        expect(isDuplicate(again)).toBe(absorbed);
      }
      const after = await flow.read(r.id);
      const expected = Object.fromEntries(
        Object.entries(before).map(([key, v]) => [key, v + (flow.delta[key] ?? 0)]),
      );
      expect(after).toEqual(expected);
      // The reader was answered exactly as by one clean delivery: nothing twice, nothing missing.
      expect(okMethods(calls)).toEqual(cleanReplies.get(flow.name));
      const errors = rig.logger.lines.slice(logs).filter((l) => l.level !== 'WARN');
      expect(
        errors
          .map(describeLine)
          .filter((l) => !/could not record the update|could not mark the update done/.test(l)),
      ).toEqual([]);
    });
  }
});

describe('the store down until the webhook answered (the claim cannot be released)', () => {
  it('answers 503; a copy while the lease holds comes back later; the redelivery is processed once on a fresh instance', async () => {
    // Prepare: a second, cold instance on the same store and stand-in, whose clock is a minute
    // ahead: Telegram redelivering after the claim's lease expired.
    const later = createHeraldApp({
      config: rig.config,
      logger: new RecordingLogger(),
      token: TEST_TOKEN,
      webhookSecret: TEST_SECRET,
      doc: toDocumentClient(client),
      now: () => new Date(Date.now() + 60_000),
    });
    const r = await newReader();
    const before = await views('article-07');
    const logs = rig.logger.lines.length;
    const calls = rig.standIn.calls.length;

    // Act: down from the view's UpdateItem on (the claim went through), up after the answer.
    proxy.cutNext(Number.MAX_SAFE_INTEGER, 1);
    const first = await deliverOnce(() => r.u.press(r.first, '1:o:article-07'));
    proxy.up();
    const atOnce = await rig.deliver(first.update);
    const redelivered = await later.handleWebhook(webhookEvent(first.update, TEST_SECRET));
    await forwardWebhookReply(redelivered, rig.standIn.apiRoot, TEST_TOKEN);
    const again = await rig.deliver(first.update);

    // Assess: never dropped, never doubled.
    expect(first.answer.statusCode).toBe(503);
    expect(rig.logger.lines.slice(logs).map((l) => l.message)).toContain(
      'could not release the update claim',
    );
    expect([atOnce.statusCode, JSON.parse(String(atOnce.body)).inProgress]).toEqual([503, true]);
    expect([redelivered.statusCode, isDuplicate(redelivered)]).toEqual([200, false]);
    expect([again.statusCode, isDuplicate(again)]).toEqual([200, true]);
    expect(await views('article-07')).toBe(before + 1);
    const cards = rig.standIn.calls
      .slice(calls)
      .filter((c) => c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === r.id);
    expect(cards).toHaveLength(1);
  });
});

describe('DynamoDB Local killed while 200 updates are in flight', () => {
  const seed = fuzzSeed();
  type Planned = {
    reader: { u: SimulatedUser; id: number; first: StoredMessage };
    kind: 'open' | 'link' | 'sub' | 'unsub' | 'comment';
    article: string;
  };
  let planned: Planned[];
  let updates: Update[];
  const rounds: WebhookResult[][] = [];
  let logsFrom = 0;
  const baselineViews = new Map<string, number>();

  beforeAll(async () => {
    const rng = new Rng(seed);
    const readers = await mapPool(Array.from({ length: 40 }), 4, () => newReader());
    planned = [];
    for (const reader of readers) {
      // Each reader: a pending comment, an earlier subscription to drop, a new one, opens.
      const article = rng.pick(samplePublication(12).articles).id;
      await reader.u.press(reader.first, `1:pc:${article}`);
      await reader.u.press(reader.first, '1:s:ivanova');
      planned.push(
        { reader, kind: 'comment', article },
        { reader, kind: 'unsub', article },
        { reader, kind: 'sub', article },
      );
      for (let i = 0; i < 2; i++)
        planned.push({
          reader,
          kind: rng.chance(0.5) ? 'open' : 'link',
          article: rng.pick(samplePublication(12).articles).id,
        });
    }
    planned = rng.shuffle(planned);
    for (const a of samplePublication(12).articles) baselineViews.set(a.id, await views(a.id));
    logsFrom = rig.logger.lines.length;

    // Round 1: all at once; the store is killed once a third has been answered.
    const answers: WebhookResult[] = [];
    updates = new Array(planned.length);
    let answered = 0;
    let killed: Promise<void> | undefined;
    let current = -1;
    const previous = rig.onUserUpdate;
    rig.onUserUpdate = async (u) => {
      // The stand-in hands the update over synchronously inside the user action, so `current`
      // still names the action that produced it.
      const i = current;
      updates[i] = u;
      answers[i] = await rig.deliver(u);
      answered++;
      if (answered === Math.floor(planned.length / 3)) killed = db.kill();
    };
    const act = (p: Planned): Promise<Update> => {
      const { u, first } = p.reader;
      switch (p.kind) {
        case 'open':
          return u.press(first, `1:o:${p.article}`);
        case 'link':
          return u.send(`/start a_${p.article}`);
        case 'sub':
          return u.press(first, '1:s:jdoe');
        case 'unsub':
          return u.press(first, '1:x:ivanova');
        case 'comment':
          return u.send(`Comment from ${p.reader.id}`);
      }
    };
    await Promise.all(
      planned.map((p, i) => {
        current = i;
        return act(p);
      }),
    );
    rig.onUserUpdate = previous;
    await killed;
    rounds.push(answers);

    // Round 2: the store is back; Telegram redelivers everything (even what it got a 200 for).
    // Like Telegram, a delivery answered 503 "in progress" (a claim whose lease still runs: its
    // release died with the store) is retried a little later, until the lease has expired.
    await db.restart();
    const deliverUntilSettled = async (u: Update): Promise<WebhookResult> => {
      for (let attempt = 0; ; attempt++) {
        const answer = await rig.deliver(u);
        const inProgress = answer.statusCode === 503 && String(answer.body).includes('in progress');
        if (!inProgress || attempt >= 60) return answer;
        await new Promise((r) => setTimeout(r, 500));
      }
    };
    rounds.push(await mapPool(updates, 8, deliverUntilSettled));
    // Round 3: once more — all must now be duplicates.
    rounds.push(await mapPool(updates, 8, (u) => rig.deliver(u)));
  }, 90_000);

  it('answers 200 or 503 while the store dies, then 200', () => {
    const [r1, r2] = rounds;
    expect(updates.every((u) => u !== undefined)).toBe(true);
    const s1 = tally(r1!.map((r) => r.statusCode));
    // Which updates were still in flight when the store died depends on timing: every answer is
    // 200 or 503 (the per-call cuts above prove the 503 path deterministically), never a 5xx loop.
    expect(Object.keys(s1).every((code) => code === '200' || code === '503')).toBe(true);
    expect(tally(r2!.map((r) => r.statusCode))).toEqual({ 200: planned.length });
  });

  it('logs only the store outage itself: no update failed, nothing escaped', () => {
    const errors = rig.logger.lines.slice(logsFrom).filter((l) => l.level !== 'WARN');
    expect(
      errors.map(describeLine).filter((l) => !STORE_ERRORS.test(l.replace(/^ERROR (.*?) — .*$/, '$1'))),
    ).toEqual([]);
  });

  // The one window left (docs/architecture.md): processed and answered 200, then the store
  // died before the completion mark; this round redelivers even what got a 200 (Telegram does
  // only when the 200 was lost), after the lease, so such an update runs twice — logged.
  it('processes each update at most once (but a logged lost completion mark), and loses one only with a logged reason', () => {
    const lines = rig.logger.lines.slice(logsFrom);
    const logged = new Set(
      lines.filter((l) => STORE_ERRORS.test(l.message)).map((l) => l.attributes.updateId),
    );
    const unmarked = new Set(
      lines.filter((l) => l.message === 'could not mark the update done').map((l) => l.attributes.updateId),
    );
    const lost: number[] = [];
    planned.forEach((_, i) => {
      const handled = rounds.map((r) => r[i]!).filter((a) => a.statusCode === 200 && !isDuplicate(a)).length;
      expect(handled).toBeLessThanOrEqual(unmarked.has(updates[i]!.update_id) ? 2 : 1);
      if (handled === 0) lost.push(updates[i]!.update_id);
    });
    for (const id of lost) expect(logged.has(id)).toBe(true);
    // Round 3 was all duplicates.
    expect(rounds[2]!.every((a) => a.statusCode === 200 && isDuplicate(a))).toBe(true);
  });

  // The known half-writes (see the first describe) can leave a counter behind its items —
  // never ahead of them: in the burst jdoe only gains subscribers, ivanova only loses some,
  // and articles only gain comments.
  it('never moves a counter past its items: subscriptions and comments', async () => {
    const items =
      (await client.send(new ScanCommand({ TableName: rig.db.tableName, ConsistentRead: true }))).Items ?? [];
    const rows = items.map((i) => unmarshall(i));
    const subs = (h: string) => rows.filter((r) => r.kind === 'sub' && r.handle === h).length;
    expect(await subscribers('jdoe')).toBeLessThanOrEqual(subs('jdoe'));
    expect(await subscribers('ivanova')).toBeGreaterThanOrEqual(subs('ivanova'));
    const ahead: string[] = [];
    for (const a of samplePublication(12).articles) {
      const comments = rows.filter((r) => r.kind === 'comment' && r.articleId === a.id).length;
      const replies = (await rig.store.articles.getArticle(a.id))!.replies;
      if (replies > comments) ahead.push(`${a.id}: replies ${replies} > comments ${comments}`);
    }
    expect(ahead).toEqual([]);
  });

  it('counts a view for every reader whose open it processed, and at most one per run or failed attempt', async () => {
    // A view counts once per reader per article a day (issue 17, item 5), in the open's one
    // UpdateItem. A processed open counts its reader; an attempt answered 503 may have counted
    // too (the store can apply a write whose answer the kill swallowed).
    const off: string[] = [];
    for (const a of samplePublication(12).articles) {
      const opens = planned
        .map((p, i) => ({ p, i }))
        .filter(({ p }) => (p.kind === 'open' || p.kind === 'link') && p.article === a.id);
      const readersOf = (keep: (i: number) => boolean) =>
        new Set(opens.filter(({ i }) => keep(i)).map(({ p }) => p.reader.id)).size;
      const handled = readersOf((i) => rounds.some((r) => r[i]!.statusCode === 200 && !isDuplicate(r[i]!)));
      // At most once per run of an open, and per failed attempt (the write may have been applied);
      // a reader's repeat counts again only after another reader of its "last viewer" slot.
      const runs = opens.reduce(
        (n, { i }) => n + rounds.filter((r) => r[i]!.statusCode === 200 && !isDuplicate(r[i]!)).length,
        0,
      );
      const failed = opens.reduce((n, { i }) => n + rounds.filter((r) => r[i]!.statusCode === 503).length, 0);
      const v = (await rig.store.articles.getArticle(a.id))!.views - baselineViews.get(a.id)!;
      if (v < handled || v > runs + failed)
        off.push(
          `${a.id}: ${v} views for ${handled} readers processed and ${runs + failed} runs or failed attempts`,
        );
    }
    expect(off).toEqual([]);
  });
});

describe('Telegram failing', () => {
  let tg: Rig;
  beforeAll(async () => {
    tg = await startRig();
    await seedStore(tg.store, samplePublication(3));
  });
  afterAll(async () => {
    await tg?.stop();
  });

  it('waits out a 429 with retry_after 1: the reply arrives within the deadline', async () => {
    // Prepare
    const u = tg.user(8501);
    tg.standIn.injectFault(faults.tooManyRequests(1, { method: 'sendMessage', chatId: 8501 }));
    const t0 = Date.now();

    // Act
    await u.send('/latest');

    // Assess
    const elapsed = Date.now() - t0;
    const sends = tg.standIn.callsTo('sendMessage').filter((c) => c.params.chat_id === 8501);
    expect(sends.map((c) => c.errorCode ?? 200)).toEqual([429, 200]);
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(tg.config.handlerTimeoutMs);
    expect(tg.statuses.at(-1)).toBe(200);
    expect(tg.logger.errors()).toEqual([]);
  });

  it('retries a 500 once: the reply arrives', async () => {
    const u = tg.user(8502);
    tg.standIn.injectFault(faults.serverError({ method: 'sendMessage', chatId: 8502 }));

    await u.send('/latest');

    const sends = tg.standIn.callsTo('sendMessage').filter((c) => c.params.chat_id === 8502);
    expect(sends.map((c) => c.errorCode ?? 200)).toEqual([500, 200]);
    expect(tg.statuses.at(-1)).toBe(200);
    expect(tg.logger.errors()).toEqual([]);
  });

  it('gives up a 429 with retry_after 30 cleanly: 200 at once, error logged, nothing sent twice', async () => {
    // Prepare: the chat is rate-limited for 30 s (every call in it answers 429).
    const u = tg.user(8503);
    tg.standIn.injectFault({
      ...faults.tooManyRequests(30, { method: 'sendMessage', chatId: 8503 }),
      times: Number.POSITIVE_INFINITY,
    });
    const t0 = Date.now();

    // Act
    const { update, answer } = await (async () => {
      let res: WebhookResult | undefined;
      tg.onUserUpdate = async (x) => {
        res = await tg.deliver(x);
      };
      const up = await u.send('/latest');
      tg.onUserUpdate = async (x) => {
        await tg.deliver(x);
      };
      return { update: up, answer: res! };
    })();
    const elapsed = Date.now() - t0;
    tg.standIn.clearFaults();
    const redelivered = await tg.deliver(update);
    const callsAfter = tg.standIn.calls.length;
    await new Promise((r) => setTimeout(r, 1500));

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(elapsed).toBeLessThan(3000);
    const errors = tg.logger.errors();
    expect(errors.map((l) => l.message)).toEqual(['update failed']);
    expect(String((errors[0]!.attributes.error as Error).message)).toMatch(/429/);
    expect(tg.standIn.callsTo('sendMessage').filter((c) => c.params.chat_id === 8503 && c.ok)).toEqual([]);
    expect([redelivered.statusCode, isDuplicate(redelivered)]).toEqual([200, true]);
    // No retry fires later, after the answer.
    expect(tg.standIn.calls.length).toBe(callsAfter);
  });
});
