/**
 * A custom resource that registers the Telegram webhook as part of `cdk deploy`
 * (handler: functions/handlers/webhook-registrar.ts).
 */
import { createHash } from 'node:crypto';
import { CustomResource, Stack, Validations } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { commandMenus } from '../../functions/i18n/commands';
import { ALLOWED_UPDATES, MAX_CONNECTIONS } from '../../functions/telegram/register-webhook';
import { type StageConfig, TIMEOUTS } from '../stage-config';
import { grantSecretValue } from './grants';
import { HeraldFunction } from './herald-function';

export interface WebhookRegistrationProps {
  readonly stage: StageConfig;
  /** The public URL of `POST /telegram/webhook` (a token until deploy time). */
  readonly webhookUrl: string;
  readonly botTokenSecret: ISecret;
  readonly webhookSecret: ISecret;
}

/**
 * Changes whenever what we register changes (a translated command description too), so the
 * resource re-runs on a code or catalogue change.
 */
export const REGISTRATION_CONFIG_HASH = createHash('sha256')
  .update(JSON.stringify({ ALLOWED_UPDATES, MENUS: commandMenus(), MAX_CONNECTIONS }))
  .digest('hex')
  .slice(0, 16);

export class WebhookRegistration extends Construct {
  readonly registrar: HeraldFunction;
  readonly resource: CustomResource;
  /** `'true'` once the webhook is set; `'false'` while the token secret holds its placeholder. */
  readonly registered: string;

  constructor(scope: Construct, id: string, props: WebhookRegistrationProps) {
    super(scope, id);

    this.registrar = new HeraldFunction(this, 'RegistrarFunction', {
      entry: 'functions/handlers/webhook-registrar.ts',
      description: 'Deploy time: registers the Telegram webhook and the command menu',
      timeout: TIMEOUTS.registrar,
      memorySize: 128,
      stage: props.stage,
      // The command menus are built from the catalogues at deploy time.
      catalogues: true,
    });
    // Deliberately nothing else: the registrar never touches the table or the queues.
    grantSecretValue(this.registrar, props.botTokenSecret, props.webhookSecret);

    const provider = new Provider(this, 'Provider', {
      onEventHandler: this.registrar,
      logGroup: new LogGroup(this, 'ProviderLogs', {
        retention: props.stage.logRetention,
        removalPolicy: props.stage.removalPolicy,
      }),
    });

    const registrarLogicalId = Stack.of(this).getLogicalId(this.registrar.node.defaultChild as CfnFunction);
    Validations.of(provider).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "The CDK Provider framework's function: logging only, the AWS-maintained minimum.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${registrarLogicalId}.Arn>:*]`,
        reason:
          'The Provider framework invokes the registrar function; the wildcard is only its version/alias qualifier.',
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          'The Provider framework function and its runtime are managed by aws-cdk-lib, not by this app.',
      },
    );

    this.resource = new CustomResource(this, 'Webhook', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::TelegramWebhook',
      properties: {
        WebhookUrl: props.webhookUrl,
        // ARNs only: the registrar reads the values at deploy time, so no secret ever lands
        // in the template, the CloudFormation events or the custom resource's response.
        BotTokenSecretArn: props.botTokenSecret.secretArn,
        WebhookSecretArn: props.webhookSecret.secretArn,
        ConfigHash: REGISTRATION_CONFIG_HASH,
        // New on every synth, so every `cdk deploy` re-registers. That is what makes "put the
        // token in the secret, then deploy again" work (CloudFormation cannot see a secret's
        // value change), and it repairs a webhook removed by a local long-polling run.
        // setWebhook is idempotent; pending updates are dropped on Create only.
        DeployedAt: new Date().toISOString(),
      },
    });
    this.registered = this.resource.getAttString('Registered');
  }
}
