/**
 * The alert pipeline in one process, for `npm start` and the tests: the same fan-out handler
 * and sender code as on AWS, with an in-memory queue in place of SQS and a drain loop in
 * place of the SQS event source. The table's stream drives it (functions/local/stream-reader.ts
 * calls {@link LocalAlerts.handler}); there is no publish hook.
 *
 * The in-memory queue dies with the process; what it held is not lost: every run not yet
 * reported keeps an open marker, and {@link LocalAlerts.recover} re-enqueues what those runs
 * still owe (the recipients' items stop anything already sent from going out again).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Telegram } from 'telegraf';
import type { Config } from '../config';
import type { ArticleRepositoryPort, FollowersPort, SubscriptionRepositoryPort } from '../core/ports';
import { AlertRepository } from '../store/alert-repository';
import type { DigestRepository } from '../store/digest-repository';
import type { ReaderSettingsRepository } from '../store/reader-settings-repository';
import type { CallCounter } from './call-counter';
import type { DeliveryDeps } from './delivery-router';
import { createDigestBuilder, type DigestRenderer } from './digest-content';
import { type DigestSlotsResult, runDueDigestSlots } from './digest-scheduler';
import {
  createFanoutStreamHandler,
  type FanoutDeps,
  type FanoutResult,
  type FanoutStreamHandler,
  fanOut,
  requeueRun,
} from './fanout';
import { type Clock, Pacer, systemClock } from './pacer';
import { type Delivery, InMemoryAlertQueue, type InMemoryAlertQueueOptions } from './queue';
import {
  type AlertReport,
  type AlertSender,
  type AlertTransport,
  createAlertSender,
  reportOf,
  type SenderDeps,
  type SenderOptions,
  telegrafTransport,
} from './sender';

export interface LocalAlertsOptions {
  doc: DynamoDBDocumentClient;
  store: {
    articles: Pick<ArticleRepositoryPort, 'getArticle' | 'addToCounter'>;
    subscriptions: Pick<SubscriptionRepositoryPort, 'subscribersPage' | 'setUserActive'> &
      Partial<FollowersPort>;
    /** With these (and {@link LocalAlertsOptions.renderDigest}), delivery modes, quiet hours and digests are on. */
    readers?: Pick<ReaderSettingsRepository, 'getManySettings' | 'localeHints'>;
    digests?: DigestRepository;
    /** The groups that follow authors (store/group-repository.ts); alerts go to them too. */
    groups?: FanoutDeps['groups'] & NonNullable<SenderDeps['groups']>;
    /** Readers' topics per author in their private chats (alerts/reader-topics.ts). */
    readerTopics?: SenderDeps['readerTopics'];
  };
  /** The digest message (the bot's `digestViews`), passed in by the composition root. */
  renderDigest?: DigestRenderer;
  /** With `alertFreeRatePerSecond` below the rate and a Stars cap: paid broadcast. */
  config: Pick<Config, 'tableName' | 'alertRatePerSecond' | 'adminIds'> &
    Partial<Pick<Config, 'alertFreeRatePerSecond' | 'paidBroadcastStarsPerRun'>>;
  /** The Bot API (real Telegram or the stand-in), or a ready transport. */
  telegram: { apiRoot: string; token: string } | { transport: AlertTransport };
  logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  /** The alert message for an article (the bot's `alertView`), passed in by the composition root. */
  renderAlert: SenderDeps['renderAlert'];
  /** The groups' alert card (deep-link buttons); absent: groups get `renderAlert`'s. */
  renderGroupAlert?: SenderDeps['renderGroupAlert'];
  /** Counts the queue's SQS-equivalent calls (SendMessageBatch, ReceiveMessage). */
  counter?: CallCounter;
  sender?: Partial<SenderOptions>;
  /** Defaults here: a failed message is retried after 1 s and dead-lettered after 5 deliveries. */
  queue?: InMemoryAlertQueueOptions;
  /** Messages handled at once (Lambda: 10 per batch × MaximumConcurrency 2). */
  messagesInFlight?: number;
  /** How long a message left incomplete stays hidden before it is retried (default 1 s). */
  retryDelayMs?: number;
  clock?: Clock;
}

