/**
 * Runtime configuration, parsed once from the environment with a schema. It fails fast
 * and says how to fix what is wrong — never `process.env.X || ''`.
 *
 * Secrets are not read here: on AWS the bot token and the webhook secret live in Secrets
 * Manager (their ARNs are configured; see functions/secrets.ts); locally they come from the
 * environment (TELEGRAM_BOT_TOKEN) or are generated per run.
 */
// zod/mini: the same schemas in a tree-shakable form (~20 kB instead of ~440 kB in the webhook bundle).
import * as z from 'zod/mini';
import { isIPv4Cidr } from './webhook-gate';

const csvOfIds = z.pipe(
  z._default(z.string(), ''),
  z.transform((s: string, ctx) => {
    const out: number[] = [];
    for (const raw of s.split(',')) {
      const id = raw.trim();
      if (id === '') continue;
      if (!/^\d{1,15}$/.test(id)) {
        ctx.issues.push({
          code: 'custom',
          message: `"${id}" is not a Telegram user id (digits only)`,
          input: s,
        });
        return [];
      }
      out.push(Number(id));
    }
    return out;
  }),
);

const csvOfRanges = z.pipe(
  z._default(z.string(), ''),
  z.transform((s: string, ctx) => {
    const ranges = s
      .split(',')
      .map((r) => r.trim())
      .filter((r) => r !== '');
    const bad = ranges.find((r) => !isIPv4Cidr(r));
    if (bad !== undefined) {
      ctx.issues.push({
        code: 'custom',
        message: `"${bad}" is not an IPv4 range like 149.154.160.0/20`,
        input: s,
      });
      return [];
    }
    return ranges;
  }),
);

// zod/mini ships no message locale: every check says in words what is expected.
const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .check(
      z.int(`must be a whole number from ${min} to ${max}`),
      z.minimum(min, `must be at least ${min}`),
      z.maximum(max, `must be at most ${max}`),
    );
const intInRange = (min: number, max: number, fallback: number) =>
  z._default(wholeNumber(min, max), fallback);
const url = () => z.url({ error: 'must be a URL like http://127.0.0.1:8000' });
const nonEmpty = () => z.string().check(z.minLength(1, 'must not be empty'));

