/**
 * The alarms an operator needs: function errors and throttles, undeliverable alerts (DLQ and
 * the sender's AlertsFailed metric), stuck fan-out batches, and the API's 5xx, 4xx and 429
 * (throttled) answers. They notify an
 * encrypted SNS topic, which prod always has (so no prod alarm notifies nobody) and dev has
 * when `alarmEmail` is set; `alarmEmail` also subscribes that address.
 */
import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IAlarmAction,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage-config';

/**
 * The sender's failure counter as Powertools Metrics publishes it (EMF): namespace from
 * POWERTOOLS_METRICS_NAMESPACE, and the default `service` dimension from
 * POWERTOOLS_SERVICE_NAME. An alarm matches dimensions exactly, so these must agree with the
 * sender's environment (lib/constructs/herald-function.ts).
 */
export const ALERTS_FAILED_METRIC = {
  namespace: 'Herald',
  metricName: 'AlertsFailed',
  dimensionsMap: { service: 'herald' },
} as const;

/**
 * Seconds until 90 % of a run's readers had their alert, one data point per finished run
 * (functions/handlers/sender.ts); the alarm fires when a run misses the stage's target.
 */
export const ALERT_TIME_TO_90_METRIC = {
  namespace: 'Herald',
  metricName: 'AlertTimeTo90',
  dimensionsMap: { service: 'herald' },
} as const;

export interface MonitoredFunction {
  readonly name: string;
  readonly fn: IFunction;
  /** Errors in 5 minutes that raise the alarm. */
  readonly errorThreshold: number;
}

export interface HeraldAlarmsProps {
  readonly stage: StageConfig;
  readonly functions: readonly MonitoredFunction[];
  readonly deadLetterQueue: IQueue;
  readonly streamFailureQueue: IQueue;
  readonly api: HttpApi;
  /** The HTTP API's access log group (JSON lines with `status` and `routeKey`). */
  readonly accessLogGroup: ILogGroup;
  /** The API's route keys: throttled calls to these (not to unknown paths) raise Api429. */
  readonly routeKeys: readonly string[];
  /** The webhook's log group: its one-line-per-request `outcome` key becomes metrics. */
  readonly webhookLogGroup: ILogGroup;
}

/**
 * Webhook outcomes, logged once per request by functions/bot/webhook.ts and counted here with
 * metric filters — metrics without metrics code in the webhook bundle.
 */
export const WEBHOOK_OUTCOMES = {
  handled: 'WebhookUpdatesHandled',
  duplicate: 'WebhookDuplicates',
  unauthorized: 'WebhookUnauthorized',
  'bad-request': 'WebhookBadRequests',
  unavailable: 'WebhookUnavailable',
  'bot-error': 'WebhookBotErrors',
} as const;

/**
 * API 4xx answers in 5 minutes that raise Api4xx: about one every 3 s. Telegram's deliveries
 * never get a 4xx; a CMS bug, a wrong key or someone probing the URL does — a few stray
 * scanner requests stay below it.
 */
export const API_4XX_THRESHOLD = 100;

export class HeraldAlarms extends Construct {
  readonly alarms: Alarm[] = [];
  /** Always in prod; in dev only with context `alarmEmail`. Every alarm notifies it. */
  readonly topic?: Topic;
  private readonly action?: IAlarmAction;
  private readonly stageName: string;

