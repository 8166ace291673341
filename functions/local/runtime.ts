/**
 * The one-machine runtime behind `npm start`: the embedded store (DynamoDB Local on local disk),
 * demo content on first run, and the same app (bot + webhook handler) that runs on Lambda.
 * Telegram is either real (long polling with a token) or the Bot API stand-in (offline chat).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import {
  ChannelPoster,
  createChannelStreamHandler,
  telegrafChannelTransport,
} from '../alerts/channel-poster';
import { createLocalAlerts, type LocalAlerts } from '../alerts/local-alerts';
import { telegrafTransport } from '../alerts/sender';
import { CHANNEL_STREAM_BATCH_SIZE, CHANNEL_STREAM_FILTER_PATTERNS } from '../alerts/stream-filter';
import { createHeraldApp, type HeraldApp } from '../app';
import { channelPostView, channelRemovedView, groupAlertRenderer } from '../bot/channel-card';
import { digestRenderer } from '../bot/digest-view';
import { alertRenderer } from '../bot/views';
import type { Config } from '../config';
import type { HeraldStore } from '../core/ports';
import { publishArticle, publishAuthor } from '../core/publishing';
import { createTranslator, DEFAULT_LOCALE } from '../i18n';
import type { FeedFetcher } from '../ingest/fetch-feed';
import { ArticleRepository } from '../store/article-repository';
import { ChannelRepository } from '../store/channel-repository';
import { createDynamoClient, toDocumentClient } from '../store/client';
import { DigestRepository } from '../store/digest-repository';
import { GroupRepository } from '../store/group-repository';
import { createStore, type Store } from '../store/index';
import { ReaderSettingsRepository } from '../store/reader-settings-repository';
import { ReaderTopicRepository } from '../store/reader-topic-repository';
import { DEMO_ARTICLES, DEMO_AUTHORS } from './demo-content';
import { type DigestLoop, startDigestLoop } from './digest-runner';
import { type EmbeddedStore, ensureTable, startEmbeddedStore } from './embedded-store';
import { type FeedPoller, startFeedPoller } from './feed-runner';
import { fileCheckpoint, memoryCheckpoint, type StreamReader, startStreamReader } from './stream-reader';

export interface LocalRuntime {
  app: HeraldApp<Store>;
  store: EmbeddedStore;
  /** New-post alerts in process, driven by the table's stream as on AWS. */
  alerts: LocalAlerts;
  /** The table's stream → the fan-out handler (the event source mapping's stand-in). */
  stream: StreamReader;
  /** The table's stream → the channel poster (its own event source on AWS). */
  channelStream: StreamReader;
  /** Polls the feed sources in the background; undefined when feed polling is off. */
  feeds?: FeedPoller;
  /** The digest schedule (absent when `digestLoop: false`). */
  digests?: DigestLoop;
  webhookSecret: string;
  /** True when this run seeded the demo content (first run on this data directory). */
  seeded: boolean;
  stop(): Promise<void>;
}

export interface LocalRuntimeOptions {
  config: Config;
  logger: Logger;
  /** Data directory; undefined keeps everything in memory (tests). */
  dataDir?: string;
  token: string;
  seedDemo?: boolean;
  now?: () => Date;
  /** Poll the feed sources every `intervalMs` with `fetch` (as the ingest Lambda's schedule does). */
  feedPoll?: { intervalMs: number; fetch: FeedFetcher; firstDelayMs?: number };
  /** False: no digest timer (tests run digest slots themselves). */
  digestLoop?: false;
}

/** The marker set once the demo content is in (its key predates the marker port: data directories keep it). */
const DEMO_MARKER = 'DEMO';

/** Seeds the demo publication once per data directory; returns whether it did. */
export async function seedDemoContent(store: HeraldStore): Promise<boolean> {
  if (await store.markers.has(DEMO_MARKER)) return false;
  for (const author of DEMO_AUTHORS) await publishAuthor(store, author);
  // Publishing is idempotent (an identical article is `unchanged`), so a seed interrupted half-way
  // simply completes on the next start.
  for (const article of DEMO_ARTICLES) await publishArticle(store, article);
  await store.markers.set(DEMO_MARKER);
  return true;
}

/** A Date clock as epoch milliseconds (the alert items' clock); undefined: the system's. */
function clockMs(now: (() => Date) | undefined): (() => number) | undefined {
  return now ? () => now().getTime() : undefined;
}