/** What one drain of the queue did. */
export interface DrainResult {
  /** Message deliveries handled (a redelivery counts again). */
  deliveries: number;
  /** Deliveries that left recipients for a later delivery. */
  incomplete: number;
  /** Runs finished (reports claimed) during the drain. */
  reports: AlertReport[];
}

export interface LocalAlerts {
  /** The fan-out handler over the in-memory queue, for the stream reader (the Lambda's twin). */
  readonly handler: FanoutStreamHandler;
  /** Re-enqueues what every unreported run still owes (call once at start, before the stream). */
  recover(): Promise<number>;
  /** Stops receiving from the queue and waits for the messages in hand to finish. */
  stop(): Promise<void>;
  /** The fan-out called directly, without a stream (tests); the queue keeps the messages until {@link drain}. */
  fanOut(articleId: string): Promise<FanoutResult | undefined>;
  /** Delivers queued messages to the sender until the queue is empty (or {@link stop}). */
  drain(): Promise<DrainResult>;
  readonly queue: InMemoryAlertQueue;
  readonly sender: AlertSender;
  readonly alerts: AlertRepository;
  readonly pacer: Pacer;
  /** The run's counts so far (undefined when the article never had an alert run). */
  report(articleId: string): Promise<AlertReport | undefined>;
  /**
   * Starts the digest runs of the slots due by now (the scheduler's work; the queue keeps
   * their messages until {@link drain}). Undefined when digests are off (no digest store).
   */
  runDigests(): Promise<DigestSlotsResult | undefined>;
}

/** How long a failed message stays hidden in the local queue before it is retried, by default. */
const LOCAL_RETRY_DELAY_MS = 1000;

/**
 * Builds the in-process alert pipeline. The pacer runs at the full `alertRatePerSecond`:
 * one process is the only sender here.
 */