  constructor(scope: Construct, id: string, props: HeraldAlarmsProps) {
    super(scope, id);
    this.stageName = props.stage.stage;

    // Prod alarms must reach someone: the topic exists even without alarmEmail, and the stack
    // outputs its ARN with how to subscribe. A dev stack without alarmEmail skips it (and its
    // key's $1 a month); its alarms still show in the console.
    if (props.stage.stage === 'prod' || props.stage.alarmEmail !== undefined) {
      // A customer-managed key: CloudWatch cannot publish to a topic encrypted with the
      // AWS-managed SNS key, because that key's policy cannot be extended.
      const key = new Key(this, 'AlarmTopicKey', {
        description: 'Encrypts Herald alarm notifications',
        enableKeyRotation: true,
        removalPolicy: props.stage.removalPolicy,
      });
      key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
      this.topic = new Topic(this, 'AlarmTopic', { masterKey: key, enforceSSL: true });
      if (props.stage.alarmEmail !== undefined) {
        this.topic.addSubscription(new EmailSubscription(props.stage.alarmEmail));
      }
      this.action = new SnsAction(this.topic);
    }

    const fiveMinutes = Duration.minutes(5);
    const namespace = `Herald/${props.stage.stage}`;
    const outcomeMetrics = new Map<string, IMetric>();
    for (const [outcome, metricName] of Object.entries(WEBHOOK_OUTCOMES)) {
      const filter = new MetricFilter(this, `${metricName}Filter`, {
        logGroup: props.webhookLogGroup,
        metricNamespace: namespace,
        metricName,
        // bot.catch logs 'update failed' and still answers 200 ('handled'): count those as bot errors too.
        filterPattern:
          outcome === 'bot-error'
            ? FilterPattern.any(
                FilterPattern.stringValue('$.outcome', '=', outcome),
                FilterPattern.stringValue('$.message', '=', 'update failed'),
              )
            : FilterPattern.stringValue('$.outcome', '=', outcome),
        metricValue: '1',
      });
      outcomeMetrics.set(outcome, filter.metric({ period: fiveMinutes, statistic: 'Sum' }));
    }
    const metricOf = (outcome: keyof typeof WEBHOOK_OUTCOMES): IMetric => {
      const metric = outcomeMetrics.get(outcome);
      if (!metric) throw new Error(`no metric filter for the webhook outcome ${outcome}`);
      return metric;
    };
    // Errors logged by the bot (bot.catch) and redeliveries asked of Telegram: users saw a failure.
    this.add('WebhookBotErrors', metricOf('bot-error'), 5, 'Updates failed inside the bot');
    this.add(
      'WebhookUnavailable',
      metricOf('unavailable'),
      5,
      'The webhook asked Telegram to redeliver (store or secrets unavailable)',
    );
    for (const { name, fn, errorThreshold } of props.functions) {
      this.add(
        `${name}Errors`,
        fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
        errorThreshold,
        `${name}: function errors`,
      );
      // Any throttle means Telegram or SQS is being pushed back; worth knowing about at once.
      this.add(
        `${name}Throttles`,
        fn.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }),
        1,
        `${name}: throttled invocations`,
      );
    }
    this.add(
      'AlertDeadLetters',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      1,
      'Alerts that could not be delivered are waiting in the dead-letter queue',
    );
    this.add(
      'FanoutFailures',
      props.streamFailureQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      1,
      'A publication could not be fanned out to subscribers (see the fan-out failure queue)',
    );
    // Maximum, not average: one slow run in the period is one publication whose readers waited.
    // Treated as not breaching when no run finished (no data).
    this.add(
      'AlertTimeTo90',
      new Metric({ ...ALERT_TIME_TO_90_METRIC, period: fiveMinutes, statistic: 'Maximum' }),
      props.stage.alertTimeTo90TargetSeconds,
      `An alert run took longer than ${props.stage.alertTimeTo90TargetSeconds} s to reach 90 % of its readers (the delivery report has its times; docs/scale.md says what to change)`,
      TreatMissingData.NOT_BREACHING,
      ComparisonOperator.GREATER_THAN_THRESHOLD,
    );
    this.add(
      'AlertsFailed',
      new Metric({ ...ALERTS_FAILED_METRIC, period: fiveMinutes, statistic: 'Sum' }),
      1,
      'The sender gave up on alert messages',
    );
    this.add(
      'Api5xx',
      props.api.metricServerError({ period: fiveMinutes, statistic: 'Sum' }),
      5,
      'The HTTP API answered 5xx',
    );
    this.add(
      'Api4xx',
      props.api.metricClientError({ period: fiveMinutes, statistic: 'Sum' }),
      API_4XX_THRESHOLD,
      `The HTTP API answered ${API_4XX_THRESHOLD} or more 4xx in 5 minutes (a broken client, a wrong key, or someone probing the URL: see the access logs)`,
    );
    // HTTP APIs publish no 429 metric: count throttled calls to the real routes from the access
    // log. Any one means Telegram's deliveries or the CMS were turned away.
    const throttled = new MetricFilter(this, 'ApiThrottledFilter', {
      logGroup: props.accessLogGroup,
      metricNamespace: namespace,
      metricName: 'ApiThrottled',
      filterPattern: FilterPattern.all(
        FilterPattern.stringValue('$.status', '=', '429'),
        FilterPattern.any(...props.routeKeys.map((key) => FilterPattern.stringValue('$.routeKey', '=', key))),
      ),
      metricValue: '1',
    });
    this.add(
      'Api429',
      throttled.metric({ period: fiveMinutes, statistic: 'Sum' }),
      1,
      'The HTTP API throttled calls to the webhook or admin route (429): Telegram or the CMS was turned away',
    );
  }

  /**
   * An alarm at `metric` ≥ `threshold` that notifies the topic. Missing data is "nothing
   * happened" unless `treatMissingData` says otherwise (a metric reported once per run).
   */
  add(
    id: string,
    metric: IMetric,
    threshold: number,
    description: string,
    treatMissingData: TreatMissingData = TreatMissingData.NOT_BREACHING,
    comparisonOperator: ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  ): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator,
      treatMissingData,
      alarmDescription: `${description} (Herald ${this.stageName})`,
    });
    if (this.action !== undefined) alarm.addAlarmAction(this.action);
    this.alarms.push(alarm);
  }
}
