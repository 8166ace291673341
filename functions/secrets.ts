/**
 * Secrets: on AWS they live in Secrets Manager and are read at run time (cached here for a few
 * minutes); locally they come from the environment. Values are never
 * logged and never placed in an environment variable of a deployed function. Every reader of a
 * secret (webhook, sender, admin API, the deploy-time registrar) goes through
 * {@link createSecretReader}.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from './config';
import { BOT_TOKEN_PATTERN } from './telegram/bot-token';

const CACHE_SECONDS = 300;

/** Thrown when a secret is missing or still holds the deploy-time placeholder. */
export class SecretNotSetError extends Error {
  override name = 'SecretNotSetError';
}

/** A secret's string value, trimmed; '' when it has none. */
export type SecretReader = (arn: string) => Promise<string>;

/**
 * Reads secrets with the runtime's Secrets Manager client (external to the bundle), caching each
 * value for a few minutes. Powertools parameters did the same but put ~9 kB into the webhook
 * bundle, which has a 200 kB budget.
 *
 * @param options.fresh never answer from the cache (deploy-time reads must see the value just stored)
 * @param options.client the Secrets Manager client to use (tests point one at a local endpoint)
 */
export function createSecretReader(
  options: { fresh?: boolean; client?: SecretsManagerClient } = {},
): SecretReader {
  const cache = new Map<string, { value: string; until: number }>();
  // Loaded on first use: the Secrets Manager client is the heaviest require of the webhook's
  // init, and the local runtime and tests (which read secrets from the environment) never need it.
  let sdk: Promise<typeof import('@aws-sdk/client-secrets-manager')> | undefined;
  let client: SecretsManagerClient | undefined = options.client;
  return async (arn) => {
    const hit = cache.get(arn);
    if (options.fresh !== true && hit && hit.until > Date.now()) return hit.value;
    sdk ??= import('@aws-sdk/client-secrets-manager');
    const { GetSecretValueCommand, SecretsManagerClient: Client } = await sdk;
    client ??= new Client({});
    // Trimmed because a token pasted into a shell often carries a trailing newline.
    const value = (
      (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString ?? ''
    ).trim();
    cache.set(arn, { value, until: Date.now() + CACHE_SECONDS * 1000 });
    return value;
  };
}

const cachedReader = createSecretReader();

async function readSecret(arn: string): Promise<string> {
  const value = await cachedReader(arn);
  if (value.length === 0) throw new SecretNotSetError(`secret ${arn} has no string value`);
  return value;
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

const freshReader = createSecretReader({ fresh: true });

/**
 * The admin secret (ADMIN_API_KEY_SECRET_ARN): a bare key or a keyring (admin/admin-keys.ts).
 * Read fresh on every call: the admin API caches the parsed keyring itself, for at most
 * KEYRING_TTL_MS, and reads early on an unknown key, so a new key works at once and a revoked one
 * stops within a minute.
 */
export async function getAdminApiKey(config: Config): Promise<string> {
  if (!config.adminApiKeySecretArn) throw new SecretNotSetError('ADMIN_API_KEY_SECRET_ARN is not set');
  const value = await freshReader(config.adminApiKeySecretArn);
  if (value.length === 0)
    throw new SecretNotSetError(`secret ${config.adminApiKeySecretArn} has no string value`);
  return value;
}
