/**
 * Alerts: one article published to an author with thousands of subscribers, sent through the
 * whole pipeline (fan-out → in-memory queue → sender → the Bot API stand-in) with Telegram's
 * faults: 5 % of chats answer 429 (retry_after 1–3 s) once, 2 % have blocked the bot (403),
 * 1 % answer 500 once. Reports the achieved send rate against the cap, alerts lost and
 * duplicated, blocked subscribers marked, and the DynamoDB and SQS calls per 1,000 subscribers.
 *
 * Also the alert bookkeeping per recipient (DynamoDB calls and capacity units) at 1,000 and
 * 100,000 recipients: see ALERT_COST_METHOD.
 *
 * Run alone with `npx tsx bench/alerts.ts` (`… cost` for the bookkeeping only); `npm run bench`
 * includes both.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { type DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CallCounter, countDynamoCalls } from '../functions/alerts/call-counter';
import { createLocalAlerts } from '../functions/alerts/local-alerts';
import { chunk, END_BATCH_ID } from '../functions/alerts/queue';
import type { SenderOptions } from '../functions/alerts/sender';
import { alertRenderer } from '../functions/bot/views';
import { publishArticle, publishAuthor } from '../functions/core/publishing';
import { createI18n } from '../functions/i18n';
import { ensureTable, startEmbeddedStore } from '../functions/local/embedded-store';
import { createBotApiStandIn, faults } from '../functions/local/telegram-stand-in';
import { createDynamoClient, toDocumentClient } from '../functions/store/client';
import { batchWriteAll } from '../functions/store/dynamo';
import { createStore } from '../functions/store/index';
import { KIND, subscribersPk, subscriptionKey } from '../functions/store/keys';
import { ReaderTopicRepository } from '../functions/store/reader-topic-repository';
import { runAlertFor } from '../test/helpers/alerts-rig';
import { eachLimit } from '../test/helpers/each-limit';
import { addCapacity, type Capacity, CapacityMeter, noCapacity } from './lib/capacity';
import { nowMs, seededRandom } from './lib/stats';
import { type BenchOptions, type Row, renderText } from './lib/table';

export type { Row } from './lib/table';

const SECTION = 'Alerts';
const TOKEN = '123456789:BENCH-token-for-the-stand-in-only-00';
const ADMIN = 1;

export interface AlertsScenario {
  /** Row label prefix. */
  label: string;
  subscribers: number;
  /** ALERT_RATE_PER_SECOND (one process: the whole cap). */
  ratePerSecond: number;
  /** Telegram's answer time for every sendMessage (the stand-in delays it). */
  latencyMs: number;
  /** Whether the achieved rate must reach 95 % of the cap (a goal), or what the row shows instead. */
  rateGoal: true | string;
  /** Sender overrides (e.g. the "every 429 pauses everyone" policy). */
  sender?: Partial<SenderOptions>;
  /** 429s answer retry_after 1–3 s by default; a fixed value when set. */
  retryAfter?: number;
  seed: number;
}

/** At 25/s, 10,000 sends take 400 s: the 25/s case runs 2,000 subscribers, the 10,000 case runs at 1000/s. */
export const ALERTS_SCENARIOS: readonly AlertsScenario[] = [
  {
    label: '25/s cap, 2,000 subs',
    subscribers: 2000,
    ratePerSecond: 25,
    latencyMs: 30,
    rateGoal: true,
    seed: 11,
  },
  {
    label: '1000/s cap, 10,000 subs',
    subscribers: 10_000,
    ratePerSecond: 1000,
    latencyMs: 30,
    rateGoal: 'where it tops out',
    seed: 12,
  },
  {
    label: '25/s, 200 subs, every 429 pauses all',
    subscribers: 200,
    ratePerSecond: 25,
    latencyMs: 30,
    rateGoal: 'the cost of that policy',
    sender: { flood: { window: 1, ratio: 1 } },
    retryAfter: 2,
    seed: 13,
  },
];