/** Starts the embedded store and the app on it. */
export async function startLocalRuntime(opts: LocalRuntimeOptions): Promise<LocalRuntime> {
  const store = await startEmbeddedStore({ path: opts.dataDir });
  try {
    const config: Config = { ...opts.config, dynamoEndpoint: store.endpoint };
    const client = createDynamoClient({ region: config.region, endpoint: store.endpoint });
    await ensureTable(client, config.tableName);
    const webhookSecret = randomBytes(24).toString('base64url');
    const doc = toDocumentClient(client);
    const app = createHeraldApp({
      config,
      // The whole store: the local runtime also seeds (markers) and polls feeds.
      store: createStore(doc, config.tableName, { now: opts.now }),
      logger: opts.logger,
      token: opts.token,
      webhookSecret,
      doc,
      now: opts.now,
    });
    const seeded = opts.seedDemo === false ? false : await seedDemoContent(app.store);
    // Sends through the bot's own client, so an apiRoot set later (the offline stand-in) applies.
    const alerts = createLocalAlerts({
      renderAlert: alertRenderer(app.i18n),
      renderGroupAlert: groupAlertRenderer(app.i18n, config.botUsername),
      renderDigest: digestRenderer(app.i18n),
      doc,
      // The pipeline also reads followers by mode, reader settings and digest entries.
      store: {
        articles: app.store.articles,
        subscriptions: app.store.subscriptions,
        readers: new ReaderSettingsRepository(doc, config.tableName),
        digests: new DigestRepository(doc, config.tableName, clockMs(opts.now)),
        groups: new GroupRepository(doc, config.tableName),
        readerTopics: new ReaderTopicRepository(doc, config.tableName),
      },
      config,
      telegram: { transport: telegrafTransport(app.bot.telegram) },
      logger: opts.logger,
    });
    // What the last run's in-memory queue held goes back on the queue before the stream
    // resumes from its checkpoint (docs/architecture.md, "Alerts").
    await alerts.recover();
    const drain = () => {
      alerts.drain().catch((err: unknown) => {
        opts.logger.error('local alert queue drain failed', { error: err as Error });
      });
    };
    drain();
    const streams = new DynamoDBStreamsClient({
      region: config.region,
      endpoint: store.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const stream = startStreamReader({
      client,
      streams,
      tableName: config.tableName,
      handler: alerts.handler,
      checkpoint: opts.dataDir ? fileCheckpoint(join(opts.dataDir, 'alert-stream.json')) : memoryCheckpoint(),
      logger: opts.logger,
      afterBatch: drain,
    });
    // The digest schedule, as EventBridge Scheduler runs it on AWS (docs/architecture.md, "Digests").
    const digests =
      opts.digestLoop === false
        ? undefined
        : startDigestLoop({
            run: async () => {
              const result = await alerts.runDigests();
              drain();
              return result;
            },
            onError: (err) => opts.logger.error('digest run failed', { error: err as Error }),
          });
    // Channel posts from the same stream through their own reader, as on AWS, sharing the alerts' pacer.
    const t = createTranslator(DEFAULT_LOCALE, app.i18n);
    const poster = new ChannelPoster({
      channels: new ChannelRepository(doc, config.tableName),
      articles: new ArticleRepository(doc, config.tableName),
      transport: telegrafChannelTransport(app.bot.telegram),
      pacer: alerts.pacer,
      logger: opts.logger,
      adminIds: config.adminIds,
      renderPost: (meta) => channelPostView(meta, config.botUsername, t),
      renderRemoved: (title) => channelRemovedView(title, t),
    });
    const channelStream = startStreamReader({
      client,
      streams,
      tableName: config.tableName,
      handler: createChannelStreamHandler(poster, opts.logger),
      filters: CHANNEL_STREAM_FILTER_PATTERNS,
      batchSize: CHANNEL_STREAM_BATCH_SIZE,
      checkpoint: opts.dataDir
        ? fileCheckpoint(join(opts.dataDir, 'channel-stream.json'))
        : memoryCheckpoint(),
      logger: opts.logger,
    });
    const feedPoll = opts.feedPoll;
    const feeds =
      feedPoll === undefined
        ? undefined
        : startFeedPoller({
            deps: () => ({ store: app.store, fetch: feedPoll.fetch, logger: opts.logger, now: opts.now }),
            intervalMs: feedPoll.intervalMs,
            ...(feedPoll.firstDelayMs !== undefined ? { firstDelayMs: feedPoll.firstDelayMs } : {}),
            onError: (err) => opts.logger.error('feed poll failed', { error: err as Error }),
          });
    return {
      app,
      store,
      alerts,
      stream,
      channelStream,
      ...(feeds ? { feeds } : {}),
      ...(digests ? { digests } : {}),
      webhookSecret,
      seeded,
      stop: async () => {
        // A poll in flight finishes its writes first (the store is still up).
        await feeds?.stop();
        await digests?.stop();
        // Stop reading, let the messages in hand finish, then close the store: a stop
        // mid-alert leaves the rest to the next start.
        await stream.stop();
        await channelStream.stop();
        await alerts.stop();
        streams.destroy();
        client.destroy();
        await store.stop();
      },
    };
  } catch (err) {
    await store.stop();
    throw err;
  }
}

/** The API Gateway (HTTP API v2) shape the webhook handler expects, for an in-process delivery. */
export function webhookEvent(update: unknown, secret: string) {
  return {
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: JSON.stringify(update),
    isBase64Encoded: false,
  };
}

/**
 * Does what Telegram does with a webhook response whose body names a method: calls it. The
 * local runtimes and the tests deliver updates in process, so they forward it themselves.
 */
export async function forwardWebhookReply(
  res: { statusCode: number; body?: string },
  apiRoot: string,
  token: string,
): Promise<void> {
  if (res.statusCode !== 200 || !res.body) return;
  const body = JSON.parse(res.body) as { method?: unknown };
  if (typeof body.method !== 'string') return;
  const { method, ...payload } = body;
  // Like Telegram, ignore the outcome: a failed answerCallbackQuery changes nothing.
  await fetch(`${apiRoot}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  }).catch(() => undefined);
}
