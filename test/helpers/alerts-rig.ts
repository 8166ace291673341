/**
 * What the alert tests share: a fresh table on DynamoDB Local and a Bot API stand-in (no webhook: alerts
 * are outbound only). `stop()` is safe after a failed start.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import {
  createLocalAlerts,
  type LocalAlerts,
  type LocalAlertsOptions,
} from '../../functions/alerts/local-alerts';
import type { Clock } from '../../functions/alerts/pacer';
import { digestRenderer } from '../../functions/bot/digest-view';
import { alertRenderer } from '../../functions/bot/views';
import { createI18n } from '../../functions/i18n';
import { memoryCheckpoint, startStreamReader } from '../../functions/local/stream-reader';
import { type BotApiStandIn, createBotApiStandIn } from '../../functions/local/telegram-stand-in';
import { DigestRepository } from '../../functions/store/digest-repository';
import type { Store } from '../../functions/store/index';
import { ReaderSettingsRepository } from '../../functions/store/reader-settings-repository';
import { startTestStore, type TestStore } from './test-store';

export interface AlertsRig {
  ts: TestStore;
  standIn: BotApiStandIn;
  apiRoot: string;
}

export async function startAlertsRig(token: string): Promise<AlertsRig> {
  const ts = await startTestStore();
  const standIn = createBotApiStandIn({
    token,
    botInfo: { id: 123456789, is_bot: true, first_name: 'Herald', username: 'HeraldTestBot' },
  });
  try {
    return { ts, standIn, apiRoot: await standIn.start() };
  } catch (err) {
    await stopAlertsRig({ ts, standIn });
    throw err;
  }
}

export async function stopAlertsRig(rig: Partial<Pick<AlertsRig, 'ts' | 'standIn'>>): Promise<void> {
  await rig.standIn?.stop();
  await rig.ts?.stop();
}

/**
 * Runs an article's alert without a stream: the fan-out called directly, then the in-memory
 * queue drained; the run's counts after. (The runtime's stream reader does this on its own.)
 */
export async function runAlertFor(
  alerts: LocalAlerts,
  articleId: string,
): Promise<Awaited<ReturnType<LocalAlerts['report']>>> {
  const fanned = await alerts.fanOut(articleId);
  if (!fanned) return undefined;
  do await alerts.drain();
  while (alerts.queue.size > 0);
  return alerts.report(articleId);
}

/** The alert pipeline of `npm start` on a test table: its stream → the fan-out → the sender. */
export interface StreamAlerts {
  alerts: LocalAlerts;
  /**
   * Ids (NewImage `id`) of the records the stream handed to the fan-out, one entry per record,
   * in order: what Lambda's event source would invoke it with, after the stack's event filter.
   */
  fannedOut: string[];
  /** Waits until every record written so far went through the fan-out and every alert was sent. */
  settle(): Promise<void>;
  /** Stops reading the stream and sending; call before the test store stops. */
  stop(): Promise<void>;
}

/**
 * Alerts as production makes them: the table's stream read by the local stream reader
 * (functions/local/stream-reader.ts, with the stack's filter and batch size) calls the
 * fan-out handler, whose queue the sender drains to `apiRoot`. No hook anywhere.
 */
export function startStreamAlerts(
  ts: TestStore,
  opts: { apiRoot: string; token: string; adminIds?: number[] },
): StreamAlerts {
  const logger = new Logger({ logLevel: 'SILENT' });
  const alerts = createLocalAlerts({
    renderAlert: alertRenderer(createI18n()),
    doc: ts.doc,
    store: ts.store,
    config: { tableName: ts.tableName, alertRatePerSecond: 1000, adminIds: opts.adminIds ?? [] },
    telegram: { apiRoot: opts.apiRoot, token: opts.token },
    logger,
    // An alert for an article deleted right after its creation waits for the queue's last
    // delivery before it counts as failed: keep those redeliveries quick.
    retryDelayMs: 50,
  });
  const fannedOut: string[] = [];
  const streams = new DynamoDBStreamsClient({
    region: 'us-east-1',
    endpoint: ts.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const reader = startStreamReader({
    client: ts.client,
    streams,
    tableName: ts.tableName,
    handler: async (event, context) => {
      // Every record the filter passed, before the fan-out's own checks (its backstop).
      for (const record of event.Records) {
        const id = record.dynamodb?.NewImage?.['id']?.S;
        if (id !== undefined) fannedOut.push(id);
      }
      return alerts.handler(event, context);
    },
    checkpoint: memoryCheckpoint(),
    logger,
    pollMs: 50,
  });
  return {
    alerts,
    fannedOut,
    async settle() {
      await reader.caughtUp();
      do await alerts.drain();
      while (alerts.queue.size > 0);
    },
    async stop() {
      await reader.stop();
      await alerts.stop();
      streams.destroy();
    },
  };
}

/**
 * The pipeline's clock in a test that runs on its own timeline: the test sets the time (`at`,
 * or `ms` directly), and the pipeline's waits (pacing, backoff) move it on instead of sleeping.
 */
export class ManualClock implements Clock {
  constructor(public ms: number) {}
  readonly now = (): number => this.ms;
  /** Sets the time to an ISO instant. */
  at(iso: string): void {
    this.ms = Date.parse(iso);
  }
  readonly sleep = async (ms: number): Promise<void> => {
    this.ms += ms;
    await new Promise((resolve) => setImmediate(resolve));
  };
}

/** The local pipeline with delivery modes, quiet hours and digests on, as deployed. */
export interface DigestPipeline {
  alerts: LocalAlerts;
  readers: ReaderSettingsRepository;
  digests: DigestRepository;
}

/**
 * Starts the pipeline of {@link DigestPipeline} on a test table and stand-in, on a test's
 * {@link ManualClock}, the pacer at 1,000/s. `stop()` its `alerts` before the store stops.
 */
export function startDigestPipeline(opts: {
  doc: LocalAlertsOptions['doc'];
  tableName: string;
  store: Pick<Store, 'articles' | 'subscriptions'>;
  apiRoot: string;
  token: string;
  clock: ManualClock;
  adminIds?: number[];
  readerTopics?: NonNullable<LocalAlertsOptions['store']['readerTopics']>;
}): DigestPipeline {
  const readers = new ReaderSettingsRepository(opts.doc, opts.tableName);
  const digests = new DigestRepository(opts.doc, opts.tableName, opts.clock.now);
  const i18n = createI18n();
  const alerts = createLocalAlerts({
    renderAlert: alertRenderer(i18n),
    renderDigest: digestRenderer(i18n),
    doc: opts.doc,
    store: {
      articles: opts.store.articles,
      subscriptions: opts.store.subscriptions,
      readers,
      digests,
      ...(opts.readerTopics ? { readerTopics: opts.readerTopics } : {}),
    },
    config: { tableName: opts.tableName, alertRatePerSecond: 1000, adminIds: opts.adminIds ?? [] },
    telegram: { apiRoot: opts.apiRoot, token: opts.token },
    logger: new Logger({ logLevel: 'SILENT' }),
    clock: opts.clock,
  });
  return { alerts, readers, digests };
}
