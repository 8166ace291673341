/**
 * The hardening rig: the integration harness (DynamoDB Local, the Bot API stand-in, the real app)
 * with what attacking the bot needs — a logger that records every warning and error (an
 * 'update failed' is a bug the fuzz must catch) and a `post` that, like Telegram, runs the
 * method a 200 answer carries.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogItemExtraInput, LogItemMessage } from '@aws-lambda-powertools/logger/types';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { WebhookResult } from '../../functions/bot/webhook';
import type { HeraldStore } from '../../functions/core/ports';
import { forwardWebhookReply } from '../../functions/local/runtime';
import { type Harness, startHarness, TEST_SECRET, TEST_TOKEN } from '../helpers/harness';
import type { TestStore } from '../helpers/test-store';

export const BOT_ID = Number(TEST_TOKEN.split(':')[0]);

/** One log line the app wrote at warn level or above. */
export interface LogLine {
  level: 'WARN' | 'ERROR' | 'CRITICAL';
  message: string;
  /** The structured attributes (ids, kinds, the error). */
  attributes: Record<string, unknown>;
}

/**
 * A Powertools Logger that keeps its warnings and errors in memory (and prints nothing): the
 * app under test logs through the real Logger API, the test reads what it said.
 */
export class RecordingLogger extends Logger {
  readonly lines: LogLine[] = [];

  constructor() {
    super({ serviceName: 'herald-hardening', logLevel: 'SILENT' });
  }

  private record(level: LogLine['level'], input: LogItemMessage, extra: LogItemExtraInput): void {
    const message = typeof input === 'string' ? input : String(input.message);
    const attributes: Record<string, unknown> = typeof input === 'string' ? {} : { ...input };
    for (const x of extra) {
      if (typeof x === 'string') attributes.extra = x;
      else if (x instanceof Error) attributes.error = x;
      else Object.assign(attributes, x);
    }
    this.lines.push({ level, message, attributes });
  }

  override warn(input: LogItemMessage, ...extra: LogItemExtraInput): void {
    this.record('WARN', input, extra);
  }

  override error(input: LogItemMessage, ...extra: LogItemExtraInput): void {
    this.record('ERROR', input, extra);
  }

  override critical(input: LogItemMessage, ...extra: LogItemExtraInput): void {
    this.record('CRITICAL', input, extra);
  }

  /** Lines at error level or above. */
  errors(): LogLine[] {
    return this.lines.filter((l) => l.level !== 'WARN');
  }
}

/** A log line as one short string for failure messages (the error's name and message included). */
export function describeLine(line: LogLine): string {
  const err = line.attributes.error;
  const why = err instanceof Error ? ` — ${err.name}: ${err.message}` : '';
  const { error: _e, ...rest } = line.attributes;
  return `${line.level} ${line.message}${why} ${JSON.stringify(rest)}`;
}

export interface Rig extends Omit<Harness, 'post'> {
  store: HeraldStore;
  logger: RecordingLogger;
  /**
   * Calls the webhook handler with a raw body (the right secret unless `headers` are given)
   * and, as Telegram does, runs the Bot API method a 200 answer carries.
   */
  post(
    body: string | undefined,
    headers?: Record<string, string>,
    isBase64Encoded?: boolean,
  ): Promise<WebhookResult>;
}

export interface RigOptions {
  env?: Record<string, string>;
  /** A document client to use instead of the test store's (e.g. one behind a fault proxy). */
  doc?: DynamoDBDocumentClient;
  /** A store started elsewhere (e.g. in a child process); the rig stops it with the rest. */
  db?: TestStore;
}

/** The integration harness with a recording logger; call `stop()` in afterAll. */
export async function startRig(opts: RigOptions = {}): Promise<Rig> {
  const logger = new RecordingLogger();
  const h = await startHarness({ ...opts, logger });
  const rig: Rig = Object.assign(h, {
    store: h.app.store,
    logger,
    // Like Telegram, run the method a 200 answer carries (answerCallbackQuery rides there).
    post: async (body: string | undefined, headers?: Record<string, string>, isBase64Encoded?: boolean) => {
      const res = await h.app.handleWebhook({
        headers: headers ?? { 'x-telegram-bot-api-secret-token': TEST_SECRET },
        body,
        isBase64Encoded: isBase64Encoded ?? false,
      });
      await forwardWebhookReply(res, h.standIn.apiRoot, TEST_TOKEN);
      return res;
    },
  });
  return rig;
}

/** The codebase's one concurrency pool (a copy of it lived here). */
export { mapPool } from '../../functions/core/mechanics/pool';
/** Publishes authors and articles through the one publishing path. */
export { seedStore } from '../helpers/harness';

/** Counts values: `{ 200: 9000, 400: 500 }`. */
export function tally<T extends string | number>(values: readonly T[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[String(v)] = (out[String(v)] ?? 0) + 1;
  return out;
}
