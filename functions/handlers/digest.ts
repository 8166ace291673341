/**
 * Lambda entry point of the digest schedule, invoked by EventBridge Scheduler every 15 minutes
 * (at minutes 2, 17, 32 and 47): starts the digest run of each slot due since the last one
 * (functions/alerts/digest-scheduler.ts). A run enqueues one message per 50 due readers on the
 * alert queue, so digests go through the same paced sender (and Telegram budget) as alerts.
 * Logs one summary line per invocation.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { runDueDigestSlots } from '../alerts/digest-scheduler';
import { SqsAlertQueue } from '../alerts/queue';
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../logger';
import { AlertRepository } from '../store/alert-repository';
import { createDocumentClient } from '../store/client';
import { DigestRepository } from '../store/digest-repository';

/** Time kept back from the timeout: a page in progress (Queries, 1 SQS call, 2 writes) finishes. */
const DEADLINE_MARGIN_MS = 5_000;

const config = loadConfig();
const logger = createLogger(config, 'herald-digest');
if (config.alertQueueUrl === undefined) {
  throw new ConfigError(
    'ALERT_QUEUE_URL is not set: the digest run needs the alert queue URL (the stack sets it).',
  );
}
const doc = createDocumentClient({ region: config.region, endpoint: config.dynamoEndpoint });
const deps = {
  alerts: new AlertRepository(doc, config.tableName),
  digests: new DigestRepository(doc, config.tableName),
  queue: new SqsAlertQueue(new SQSClient({ region: config.region }), config.alertQueueUrl),
  logger,
};

export async function handler(_event: unknown, context: Pick<Context, 'getRemainingTimeInMillis'>) {
  const deadline = Date.now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS;
  const result = await runDueDigestSlots(deps, { deadline });
  const summary = { slots: result.slots.length, readers: result.readers };
  logger.info('digest schedule run', summary);
  return summary;
}
