/**
 * Lambda entry point of the alert fan-out: the table's DynamoDB stream (NEW_AND_OLD_IMAGES),
 * filtered by the event source to INSERTs of article meta items
 * (functions/alerts/stream-filter.ts), becomes queue messages of up to 50 subscribers each.
 * functions/alerts/fanout.ts does the work; the local runtime's stream reader calls the same
 * handler.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { createFanoutStreamHandler } from '../alerts/fanout';
import { SqsAlertQueue } from '../alerts/queue';
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../logger';
import { AlertRepository } from '../store/alert-repository';
import { createDocumentClient } from '../store/client';
import { DigestRepository } from '../store/digest-repository';
import { GroupRepository } from '../store/group-repository';
import { ReaderSettingsRepository } from '../store/reader-settings-repository';
import { SubscriptionRepository } from '../store/subscription-repository';

const config = loadConfig();
const logger = createLogger(config);
if (config.alertQueueUrl === undefined) {
  throw new ConfigError(
    'ALERT_QUEUE_URL is not set: the fan-out needs the alert queue URL (the stack sets it).',
  );
}
const doc = createDocumentClient({ region: config.region, endpoint: config.dynamoEndpoint });

/** DynamoDB stream batch → one fan-out per new article; partial failures by sequence number. */
const subscriptions = new SubscriptionRepository(doc, config.tableName);
export const handler = createFanoutStreamHandler({
  alerts: new AlertRepository(doc, config.tableName),
  subscriptions,
  delivery: {
    followers: subscriptions,
    readers: new ReaderSettingsRepository(doc, config.tableName),
    digests: new DigestRepository(doc, config.tableName),
  },
  groups: new GroupRepository(doc, config.tableName),
  queue: new SqsAlertQueue(new SQSClient({ region: config.region }), config.alertQueueUrl),
  logger,
});
