/**
 * Everything Herald runs on in one stack: the table, the secrets, the webhook and admin API
 * behind an HTTP API, the alert pipeline, the webhook registration and the alarms.
 *
 * No lookups and no account/region: `cdk synth` works offline and the same template deploys
 * anywhere. No fixed physical names: `Herald-dev` and `Herald-prod` can share an account.
 */
import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { type CfnStage, HttpApi, HttpMethod, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { TELEGRAM_SECRET_HEADER } from '../functions/webhook-gate';
import { AlertPipeline } from './constructs/alert-pipeline';
import { ChannelPosterFunction } from './constructs/channel-poster';
import { DigestSchedule } from './constructs/digest-schedule';
import { FeedIngest } from './constructs/feed-ingest';
import { grantSecretValue, grantTableAccess, TABLE_ACCESS } from './constructs/grants';
import { HeraldAlarms } from './constructs/herald-alarms';
import { HeraldFunction } from './constructs/herald-function';
import { HeraldTable } from './constructs/herald-table';
import { WebhookRegistration } from './constructs/webhook-registration';
import { type StageConfig, type Throttle, TIMEOUTS } from './stage-config';

export interface HeraldStackProps extends StackProps {
  readonly config: StageConfig;
}

/** Path of the Telegram webhook route; the registrar appends it to the API endpoint. */
export const WEBHOOK_PATH = '/telegram/webhook';

/** The routes, by their route keys (what per-route throttles and access logs name). */
export const ROUTE_KEYS = {
  webhook: `POST ${WEBHOOK_PATH}`,
  admin: 'ANY /admin/{proxy+}',
} as const;

/**
 * How long API Gateway keeps the authorizer's answer per identity (secret header value, and
 * source address when ranges are set): Telegram's deliveries reach the authorizer about once
 * per period. Equal to the functions' secret cache, so a rotated secret is honoured within
 * two periods at worst (docs/deploy.md, "Rotating secrets").
 */
export const AUTHORIZER_CACHE_TTL = Duration.minutes(5);

function throttleSettings(t: Throttle): { ThrottlingRateLimit: number; ThrottlingBurstLimit: number } {
  return { ThrottlingRateLimit: t.rateLimit, ThrottlingBurstLimit: t.burstLimit };
}

/**
 * HTTP API access-log line: who, what, outcome, how long. No headers and no body, so neither
 * the webhook secret header nor an admin bearer key can ever reach the logs.
 */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  // API Gateway's own reason when it answered itself: "Unauthorized", "Forbidden", "Too Many Requests"…
  error: '$context.error.message',
});

export class HeraldStack extends Stack {
  readonly table: HeraldTable;
  readonly webhook: HeraldFunction;
  readonly admin: HeraldFunction;
  /** The webhook route's authorizer: secret header (and source ranges) before the webhook runs. */
  readonly authorizer: HeraldFunction;
  readonly alerts: AlertPipeline;
  readonly ingest: FeedIngest;
  readonly digests: DigestSchedule;
  readonly channels: ChannelPosterFunction;
  readonly registration: WebhookRegistration;
  readonly api: HttpApi;
  readonly alarms: HeraldAlarms;

