/**
 * Everything Herald runs on in one stack: the table, the secrets, the webhook and admin API
 * behind an HTTP API, the alert pipeline, the webhook registration and the alarms.
 *
 * No lookups and no account/region: `cdk synth` works offline and the same template deploys
 * anywhere. No fixed physical names: `Herald-dev` and `Herald-prod` can share an account.
 */
import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { AlertPipeline } from './constructs/alert-pipeline';
import { grantSecretValue, grantTableAccess, TABLE_ACCESS } from './constructs/grants';
import { HeraldAlarms } from './constructs/herald-alarms';
import { HeraldFunction } from './constructs/herald-function';
import { HeraldTable } from './constructs/herald-table';
import { WebhookRegistration } from './constructs/webhook-registration';
import { type StageConfig, TIMEOUTS } from './stage-config';

export interface HeraldStackProps extends StackProps {
  readonly config: StageConfig;
}

/** Path of the Telegram webhook route; the registrar appends it to the API endpoint. */
export const WEBHOOK_PATH = '/telegram/webhook';

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
});

export class HeraldStack extends Stack {
  readonly table: HeraldTable;
  readonly webhook: HeraldFunction;
  readonly admin: HeraldFunction;
  readonly alerts: AlertPipeline;
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
    };

    this.webhook = new HeraldFunction(this, 'WebhookFunction', {
      entry: 'functions/handlers/webhook.ts',
      description: 'Telegram webhook: runs the bot for each update',
      timeout: TIMEOUTS.webhook,
      memorySize: 256,
      stage: config,
      reservedConcurrentExecutions: config.webhookConcurrency,
      environment: {
        ...commonEnvironment,
        BOT_TOKEN_SECRET_ARN: botTokenSecret.secretArn,
        WEBHOOK_SECRET_ARN: webhookSecret.secretArn,
        // Telegraf gives up a second before Lambda would kill the invocation, so the handler
        // can still answer 200 and log instead of timing out.
        HANDLER_TIMEOUT_MS: String(TIMEOUTS.webhook.toMilliseconds() - 1000),
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
      throttle: { rateLimit: config.apiRateLimit, burstLimit: config.apiBurstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });
    const webhookRoutes = this.api.addRoutes({
      path: WEBHOOK_PATH,
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('WebhookIntegration', this.webhook),
    });
    const adminRoutes = this.api.addRoutes({
      path: '/admin/{proxy+}',
      methods: [HttpMethod.ANY],
      integration: new HttpLambdaIntegration('AdminIntegration', this.admin),
    });

    const webhookUrl = `${this.api.apiEndpoint}${WEBHOOK_PATH}`;
    this.registration = new WebhookRegistration(this, 'Registration', {
      stage: config,
      webhookUrl,
      botTokenSecret,
      webhookSecret,
    });
    // Register only once the URL answers: Telegram delivers pending updates right after
    // setWebhook, and a missing stage, route or invoke permission would turn them into 404s.
    this.registration.resource.node.addDependency(defaultStage, ...webhookRoutes, this.webhook);

    this.alarms = new HeraldAlarms(this, 'Alarms', {
      stage: config,
      functions: [
        // Webhook and admin answer users: a few errors in five minutes is a signal, one may be noise.
        { name: 'Webhook', fn: this.webhook, errorThreshold: 5 },
        { name: 'AdminApi', fn: this.admin, errorThreshold: 5 },
        // Any error in the alert path or at deploy time means retries or lost alerts.
        { name: 'Fanout', fn: this.alerts.fanout, errorThreshold: 1 },
        { name: 'Sender', fn: this.alerts.sender, errorThreshold: 1 },
        { name: 'Registrar', fn: this.registration.registrar, errorThreshold: 1 },
      ],
      deadLetterQueue: this.alerts.deadLetterQueue,
      streamFailureQueue: this.alerts.streamFailureQueue,
      api: this.api,
      webhookLogGroup: this.webhook.logGroup,
    });

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
    // Routes are acknowledged one by one, so a future route without auth is still reported.
    for (const route of webhookRoutes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Telegram cannot sign requests or present credentials API Gateway could check. The control is the secret_token Telegram sends in X-Telegram-Bot-Api-Secret-Token, compared in constant time by the function (401 otherwise), plus stage throttling.',
      });
    }
    for (const route of adminRoutes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Authenticated in the function: a bearer key (Authorization: Bearer) compared in constant time with the admin API key in Secrets Manager. A CMS sends a static bearer header easily; an authorizer would add a second function for the same check.',
      });
    }
  }
}
