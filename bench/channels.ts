/**
 * Channels and groups: one article by an author whom 50 connected channels and 2,000 groups
 * follow (issue 15). The channel poster and the alert pipeline (fan-out → in-memory queue →
 * sender) run at once against the Bot API stand-in — which enforces Telegram's per-chat limit
 * (about 20 messages a minute per group or channel: 429 after) — sharing one pacer at the
 * global rate, as `npm start` does. Reports the time until every channel and group has the
 * article, and how many got none (lost) or more than one (duplicated).
 *
 * Run alone with `npx tsx bench/channels.ts`; `npm run bench` includes it.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Telegram } from 'telegraf';
import { ChannelPoster, telegrafChannelTransport } from '../functions/alerts/channel-poster';
import { createLocalAlerts } from '../functions/alerts/local-alerts';
import { channelPostView, channelRemovedView, groupAlertRenderer } from '../functions/bot/channel-card';
import { alertRenderer } from '../functions/bot/views';
import { publishArticle, publishAuthor } from '../functions/core/publishing';
import { createI18n, createTranslator } from '../functions/i18n';
import { ensureTable, startEmbeddedStore } from '../functions/local/embedded-store';
import { createBotApiStandIn } from '../functions/local/telegram-stand-in';
import { ChannelRepository } from '../functions/store/channel-repository';
import { createDynamoClient, toDocumentClient } from '../functions/store/client';
import { GroupRepository } from '../functions/store/group-repository';
import { createStore } from '../functions/store/index';
import { runAlertFor } from '../test/helpers/alerts-rig';
import { eachLimit } from '../test/helpers/each-limit';
import { nowMs } from './lib/stats';
import { type BenchOptions, type Row, renderText } from './lib/table';

const SECTION = 'Channels and groups';
const TOKEN = '123456789:BENCH-token-for-the-stand-in-only-00';
const BOT = { id: 123456789, is_bot: true as const, first_name: 'Herald', username: 'HeraldBenchBot' };
const CHANNELS = 50;
const GROUPS = 2_000;
/** The global rate: Telegram's paid-broadcast tier, so the run fits the bench's time budget. */
const RATE = 100;

export const CHANNELS_METHOD =
  `One article by an author whom ${CHANNELS} channels (rule: that author) and ${GROUPS.toLocaleString('en-US')} groups ` +
  '(a quarter of them in a forum topic) follow, on the embedded DynamoDB Local. The channel poster ' +
  '(functions/alerts/channel-poster.ts) and the alert pipeline (functions/alerts/local-alerts.ts: fan-out, ' +
  'in-memory queue, sender) run at once against the Bot API stand-in, sharing one pacer at the global rate ' +
  `(${RATE}/s, Telegram's paid-broadcast tier; at the free 25–30/s the same run takes about four times as long). ` +
  "The stand-in answers 429 after 20 messages a minute into one group or channel (Telegram's per-chat limit) " +
  'and refuses a topic that does not exist. Time is from the publication until every channel and group has ' +
  'the article; lost = a channel or group with no message, duplicated = one with more than one.';

