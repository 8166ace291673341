/**
 * Lambda entry point of the alert sender: SQS messages of up to 50 recipients each are sent
 * the article card, paced to this instance's share of the global rate
 * (`ALERT_RATE_PER_SECOND / SENDER_MAX_CONCURRENCY`, see functions/alerts/pacer.ts).
 *
 * A message with recipients left for later (5xx after the retries, the deadline) is reported
 * in `batchItemFailures`; SQS redelivers it and the sender picks up exactly those recipients.
 * Publishes the AlertsSent / AlertsBlocked / AlertsFailed / AlertsUnconfirmed metrics (namespace Herald),
 * and per finished run AlertTimeTo90 (seconds until 90 % of its readers had it) and AlertStars.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { Telegram } from 'telegraf';
import { createDigestBuilder } from '../alerts/digest-content';
import { alertSendersRate, Pacer, perInstanceRate } from '../alerts/pacer';
import { parseAlertMessage } from '../alerts/queue';
import { type AlertSender, createAlertSender, telegrafTransport } from '../alerts/sender';
import { groupAlertRenderer } from '../bot/channel-card';
import { digestRenderer } from '../bot/digest-view';
import { alertRenderer } from '../bot/views';
import { loadConfig } from '../config';
import { createI18n } from '../i18n';
import { createLogger } from '../logger';
import { getBotToken } from '../secrets';
import { AlertRepository, emptyTally } from '../store/alert-repository';
import { createDocumentClient } from '../store/client';
import { DigestRepository } from '../store/digest-repository';
import { GroupRepository } from '../store/group-repository';
import { createStore } from '../store/index';
import { ReaderSettingsRepository } from '../store/reader-settings-repository';
import { ReaderTopicRepository } from '../store/reader-topic-repository';

/**
 * Time kept back from the Lambda timeout: no send starts after it, and one already under
 * way (≤ the 5 s request timeout) and its DynamoDB writes still finish.
 */
const DEADLINE_MARGIN_MS = 8_000;

const config = loadConfig();
const logger = createLogger(config);
const metrics = new Metrics({ namespace: 'Herald', serviceName: 'herald' });
const doc = createDocumentClient({ region: config.region, endpoint: config.dynamoEndpoint });
const store = createStore(doc, config.tableName);
// One pacer per container, kept across invocations: a pause for a 429 outlives the batch. It is
// this instance's share of the one Telegram budget (docs/architecture.md, "One Telegram budget"):
// every message kind this function sends takes its slots from it.
const pacer = new Pacer({
  ratePerSecond: perInstanceRate(alertSendersRate(config.alertRatePerSecond), config.senderMaxConcurrency),
  freeRatePerSecond: perInstanceRate(
    alertSendersRate(config.alertFreeRatePerSecond),
    config.senderMaxConcurrency,
  ),
});
const processor = new BatchProcessor(EventType.SQS);
let sender: Promise<AlertSender> | undefined;

async function buildSender(): Promise<AlertSender> {
  const token = await getBotToken(config);
  // Catalogues are read from `locales/` beside the bundle, each on its first use in that language.
  const i18n = createI18n({ logger });
  return createAlertSender({
    alerts: new AlertRepository(doc, config.tableName),
    articles: store.articles,
    subscriptions: store.subscriptions,
    groups: new GroupRepository(doc, config.tableName),
    readerTopics: new ReaderTopicRepository(doc, config.tableName),
    transport: telegrafTransport(new Telegram(token, { apiRoot: config.telegramApiRoot })),
    pacer,
    logger,
    adminIds: config.adminIds,
    renderAlert: alertRenderer(i18n),
    renderGroupAlert: groupAlertRenderer(i18n, config.botUsername),
    buildDigest: createDigestBuilder({
      digests: new DigestRepository(doc, config.tableName),
      readers: new ReaderSettingsRepository(doc, config.tableName),
      render: digestRenderer(i18n),
    }),
    options: {
      maxReceiveCount: config.alertMaxReceiveCount,
      requestTimeoutMs: 5_000,
      leaseMs: config.senderLeaseMs,
      ...(config.senderInFlight !== undefined ? { concurrency: config.senderInFlight } : {}),
      ...(config.paidBroadcastStarsPerRun > 0 ? { starsCapPerRun: config.paidBroadcastStarsPerRun } : {}),
    },
  });
}

/** Some recipients of a message are left for SQS's redelivery. */
class AlertRetryError extends Error {
  override name = 'AlertRetryError';
}

/** SQS batch → alerts sent; messages with recipients left over are reported as failures. */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  let alertSender: AlertSender;
  try {
    sender ??= buildSender();
    alertSender = await sender;
  } catch (err) {
    // The token secret is not readable (or not set yet): build again on the next batch.
    sender = undefined;
    throw err;
  }
  const deadline = Date.now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS;
  const decided = emptyTally();

  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const message = parseAlertMessage(record.body);
    const receiveCount = Number(record.attributes.ApproximateReceiveCount) || 1;
    const result = await alertSender.processMessage(message, { receiveCount, deadline });
    decided.sent += result.decided.sent;
    decided.blocked += result.decided.blocked;
    decided.failed += result.decided.failed;
    decided.unconfirmed += result.decided.unconfirmed;
    if (result.report?.times) {
      // One data point per finished run: what the AlertTimeTo90 alarm watches.
      metrics.addMetric('AlertTimeTo90', MetricUnit.Seconds, result.report.times.p90Ms / 1000);
      metrics.addMetric('AlertStars', MetricUnit.Count, result.report.stars);
    }
    if (!result.complete) {
      throw new AlertRetryError(
        `${result.retry} recipient(s) of ${message.articleId}/${message.batchId} left for a redelivery`,
      );
    }
  };

  try {
    // A batch where every message is left for later is not an error of the function (no
    // throw, so the Errors alarm stays for real failures); SQS redelivers what is listed.
    const response = await processPartialResponse(event, recordHandler, processor, {
      context,
      throwOnFullBatchFailure: false,
    });
    if (response.batchItemFailures.length > 0) {
      logger.info('alert messages left for a redelivery', { count: response.batchItemFailures.length });
    }
    return response;
  } finally {
    metrics.addMetric('AlertsSent', MetricUnit.Count, decided.sent);
    metrics.addMetric('AlertsBlocked', MetricUnit.Count, decided.blocked);
    metrics.addMetric('AlertsFailed', MetricUnit.Count, decided.failed);
    metrics.addMetric('AlertsUnconfirmed', MetricUnit.Count, decided.unconfirmed);
    metrics.publishStoredMetrics();
  }
};
