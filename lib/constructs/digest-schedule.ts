/**
 * Digests on AWS: the digest function (functions/handlers/digest.ts, its own small bundle), an
 * EventBridge Scheduler schedule that invokes it at minutes 2, 17, 32 and 47 of every hour
 * (two minutes into each 15-minute slot, see SLOT_LAG_MS), its exact table grants, the right
 * to send to the alert queue (digests go through the same paced sender as alerts), and the
 * DigestSlotsBehind metric: slots a run had to catch up, which the stack's alarms watch.
 */
import { Duration } from 'aws-cdk-lib';
import type { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage-config';
import { InvokeFunctionOnly } from './feed-ingest';
import { grantSendMessage, grantTableAccess, TABLE_ACCESS } from './grants';
import { HeraldFunction } from './herald-function';

export interface DigestScheduleProps {
  readonly stage: StageConfig;
  readonly table: ITable;
  readonly alertQueue: IQueue;
  readonly commonEnvironment: Readonly<Record<string, string>>;
}

export class DigestSchedule extends Construct {
  readonly fn: HeraldFunction;
  readonly schedule: Schedule;
  /** Slots started per run (Maximum over 15 minutes): 1 normally, more when runs fell behind. */
  readonly slotsMetric: Metric;

  constructor(scope: Construct, id: string, props: DigestScheduleProps) {
    super(scope, id);
    this.fn = new HeraldFunction(this, 'DigestFunction', {
      entry: 'functions/handlers/digest.ts',
      description: 'Digest schedule: enqueues the digests of the readers due in each 15-minute slot',
      // Under the 15-minute interval: 100,000 due readers are 200 Query pages and 2,000 queue messages.
      timeout: Duration.minutes(5),
      memorySize: 256,
      stage: props.stage,
      environment: { ...props.commonEnvironment, ALERT_QUEUE_URL: props.alertQueue.queueUrl },
    });
    grantTableAccess(this.fn, props.table, TABLE_ACCESS.digest);
    grantSendMessage(this.fn, props.alertQueue);

    this.schedule = new Schedule(this, 'Schedule', {
      description: `Herald ${props.stage.stage}: start the digests due in each 15-minute slot`,
      schedule: ScheduleExpression.cron({ minute: '2,17,32,47' }),
      // A missed run is caught up by the next one (the cursor): no retries piling up.
      target: new InvokeFunctionOnly(this.fn, { retryAttempts: 0, maxEventAge: Duration.minutes(15) }),
    });

    const filter = new MetricFilter(this, 'SlotsFilter', {
      logGroup: this.fn.logGroup,
      metricNamespace: `Herald/${props.stage.stage}`,
      metricName: 'DigestSlotsPerRun',
      filterPattern: FilterPattern.stringValue('$.message', '=', 'digest schedule run'),
      metricValue: '$.slots',
    });
    this.slotsMetric = filter.metric({ period: Duration.minutes(15), statistic: 'Maximum' });
  }
}
