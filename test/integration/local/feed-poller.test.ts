/**
 * `npm start` polls feed sources in the background, and new items alert through the table's
 * stream like any publish: the backlog of a newly added feed alerts no one, an item published
 * after it alerts each subscriber exactly once, and re-polls alert nobody again. Observed on
 * the Bot API stand-in (what subscribers receive). Stopping the runtime waits for a poll.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { loadConfig } from '../../../functions/config';
import { addFeedSource } from '../../../functions/core/feed-admin';
import { parseFeedSourceInput } from '../../../functions/core/feed-source-input';
import { createHttpFetcher } from '../../../functions/ingest/fetch-feed';
import { type LocalRuntime, startLocalRuntime } from '../../../functions/local/runtime';
import { type BotApiStandIn, createBotApiStandIn } from '../../../functions/local/telegram-stand-in';
import { feedSourceId } from '../../../functions/store/feed-repository';

const TOKEN = '123456789:TEST-token-for-the-feed-poller-tests';
const logger = new Logger({ logLevel: 'SILENT' });

let items: { guid: string; title: string; date: string }[] = [];
const feed = () => `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Poller</title><link>https://poller.example/</link>${items
  .map(
    (i) => `<item><title>${i.title}</title><link>https://poller.example/${i.guid}</link><guid>${i.guid}</guid>
<dc:creator>Noor Ahmed</dc:creator><pubDate>${i.date}</pubDate><description>Text of ${i.title}.</description></item>`,
  )
  .join('')}</channel></rss>`;

let server: Server | undefined;
let feedUrl = '';
let standIn: BotApiStandIn | undefined;
let apiRoot = '';
let dataDir = '';
let runtime: LocalRuntime | undefined;

beforeAll(async () => {
  const created = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed());
  });
  server = created;
  await new Promise<void>((resolve) => created.listen(0, '127.0.0.1', resolve));
  feedUrl = `http://127.0.0.1:${(created.address() as AddressInfo).port}/feed`;
  standIn = createBotApiStandIn({
    token: TOKEN,
    botInfo: { id: 123456789, is_bot: true, first_name: 'Herald', username: 'HeraldTestBot' },
  });
  apiRoot = await standIn.start();
  dataDir = await mkdtemp(join(tmpdir(), 'herald-poller-'));
});

afterAll(async () => {
  await runtime?.stop().catch(() => undefined);
  await standIn?.stop();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function until(check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const alertsTo = (chatId: number) =>
  standIn?.messages(chatId).filter((m) => m.text.startsWith('New from')).length ?? 0;

describe('feed polling in the local runtime', () => {
  it('polls on its schedule; a new item alerts each subscriber once, the backlog and re-polls never', async () => {
    // Prepare: a runtime polling every 300 ms, a feed with a backlog, subscribers of its author
    const hourAgo = new Date(Date.now() - 3600_000).toUTCString();
    items = [{ guid: 'p-1', title: 'Backlog', date: hourAgo }];
    const config = loadConfig({ LOG_LEVEL: 'SILENT', ALERT_RATE_PER_SECOND: '1000' });
    runtime = await startLocalRuntime({
      config,
      logger,
      dataDir,
      token: TOKEN,
      seedDemo: false,
      feedPoll: {
        intervalMs: 300,
        firstDelayMs: 300,
        fetch: createHttpFetcher({ allowPrivateAddresses: true, retries: 0 }),
      },
    });
    runtime.app.bot.telegram.options.apiRoot = apiRoot;
    runtime.app.bot.telegram.options.agent = undefined;
    const { store } = runtime.app;
    await addFeedSource(store, parseFeedSourceInput({ url: feedUrl }), new Date());
    const id = feedSourceId(feedUrl);

    // Act: the schedule takes the backlog
    await until(async () => (await store.feeds.getSource(id))?.state.firstSuccessAt !== undefined);
    const users = [60_001, 60_002];
    for (const u of users) await store.subscriptions.subscribe(u, 'noor_ahmed');
    // Act: a new item appears (RFC 822 dates have whole seconds: dated a little ahead, so it is
    // never before the first poll's instant)
    items = [...items, { guid: 'p-2', title: 'Fresh', date: new Date(Date.now() + 5_000).toUTCString() }];
    await until(async () => (await store.articles.byAuthor('noor_ahmed', 0, 10)).items.length === 2);
    const fresh = (await store.articles.byAuthor('noor_ahmed', 0, 10)).items.find((r) => r.title === 'Fresh');
    await until(async () => (await runtime?.alerts.alerts.getRun(fresh?.id ?? ''))?.done === true);
    // Act: a few more polls of the same feed
    const version = (await store.feeds.getSource(id))?.stateVersion ?? 0;
    await runtime.feeds?.pollNow();
    await runtime.feeds?.pollNow();
    await runtime.stream.caughtUp();

    // Assess
    expect(users.map(alertsTo)).toEqual([1, 1]);
    expect((await store.articles.byAuthor('noor_ahmed', 0, 10)).items).toHaveLength(2);
    expect((await store.feeds.getSource(id))?.stateVersion).toBe(version);

    // Act: stop while a poll may be running
    const polling = runtime.feeds?.pollNow();
    await runtime.stop();
    runtime = undefined;

    // Assess: the poll finished before the store went away
    await expect(polling).resolves.toBeDefined();
  }, 90_000);
});
