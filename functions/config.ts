/**
 * Runtime configuration, parsed once from the environment with a schema. It fails fast
 * and says how to fix what is wrong — never `process.env.X || ''`.
 *
 * Secrets are not read here: on AWS the bot token and the webhook secret live in Secrets
 * Manager (their ARNs are configured; see functions/secrets.ts); locally they come from the
 * environment (TELEGRAM_BOT_TOKEN) or are generated per run.
 */
import { z } from 'zod';

const csvOfIds = z
  .string()
  .default('')
  .transform((s, ctx) => {
    const ids = s
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x.length > 0);
    const out: number[] = [];
    for (const id of ids) {
      if (!/^\d{1,15}$/.test(id)) {
        ctx.addIssue({ code: 'custom', message: `"${id}" is not a Telegram user id (digits only)` });
        return z.NEVER;
      }
      out.push(Number(id));
    }
    return out;
  });

const envSchema = z.object({
  TABLE_NAME: z.string().min(1).default('herald'),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  /** Points the DynamoDB client at the embedded store or a test instance. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** Telegram's Bot API root; the local runtime and tests point it at the stand-in. */
  TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),
  /** The bot's @username without the @, used for deep links and preset botInfo (no getMe). */
  BOT_USERNAME: z
    .string()
    .regex(/^[A-Za-z0-9_]{3,64}$/, 'must be the bot username without @, e.g. HeraldNewsBot')
    .default('HeraldDemoBot'),
  /** Comma-separated Telegram user ids allowed to use admin commands. */
  ADMIN_IDS: csvOfIds,
  BOT_TOKEN_SECRET_ARN: z.string().min(1).optional(),
  WEBHOOK_SECRET_ARN: z.string().min(1).optional(),
  ADMIN_API_KEY_SECRET_ARN: z.string().min(1).optional(),
  ALERT_QUEUE_URL: z.string().min(1).optional(),
  /** Global cap on outgoing alert messages per second (Telegram's default limit is ~30/s). */
  ALERT_RATE_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(25),
  /** Below the Lambda timeout (API Gateway HTTP APIs cap requests at 30 s). */
  HANDLER_TIMEOUT_MS: z.coerce.number().int().min(100).max(29_000).default(9_000),
  /** How long a processed update_id is remembered for deduplication. */
  DEDUPE_TTL_SECONDS: z.coerce.number().int().min(60).default(86_400),
  /** Comments a user may post per minute. */
  COMMENTS_PER_MINUTE: z.coerce.number().int().min(1).max(60).default(3),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT', 'CRITICAL']).default('INFO'),
});

export type Config = {
  tableName: string;
  region: string;
  dynamoEndpoint?: string;
  telegramApiRoot: string;
  botUsername: string;
  adminIds: readonly number[];
  botTokenSecretArn?: string;
  webhookSecretArn?: string;
  adminApiKeySecretArn?: string;
  alertQueueUrl?: string;
  alertRatePerSecond: number;
  handlerTimeoutMs: number;
  dedupeTtlSeconds: number;
  commentsPerMinute: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
};

/** Thrown when the environment is unusable; the message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment into a {@link Config}, or throws a {@link ConfigError} naming each bad variable and how to fix it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}\nSet or fix these environment variables.`);
  }
  const e = parsed.data;
  return {
    tableName: e.TABLE_NAME,
    region: e.AWS_REGION,
    dynamoEndpoint: e.DYNAMODB_ENDPOINT,
    telegramApiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
    botUsername: e.BOT_USERNAME,
    adminIds: e.ADMIN_IDS,
    botTokenSecretArn: e.BOT_TOKEN_SECRET_ARN,
    webhookSecretArn: e.WEBHOOK_SECRET_ARN,
    adminApiKeySecretArn: e.ADMIN_API_KEY_SECRET_ARN,
    alertQueueUrl: e.ALERT_QUEUE_URL,
    alertRatePerSecond: e.ALERT_RATE_PER_SECOND,
    handlerTimeoutMs: e.HANDLER_TIMEOUT_MS,
    dedupeTtlSeconds: e.DEDUPE_TTL_SECONDS,
    commentsPerMinute: e.COMMENTS_PER_MINUTE,
    logLevel: e.LOG_LEVEL,
  };
}
