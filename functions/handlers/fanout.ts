/**
 * Lambda entry point of the alert fan-out: the table's DynamoDB stream (NEW_AND_OLD_IMAGES),
 * filtered by the event source to INSERTs of article meta items, becomes queue messages of
 * up to 50 subscribers each (functions/alerts/fanout.ts does the work).
 *
 * Records are processed in order; a record that fails (or hits the deadline) is reported in
 * `batchItemFailures` by sequence number, so the stream retries from it and the fan-out
 * resumes from the run's stored cursor.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { AlertRepository } from '../alerts/alert-repository';
import { articleFromStreamRecord, FanoutDeadlineError, type FanoutDeps, fanOut } from '../alerts/fanout';
import { SqsAlertQueue } from '../alerts/queue';
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../logger';
import { createDocumentClient } from '../store/client';
import { SubscriptionRepository } from '../store/subscription-repository';

/** Time kept back from the Lambda timeout: a page in progress (Query, 1 SQS call, 2 writes) finishes. */
const DEADLINE_MARGIN_MS = 5_000;

const config = loadConfig();
const logger = createLogger(config);
if (config.alertQueueUrl === undefined) {
  throw new ConfigError(
    'ALERT_QUEUE_URL is not set: the fan-out needs the alert queue URL (the stack sets it).',
  );
}
const doc = createDocumentClient({ region: config.region, endpoint: config.dynamoEndpoint });
const deps: FanoutDeps = {
  alerts: new AlertRepository(doc, config.tableName),
  subscriptions: new SubscriptionRepository(doc, config.tableName),
  queue: new SqsAlertQueue(new SQSClient({ region: config.region }), config.alertQueueUrl),
  logger,
};
const processor = new BatchProcessor(EventType.DynamoDBStreams);

/** DynamoDB stream batch → one fan-out per new article; partial failures by sequence number. */
export const handler = async (
  event: DynamoDBStreamEvent,
  context: Context,
): Promise<DynamoDBBatchResponse> => {
  const deadline = Date.now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS;
  const recordHandler = async (record: DynamoDBRecord): Promise<void> => {
    const article = articleFromStreamRecord(record);
    if (!article) {
      // An update, a removal or another item kind: never alerts (the event filter should
      // already have dropped it).
      logger.debug('stream record ignored', { eventName: record.eventName });
      return;
    }
    try {
      await fanOut(deps, article, { deadline });
    } catch (err) {
      const details = { articleId: article.id, error: err as Error };
      // Stopping at the deadline is planned for (a very large audience): the retry resumes.
      if (err instanceof FanoutDeadlineError)
        logger.warn('alert fan-out stopped at its deadline; the stream will resume it', details);
      else logger.error('alert fan-out failed; the stream will retry it', details);
      throw err;
    }
  };
  // A batch where every record failed is reported like a partial one (no throw): the stream
  // retries from the first failed sequence number either way, and the failures are logged
  // above; records that keep failing land in the stream's failure queue, which has an alarm.
  return processPartialResponse(event, recordHandler, processor, {
    context,
    processInParallel: false,
    throwOnFullBatchFailure: false,
  });
};