export const ALERTS_METHOD =
  'One process runs DynamoDB Local (in memory), the Bot API stand-in and the alert pipeline of `npm start` ' +
  '(functions/alerts/local-alerts.ts: the AWS fan-out and sender code over an in-memory queue with SQS’s ' +
  'redelivery). Subscribers are created with `subscriptions.subscribe` before the clock starts. A seeded ' +
  'random 5 % of chats answer their first sendMessage with 429 (retry_after 1–3 s), 2 % have blocked the ' +
  'bot (403 on every send, via the stand-in’s user side), 1 % answer 500 once; every answer takes 30 ms. ' +
  'Send rate = sendMessage requests (retries included: they count against Telegram’s limit) divided by ' +
  'the time from the first to the last request. Lost = active subscribers with no alert; duplicates = ' +
  'alerts beyond the first per chat; blocked marked = blocked subscribers absent from the author’s ' +
  'subscriber index afterwards. DynamoDB calls are counted by a middleware on the client (fan-out, ' +
  'sender and reports; not the setup); SQS-equivalent calls are the in-memory queue’s SendMessageBatch ' +
  'and ReceiveMessage calls (on AWS the event source makes the receives). At 1000/s the single process ' +
  '(DynamoDB Local, the SDK, the stand-in and the sender on one event loop) is the ceiling, not the pacer. The ' +
  'last case shows the cost of pausing every send on every 429 (a lone 429 only delays its recipient ' +
  'in the default policy; see FloodDetector in functions/alerts/pacer.ts).';

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** What one local run measured, for the scale model's check (bench/scale.ts). */
export interface AlertsMeasurement {
  rows: Row[];
  /** From the article's INSERT-equivalent (the run's start) to 50/90/99 % of the sent alerts. */
  times?: { p50Ms: number; p90Ms: number; p99Ms: number };
  /** The process's CPU time per sendMessage request during the run (ms). */
  cpuMsPerRequest: number;
  lost: number;
  duplicates: number;
}

async function runScenario(s: AlertsScenario, opts: BenchOptions): Promise<Row[]> {
  return (await measureScenario(s, opts)).rows;
}

