/**
 * Alerts: one article published to an author with thousands of subscribers, sent through the
 * whole pipeline (fan-out → in-memory queue → sender → the Bot API stand-in) with Telegram's
 * faults: 5 % of chats answer 429 (retry_after 1–3 s) once, 2 % have blocked the bot (403),
 * 1 % answer 500 once. Reports the achieved send rate against the cap, alerts lost and
 * duplicated, blocked subscribers marked, and the DynamoDB and SQS calls per 1,000 subscribers.
 *
 * Run alone with `npx tsx bench/alerts.ts`; `npm run bench` can include it via runAlertsBench.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { CallCounter, countDynamoCalls } from '../functions/alerts/call-counter';
import { createLocalAlerts } from '../functions/alerts/local-alerts';
import type { SenderOptions } from '../functions/alerts/sender';
import { publishArticle, publishAuthor } from '../functions/core/publishing';
import { createBotApiStandIn, faults } from '../functions/local/bot-api-stand-in';
import { ensureTable, startEmbeddedStore } from '../functions/local/embedded-store';
import { createDynamoClient, toDocumentClient } from '../functions/store/client';
import { createStore } from '../functions/store/index';
import { runAlertFor } from '../test/helpers/alerts-rig';
import { eachLimit } from '../test/helpers/each-limit';
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

async function runScenario(s: AlertsScenario, opts: BenchOptions): Promise<Row[]> {
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
    const report = await runAlertFor(alerts, articleId);
    const seconds = (nowMs() - started) / 1000;

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

    return [
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
    ];
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

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  runAlertsBench({ log: (line) => process.stderr.write(`${line}\n`) })
    .then((rows) => process.stdout.write(`${renderText(rows)}\n`))
    .catch((err: unknown) => {
      process.stderr.write(
        `alerts bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = 1;
    });
}
