/**
 * Channel auto-posting on AWS: the channel poster function (functions/handlers/channels.ts) on
 * the table's stream through its own event source — new articles, card revisions (edits) and
 * deleted articles (CHANNEL_STREAM_FILTER_PATTERNS) — with its exact table grants, the bot
 * token, and a failure queue for stream batches it could not handle after its retries.
 *
 * Its own function, not the fan-out's: a post waits for the channel's per-chat limit and
 * Telegram's 429s, which must not hold back the subscribers' alerts. DynamoDB Streams serve two
 * readers per shard at once: this one and the alert fan-out.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  ALERT_STREAM_RETRY_ATTEMPTS,
  CHANNEL_STREAM_BATCH_SIZE,
  CHANNEL_STREAM_FILTER_PATTERNS,
} from '../../functions/alerts/stream-filter';
import type { StageConfig } from '../stage-config';
import { grantSecretValue, grantTableAccess, TABLE_ACCESS } from './grants';
import { HeraldFunction } from './herald-function';

export interface ChannelPosterProps {
  readonly stage: StageConfig;
  readonly table: Table;
  readonly botTokenSecret: ISecret;
  readonly commonEnvironment: Readonly<Record<string, string>>;
}

export class ChannelPosterFunction extends Construct {
  readonly fn: HeraldFunction;
  /** Stream batches the poster could not handle after its retries (record pointers, not data). */
  readonly streamFailureQueue: Queue;

  constructor(scope: Construct, id: string, props: ChannelPosterProps) {
    super(scope, id);
    this.streamFailureQueue = new Queue(this, 'ChannelFailureQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.fn = new HeraldFunction(this, 'ChannelPosterFunction', {
      entry: 'functions/handlers/channels.ts',
      description:
        "Posts new articles to the publisher's channels and edits or deletes them with the article",
      timeout: Duration.seconds(60),
      memorySize: 256,
      stage: props.stage,
      // The card is drawn from the Fluent catalogues, read from beside the bundle.
      catalogues: true,
      environment: {
        ...props.commonEnvironment,
        BOT_TOKEN_SECRET_ARN: props.botTokenSecret.secretArn,
        // It paces at its share of the free rate (channelPosterRate, functions/alerts/pacer.ts).
        ALERT_RATE_PER_SECOND: String(props.stage.alertRatePerSecond),
      },
    });
    this.fn.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: CHANNEL_STREAM_BATCH_SIZE,
        retryAttempts: ALERT_STREAM_RETRY_ATTEMPTS,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.streamFailureQueue),
        // Lambda ORs the patterns: views, follows and bookkeeping never invoke it.
        filters: CHANNEL_STREAM_FILTER_PATTERNS.map((pattern) => FilterCriteria.filter(pattern)),
      }),
    );
    grantTableAccess(this.fn, props.table, TABLE_ACCESS.channels);
    grantSecretValue(this.fn, props.botTokenSecret);
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "dynamodb:ListStreams, added by the stream event source, supports no resource-level permissions; the stream read actions are scoped to this table's stream ARN.",
    });
    Validations.of(this.streamFailureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself a dead-letter destination: the on-failure destination of the channel poster's stream event source.",
    });
  }
}
