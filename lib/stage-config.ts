/**
 * Deploy-time settings, read once from CDK context (`-c key=value` or cdk.json) and checked
 * before any construct is built, so a typo fails `cdk synth` with a message that says how to
 * fix it instead of deploying a half-configured bot.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { isIPv4Cidr, TELEGRAM_WEBHOOK_SOURCE_RANGES } from '../functions/webhook-gate';

export type StageName = 'dev' | 'prod';

export interface StageConfig {
  readonly stage: StageName;
  /** The bot's @username without the @ (deep links, preset botInfo). */
  readonly botUsername: string;
  /** Comma-separated Telegram user ids, normalised (no spaces, no empty entries). */
  readonly adminIds: string;
  /**
   * Free alert messages per second over all senders (context `alertRate`, 1–30, default 25):
   * Telegram allows about 30/s per bot; what is left (5/s by default) is headroom for readers'
   * interactive replies, which are never paced.
   */
  readonly alertRatePerSecond: number;
  /**
   * Paid broadcast (`allow_paid_broadcast`): off unless context `paidBroadcastRate` (31–1,000)
   * and `paidBroadcastStarsPerRun` (the most one alert run may spend) are both set. Messages
   * above `alertRatePerSecond` cost 0.1 Star each; the bot needs a Stars balance and Telegram's
   * minimum of monthly users (docs/scale.md).
   */
  readonly paidBroadcast?: { readonly ratePerSecond: number; readonly starsPerRun: number };
  /** Alarm when an alert run takes longer than this to reach 90 % of its readers (context `alertTimeTo90Seconds`, default 120). */
  readonly alertTimeTo90TargetSeconds: number;
  /**
   * Reserved concurrency of the webhook function, or undefined for none. Unset by default: see
   * docs/deploy.md ("Webhook concurrency") for why.
   */
  readonly webhookConcurrency?: number;
  /**
   * Subscribed to the alarm topic. Prod has the topic without it (subscribe by hand, see the
   * AlarmTopicArn output); a dev stack without it has no topic and alarms only in the console.
   */
  readonly alarmEmail?: string;
  /**
   * The publisher's privacy policy (context `privacyPolicyUrl`, https), which the bot's /privacy
   * links; unset, Herald's /privacy shows its own text of what it stores (Telegram asks bots to
   * have one).
   */
  readonly privacyPolicyUrl?: string;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  readonly logRetention: RetentionDays;
  /** Applied to the table and the log groups. */
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
  /**
   * IPv4 ranges the webhook accepts calls from (checked by its authorizer); empty accepts any.
   * Context `webhookSourceRanges`: `telegram` for Telegram's published ranges, or a list.
   */
  readonly webhookSourceRanges: readonly string[];
  /** Minutes between feed polls (context `feedPollMinutes`, 5–60, default 10). */
  readonly feedPollMinutes: number;
  /** HTTP API throttling per route, so traffic on one route cannot use up another's. */
  readonly apiThrottles: {
    /** Telegram's deliveries: at most 40 connections (max_connections), each a short request. */
    readonly webhook: Throttle;
    /** The publisher's CMS and `herald import --api` (4 requests in flight). */
    readonly admin: Throttle;
    /** Every other path (answered 404 by API Gateway): scanners, typos. */
    readonly unmatched: Throttle;
  };
}

/** An API Gateway token bucket: steady requests per second and burst. */
export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** Thrown when a context value is unusable; the message names the key and an example. */
export class StageConfigError extends Error {
  override name = 'StageConfigError';
}

/** What functions/config.ts accepts as BOT_USERNAME, so a synthesized stack always starts. */
const BOT_USERNAME_PATTERN = /^[A-Za-z0-9_]{3,64}$/;

/** Reads one context value (`node.tryGetContext`). */
export type ContextReader = (key: string) => unknown;

function optionalString(read: ContextReader, key: string): string | undefined {
  const raw = read(key);
  if (raw === undefined || raw === null) return undefined;
  const value = String(raw).trim();
  return value.length === 0 ? undefined : value;
}

function optionalInt(read: ContextReader, key: string, min: number, max: number): number | undefined {
  const raw = optionalString(read, key);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new StageConfigError(
      `Context ${key}="${raw}" must be a whole number from ${min} to ${max}, e.g. -c ${key}=${min}`,
    );
  }
  return Number(raw);
}

/** `webhookSourceRanges`: unset or `any` → none; `telegram` → Telegram's ranges; else IPv4 CIDRs. */
function readSourceRanges(read: ContextReader): readonly string[] {
  const raw = optionalString(read, 'webhookSourceRanges');
  if (raw === undefined || raw.toLowerCase() === 'any') return [];
  if (raw.toLowerCase() === 'telegram') return TELEGRAM_WEBHOOK_SOURCE_RANGES;
  const ranges = raw
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r.length > 0);
  const bad = ranges.find((r) => !isIPv4Cidr(r));
  if (bad !== undefined || ranges.length === 0) {
    throw new StageConfigError(
      `Context webhookSourceRanges contains "${bad ?? raw}": use telegram, any, or IPv4 ranges, e.g. -c webhookSourceRanges=telegram`,
    );
  }
  return ranges;
}