/** Runs one scenario and returns its rows with the figures the scale model is checked against. */
export async function measureScenario(s: AlertsScenario, opts: BenchOptions): Promise<AlertsMeasurement> {
  const embedded = await startEmbeddedStore();
  const client = createDynamoClient({ region: 'us-east-1', endpoint: embedded.endpoint });
  const standIn = createBotApiStandIn({
    token: TOKEN,
    botInfo: { id: 123456789, is_bot: true, first_name: 'Herald', username: 'HeraldBenchBot' },
  });
  try {
    const tableName = 'herald-bench';
    await ensureTable(client, tableName);
    const doc = toDocumentClient(client);
    const store = createStore(doc, tableName);
    const apiRoot = await standIn.start();
    const ddb = new CallCounter();
    const sqs = new CallCounter();
    countDynamoCalls(doc, ddb);

    // Prepare: the author, the subscribers, the faults, the article.
    const setupStarted = nowMs();
    const handle = 'bench_author';
    await publishAuthor(store, { handle, fullName: 'Bench Author', userSince: '2008-03-15' });
    const users = Array.from({ length: s.subscribers }, (_, i) => 100_000 + i);
    await eachLimit(users, 32, (id) => store.subscriptions.subscribe(id, handle));
    const rng = seededRandom(s.seed);
    const blocked = new Set<number>();
    let limited = 0;
    let erroring = 0;
    for (const id of users) {
      const r = rng();
      if (r < 0.05) {
        const retryAfter = s.retryAfter ?? 1 + Math.floor(rng() * 3);
        standIn.injectFault(faults.tooManyRequests(retryAfter, { method: 'sendMessage', chatId: id }));
        limited += 1;
      } else if (r < 0.07) {
        await standIn.user({ id, first_name: `Reader ${id}` }).block();
        blocked.add(id);
      } else if (r < 0.08) {
        standIn.injectFault(faults.serverError({ method: 'sendMessage', chatId: id }));
        erroring += 1;
      }
    }
    // After the per-chat faults, so those answer first; every other answer takes latencyMs.
    if (s.latencyMs > 0) {
      standIn.injectFault({
        ...faults.slow(s.latencyMs, { method: 'sendMessage' }),
        times: Number.POSITIVE_INFINITY,
      });
    }
    const articleId = 'bench-article';
    await publishArticle(store, {
      id: articleId,
      title: 'A benchmark article',
      authorHandle: handle,
      body: 'A paragraph of text.\n\nAnother paragraph.',
      publishedAt: '2026-11-25T08:00:00Z',
    });
    const alerts = createLocalAlerts({
      renderAlert: alertRenderer(createI18n()),
      doc,
      store,
      config: { tableName, alertRatePerSecond: s.ratePerSecond, adminIds: [ADMIN] },
      telegram: { apiRoot, token: TOKEN },
      logger: new Logger({ logLevel: 'SILENT' }),
      counter: sqs,
      ...(s.sender ? { sender: s.sender } : {}),
    });
    opts.log(
      `  ${s.label}: ${s.subscribers} subscribers ready in ${fmt((nowMs() - setupStarted) / 1000, 1)} s ` +
        `(${limited} answer 429, ${blocked.size} blocked, ${erroring} answer 500 once)`,
    );

    // Act
    ddb.reset();
    const callsBefore = standIn.calls.length;
    const started = nowMs();
    const cpuBefore = process.cpuUsage();
    const report = await runAlertFor(alerts, articleId);
    const seconds = (nowMs() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);

    // Assess
    const sends = standIn.calls.slice(callsBefore).filter((c) => c.method === 'sendMessage');
    const span = ((sends.at(-1)?.at ?? 0) - (sends[0]?.at ?? 0)) / 1000;
    const rate = span > 0 ? sends.length / span : 0;
    const active = users.filter((id) => !blocked.has(id));
    const lost = active.filter((id) => standIn.messages(id).length === 0).length;
    const duplicates = users.reduce((n, id) => n + Math.max(0, standIn.messages(id).length - 1), 0);
    const listed = new Set<number>();
    let cursor: string | undefined;
    do {
      const page = await store.subscriptions.subscribersPage(handle, cursor, 1000);
      for (const id of page.userIds) listed.add(id);
      cursor = page.next;
    } while (cursor !== undefined);
    const marked = [...blocked].filter((id) => !listed.has(id)).length;
    const per1000 = (n: number) => (n / s.subscribers) * 1000;
    const share = rate / s.ratePerSecond;
    const l = s.label;
    opts.log(`  ${l}: ${sends.length} sendMessage calls in ${fmt(seconds, 1)} s`);
    // The whole process's CPU (DynamoDB Local's JVM is another process): sender, stand-in, SDK.
    const cpuMsPerRequest = (cpu.user + cpu.system) / 1000 / Math.max(1, sends.length);
    const t = report?.times;

    const rows: Row[] = [
      {
        section: SECTION,
        metric: `${l}: send rate (requests/s)`,
        value: `${fmt(rate, 1)}/s = ${fmt(share * 100, 1)} % of cap (${fmt(seconds, 1)} s, ${fmt(sends.length)} requests)`,
        ...(s.rateGoal === true ? { goal: '≥ 95 % of cap', ok: share >= 0.95 } : { goal: s.rateGoal }),
      },
      {
        section: SECTION,
        metric: `${l}: alerts lost / duplicated`,
        value: `${lost} / ${duplicates}`,
        goal: '0 / 0',
        ok: lost === 0 && duplicates === 0,
      },
      {
        section: SECTION,
        metric: `${l}: blocked marked inactive`,
        value: `${marked} of ${blocked.size}`,
        goal: 'all',
        ok: marked === blocked.size,
      },
      {
        section: SECTION,
        metric: `${l}: report (sent/blocked/failed of total)`,
        value: report ? `${report.sent}/${report.blocked}/${report.failed} of ${report.total}` : 'none',
        goal: 'adds up, 0 failed',
        ok:
          report !== undefined &&
          report.sent + report.blocked + report.failed === report.total &&
          report.failed === 0,
      },
      {
        section: SECTION,
        metric: `${l}: DynamoDB calls per 1,000 subs`,
        value: `${fmt(per1000(ddb.total()))} (${Object.entries(ddb.snapshot())
          .map(([op, n]) => `${op.replace(/Command$/, '')} ${fmt(per1000(n))}`)
          .join(', ')})`,
      },
      {
        section: SECTION,
        metric: `${l}: SQS-equivalent calls per 1,000 subs`,
        value: `${fmt(per1000(sqs.total()), 1)} (SendMessageBatch ${fmt(per1000(sqs.get('SendMessageBatch')), 1)}, ReceiveMessage ${fmt(per1000(sqs.get('ReceiveMessage')), 1)})`,
      },
      {
        section: SECTION,
        metric: `${l}: 429s seen / global pauses`,
        value: `${alerts.sender.stats.rateLimited} / ${alerts.sender.stats.globalPauses}`,
      },
      {
        section: SECTION,
        metric: `${l}: time to 50 / 90 / 99 % (delivery report)`,
        value: t
          ? `${fmt(t.p50Ms / 1000, 1)} / ${fmt(t.p90Ms / 1000, 1)} / ${fmt(t.p99Ms / 1000, 1)} s`
          : 'none',
      },
    ];
    return {
      rows,
      ...(t ? { times: { p50Ms: t.p50Ms, p90Ms: t.p90Ms, p99Ms: t.p99Ms } } : {}),
      cpuMsPerRequest,
      lost,
      duplicates,
    };
  } finally {
    await standIn.stop();
    client.destroy();
    await embedded.stop();
  }
}

