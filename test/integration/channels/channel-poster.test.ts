/**
 * Channel auto-posting end to end in one process: publishing writes to DynamoDB Local, the
 * table's stream (read with the channel poster's own filter) drives the poster, which posts,
 * edits and deletes through the Bot API stand-in — with Telegram's channel rules (admin rights,
 * the bot removed, the 48-hour delete window, the per-chat limit). Nothing is mocked.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { Telegram } from 'telegraf';
import {
  ChannelPoster,
  ChannelRetryError,
  createChannelStreamHandler,
  telegrafChannelTransport,
} from '../../../functions/alerts/channel-poster';
import { Pacer } from '../../../functions/alerts/pacer';
import {
  CHANNEL_STREAM_BATCH_SIZE,
  CHANNEL_STREAM_FILTER_PATTERNS,
} from '../../../functions/alerts/stream-filter';
import { channelPostView, channelRemovedView } from '../../../functions/bot/channel-card';
import type { ChannelRule } from '../../../functions/core/channels';
import { publishArticle, publishAuthor } from '../../../functions/core/publishing';
import { createTranslator } from '../../../functions/i18n';
import {
  memoryCheckpoint,
  type StreamReader,
  startStreamReader,
} from '../../../functions/local/stream-reader';
import { type BotApiStandIn, createBotApiStandIn, faults } from '../../../functions/local/telegram-stand-in';
import { ChannelRepository } from '../../../functions/store/channel-repository';
import { startTestStore, type TestStore } from '../../helpers/test-store';

const TOKEN = '123456789:TEST-token-for-the-channels-stand-in';
const BOT = { id: 123456789, is_bot: true as const, first_name: 'Herald', username: 'HeraldTestBot' };
const ADMIN = { id: 777, first_name: 'Ada' };
const logger = new Logger({ logLevel: process.env.CH_LOG ?? 'SILENT' } as ConstructorParameters<
  typeof Logger
>[0]);
const t = createTranslator('en');

/** The clock every part shares (stand-in, store, poster): a test moves it forward by days. */
let offsetMs = 0;
const now = () => Date.now() + offsetMs;
const clock = { now, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms))) };

let ts: TestStore;
let standIn: BotApiStandIn;
let channels: ChannelRepository;
let poster: ChannelPoster;
let reader: StreamReader;
let streams: DynamoDBStreamsClient;

function makePoster(options: ConstructorParameters<typeof ChannelPoster>[0]['options'] = {}): ChannelPoster {
  return new ChannelPoster({
    channels,
    articles: ts.store.articles,
    transport: telegrafChannelTransport(new Telegram(TOKEN, { apiRoot: standIn.apiRoot })),
    pacer: new Pacer({ ratePerSecond: 1000, clock }),
    logger,
    adminIds: [ADMIN.id],
    renderPost: (meta) => channelPostView(meta, BOT.username, t),
    renderRemoved: (title) => channelRemovedView(title, t),
    clock,
    options: { perChatSpacingMs: 0, backoffBaseMs: 5, ...options },
  });
}