/** Parses and checks the CDK context into a {@link StageConfig}; throws {@link StageConfigError}. */
export function readStageConfig(read: ContextReader): StageConfig {
  const stage = optionalString(read, 'stage') ?? 'dev';
  if (stage !== 'dev' && stage !== 'prod') {
    throw new StageConfigError(`Context stage="${stage}" must be dev or prod, e.g. -c stage=prod`);
  }

  const botUsername = (optionalString(read, 'botUsername') ?? 'HeraldDemoBot').replace(/^@/, '');
  if (!BOT_USERNAME_PATTERN.test(botUsername)) {
    throw new StageConfigError(
      `Context botUsername="${botUsername}" must be the bot's username without @: 3 to 64 characters of A-Z, a-z, 0-9 or _, e.g. -c botUsername=HeraldNewsBot`,
    );
  }

  const adminIdList = (optionalString(read, 'adminIds') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const id of adminIdList) {
    if (!/^\d{1,15}$/.test(id)) {
      throw new StageConfigError(
        `Context adminIds contains "${id}", not a Telegram user id; e.g. -c adminIds=12345,67890`,
      );
    }
  }

  const alarmEmail = optionalString(read, 'alarmEmail');
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    throw new StageConfigError(`Context alarmEmail="${alarmEmail}" is not an email address`);
  }

  const webhookSourceRanges = readSourceRanges(read);

  const privacyPolicyUrl = optionalString(read, 'privacyPolicyUrl');
  if (privacyPolicyUrl !== undefined && !/^https:\/\/[^\s]{3,2040}$/.test(privacyPolicyUrl)) {
    throw new StageConfigError(
      `Context privacyPolicyUrl="${privacyPolicyUrl}" must be an https URL, e.g. -c privacyPolicyUrl=https://example.org/privacy`,
    );
  }

  const logLevel = (optionalString(read, 'logLevel') ?? 'INFO').toUpperCase();
  if (logLevel !== 'DEBUG' && logLevel !== 'INFO' && logLevel !== 'WARN' && logLevel !== 'ERROR') {
    throw new StageConfigError(`Context logLevel="${logLevel}" must be DEBUG, INFO, WARN or ERROR`);
  }

  const paidRate = optionalInt(read, 'paidBroadcastRate', 31, 1000);
  const starsPerRun = optionalInt(read, 'paidBroadcastStarsPerRun', 1, 10_000_000);
  if ((paidRate === undefined) !== (starsPerRun === undefined)) {
    throw new StageConfigError(
      'Paid broadcast needs both paidBroadcastRate and paidBroadcastStarsPerRun (the most one alert may spend), e.g. -c paidBroadcastRate=1000 -c paidBroadcastStarsPerRun=100000',
    );
  }

  const prod = stage === 'prod';
  return {
    stage,
    botUsername,
    adminIds: adminIdList.join(','),
    alertRatePerSecond: optionalInt(read, 'alertRate', 1, 30) ?? 25,
    ...(paidRate !== undefined && starsPerRun !== undefined
      ? { paidBroadcast: { ratePerSecond: paidRate, starsPerRun } }
      : {}),
    alertTimeTo90TargetSeconds: optionalInt(read, 'alertTimeTo90Seconds', 10, 86_400) ?? 120,
    webhookConcurrency: optionalInt(read, 'webhookConcurrency', 1, 1000),
    alarmEmail,
    privacyPolicyUrl,
    logLevel,
    logRetention: prod ? RetentionDays.SIX_MONTHS : RetentionDays.ONE_MONTH,
    // Dev stacks are disposable; prod keeps its data (and its logs) even if the stack goes.
    removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    deletionProtection: prod,
    webhookSourceRanges,
    feedPollMinutes: optionalInt(read, 'feedPollMinutes', 5, 60) ?? 10,
    apiThrottles: {
      webhook: { rateLimit: 100, burstLimit: 200 },
      admin: { rateLimit: 50, burstLimit: 100 },
      unmatched: { rateLimit: 10, burstLimit: 20 },
    },
  };
}

/** Lambda timeouts per function, in one place so queue visibility can be derived from them. */
export const TIMEOUTS = {
  webhook: Duration.seconds(10),
  fanout: Duration.seconds(60),
  // The sender's timeout is part of its capacity: lib/send-capacity.ts.
  admin: Duration.seconds(10),
  // API Gateway waits at most 10 s for an authorizer; a cold start plus one secret read is < 1 s.
  authorizer: Duration.seconds(5),
  registrar: Duration.seconds(30),
} as const;