/** Runs every scenario (or the ones given) and returns the rows for the bench table. */
export async function runAlertsBench(
  opts: BenchOptions & { scenarios?: readonly AlertsScenario[] },
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const s of opts.scenarios ?? ALERTS_SCENARIOS) {
    opts.log(`Alerts: ${s.label}…`);
    rows.push(...(await runScenario(s, opts)));
  }
  return rows;
}

// ----- bookkeeping cost per recipient ------------------------------------------------------

/** One audience size of the bookkeeping measurement. */
export interface AlertCostSize {
  recipients: number;
  /**
   * Recipient batches the sender runs for real (half from the start of the run, half from its
   * end); the rest is extrapolated from their average. Undefined: every batch (a full run).
   */
  sampleBatches?: number;
}

/** 1 k in full; 100 k with its fan-out in full and 20 of its 2,000 sender batches. */
export const ALERT_COST_SIZES: readonly AlertCostSize[] = [
  { recipients: 1000 },
  { recipients: 100_000, sampleBatches: 20 },
];

export const ALERT_COST_METHOD =
  'Alert bookkeeping per recipient: the DynamoDB calls and capacity units of one article’s alert run, ' +
  'divided by its recipients, at 1,000 and 100,000 subscribers. A middleware on the document client sets ' +
  '`ReturnConsumedCapacity: TOTAL` on every call and sums the units DynamoDB Local reports (bench/lib/capacity.ts); ' +
  'DynamoDB Local reports a TransactWriteItems at the standard rate, so its units are doubled to what AWS bills. ' +
  'Subscribers are real subscription rows on the fan-out index, written with BatchWriteItem before the ' +
  'clock starts (100,000 subscribe transactions would take minutes). No faults: every send succeeds, so ' +
  'the figures are the normal path (a failed condition, a 429 or a redelivery adds calls). The fan-out runs ' +
  'in full at both sizes (every page: Query, the page written ahead, the run advanced). At 1,000 the sender ' +
  'then runs every queue message for real (the stand-in answers each sendMessage). At 100,000, 100,000 real ' +
  'sends would take minutes, so the sender runs a sample: the first and the last batches of the run, ' +
  'each through the real sender and the stand-in; the run’s total is the fan-out as measured + ' +
  'the sampled batches’ average × every batch + the `end` message as measured + the delivery report’s ' +
  'extra cost as measured in the 1,000 run (a 100,000 run with only a sample sent never completes, so ' +
  'it never reports). “Largest write” is the most WCU one write call consumed: no alert item grows ' +
  'with the audience, so it is the same at both sizes.';