const envSchema = z.object({
  TABLE_NAME: z._default(nonEmpty(), 'herald'),
  AWS_REGION: z._default(nonEmpty(), 'us-east-1'),
  /** Points the DynamoDB client at the embedded store or a test instance. */
  DYNAMODB_ENDPOINT: z.optional(url()),
  /** Telegram's Bot API root; the local runtime and tests point it at the stand-in. */
  TELEGRAM_API_ROOT: z._default(url(), 'https://api.telegram.org'),
  /** The bot's @username without the @, used for deep links and preset botInfo (no getMe). */
  BOT_USERNAME: z._default(
    z
      .string()
      .check(z.regex(/^[A-Za-z0-9_]{3,64}$/, 'must be the bot username without @, e.g. HeraldNewsBot')),
    'HeraldDemoBot',
  ),
  /** Comma-separated Telegram user ids allowed to use admin commands. */
  ADMIN_IDS: csvOfIds,
  BOT_TOKEN_SECRET_ARN: z.optional(nonEmpty()),
  WEBHOOK_SECRET_ARN: z.optional(nonEmpty()),
  /** The webhook authorizer accepts calls only from these IPv4 ranges (comma-separated); empty: any. */
  WEBHOOK_SOURCE_RANGES: csvOfRanges,
  ADMIN_API_KEY_SECRET_ARN: z.optional(nonEmpty()),
  /** The publisher's privacy policy, linked by /privacy; unset: Herald's own text of what it stores. */
  PRIVACY_POLICY_URL: z.optional(
    z
      .string()
      .check(z.regex(/^https:\/\/\S{3,2040}$/, 'must be an https URL like https://example.org/privacy')),
  ),
  ALERT_QUEUE_URL: z.optional(nonEmpty()),
  /** Global cap on outgoing alert messages per second (Telegram's default limit is ~30/s). */
  ALERT_RATE_PER_SECOND: intInRange(1, 1000, 25),
  /** Of the rate, free (Telegram's free bulk rate); below ALERT_RATE_PER_SECOND only with paid broadcast. */
  ALERT_FREE_RATE_PER_SECOND: z.optional(wholeNumber(1, 1000)),
  /** The alert queue event source's MaximumConcurrency: the global rate is split over this many senders. */
  SENDER_MAX_CONCURRENCY: intInRange(1, 1000, 2),
  /** Recipients one sender instance handles at once (lib/send-capacity.ts); unset: from the rate. */
  SENDER_IN_FLIGHT: z.optional(wholeNumber(1, 1000)),
  /** How long a recipient's claim protects it (below the queue's visibility timeout). */
  SENDER_LEASE_SECONDS: intInRange(10, 43_200, 300),
  /** Paid broadcast's cap per alert run, in Stars; 0: paid broadcast off. */
  PAID_BROADCAST_STARS_PER_RUN: intInRange(0, 10_000_000, 0),
  /** The alert queue's maxReceiveCount: on that delivery a still-failing recipient is counted failed. */
  ALERT_MAX_RECEIVE_COUNT: intInRange(1, 1000, 5),
  /** Below the Lambda timeout (API Gateway HTTP APIs cap requests at 30 s). */
  HANDLER_TIMEOUT_MS: intInRange(100, 29_000, 9_000),
  /** How long a processed update_id is remembered for deduplication. */
  DEDUPE_TTL_SECONDS: intInRange(60, 30 * 86_400, 86_400),
  /** Comments a user may post per minute. */
  COMMENTS_PER_MINUTE: intInRange(1, 60, 3),
  LOG_LEVEL: z._default(
    z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT', 'CRITICAL'], {
      error: 'must be one of DEBUG, INFO, WARN, ERROR, SILENT',
    }),
    'INFO',
  ),
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
  /** IPv4 ranges the webhook authorizer accepts; empty accepts any source. */
  webhookSourceRanges: readonly string[];
  adminApiKeySecretArn?: string;
  /** Linked by /privacy when set. */
  privacyPolicyUrl?: string;
  alertQueueUrl?: string;
  alertRatePerSecond: number;
  /** Equal to `alertRatePerSecond` unless paid broadcast is on. */
  alertFreeRatePerSecond: number;
  senderMaxConcurrency: number;
  senderInFlight?: number;
  senderLeaseMs: number;
  paidBroadcastStarsPerRun: number;
  alertMaxReceiveCount: number;
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
    throw new ConfigError(
      `Invalid configuration:\n${lines.join('\n')}\nSet or fix these environment variables.`,
    );
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
    webhookSourceRanges: e.WEBHOOK_SOURCE_RANGES,
    adminApiKeySecretArn: e.ADMIN_API_KEY_SECRET_ARN,
    privacyPolicyUrl: e.PRIVACY_POLICY_URL,
    alertQueueUrl: e.ALERT_QUEUE_URL,
    alertRatePerSecond: e.ALERT_RATE_PER_SECOND,
    alertFreeRatePerSecond: Math.min(
      e.ALERT_FREE_RATE_PER_SECOND ?? e.ALERT_RATE_PER_SECOND,
      e.ALERT_RATE_PER_SECOND,
    ),
    senderMaxConcurrency: e.SENDER_MAX_CONCURRENCY,
    ...(e.SENDER_IN_FLIGHT !== undefined ? { senderInFlight: e.SENDER_IN_FLIGHT } : {}),
    senderLeaseMs: e.SENDER_LEASE_SECONDS * 1000,
    paidBroadcastStarsPerRun: e.PAID_BROADCAST_STARS_PER_RUN,
    alertMaxReceiveCount: e.ALERT_MAX_RECEIVE_COUNT,
    handlerTimeoutMs: e.HANDLER_TIMEOUT_MS,
    dedupeTtlSeconds: e.DEDUPE_TTL_SECONDS,
    commentsPerMinute: e.COMMENTS_PER_MINUTE,
    logLevel: e.LOG_LEVEL,
  };
}