  constructor(scope: Construct, id: string, props: HeraldStackProps) {
    super(scope, id, props);
    const config = props.config;

    this.table = new HeraldTable(this, 'Data', { stage: config });
    const table = this.table.table;

    // Secrets hold values; functions get ARNs and read the values at run time, so nothing
    // secret is in an environment variable, the template or an output.
    const botTokenSecret = new Secret(this, 'BotTokenSecret', {
      description: `Telegram bot token for @${config.botUsername} (${config.stage}). Replace the generated placeholder with the token from @BotFather, then deploy again.`,
      // A placeholder that can never look like a token (no colon), so the registrar can tell
      // "not set yet" from a real token.
      generateSecretString: { passwordLength: 32, excludePunctuation: true, includeSpace: false },
      removalPolicy: config.removalPolicy,
    });
    const webhookSecret = new Secret(this, 'WebhookSecret', {
      description: `Herald ${config.stage}: secret_token Telegram sends with every webhook call`,
      // Telegram accepts 1-256 chars of A-Z a-z 0-9 _ -; letters and digits only are safe.
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: config.removalPolicy,
    });
    const adminApiKeySecret = new Secret(this, 'AdminApiKeySecret', {
      description: `Herald ${config.stage}: bearer key for the admin HTTP API`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
      removalPolicy: config.removalPolicy,
    });

    const commonEnvironment = {
      TABLE_NAME: table.tableName,
      BOT_USERNAME: config.botUsername,
      ADMIN_IDS: config.adminIds,
      ...(config.privacyPolicyUrl ? { PRIVACY_POLICY_URL: config.privacyPolicyUrl } : {}),
    };

    this.webhook = new HeraldFunction(this, 'WebhookFunction', {
      entry: 'functions/handlers/webhook.ts',
      description: 'Telegram webhook: runs the bot for each update',
      timeout: TIMEOUTS.webhook,
      memorySize: 256,
      stage: config,
      reservedConcurrentExecutions: config.webhookConcurrency,
      onDemandFeatures: true,
      catalogues: true,
      environment: {
        ...commonEnvironment,
        BOT_TOKEN_SECRET_ARN: botTokenSecret.secretArn,
        WEBHOOK_SECRET_ARN: webhookSecret.secretArn,
        // Telegraf gives up a second before Lambda would kill the invocation, so the handler
        // can still answer 200 and log instead of timing out.
        HANDLER_TIMEOUT_MS: String(TIMEOUTS.webhook.toMilliseconds() - 1000),
        // With paid broadcast on, replies carry allow_paid_broadcast (functions/telegram/herald-telegram.ts).
        ...(config.paidBroadcast
          ? { PAID_BROADCAST_STARS_PER_RUN: String(config.paidBroadcast.starsPerRun) }
          : {}),
      },
    });
    grantTableAccess(this.webhook, table, TABLE_ACCESS.webhook);
    grantSecretValue(this.webhook, botTokenSecret, webhookSecret);

    this.admin = new HeraldFunction(this, 'AdminApiFunction', {
      entry: 'functions/handlers/admin-api.ts',
      description: 'Admin HTTP API: publish and update articles and authors',
      timeout: TIMEOUTS.admin,
      memorySize: 256,
      stage: config,
      environment: {
        ...commonEnvironment,
        ADMIN_API_KEY_SECRET_ARN: adminApiKeySecret.secretArn,
      },
    });
    grantTableAccess(this.admin, table, TABLE_ACCESS.admin);
    grantSecretValue(this.admin, adminApiKeySecret);

    this.alerts = new AlertPipeline(this, 'Alerts', {
      stage: config,
      table,
      botTokenSecret,
      commonEnvironment,
    });

    this.ingest = new FeedIngest(this, 'FeedIngest', { stage: config, table, commonEnvironment });

    this.digests = new DigestSchedule(this, 'Digests', {
      stage: config,
      table,
      alertQueue: this.alerts.alertQueue,
      commonEnvironment,
    });

    this.channels = new ChannelPosterFunction(this, 'Channels', {
      stage: config,
      table,
      botTokenSecret,
      commonEnvironment,
    });

    this.authorizer = new HeraldFunction(this, 'WebhookAuthorizerFunction', {
      entry: 'functions/handlers/webhook-authorizer.ts',
      description: 'Telegram webhook authorizer: secret header and source ranges, before the webhook runs',
      timeout: TIMEOUTS.authorizer,
      memorySize: 128,
      stage: config,
      environment: {
        WEBHOOK_SECRET_ARN: webhookSecret.secretArn,
        ...(config.webhookSourceRanges.length > 0
          ? { WEBHOOK_SOURCE_RANGES: config.webhookSourceRanges.join(',') }
          : {}),
      },
    });
    grantSecretValue(this.authorizer, webhookSecret);

    // HTTP API: cheaper and faster than REST APIs, and payload v2 is what the handlers parse.
    // The default stage is added by hand because only an explicit stage takes throttling and
    // access-log settings.
    this.api = new HttpApi(this, 'Api', {
      description: `Herald ${config.stage}: Telegram webhook and admin API`,
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    const defaultStage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      // The stage default applies to every route without its own settings: only unmatched paths.
      throttle: config.apiThrottles.unmatched,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });
    // Separate token buckets per route: a flood of unauthenticated calls to the admin API or to
    // unknown paths cannot use up the webhook's, so Telegram's deliveries keep flowing. A flood
    // aimed at the webhook path itself still draws on Telegram's bucket (API Gateway counts
    // requests, not authorized ones); only a filter in front of API Gateway could stop that.
    (defaultStage.node.defaultChild as CfnStage).routeSettings = {
      [ROUTE_KEYS.webhook]: throttleSettings(config.apiThrottles.webhook),
      [ROUTE_KEYS.admin]: throttleSettings(config.apiThrottles.admin),
    };

    // The secret header is the identity source: API Gateway answers 401 to a call without it
    // and never invokes a function (functions/webhook-gate.ts says why this, not in-handler only).
    const identitySource = [
      `$request.header.${TELEGRAM_SECRET_HEADER}`,
      // With source ranges, a cached "allowed" must not carry over to another address.
      ...(config.webhookSourceRanges.length > 0 ? ['$context.identity.sourceIp'] : []),
    ];
    const webhookRoutes = this.api.addRoutes({
      path: WEBHOOK_PATH,
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('WebhookIntegration', this.webhook),
      authorizer: new HttpLambdaAuthorizer('WebhookAuthorizer', this.authorizer, {
        identitySource,
        responseTypes: [HttpLambdaResponseType.SIMPLE],
        resultsCacheTtl: AUTHORIZER_CACHE_TTL,
      }),
    });
    const adminRoutes = this.api.addRoutes({
      path: '/admin/{proxy+}',
      methods: [HttpMethod.ANY],
      integration: new HttpLambdaIntegration('AdminIntegration', this.admin),
    });
    // Route settings name route keys, which CloudFormation refuses before the routes exist.
    defaultStage.node.addDependency(...webhookRoutes, ...adminRoutes);

    const webhookUrl = `${this.api.apiEndpoint}${WEBHOOK_PATH}`;
    this.registration = new WebhookRegistration(this, 'Registration', {
      stage: config,
      webhookUrl,
      botTokenSecret,
      webhookSecret,
    });
    // Register only once the URL answers: Telegram delivers pending updates right after
    // setWebhook, and a missing stage, route, authorizer or invoke permission would turn them
    // into errors. The API construct holds all of those.
    this.registration.resource.node.addDependency(this.api, this.webhook, this.authorizer);

    this.alarms = new HeraldAlarms(this, 'Alarms', {
      stage: config,
      functions: [
        // Webhook and admin answer users: a few errors in five minutes is a signal, one may be noise.
        { name: 'Webhook', fn: this.webhook, errorThreshold: 5 },
        { name: 'AdminApi', fn: this.admin, errorThreshold: 5 },
        // An authorizer error is a 500 to Telegram for every delivery until it is fixed.
        { name: 'WebhookAuthorizer', fn: this.authorizer, errorThreshold: 1 },
        // Any error in the alert path or at deploy time means retries or lost alerts.
        { name: 'Fanout', fn: this.alerts.fanout, errorThreshold: 1 },
        { name: 'Sender', fn: this.alerts.sender, errorThreshold: 1 },
        { name: 'Registrar', fn: this.registration.registrar, errorThreshold: 1 },
        // A feed's failure is a report, not an error: an error here is a bug or the store down.
        { name: 'FeedIngest', fn: this.ingest.fn, errorThreshold: 1 },
        // An error here delays every digest of the slot (the next run catches up).
        { name: 'Digest', fn: this.digests.fn, errorThreshold: 1 },
        // A refused post pauses its channel (no error); an error here is a bug or the store down.
        { name: 'ChannelPoster', fn: this.channels.fn, errorThreshold: 1 },
      ],
      deadLetterQueue: this.alerts.deadLetterQueue,
      streamFailureQueue: this.alerts.streamFailureQueue,
      api: this.api,
      accessLogGroup: accessLogs,
      routeKeys: Object.values(ROUTE_KEYS),
      webhookLogGroup: this.webhook.logGroup,
    });

    this.alarms.add(
      'FeedSourcesFailing',
      this.ingest.failingMetric,
      1,
      'A feed source has failed for an hour or more: its last error is in `herald feeds list` and GET /admin/feeds',
      // One data point per run: a period the schedule's jitter left empty keeps the state.
      TreatMissingData.IGNORE,
    );
    this.alarms.add(
      'ChannelPostFailures',
      this.channels.streamFailureQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      1,
      'Channel posts, edits or deletes were left undone after their retries (see the channel failure queue; the posts stay claimed as "retry")',
    );

    this.alarms.add(
      'DigestSlotsBehind',
      this.digests.slotsMetric,
      3,
      'A digest run had to catch up three or more 15-minute slots: digests are arriving late (see the Digest function logs)',
      TreatMissingData.IGNORE,
    );

    new CfnOutput(this, 'WebhookUrl', { value: webhookUrl, description: 'Where Telegram delivers updates' });
    new CfnOutput(this, 'AdminApiUrl', {
      value: `${this.api.apiEndpoint}/admin/`,
      description: 'Admin API base URL (Authorization: Bearer <key from AdminApiKeySecretArn>)',
    });
    new CfnOutput(this, 'BotTokenSecretArn', {
      value: botTokenSecret.secretArn,
      description: 'Put the bot token here',
    });
    new CfnOutput(this, 'BotTokenSecretName', { value: botTokenSecret.secretName });
    new CfnOutput(this, 'AdminApiKeySecretArn', { value: adminApiKeySecret.secretArn });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    if (this.alarms.topic !== undefined) {
      new CfnOutput(this, 'AlarmTopicArn', {
        value: this.alarms.topic.topicArn,
        description:
          'Every alarm notifies this topic. Subscribe to it: deploy with -c alarmEmail=you@example.com, or aws sns subscribe --topic-arn <this ARN> --protocol email --notification-endpoint you@example.com (then confirm the e-mail).',
      });
    }
    new CfnOutput(this, 'WebhookRegistered', {
      value: this.registration.registered,
      description: 'false until the bot token is in the secret and the stack is deployed again',
    });

    // Rotation: none of these can be rotated by a Secrets Manager rotation function alone;
    // each needs a coordinated step outside AWS (docs/deploy.md, "Rotating secrets").
    Validations.of(botTokenSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Issued by Telegram (@BotFather); no API can mint a new one. Rotate with /revoke in @BotFather, put-secret-value, deploy.',
    });
    Validations.of(webhookSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Telegram must be told the new value with setWebhook at the same time; the registrar does that on deploy, so rotation is put-secret-value then deploy.',
    });
    Validations.of(adminApiKeySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "Shared with the publisher's CMS, which must switch keys at the same moment: a coordinated manual rotation.",
    });
    // The admin route is acknowledged route by route, so a future route without auth is still
    // reported. (The webhook route has its authorizer.)
    for (const route of adminRoutes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Authenticated in the function: a bearer key (Authorization: Bearer) compared in constant time with the admin API key in Secrets Manager. A CMS sends a static bearer header easily; an authorizer would add a second function for the same check.',
      });
    }
  }
}
