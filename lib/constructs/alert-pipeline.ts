/**
 * The subscriber-alert pipeline: DynamoDB stream → fan-out function → alert queue → sender
 * function (paced to Telegram's rate limit) with a dead-letter queue.
 *
 * Why a queue between fan-out and sender: one publication can mean thousands of messages;
 * the queue absorbs the burst, `maxConcurrency` on the sender's event source caps parallel
 * senders so the global message rate stays under the limit, and the DLQ keeps what could not
 * be delivered for inspection instead of retrying forever.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  ALERT_STREAM_BATCH_SIZE,
  ALERT_STREAM_FILTER_PATTERN,
  ALERT_STREAM_RETRY_ATTEMPTS,
} from '../../functions/alerts/stream-filter';
import { type StageConfig, TIMEOUTS } from '../stage-config';
import { grantSecretValue, grantSendMessage, grantTableAccess, TABLE_ACCESS } from './grants';
import { HeraldFunction } from './herald-function';

export interface AlertPipelineProps {
  readonly stage: StageConfig;
  readonly table: Table;
  readonly botTokenSecret: ISecret;
  /** TABLE_NAME, BOT_USERNAME, ADMIN_IDS: what every function gets. */
  readonly commonEnvironment: Readonly<Record<string, string>>;
}

/** Parallel sender invocations; with the per-invocation pacing this bounds the global send rate. */
export const SENDER_MAX_CONCURRENCY = 2;

/** How often SQS hands a failing alert batch to the sender before parking it in the DLQ. */
export const ALERT_MAX_RECEIVE_COUNT = 5;

export class AlertPipeline extends Construct {
  readonly fanout: HeraldFunction;
  readonly sender: HeraldFunction;
  readonly alertQueue: Queue;
  /** Alerts that failed {@link ALERT_MAX_RECEIVE_COUNT} times. */
  readonly deadLetterQueue: Queue;
  /** Stream batches the fan-out could not process after its retries (record pointers, not data). */
  readonly streamFailureQueue: Queue;

  constructor(scope: Construct, id: string, props: AlertPipelineProps) {
    super(scope, id);

    this.deadLetterQueue = new Queue(this, 'AlertDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.alertQueue = new Queue(this, 'AlertQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's guidance for Lambda consumers: at least six times the function timeout, so a
      // message is not redelivered while a slow (rate-limited) batch is still being sent.
      visibilityTimeout: Duration.seconds(TIMEOUTS.sender.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: ALERT_MAX_RECEIVE_COUNT },
    });
    this.streamFailureQueue = new Queue(this, 'FanoutFailureQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.fanout = new HeraldFunction(this, 'FanoutFunction', {
      entry: 'functions/handlers/fanout.ts',
      description: 'Turns a newly published article into one alert message per subscriber',
      timeout: TIMEOUTS.fanout,
      // Pages through an author's subscribers and batches SQS sends: more memory buys CPU.
      memorySize: 512,
      stage: props.stage,
      environment: {
        ...props.commonEnvironment,
        ALERT_QUEUE_URL: this.alertQueue.queueUrl,
      },
    });
    this.fanout.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: ALERT_STREAM_BATCH_SIZE,
        retryAttempts: ALERT_STREAM_RETRY_ATTEMPTS,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.streamFailureQueue),
        // Only first publication alerts (INSERTs of article items without `silent`): counters,
        // follows, comments and article edits are filtered out by Lambda before an invocation
        // is paid for. The pattern is shared data, so the local stream reader applies the same one.
        filters: [FilterCriteria.filter(ALERT_STREAM_FILTER_PATTERN)],
      }),
    );
    // Reads subscribers (Query on gsi1) and records the alert run with conditional writes.
    grantTableAccess(this.fanout, props.table, TABLE_ACCESS.fanout);
    grantSendMessage(this.fanout, this.alertQueue);
    Validations.of(this.fanout).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "dynamodb:ListStreams, added by the stream event source, supports no resource-level permissions; the stream read actions are scoped to this table's stream ARN.",
    });
    Validations.of(this.streamFailureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself a dead-letter destination: the on-failure destination of the fan-out's stream event source. cdk-nag only recognises DLQs named in another queue's RedrivePolicy.",
    });

    this.sender = new HeraldFunction(this, 'SenderFunction', {
      entry: 'functions/handlers/sender.ts',
      description: 'Sends alert messages to subscribers, paced to the Telegram rate limit',
      timeout: TIMEOUTS.sender,
      memorySize: 256,
      stage: props.stage,
      // Alerts are drawn in each subscriber's language.
      catalogues: true,
      environment: {
        ...props.commonEnvironment,
        BOT_TOKEN_SECRET_ARN: props.botTokenSecret.secretArn,
        ALERT_RATE_PER_SECOND: String(props.stage.alertRatePerSecond),
        // The sender splits the rate over the event source's concurrency and counts a recipient
        // failed on the queue's last delivery: it must know both.
        SENDER_MAX_CONCURRENCY: String(SENDER_MAX_CONCURRENCY),
        ALERT_MAX_RECEIVE_COUNT: String(ALERT_MAX_RECEIVE_COUNT),
      },
    });
    this.sender.addEventSource(
      new SqsEventSource(this.alertQueue, {
        batchSize: 10,
        maxConcurrency: SENDER_MAX_CONCURRENCY,
        reportBatchItemFailures: true,
      }),
    );
    // Marks alerts sent (exactly once) and subscribers who blocked the bot.
    grantTableAccess(this.sender, props.table, TABLE_ACCESS.sender);
    grantSecretValue(this.sender, props.botTokenSecret);
  }
}