export async function runChannelsBench(opts: BenchOptions): Promise<Row[]> {
  const embedded = await startEmbeddedStore();
  const client = createDynamoClient({ region: 'us-east-1', endpoint: embedded.endpoint });
  const standIn = createBotApiStandIn({ token: TOKEN, botInfo: BOT });
  try {
    const tableName = 'herald-bench-channels';
    await ensureTable(client, tableName);
    const doc = toDocumentClient(client);
    const store = createStore(doc, tableName);
    const channels = new ChannelRepository(doc, tableName);
    const groups = new GroupRepository(doc, tableName);
    const apiRoot = await standIn.start();
    const logger = new Logger({ logLevel: 'SILENT' });

    // Prepare: the author, the channels (the bot an admin allowed to post), the groups.
    const handle = 'bench_author';
    await publishAuthor(store, { handle, fullName: 'Bench Author', userSince: '2008-03-15' });
    const channelIds = Array.from({ length: CHANNELS }, (_, i) => -1_008_000_000_000 - i);
    for (const chatId of channelIds) {
      standIn.createChat({ id: chatId, type: 'channel', title: `Channel ${i(chatId)}` });
      await standIn.setBotMember(
        chatId,
        { status: 'administrator', can_post_messages: true },
        { id: 1, first_name: 'Admin' },
      );
      await channels.addChannel({ chatId, rule: { mode: 'authors', authors: [handle] }, status: 'active' });
    }
    const groupIds = Array.from({ length: GROUPS }, (_, n) => -1_009_000_000_000 - n);
    await eachLimit(groupIds, 32, async (chatId) => {
      const forum = chatId % 4 === 0;
      standIn.createChat({
        id: chatId,
        type: 'supergroup',
        title: `Group ${chatId}`,
        ...(forum ? { is_forum: true } : {}),
      });
      const threadId = forum ? standIn.openTopic(chatId) : undefined;
      await groups.subscribe({ chatId, ...(threadId !== undefined ? { threadId } : {}) }, handle);
    });
    const alerts = createLocalAlerts({
      renderAlert: alertRenderer(createI18n()),
      renderGroupAlert: groupAlertRenderer(createI18n(), BOT.username),
      doc,
      store: { ...store, groups },
      config: { tableName, alertRatePerSecond: RATE, adminIds: [] },
      telegram: { apiRoot, token: TOKEN },
      logger,
    });
    const t = createTranslator('en');
    const poster = new ChannelPoster({
      channels,
      articles: store.articles,
      transport: telegrafChannelTransport(new Telegram(TOKEN, { apiRoot })),
      pacer: alerts.pacer,
      logger,
      adminIds: [],
      renderPost: (meta) => channelPostView(meta, BOT.username, t),
      renderRemoved: (title) => channelRemovedView(title, t),
    });
    const articleId = 'bench-channels';
    await publishArticle(store, {
      id: articleId,
      title: 'A benchmark article',
      authorHandle: handle,
      body: 'A paragraph of text.\n\nAnother paragraph.',
      publishedAt: '2026-11-30T08:00:00Z',
    });
    const meta = await store.articles.getArticle(articleId, true);
    if (!meta) throw new Error('the bench article is missing');
    opts.log(`  ${CHANNELS} channels and ${GROUPS} groups ready`);

    // Act
    const callsBefore = standIn.calls.length;
    const started = nowMs();
    const [report] = await Promise.all([runAlertFor(alerts, articleId), poster.postArticle(meta)]);
    const seconds = (nowMs() - started) / 1000;

    // Assess
    const counts = [...channelIds, ...groupIds].map((id) => standIn.messages(id).length);
    const lost = counts.filter((n) => n === 0).length;
    const duplicated = counts.filter((n) => n > 1).length;
    const inTopic = groupIds
      .filter((id) => id % 4 === 0)
      .filter((id) => standIn.messages(id)[0]?.message_thread_id !== undefined).length;
    const limited = standIn.calls.slice(callsBefore).filter((c) => c.errorCode === 429).length;
    const total = CHANNELS + GROUPS;
    opts.log(`  all posted in ${seconds.toFixed(1)} s`);
    return [
      {
        section: SECTION,
        metric: `${CHANNELS} channels + ${GROUPS.toLocaleString('en-US')} groups: time until all have the article`,
        value: `${seconds.toFixed(1)} s at ${RATE}/s (${(total / seconds).toFixed(1)} messages/s)`,
        goal: `≥ 90 % of the cap`,
        ok: total / seconds >= 0.9 * RATE,
      },
      {
        section: SECTION,
        metric: 'lost / duplicated',
        value: `${lost} / ${duplicated}`,
        goal: '0 / 0',
        ok: lost === 0 && duplicated === 0,
      },
      {
        section: SECTION,
        metric: 'forum groups alerted in their topic',
        value: `${inTopic} of ${GROUPS / 4}`,
        goal: 'all',
        ok: inTopic === GROUPS / 4,
      },
      {
        section: SECTION,
        metric: "429s from the per-chat limit / the groups' report",
        value: `${limited} / ${report ? `${report.sent} sent, ${report.failed} failed of ${report.total}` : 'none'}`,
      },
    ];
  } finally {
    await standIn.stop();
    client.destroy();
    await embedded.stop();
  }
}

/** A channel's number for its title. */
function i(chatId: number): number {
  return -1_008_000_000_000 - chatId;
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const log = (line: string) => process.stderr.write(`${line}\n`);
  runChannelsBench({ log })
    .then((rows) => process.stdout.write(`${renderText(rows)}\n`))
    .catch((err: unknown) => {
      process.stderr.write(
        `channels bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = 1;
    });
}