interface AlertCost {
  recipients: number;
  fanout: Capacity;
  /** Average of the sampled (or all) recipient batches that did not carry the report. */
  perBatch: Capacity;
  firstBatches: Capacity;
  lastBatches: Capacity;
  batchesMeasured: number;
  batchesTotal: number;
  /** The `end` message, as measured at this size. */
  end: Capacity;
  /** What the batch that claimed the report cost beyond an average batch (measured in a full run). */
  reportExtra: Capacity;
  reportMeasuredHere: boolean;
  total: Capacity;
  seconds: number;
}

const average = (list: readonly Capacity[]): Capacity => {
  const sum = list.reduce((acc, c) => addCapacity(acc, c), noCapacity());
  const n = Math.max(1, list.length);
  return {
    calls: sum.calls / n,
    wcu: sum.wcu / n,
    rcu: sum.rcu / n,
    byOperation: Object.fromEntries(Object.entries(sum.byOperation).map(([op, c]) => [op, c / n])),
    largestWrite: sum.largestWrite,
  };
};

const minus = (a: Capacity, b: Capacity): Capacity => {
  const byOperation = { ...a.byOperation };
  for (const [op, n] of Object.entries(b.byOperation)) byOperation[op] = (byOperation[op] ?? 0) - n;
  return {
    calls: a.calls - b.calls,
    wcu: a.wcu - b.wcu,
    rcu: a.rcu - b.rcu,
    byOperation,
    largestWrite: a.largestWrite,
  };
};

