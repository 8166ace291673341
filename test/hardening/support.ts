/**
 * The hardening rig: the integration harness's parts (dynalite, the Bot API stand-in, the
 * real app) wired the same way, plus what attacking the bot needs — a logger that records
 * every warning and error, the webhook's answers to every delivery, and a hook on user-side
 * deliveries (to redeliver, delay or drop them).
 *
 * startHarness() builds its app with a silent logger and delivers to it directly; the suite
 * needs to see the `error` lines (an 'update failed' is a bug the fuzz must catch), so the rig
 * composes the same parts itself through the same factories.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogItemExtraInput, LogItemMessage } from '@aws-lambda-powertools/logger/types';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Update } from 'telegraf/types';
import { createHeraldApp, type HeraldApp } from '../../functions/app';
import type { WebhookResult } from '../../functions/bot/webhook';
import { type Config, loadConfig } from '../../functions/config';
import type { ArticleInput, AuthorInput } from '../../functions/core/model';
import type { HeraldStore } from '../../functions/core/ports';
import { publishArticle, publishAuthor } from '../../functions/core/publishing';
import {
  type BotApiStandIn,
  createBotApiStandIn,
  type SimulatedUser,
} from '../../functions/local/bot-api-stand-in';
import { forwardWebhookReply, webhookEvent } from '../../functions/local/runtime';
import { startTestStore, type TestStore } from '../helpers/dynalite';
import { BOT_USERNAME, TEST_SECRET, TEST_TOKEN } from '../helpers/harness';

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

export interface Rig {
  db: TestStore;
  standIn: BotApiStandIn;
  app: HeraldApp;
  store: HeraldStore;
  config: Config;
  logger: RecordingLogger;
  /** Webhook statuses of every `deliver()` (user-side updates included), in completion order. */
  statuses: number[];
  /**
   * How a user-side update (a stand-in user's action) reaches the app; by default one
   * `deliver()`. Replace it to duplicate, delay or drop deliveries, as Telegram may.
   */
  onUserUpdate: (update: Update) => Promise<void>;
  /** A private-chat user on the stand-in's user side. */
  user(id: number, firstName?: string): SimulatedUser;
  /**
   * Calls the webhook handler with a raw body (the right secret unless `headers` are given)
   * and, as Telegram does, runs the Bot API method a 200 answer carries.
   */
  post(
    body: string | undefined,
    headers?: Record<string, string>,
    isBase64Encoded?: boolean,
  ): Promise<WebhookResult>;
  /** Delivers an Update as Telegram would (JSON, right secret, the answer's method run); records the status. */
  deliver(update: unknown): Promise<WebhookResult>;
  stop(): Promise<void>;
}

export interface RigOptions {
  env?: Record<string, string>;
  /** A document client to use instead of the test store's (e.g. one behind a fault proxy). */
  doc?: DynamoDBDocumentClient;
  /** A store started elsewhere (e.g. in a child process); the rig stops it with the rest. */
  db?: TestStore;
}

/** Starts store, stand-in and app with a recording logger; call `stop()` in afterAll. */
export async function startRig(opts: RigOptions = {}): Promise<Rig> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const db = opts.db ?? (await startTestStore());
  const statuses: number[] = [];
  let rig: Rig | undefined;
  const standIn = createBotApiStandIn({
    token: TEST_TOKEN,
    botInfo: {
      id: BOT_ID,
      is_bot: true,
      first_name: 'Herald',
      username: BOT_USERNAME,
      supports_inline_queries: true,
    },
    deliver: (update) => rig!.onUserUpdate(update),
  });
  try {
    const apiRoot = await standIn.start();
    const config = loadConfig({
      TABLE_NAME: db.tableName,
      DYNAMODB_ENDPOINT: db.endpoint,
      TELEGRAM_API_ROOT: apiRoot,
      BOT_USERNAME,
      LOG_LEVEL: 'SILENT',
      HANDLER_TIMEOUT_MS: '8000',
      ...opts.env,
    });
    const logger = new RecordingLogger();
    const app = createHeraldApp({
      config,
      logger,
      token: TEST_TOKEN,
      webhookSecret: TEST_SECRET,
      doc: opts.doc ?? db.doc,
    });
    // Like Telegram, run the method a 200 answer carries (answerCallbackQuery rides there).
    const post: Rig['post'] = async (
      body,
      headers = { 'x-telegram-bot-api-secret-token': TEST_SECRET },
      isBase64Encoded = false,
    ) => {
      const res = await app.handleWebhook({ headers, body, isBase64Encoded });
      await forwardWebhookReply(res, apiRoot, TEST_TOKEN);
      return res;
    };
    rig = {
      db,
      standIn,
      app,
      store: app.store,
      config,
      logger,
      statuses,
      onUserUpdate: async (update) => {
        await rig!.deliver(update);
      },
      user: (id, firstName = `User${id}`) => standIn.user({ id, first_name: firstName, language_code: 'en' }),
      post,
      deliver: async (update) => {
        const res = await app.handleWebhook(webhookEvent(update, TEST_SECRET));
        statuses.push(res.statusCode);
        await forwardWebhookReply(res, apiRoot, TEST_TOKEN);
        return res;
      },
      stop: async () => {
        await standIn.stop();
        await db.stop();
      },
    };
    return rig;
  } catch (err) {
    await standIn.stop();
    await db.stop();
    throw err;
  }
}

/** Publishes authors and articles through the one publishing path. */
export async function seedStore(
  store: HeraldStore,
  p: { authors: AuthorInput[]; articles: ArticleInput[] },
): Promise<void> {
  for (const a of p.authors) await publishAuthor(store, a);
  for (const a of p.articles) await publishArticle(store, a);
}

/** Runs `work` over `items` with at most `concurrency` in flight; results in input order. */
export async function mapPool<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** Counts values: `{ 200: 9000, 400: 500 }`. */
export function tally<T extends string | number>(values: readonly T[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[String(v)] = (out[String(v)] ?? 0) + 1;
  return out;
}
