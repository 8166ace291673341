/**
 * CloudFormation custom resource (onEvent handler of a CDK `Provider`) that registers the
 * Telegram webhook during `cdk deploy`.
 *
 * Create/Update → setWebhook + setMyCommands; Delete → deleteWebhook. The token is read from
 * Secrets Manager at deploy time. While the secret still holds its generated placeholder the
 * resource succeeds with `Registered: 'false'`, so the very first deploy works before the admin
 * has a token in place; the admin then stores the token and deploys again.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { loadConfig } from '../config';
import { commandMenus } from '../i18n/commands';
import { createLogger } from '../logger';
import { createSecretReader, type SecretReader } from '../secrets';
import { BOT_TOKEN_PATTERN } from '../telegram/bot-token';
import { registerWebhook, unregisterWebhook } from '../telegram/register-webhook';

/**
 * Stable on purpose: if the physical id changed on Update, CloudFormation would send a
 * Delete for the old id afterwards, and that would remove the webhook we just set.
 */
export const PHYSICAL_RESOURCE_ID = 'herald-telegram-webhook';

/** Returned to CloudFormation; `Registered` is exposed as a stack output. */
export interface RegistrarResult {
  PhysicalResourceId: string;
  Data: { Registered: 'true' | 'false' };
}

/** The slice of a logger the registrar uses (Powertools' Logger fits). */
export interface RegistrarLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
}

export interface RegistrarDeps {
  /** Returns a secret's current string value ('' when it has none). */
  readonly readSecret: SecretReader;
  /** Bot API root, e.g. `https://api.telegram.org`. */
  readonly apiRoot: string;
  readonly logger: RegistrarLogger;
  readonly fetchImpl?: typeof fetch;
}

interface RegistrarProperties {
  webhookUrl: string;
  botTokenSecretArn: string;
  webhookSecretArn: string;
}

function requireProperty(props: Record<string, unknown>, name: string): string {
  const value = props[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`Custom resource property ${name} is missing; the stack passes it (lib/herald-stack.ts)`);
  }
  return value;
}

function readProperties(props: Record<string, unknown>): RegistrarProperties {
  return {
    webhookUrl: requireProperty(props, 'WebhookUrl'),
    botTokenSecretArn: requireProperty(props, 'BotTokenSecretArn'),
    webhookSecretArn: requireProperty(props, 'WebhookSecretArn'),
  };
}

/** True when the value looks like a real BotFather token rather than the generated placeholder. */
export function isBotToken(value: string): boolean {
  return BOT_TOKEN_PATTERN.test(value);
}

/**
 * Builds the custom resource handler from its parts, so tests can point it at the Bot API
 * stand-in and a local secret source.
 */
export function createRegistrarHandler(
  deps: RegistrarDeps,
): (event: CloudFormationCustomResourceEvent) => Promise<RegistrarResult> {
  return async (event) => {
    const props = readProperties(event.ResourceProperties);
    const physicalId = event.RequestType === 'Create' ? PHYSICAL_RESOURCE_ID : event.PhysicalResourceId;
    const context = { requestType: event.RequestType, webhookUrl: props.webhookUrl };

    const token = await deps.readSecret(props.botTokenSecretArn);
    if (!isBotToken(token)) {
      // Never log the value itself: a half-pasted real token is still a credential.
      deps.logger.warn(
        `Bot token not set: put it in secret ${props.botTokenSecretArn} and run \`npx cdk deploy\` again`,
        context,
      );
      return { PhysicalResourceId: physicalId, Data: { Registered: 'false' } };
    }
    const target = { apiRoot: deps.apiRoot, token, fetchImpl: deps.fetchImpl };

    if (event.RequestType === 'Delete') {
      try {
        await unregisterWebhook(target);
        deps.logger.info('Webhook deleted', context);
      } catch (error) {
        // A failed Delete would leave the stack stuck in DELETE_FAILED over something the
        // admin can fix in one curl call (docs/deploy.md); report it and let the delete go on.
        deps.logger.warn('deleteWebhook failed; the webhook may still be set', {
          ...context,
          error: error instanceof Error ? error.message : String(error),
        });
      }
      return { PhysicalResourceId: physicalId, Data: { Registered: 'false' } };
    }

    const secretToken = await deps.readSecret(props.webhookSecretArn);
    // Errors propagate: the Provider framework fails the resource with the message as the
    // reason, which carries Telegram's description (e.g. "Unauthorized") but not the token.
    await registerWebhook({
      ...target,
      url: props.webhookUrl,
      secretToken,
      dropPending: event.RequestType === 'Create',
      // From the catalogues shipped beside this bundle (`locales/`): one menu per language.
      commandMenus: commandMenus(),
    });
    deps.logger.info('Webhook registered', context);
    return { PhysicalResourceId: physicalId, Data: { Registered: 'true' } };
  };
}

const config = loadConfig();

/** Lambda entry point, wired to Secrets Manager and the configured Bot API root. */
export const handler = createRegistrarHandler({
  // Fresh reads: the admin has just stored the token and deploys again to register it.
  readSecret: createSecretReader({ fresh: true }),
  apiRoot: config.telegramApiRoot,
  // The house logger: errors are serialised without what a failed call carried.
  logger: createLogger(config),
});