async function measureAlertCost(
  size: AlertCostSize,
  env: { doc: DynamoDBDocumentClient; client: DynamoDBClient; apiRoot: string; meter: CapacityMeter },
  reportExtraFromFullRun: Capacity | undefined,
  opts: BenchOptions,
): Promise<AlertCost> {
  const { doc, meter } = env;
  const n = size.recipients;
  const tableName = `herald-cost-${n}`;
  await ensureTable(env.client, tableName);
  // The fan-out is called directly here, so the stream has no reader; its records only slow
  // DynamoDB Local's writes down (measured: 20,000 rows took 34 s with it, 22 s without).
  await env.client.send(
    new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }),
  );
  const store = createStore(doc, tableName);

  // Prepare: the author, n subscription rows on the fan-out index, the article.
  const setupStarted = nowMs();
  const handle = 'cost_author';
  await publishAuthor(store, { handle, fullName: 'Cost Author', userSince: '2008-03-15' });
  // Ids of one width (7 digits) at both sizes, so the pages' item sizes compare.
  const requests = Array.from({ length: n }, (_, i) => {
    const userId = 1_000_000 + i;
    return {
      PutRequest: {
        Item: {
          ...subscriptionKey(userId, handle),
          kind: KIND.subscription,
          userId,
          handle,
          createdAt: '2026-11-30T08:00:00.000Z',
          gsi1pk: subscribersPk(handle),
          gsi1sk: String(userId),
        },
      },
    };
  });
  // Four writers of 4 BatchWriteItem calls each: DynamoDB Local takes ~16 in flight well.
  const groups = chunk(requests, Math.ceil(n / 4));
  await Promise.all(groups.map((g) => batchWriteAll(doc, tableName, g)));
  const articleId = 'cost-article';
  await publishArticle(store, {
    id: articleId,
    title: 'An article for the cost measurement',
    authorHandle: handle,
    body: 'A paragraph of text.',
    publishedAt: '2026-11-30T08:00:00Z',
  });
  const alerts = createLocalAlerts({
    renderAlert: alertRenderer(createI18n()),
    doc,
    // As the sender Lambda: each reader recipient's choice of topics per author is read at send time.
    store: { ...store, readerTopics: new ReaderTopicRepository(doc, tableName) },
    config: { tableName, alertRatePerSecond: 1000, adminIds: [ADMIN] },
    telegram: { apiRoot: env.apiRoot, token: TOKEN },
    logger: new Logger({ logLevel: 'SILENT' }),
  });
  opts.log(`  ${fmt(n)} recipients: subscribers written in ${fmt((nowMs() - setupStarted) / 1000, 1)} s`);
  meter.take();

  // Act: the fan-out in full.
  const started = nowMs();
  const fanned = await alerts.fanOut(articleId);
  const fanout = meter.take();
  if (fanned?.total !== n) throw new Error(`fan-out enqueued ${fanned?.total} of ${n} recipients`);

  // The sender: every batch, or the first and last ones; then the `end` message.
  const deliveries = alerts.queue.receive(alerts.queue.size);
  const batches = deliveries.filter((d) => d.message.batchId !== END_BATCH_ID);
  const endDelivery = deliveries.find((d) => d.message.batchId === END_BATCH_ID);
  if (!endDelivery) throw new Error('the fan-out enqueued no end message');
  const half = size.sampleBatches === undefined ? batches.length : Math.floor(size.sampleBatches / 2);
  const sample =
    size.sampleBatches === undefined ? batches : [...batches.slice(0, half), ...batches.slice(-half)];
  const costs: Array<{ index: number; cost: Capacity }> = [];
  let reportBatch: Capacity | undefined;
  for (const d of sample) {
    const out = await alerts.sender.processMessage(d.message, { receiveCount: d.receiveCount });
    const cost = meter.take();
    if (!out.complete) throw new Error(`batch ${d.message.batchId} did not complete`);
    if (out.report) reportBatch = cost;
    else costs.push({ index: batches.indexOf(d), cost });
  }
  const endOut = await alerts.sender.processMessage(endDelivery.message, { receiveCount: 1 });
  const end = meter.take();
  if (endOut.report) throw new Error('the end message claimed the report (the last batch should have)');
  const seconds = (nowMs() - started) / 1000;

  const perBatch = average(costs.map((c) => c.cost));
  const reportExtra = reportBatch ? minus(reportBatch, perBatch) : reportExtraFromFullRun;
  if (!reportExtra) throw new Error('no full run measured the delivery report');
  const total = addCapacity(addCapacity(addCapacity(fanout, perBatch, batches.length), end), reportExtra);
  const mid = batches.length / 2;
  return {
    recipients: n,
    fanout,
    perBatch,
    firstBatches: average(costs.filter((c) => c.index < mid).map((c) => c.cost)),
    lastBatches: average(costs.filter((c) => c.index >= mid).map((c) => c.cost)),
    batchesMeasured: sample.length,
    batchesTotal: batches.length,
    end,
    reportExtra,
    reportMeasuredHere: reportBatch !== undefined,
    total: { ...total, largestWrite: Math.max(fanout.largestWrite, perBatch.largestWrite, end.largestWrite) },
    seconds,
  };
}

