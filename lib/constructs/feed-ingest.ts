/**
 * Feed ingest on AWS: the ingest function (functions/handlers/ingest.ts, its own bundle, not
 * the webhook's), an EventBridge Scheduler schedule that invokes it every `feedPollMinutes`
 * (context, default 10), its exact table grants, and the FeedSourcesFailing metric (from the
 * function's summary log line), which the stack's alarms watch (lib/herald-stack.ts).
 */
import { Duration } from 'aws-cdk-lib';
import type { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage-config';
import { grantTableAccess, TABLE_ACCESS } from './grants';
import { HeraldFunction } from './herald-function';

/**
 * The schedule's target, allowed to invoke the function itself and nothing else: the stock
 * LambdaInvoke grants `<function ARN>:*` too (every version and alias), which the schedule
 * never calls.
 */
export class InvokeFunctionOnly extends LambdaInvoke {
  constructor(
    private readonly target: IFunction,
    props: ConstructorParameters<typeof LambdaInvoke>[1],
  ) {
    super(target, props);
  }

  protected override addTargetActionToRole(role: IRole): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.target.functionArn] }),
    );
  }
}

export interface FeedIngestProps {
  readonly stage: StageConfig;
  readonly table: ITable;
  readonly commonEnvironment: Readonly<Record<string, string>>;
}

/** Longest run: under the interval (no overlapping runs), at most 5 minutes. */
export function ingestTimeout(pollMinutes: number): Duration {
  return Duration.minutes(Math.min(5, pollMinutes - 1));
}

export class FeedIngest extends Construct {
  readonly fn: HeraldFunction;
  readonly schedule: Schedule;
  /** Sources failing for an hour or more, per run (Maximum over the poll interval). */
  readonly failingMetric: Metric;

  constructor(scope: Construct, id: string, props: FeedIngestProps) {
    super(scope, id);
    const minutes = props.stage.feedPollMinutes;
    this.fn = new HeraldFunction(this, 'IngestFunction', {
      entry: 'functions/handlers/ingest.ts',
      description: 'Feed ingest: polls the due feed sources and publishes new items',
      timeout: ingestTimeout(minutes),
      // Parsing and HTML conversion of a few feeds at a time: CPU scales with memory.
      memorySize: 512,
      stage: props.stage,
      environment: { ...props.commonEnvironment },
    });
    grantTableAccess(this.fn, props.table, TABLE_ACCESS.ingest);

    this.schedule = new Schedule(this, 'Schedule', {
      description: `Herald ${props.stage.stage}: poll the feed sources every ${minutes} minutes`,
      schedule: ScheduleExpression.rate(Duration.minutes(minutes)),
      // A missed run is simply the next one: no retries piling up behind a slow run.
      target: new InvokeFunctionOnly(this.fn, { retryAttempts: 0, maxEventAge: Duration.minutes(minutes) }),
    });

    const filter = new MetricFilter(this, 'FailingFilter', {
      logGroup: this.fn.logGroup,
      metricNamespace: `Herald/${props.stage.stage}`,
      metricName: 'FeedSourcesFailing',
      filterPattern: FilterPattern.stringValue('$.message', '=', 'feed ingest run'),
      metricValue: '$.feedSourcesFailingOverAnHour',
    });
    this.failingMetric = filter.metric({ period: Duration.minutes(minutes), statistic: 'Maximum' });
  }
}
