/**
 * Secrets: on AWS they live in Secrets Manager and are read at run time (cached for a few
 * minutes by Powertools parameters); locally they come from the environment. Values are never
 * logged and never placed in an environment variable of a deployed function.
 */
import type { Config } from './config';
import { BOT_TOKEN_PATTERN } from './telegram/bot-token';

const CACHE_SECONDS = 300;

/** Thrown when a secret is missing or still holds the deploy-time placeholder. */
export class SecretNotSetError extends Error {
  override name = 'SecretNotSetError';
}

async function readSecret(arn: string): Promise<string> {
  // Loaded on first use: the Secrets Manager client is the heaviest require of the webhook's
  // init, and the local runtime and tests (which read secrets from the environment) never need it.
  const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
  const value = await getSecret(arn, { maxAge: CACHE_SECONDS });
  if (typeof value !== 'string' || value.length === 0)
    throw new SecretNotSetError(`secret ${arn} has no string value`);
  return value.trim();
}

/** The bot token: TELEGRAM_BOT_TOKEN locally, else the Secrets Manager secret. */
export async function getBotToken(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const token =
    env.TELEGRAM_BOT_TOKEN?.trim() ||
    (config.botTokenSecretArn ? await readSecret(config.botTokenSecretArn) : '');
  if (!BOT_TOKEN_PATTERN.test(token)) {
    throw new SecretNotSetError(
      config.botTokenSecretArn
        ? `The bot token secret (${config.botTokenSecretArn}) does not hold a bot token yet. Put the token from @BotFather in it.`
        : 'TELEGRAM_BOT_TOKEN is not set to a bot token from @BotFather.',
    );
  }
  return token;
}

/** The webhook secret token Telegram sends in X-Telegram-Bot-Api-Secret-Token. */
export async function getWebhookSecret(
  config: Config,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const local = env.TELEGRAM_WEBHOOK_SECRET?.trim();
  if (local) return local;
  if (!config.webhookSecretArn)
    throw new SecretNotSetError('WEBHOOK_SECRET_ARN (or TELEGRAM_WEBHOOK_SECRET locally) is not set.');
  return readSecret(config.webhookSecretArn);
}
