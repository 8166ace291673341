/**
 * Secrets: on AWS they live in Secrets Manager and are read at run time (cached here for a few
 * minutes); locally they come from the environment. Values are never
 * logged and never placed in an environment variable of a deployed function.
 */
import type { Config } from './config';
import { BOT_TOKEN_PATTERN } from './telegram/bot-token';

const CACHE_SECONDS = 300;

/** Thrown when a secret is missing or still holds the deploy-time placeholder. */
export class SecretNotSetError extends Error {
  override name = 'SecretNotSetError';
}

const cache = new Map<string, { value: string; until: number }>();
let reader: Promise<(secretArn: string) => Promise<string>> | undefined;

async function readSecret(config: Config, arn: string): Promise<string> {
  const hit = cache.get(arn);
  if (hit && hit.until > Date.now()) return hit.value;
  // Loaded on first use: the Secrets Manager client is the heaviest require of the webhook's
  // init, and the local runtime and tests (which read secrets from the environment) never need
  // it. The SDK is the runtime's (external to the bundle); Powertools parameters, which did the
  // same with a cache, put ~9 kB into the webhook bundle.
  // (The registrar's createSecretReader reads the same way, uncached, with a client it is given.)
  reader ??= import('@aws-sdk/client-secrets-manager').then(
    ({ SecretsManagerClient, GetSecretValueCommand }) => {
      const client = new SecretsManagerClient({ region: config.region });
      return async (secretArn: string) =>
        // Trimmed because a token pasted into a shell often carries a trailing newline.
        ((await client.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString ?? '').trim();
    },
  );
  const value = await (await reader)(arn);
  if (value.length === 0) throw new SecretNotSetError(`secret ${arn} has no string value`);
  cache.set(arn, { value, until: Date.now() + CACHE_SECONDS * 1000 });
  return value;
}

/** The bot token: TELEGRAM_BOT_TOKEN locally, else the Secrets Manager secret. */
export async function getBotToken(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const token =
    env.TELEGRAM_BOT_TOKEN?.trim() ||
    (config.botTokenSecretArn ? await readSecret(config, config.botTokenSecretArn) : '');
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
  return readSecret(config, config.webhookSecretArn);
}
