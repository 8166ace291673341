/**
 * Digests: N readers due in one 15-minute slot, each with 3 articles waiting, through the local
 * pipeline — the digest scheduler's run (due shards → write-ahead pages → queue) and the sender
 * (claim → the reader's entries and language → the digest message → the Bot API stand-in →
 * entries deleted → outcome, tally). Reports the build-and-send rate at a 1,000/s cap and at
 * 25/s, DynamoDB calls and capacity per reader, and readers who got no digest or more than one.
 *
 * Run alone with `npx tsx bench/digests.ts` (HERALD_BENCH_DIGEST_READERS sets N, default 2,000;
 * HERALD_BENCH_DIGEST_SLOW_READERS the 25/s run's size, default N/8).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createLocalAlerts } from '../functions/alerts/local-alerts';
import { digestRenderer } from '../functions/bot/digest-view';
import { alertRenderer } from '../functions/bot/views';
import { slotName, slotOf } from '../functions/core/delivery';
import { createI18n } from '../functions/i18n';
import { ensureTable, startEmbeddedStore } from '../functions/local/embedded-store';
import { createBotApiStandIn } from '../functions/local/telegram-stand-in';
import { createDynamoClient, toDocumentClient } from '../functions/store/client';
import { DigestRepository } from '../functions/store/digest-repository';
import { batchWriteAll, type WriteRequest } from '../functions/store/dynamo';
import { createStore } from '../functions/store/index';
import { digestEntryKey, dueKey, KIND } from '../functions/store/keys';
import { ReaderSettingsRepository } from '../functions/store/reader-settings-repository';
import { CapacityMeter } from './lib/capacity';
import { nowMs } from './lib/stats';
import { type BenchOptions, type Row, renderText } from './lib/table';

const SECTION = 'Digests';
const TOKEN = '123456789:BENCH-token-for-the-digest-stand-in0';
const ENTRIES_PER_READER = 3;

export const DIGESTS_METHOD = [
  `N readers (HERALD_BENCH_DIGEST_READERS, default 2,000) are due in the current slot, each with ${ENTRIES_PER_READER} articles`,
  'waiting (entries and due markers written with BatchWriteItem before the clock starts). The slot is run as',
  '`npm start` runs it: the scheduler pages through the 16 due shards and enqueues messages of 50 readers;',
  'the sender claims each reader, reads their entries and language, renders the digest, sends it to the',
  'stand-in, deletes the entries and records the outcome. Capacity is DynamoDB Local’s consumed capacity',
  '(transactions doubled, as AWS bills). The 25/s row runs a smaller slot (N/8, or HERALD_BENCH_DIGEST_SLOW_READERS) paced at 25 messages/s;',
  'the 100,000-reader times are computed from the measured rates.',
].join(' ');

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

interface SlotRun {
  readers: number;
  seconds: number;
  calls: number;
  wcu: number;
  rcu: number;
  lost: number;
  duplicated: number;
}

async function runSlot(readers: number, rate: number, log: (l: string) => void): Promise<SlotRun> {
  const embedded = await startEmbeddedStore();
  const client = createDynamoClient({ region: 'us-east-1', endpoint: embedded.endpoint });
  const standIn = createBotApiStandIn({
    token: TOKEN,
    botInfo: { id: 123456789, is_bot: true, first_name: 'Herald', username: 'HeraldBenchBot' },
  });
  try {
    const tableName = 'herald-bench-digests';
    await ensureTable(client, tableName);
    const doc = toDocumentClient(client);
    const meter = new CapacityMeter();
    meter.install(doc);
    const apiRoot = await standIn.start();
    const store = createStore(doc, tableName);
    const digests = new DigestRepository(doc, tableName);
    const i18n = createI18n();
    const alerts = createLocalAlerts({
      renderAlert: alertRenderer(i18n),
      renderDigest: digestRenderer(i18n),
      doc,
      store: {
        articles: store.articles,
        subscriptions: store.subscriptions,
        readers: new ReaderSettingsRepository(doc, tableName),
        digests,
      },
      config: { tableName, alertRatePerSecond: rate, adminIds: [] },
      telegram: { apiRoot, token: TOKEN },
      logger: new Logger({ logLevel: 'SILENT' }),
      messagesInFlight: 20,
    });
    const slot = slotOf(Date.now() - 2 * 60_000);
    const ids = Array.from({ length: readers }, (_, i) => 100_001 + i);
    const writes: WriteRequest[] = ids.flatMap((userId) => [
      { PutRequest: { Item: { ...dueKey(slotName(slot), userId), kind: KIND.digestDue, userId } } },
      ...Array.from({ length: ENTRIES_PER_READER }, (_, k) => ({
        PutRequest: {
          Item: {
            ...digestEntryKey(userId, `article-${k}`),
            kind: KIND.digestEntry,
            articleId: `article-${k}`,
            title: `Article number ${k + 1}: a title of an ordinary length for an opinion piece`,
            authorHandle: `author${k % 2}`,
            authorName: `Author ${k % 2}`,
            summary: 'The one line a digest shows under the title, cut at a sentence.',
            reason: 'daily',
            dueAt: slot,
            queuedAt: new Date(slot - 3600_000 + k).toISOString(),
          },
        },
      })),
    ]);
    log(`Digests: seeding ${fmt(readers)} readers…`);
    await batchWriteAll(doc, tableName, writes);
    await digests.advanceCursor(slot);
    meter.take();

    log(`Digests: running the slot at ${fmt(rate)}/s…`);
    const start = nowMs();
    await alerts.runDigests();
    do await alerts.drain();
    while (alerts.queue.size > 0);
    const seconds = (nowMs() - start) / 1000;
    const used = meter.take();
    let lost = 0;
    let duplicated = 0;
    for (const id of ids) {
      const n = standIn.messages(id).length;
      if (n === 0) lost += 1;
      if (n > 1) duplicated += 1;
    }
    await alerts.stop();
    return { readers, seconds, calls: used.calls, wcu: used.wcu, rcu: used.rcu, lost, duplicated };
  } finally {
    await standIn.stop();
    client.destroy();
    await embedded.stop();
  }
}

export async function runDigestsBench(opts: BenchOptions): Promise<Row[]> {
  const readers = Number(process.env.HERALD_BENCH_DIGEST_READERS ?? '2000');
  const fast = await runSlot(readers, 1000, opts.log);
  const slowReaders = Number(process.env.HERALD_BENCH_DIGEST_SLOW_READERS ?? Math.round(readers / 8));
  const slow = await runSlot(Math.max(50, slowReaders), 25, opts.log);
  const rate = (r: SlotRun) => r.readers / r.seconds;
  return [
    {
      section: SECTION,
      metric: `${fmt(fast.readers)} readers due in one slot, cap 1,000/s: build and send rate`,
      value: `${fmt(rate(fast), 0)} digests/s (${fmt(fast.seconds, 1)} s); tops out here on DynamoDB Local`,
      goal: 'informational',
    },
    {
      section: SECTION,
      metric: `${fmt(slow.readers)} readers due in one slot, cap 25/s: build and send rate`,
      value: `${fmt(rate(slow), 1)} digests/s (${fmt(slow.seconds, 1)} s)`,
      goal: '≈ 25/s (the cap)',
      ok: rate(slow) >= 22 && rate(slow) <= 26,
    },
    {
      section: SECTION,
      metric: 'DynamoDB per digest reader (slot run + sender)',
      value: `${fmt(fast.calls / fast.readers, 2)} calls, ${fmt(fast.wcu / fast.readers, 2)} WCU, ${fmt(fast.rcu / fast.readers, 2)} RCU`,
      goal: 'constant per reader',
    },
    {
      section: SECTION,
      metric: 'Lost / duplicated digests (both runs)',
      value: `${fast.lost + slow.lost} / ${fast.duplicated + slow.duplicated}`,
      goal: '0 / 0',
      ok: fast.lost + slow.lost === 0 && fast.duplicated + slow.duplicated === 0,
    },
    {
      section: SECTION,
      metric:
        fast.readers >= 100_000
          ? '100,000 readers in one slot (1,000/s: measured above; 25/s: computed from the cap)'
          : '100,000 readers in one slot (computed from the rates above)',
      value: `${fmt(100_000 / 25 / 60, 0)} min at 25/s; ${fmt(100_000 / Math.min(1000, rate(fast)) / 60, 1)} min at the 1,000/s cap as measured here`,
      goal: 'informational',
    },
  ];
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const log = (line: string) => process.stderr.write(`${line}\n`);
  runDigestsBench({ log })
    .then((rows) => process.stdout.write(`${renderText(rows)}\n`))
    .catch((err: unknown) => {
      process.stderr.write(
        `digests bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = 1;
    });
}