beforeAll(async () => {
  ts = await startTestStore();
  standIn = createBotApiStandIn({ token: TOKEN, botInfo: BOT, now });
  await standIn.start();
  channels = new ChannelRepository(ts.doc, ts.tableName, now);
  poster = makePoster();
  streams = new DynamoDBStreamsClient({
    region: 'us-east-1',
    endpoint: ts.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // Every test's stream work goes through the one reader, with the poster's own filter.
  reader = startStreamReader({
    client: ts.client,
    streams,
    tableName: ts.tableName,
    handler: createChannelStreamHandler(poster, logger, now),
    filters: CHANNEL_STREAM_FILTER_PATTERNS,
    batchSize: CHANNEL_STREAM_BATCH_SIZE,
    checkpoint: memoryCheckpoint(),
    logger,
    pollMs: 50,
  });
  await publishAuthor(ts.store, { handle: 'jdoe', fullName: 'Dr. Jane <Doe>', userSince: '2008-03-15' });
  await publishAuthor(ts.store, { handle: 'asmith', fullName: 'A. Smith', userSince: '2010-01-01' });
}, 60_000);

afterAll(async () => {
  await reader?.stop();
  streams?.destroy();
  await standIn?.stop();
  await ts?.stop();
});

let nextChannel = -1_001_000_000_100;
async function connectChannel(
  rule: ChannelRule,
  rights = { can_post_messages: true, can_edit_messages: true },
) {
  nextChannel -= 1;
  const chatId = nextChannel;
  standIn.createChat({ id: chatId, type: 'channel', title: `Channel ${chatId}` });
  await standIn.setBotMember(chatId, { status: 'administrator', ...rights }, ADMIN);
  const added = await channels.addChannel({ chatId, rule, status: 'active', title: `Channel ${chatId}` });
  expect(added).toBeDefined();
  return chatId;
}

async function publish(
  id: string,
  authorHandle: string,
  extra: Record<string, unknown> = {},
  silent = false,
) {
  const { result } = await publishArticle(
    ts.store,
    {
      id,
      title: `Title of ${id} <&>`,
      authorHandle,
      body: 'First paragraph of the article. It has a few sentences.\n\nA second paragraph.',
      publishedAt: '2026-11-25T08:00:00Z',
      ...extra,
    },
    { silent },
  );
  return result;
}

/** A clock whose sleeps pass at once: the per-chat spacing costs no test time. */
function virtualClock() {
  let at = Date.now();
  return {
    now: () => at,
    sleep: async (ms: number) => {
      at += Math.max(0, ms);
    },
  };
}

const postsIn = (chatId: number) => standIn.messages(chatId);
const adminMessages = () => standIn.messages(ADMIN.id).map((m) => m.text);

describe('publishing', () => {
  it('posts each new article once per channel whose rule wants it, as an escaped card with deep links', async () => {
    // Prepare
    const all = await connectChannel({ mode: 'all' });
    const byAuthor = await connectChannel({ mode: 'authors', authors: ['jdoe'] });
    const byTag = await connectChannel({ mode: 'tags', tags: ['Economy'] });
    const reportsBefore = adminMessages().length;

    // Act
    await publish('tagged-one', 'jdoe', { tags: ['economy', 'Asia'] });
    await publish('other-one', 'asmith');
    await publish('backfill-one', 'jdoe', {}, true);
    await reader.caughtUp();

    // Assess
    expect(postsIn(all).map((m) => m.text.split('\n')[0])).toEqual([
      'Title of tagged-one <&>',
      'Title of other-one <&>',
    ]);
    expect(postsIn(byAuthor)).toHaveLength(1);
    expect(postsIn(byTag)).toHaveLength(1);
    const card = postsIn(byTag)[0];
    expect(card?.sentText).toContain('Title of tagged-one &lt;&amp;&gt;');
    expect(card?.text).toContain('Dr. Jane <Doe>');
    const urls = card?.reply_markup?.inline_keyboard.flat().map((b) => b.url);
    expect(urls).toEqual([
      'https://t.me/HeraldTestBot?start=r_tagged-one',
      'https://t.me/HeraldTestBot?start=u_jdoe',
      'https://t.me/HeraldTestBot?start=a_tagged-one',
    ]);
    // One delivery report per article that was posted somewhere (the silent one was not).
    const reports = adminMessages().slice(reportsBefore);
    expect(reports).toEqual([
      'Channels for “Title of tagged-one <&>”: 3 posted, 0 failed.',
      expect.stringMatching(/^Channels for “Title of other-one <&>”: \d+ posted, 0 failed\.$/),
    ]);
    const stored = await channels.getPost('tagged-one', byTag);
    expect(stored).toMatchObject({ status: 'sent', messageId: card?.message_id });
  });

  it('never posts an article twice to a channel, even when its stream record is handled again', async () => {
    // Prepare
    const chatId = await connectChannel({ mode: 'authors', authors: ['asmith'] });
    await publish('twice-one', 'asmith');
    await reader.caughtUp();
    const meta = await ts.store.articles.getArticle('twice-one', true);
    if (!meta) throw new Error('article missing');

    // Act: a replay of the record, and two concurrent ones
    await Promise.all([poster.postArticle(meta), poster.postArticle(meta), poster.postArticle(meta)]);

    // Assess
    expect(postsIn(chatId)).toHaveLength(1);
  });
});

describe('edits and deletes follow the article', () => {
  it('edits the channel post when the title changes, and not on a view', async () => {
    // Prepare
    const chatId = await connectChannel({ mode: 'authors', authors: ['jdoe'] });
    await publish('edited-one', 'jdoe');
    await reader.caughtUp();
    const before = standIn.callsTo('editMessageText').length;

    // Act
    await ts.store.articles.openArticle('edited-one', { userId: 1, day: 20_000 });
    await publish('edited-one', 'jdoe', { title: 'A better title' });
    await reader.caughtUp();

    // Assess
    const [post] = postsIn(chatId);
    expect(post?.text.split('\n')[0]).toBe('A better title');
    expect(post?.edit_date).toBeDefined();
    // Only this channel's post changed; the view wrote no card revision.
    const edits = standIn.callsTo('editMessageText').slice(before);
    expect(edits.map((c) => Number(c.params['chat_id']))).toContain(chatId);
    expect(edits.filter((c) => Number(c.params['chat_id']) === chatId)).toHaveLength(1);
  });

  it('deletes the post of a deleted article', async () => {
    // Prepare
    const chatId = await connectChannel({ mode: 'authors', authors: ['jdoe'] });
    await publish('deleted-one', 'jdoe');
    await reader.caughtUp();
    expect(postsIn(chatId)).toHaveLength(1);

    // Act
    await ts.store.articles.deleteArticle('deleted-one');
    await reader.caughtUp();

    // Assess
    expect(postsIn(chatId)).toHaveLength(0);
    expect(await channels.getPost('deleted-one', chatId)).toMatchObject({ removed: 'deleted' });
  });

  it('marks the post instead once it is older than the 48 hours Telegram allows for deleting', async () => {
    // Prepare
    const chatId = await connectChannel({ mode: 'authors', authors: ['jdoe'] });
    await publish('old-one', 'jdoe');
    await reader.caughtUp();

    // Act (time only moves forward: the pacer and the claims' leases would not survive going back)
    offsetMs += 49 * 3_600_000;
    await ts.store.articles.deleteArticle('old-one');
    await reader.caughtUp();

    // Assess
    const [post] = postsIn(chatId);
    expect(post?.text).toBe('Title of old-one <&>\n\n🗑 The publisher removed this article.');
    expect(post?.reply_markup).toBeUndefined();
    expect(await channels.getPost('old-one', chatId)).toMatchObject({ removed: 'marked' });
  });
});

describe('failures', () => {
  it('pauses the channel when the bot was removed, tells the admins once, and stops posting there', async () => {
    // Prepare
    const chatId = await connectChannel({ mode: 'authors', authors: ['asmith'] });
    await standIn.setBotMember(chatId, { status: 'left' }, ADMIN);
    const told = adminMessages().length;

    // Act
    await publish('removed-one', 'asmith');
    await publish('removed-two', 'asmith');
    await reader.caughtUp();

    // Assess
    const channel = await channels.getChannel(chatId);
    expect(channel).toMatchObject({
      status: 'paused',
      pausedReason: 'Forbidden: bot is not a member of the channel chat',
    });
    const news = adminMessages().slice(told);
    expect(
      news.filter((m) => m.startsWith(`Channel “Channel ${chatId}” (${chatId}) is paused`)),
    ).toHaveLength(1);
    const attempts = standIn.callsTo('sendMessage').filter((c) => Number(c.params['chat_id']) === chatId);
    expect(attempts).toHaveLength(1);
    expect(await channels.getPost('removed-one', chatId)).toMatchObject({ status: 'failed' });
    expect(await channels.getPost('removed-two', chatId)).toBeUndefined();
  });

  it('pauses the channel when the bot lost its right to post', async () => {
    // Prepare
    const chatId = await connectChannel({ mode: 'authors', authors: ['asmith'] });
    await standIn.setBotMember(chatId, { status: 'administrator', can_post_messages: false }, ADMIN);

    // Act
    await publish('rights-one', 'asmith');
    await reader.caughtUp();

    // Assess
    expect(await channels.getChannel(chatId)).toMatchObject({
      status: 'paused',
      pausedReason: 'Bad Request: need administrator rights in the channel chat',
    });
  });

  it('keeps a post that failed for a retry and posts it once when Telegram recovers', async () => {
    // Prepare
    const chatId = await connectChannel({ mode: 'authors', authors: ['jdoe'] });
    await publish('flaky-one', 'jdoe', {}, true); // stored without the stream posting it
    const meta = await ts.store.articles.getArticle('flaky-one', true);
    if (!meta) throw new Error('article missing');
    standIn.injectFault({ ...faults.serverError({ method: 'sendMessage', chatId }), times: 4 });

    // Act
    const first = poster.postArticle(meta);
    await expect(first).rejects.toBeInstanceOf(ChannelRetryError);
    const afterFailure = await channels.getPost('flaky-one', chatId);
    const report = await poster.postArticle(meta);

    // Assess
    expect(afterFailure?.status).toBe('retry');
    // (Earlier tests' channels for every author or for jdoe get it too.)
    expect(report.failed).toBe(0);
    expect(postsIn(chatId)).toHaveLength(1);
    expect(await channels.getPost('flaky-one', chatId)).toMatchObject({ status: 'sent' });
  });

  it('settles a claim whose sender died as unconfirmed and never posts it', async () => {
    // Prepare
    const chatId = await connectChannel({ mode: 'authors', authors: ['jdoe'] });
    await publish('crashed-one', 'jdoe', {}, true);
    const meta = await ts.store.articles.getArticle('crashed-one', true);
    if (!meta) throw new Error('article missing');
    await channels.claimPost('crashed-one', chatId, 'dead-sender', 1);
    await new Promise((r) => setTimeout(r, 5));

    // Act
    const report = await poster.postArticle(meta);

    // Assess
    expect(report.unconfirmed).toBe(1);
    expect(postsIn(chatId)).toHaveLength(0);
    expect(await channels.getPost('crashed-one', chatId)).toMatchObject({ status: 'unconfirmed' });
  });
});

describe("Telegram's per-chat limit", () => {
  it('spaces posts into one channel so that 25 articles in a row meet no 429', async () => {
    // Prepare: a virtual clock, so the three seconds between posts cost no test time
    const fake = virtualClock();
    const chatId = await connectChannel({ mode: 'authors', authors: ['asmith'] });
    const ids = Array.from({ length: 25 }, (_, i) => `burst-${i}`);
    for (const id of ids) await publish(id, 'asmith', {}, true);
    const local = createBotApiStandIn({ token: TOKEN, botInfo: BOT, now: fake.now });
    await local.start();
    try {
      local.createChat({ id: chatId, type: 'channel', title: 'Burst' });
      await local.setBotMember(chatId, { status: 'administrator', can_post_messages: true }, ADMIN);
      const p = new ChannelPoster({
        channels: new ChannelRepository(ts.doc, ts.tableName, fake.now),
        articles: ts.store.articles,
        transport: telegrafChannelTransport(new Telegram(TOKEN, { apiRoot: local.apiRoot })),
        pacer: new Pacer({ ratePerSecond: 1000, clock: fake }),
        logger,
        adminIds: [],
        renderPost: (meta) => channelPostView(meta, BOT.username, t),
        renderRemoved: (title) => channelRemovedView(title, t),
        clock: fake,
        options: { perChatSpacingMs: 3_000 },
      });
      const started = fake.now();

      // Act
      for (const id of ids) {
        const meta = await ts.store.articles.getArticle(id, true);
        if (meta) await p.postArticle(meta);
      }

      // Assess
      expect(local.messages(chatId)).toHaveLength(25);
      expect(local.calls.filter((c) => c.errorCode === 429)).toHaveLength(0);
      expect(fake.now() - started).toBeGreaterThanOrEqual(24 * 3_000);
    } finally {
      await local.stop();
    }
  });

  it('waits out the 429 Telegram answers when posts come too fast, and loses none', async () => {
    // Prepare
    const fake = virtualClock();
    const chatId = nextChannel - 500;
    const local = createBotApiStandIn({ token: TOKEN, botInfo: BOT, now: fake.now });
    await local.start();
    try {
      local.createChat({ id: chatId, type: 'channel', title: 'Fast' });
      await local.setBotMember(chatId, { status: 'administrator', can_post_messages: true }, ADMIN);
      await channels.addChannel({ chatId, rule: { mode: 'authors', authors: ['asmith'] }, status: 'active' });
      const p = new ChannelPoster({
        channels: new ChannelRepository(ts.doc, ts.tableName, fake.now),
        articles: ts.store.articles,
        transport: telegrafChannelTransport(new Telegram(TOKEN, { apiRoot: local.apiRoot })),
        pacer: new Pacer({ ratePerSecond: 1000, clock: fake }),
        logger,
        adminIds: [],
        renderPost: (meta) => channelPostView(meta, BOT.username, t),
        renderRemoved: (title) => channelRemovedView(title, t),
        clock: fake,
        options: { perChatSpacingMs: 0 },
      });

      // Act
      for (let i = 0; i < 25; i++) {
        const meta = await ts.store.articles.getArticle(`burst-${i}`, true);
        if (meta) await p.postArticle(meta);
      }

      // Assess
      expect(local.messages(chatId)).toHaveLength(25);
      expect(local.calls.filter((c) => c.errorCode === 429).length).toBeGreaterThan(0);
    } finally {
      await local.stop();
    }
  });
});