function costRows(c: AlertCost): Row[] {
  const n = c.recipients;
  const per = (x: number) => fmt(x / n, 3);
  const how =
    c.batchesMeasured === c.batchesTotal
      ? 'measured in full'
      : `fan-out measured in full; sender measured on ${fmt(c.batchesMeasured)} of ${fmt(c.batchesTotal)} batches (the first and last ${fmt(c.batchesMeasured / 2)}) and extrapolated; report cost from the 1,000 run`;
  const ops = Object.entries(c.total.byOperation)
    .filter(([, k]) => k > 0)
    .map(([op, k]) => `${op} ${per(k)}`)
    .join(', ');
  const l = `Alert bookkeeping, ${fmt(n)} recipients`;
  return [
    {
      section: SECTION,
      metric: `${l}: WCU / RCU per recipient`,
      value:
        `${per(c.total.wcu)} WCU, ${per(c.total.rcu)} RCU (fan-out ${per(c.fanout.wcu)} WCU; sender ` +
        `${per(c.perBatch.wcu * c.batchesTotal)} WCU = ${fmt(c.perBatch.wcu, 1)} per batch of 50; end message and report ` +
        `${per(c.end.wcu + c.reportExtra.wcu)} WCU) — ${how}`,
    },
    {
      section: SECTION,
      metric: `${l}: DynamoDB calls per recipient`,
      value: `${per(c.total.calls)} (${ops})`,
    },
    {
      section: SECTION,
      metric: `${l}: largest write`,
      value: `${fmt(c.total.largestWrite, 1)} WCU in one call (measured in ${fmt(c.seconds, 1)} s)`,
    },
  ];
}

/**
 * Measures the alert bookkeeping per recipient at each size (in order; the first must be a
 * full run, which measures the delivery report) and returns the rows, with the comparison of
 * the last size against the first.
 */
export async function runAlertCostBench(
  opts: BenchOptions & { sizes?: readonly AlertCostSize[] },
): Promise<Row[]> {
  const sizes = opts.sizes ?? ALERT_COST_SIZES;
  const embedded = await startEmbeddedStore();
  const client = createDynamoClient({ region: 'us-east-1', endpoint: embedded.endpoint });
  const standIn = createBotApiStandIn({
    token: TOKEN,
    botInfo: { id: 123456789, is_bot: true, first_name: 'Herald', username: 'HeraldBenchBot' },
  });
  try {
    const doc = toDocumentClient(client);
    const meter = new CapacityMeter();
    meter.install(doc);
    const apiRoot = await standIn.start();
    const results: AlertCost[] = [];
    for (const size of sizes) {
      opts.log(`Alert bookkeeping: ${fmt(size.recipients)} recipients…`);
      const full = results.find((r) => r.reportMeasuredHere);
      results.push(await measureAlertCost(size, { doc, client, apiRoot, meter }, full?.reportExtra, opts));
    }
    const rows = results.flatMap(costRows);
    const first = results[0];
    const last = results.at(-1);
    if (first && last && last !== first) {
      const perRecipient = (c: AlertCost) => c.total.wcu / c.recipients;
      const ratio = perRecipient(last) / perRecipient(first);
      const calls = last.total.calls / last.recipients / (first.total.calls / first.recipients);
      rows.push({
        section: SECTION,
        metric: `Alert bookkeeping per recipient, ${fmt(last.recipients)} vs ${fmt(first.recipients)}`,
        value: `${fmt(ratio, 3)}× the WCU, ${fmt(calls, 3)}× the calls`,
        goal: 'constant (within 5 %)',
        ok: Math.abs(ratio - 1) <= 0.05 && Math.abs(calls - 1) <= 0.05,
      });
      rows.push({
        section: SECTION,
        metric: `Alert bookkeeping at ${fmt(last.recipients)}: first vs last batches of the run`,
        value: `${fmt(last.firstBatches.wcu, 2)} vs ${fmt(last.lastBatches.wcu, 2)} WCU per batch`,
        goal: 'equal (no item grows)',
        ok: Math.abs(last.firstBatches.wcu - last.lastBatches.wcu) <= 0.01 * last.firstBatches.wcu,
      });
    }
    return rows;
  } finally {
    await standIn.stop();
    client.destroy();
    await embedded.stop();
  }
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const log = (line: string) => process.stderr.write(`${line}\n`);
  // `npx tsx bench/alerts.ts cost` measures only the bookkeeping per recipient.
  const onlyCost = process.argv.includes('cost');
  (async () => [...(onlyCost ? [] : await runAlertsBench({ log })), ...(await runAlertCostBench({ log }))])()
    .then((rows) => process.stdout.write(`${renderText(rows)}\n`))
    .catch((err: unknown) => {
      process.stderr.write(
        `alerts bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = 1;
    });
}