export function createLocalAlerts(opts: LocalAlertsOptions): LocalAlerts {
  const clock = opts.clock ?? systemClock;
  const alerts = new AlertRepository(opts.doc, opts.config.tableName, () => clock.now());
  const queue = new InMemoryAlertQueue({
    // Nothing here outlives the process, so a message in flight is never orphaned: hide it
    // for as long as it can take (a failed one is made visible again by nack, after 1 s).
    visibilityTimeoutMs: 60 * 60_000,
    counter: opts.counter,
    clock,
    ...opts.queue,
  });
  const stars = opts.config.paidBroadcastStarsPerRun ?? 0;
  // The process's share of the one Telegram budget is all of it: one process is the only sender.
  const pacer = new Pacer({
    ratePerSecond: opts.config.alertRatePerSecond,
    ...(stars > 0 && opts.config.alertFreeRatePerSecond !== undefined
      ? { freeRatePerSecond: opts.config.alertFreeRatePerSecond }
      : {}),
    clock,
  });
  const transport =
    'transport' in opts.telegram
      ? opts.telegram.transport
      : telegrafTransport(new Telegram(opts.telegram.token, { apiRoot: opts.telegram.apiRoot }));
  const { readers, digests } = opts.store;
  const subs = opts.store.subscriptions;
  const followers: FollowersPort | undefined = subs.followersPage
    ? { followersPage: subs.followersPage.bind(subs) }
    : undefined;
  const delivery: DeliveryDeps | undefined =
    readers && digests && followers ? { followers, readers, digests } : undefined;
  const buildDigest =
    readers && digests && opts.renderDigest
      ? createDigestBuilder({ digests, readers, render: opts.renderDigest })
      : undefined;
  const sender = createAlertSender({
    ...(buildDigest ? { buildDigest } : {}),
    alerts,
    articles: opts.store.articles,
    subscriptions: opts.store.subscriptions,
    ...(opts.store.groups ? { groups: opts.store.groups } : {}),
    ...(opts.store.readerTopics ? { readerTopics: opts.store.readerTopics } : {}),
    transport,
    pacer,
    logger: opts.logger,
    adminIds: opts.config.adminIds,
    renderAlert: opts.renderAlert,
    ...(opts.renderGroupAlert ? { renderGroupAlert: opts.renderGroupAlert } : {}),
    clock,
    // One process is the only sender: a claim of an earlier run of it is a claim of a dead sender.
    options: {
      maxReceiveCount: queue.maxReceiveCount,
      singleInstance: true,
      ...(stars > 0 ? { starsCapPerRun: stars } : {}),
      ...opts.sender,
    },
  });
  const messagesInFlight = opts.messagesInFlight ?? 20;
  const retryDelayMs = opts.retryDelayMs ?? LOCAL_RETRY_DELAY_MS;
  let draining: Promise<DrainResult> | undefined;
  let stopping = false;

  const handle = async (d: Delivery, result: DrainResult): Promise<void> => {
    result.deliveries += 1;
    try {
      // Once the runtime stops, no new recipient is claimed (the deadline has passed); the
      // message is left for the next start, which re-enqueues what the run still owes.
      const out = await sender.processMessage(d.message, {
        receiveCount: d.receiveCount,
        get deadline() {
          return stopping ? 0 : undefined;
        },
      });
      if (out.report) result.reports.push(out.report);
      if (out.complete) queue.ack(d.messageId);
      else {
        result.incomplete += 1;
        queue.nack(d.messageId, retryDelayMs);
      }
    } catch (err) {
      // The SQS event source would redeliver after the visibility timeout; so does this.
      opts.logger.error('alert message failed; it will be retried', {
        articleId: d.message.articleId,
        batchId: d.message.batchId,
        error: err as Error,
      });
      result.incomplete += 1;
      queue.nack(d.messageId, retryDelayMs);
    }
  };

  const drainOnce = async (): Promise<DrainResult> => {
    const result: DrainResult = { deliveries: 0, incomplete: 0, reports: [] };
    const running = new Set<Promise<void>>();
    while (queue.size > 0 && !stopping) {
      // Receive in batches of up to 10, like the SQS event source: only when a whole batch
      // fits, or when nothing is running.
      const room = messagesInFlight - running.size;
      const batchSize = Math.min(10, messagesInFlight);
      const batch = room >= batchSize || running.size === 0 ? queue.receive(Math.min(room, 10)) : [];
      for (const d of batch) {
        const p = handle(d, result).finally(() => running.delete(p));
        running.add(p);
      }
      if (batch.length > 0) continue;
      if (running.size > 0) {
        await Promise.race(running);
        continue;
      }
      // Nothing visible and nothing running: wait for the next hidden message to reappear.
      const next = queue.nextVisibleAt();
      if (next === undefined || stopping) break;
      await clock.sleep(Math.max(1, next - clock.now()));
    }
    await Promise.all(running);
    return result;
  };

  const drain = (): Promise<DrainResult> => {
    // One drain at a time; a caller arriving meanwhile joins it (the loop runs until the
    // queue is empty, which includes what that caller just enqueued).
    draining ??= drainOnce().finally(() => {
      draining = undefined;
    });
    return draining;
  };

  const report = async (articleId: string): Promise<AlertReport | undefined> => {
    const run = await alerts.getRun(articleId);
    return run ? reportOf(run) : undefined;
  };

  const fanoutDeps = {
    alerts,
    subscriptions: opts.store.subscriptions,
    ...(opts.store.groups ? { groups: opts.store.groups } : {}),
    queue,
    logger: opts.logger,
    now: () => clock.now(),
    ...(delivery ? { delivery } : {}),
  };

  const fanOutArticle = async (articleId: string): Promise<FanoutResult | undefined> => {
    const meta = await opts.store.articles.getArticle(articleId);
    if (!meta) return undefined;
    return fanOut(fanoutDeps, meta);
  };

  return {
    queue,
    sender,
    alerts,
    pacer,
    report,
    drain,
    fanOut: fanOutArticle,
    handler: createFanoutStreamHandler(fanoutDeps),
    async runDigests() {
      if (!digests) return undefined;
      return runDueDigestSlots({ ...fanoutDeps, digests });
    },
    async recover() {
      let messages = 0;
      for (const articleId of await alerts.openRuns())
        messages += (await requeueRun(fanoutDeps, articleId)).messages;
      return messages;
    },
    async stop() {
      stopping = true;
      await draining;
    },
  };
}
