/**
 * The integration harness: a fresh table on DynamoDB Local, the Bot API stand-in, and Herald's app
 * (bot + webhook handler) wired exactly as in production — every user action in the stand-in
 * becomes an Update delivered to the webhook handler as API Gateway would call it.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Update } from 'telegraf/types';
import { createHeraldApp, type HeraldApp } from '../../functions/app';
import { type Config, loadConfig } from '../../functions/config';
import type { ArticleInput, AuthorInput } from '../../functions/core/model';
import { type PublishingStore, publishArticle, publishAuthor } from '../../functions/core/publishing';
import { forwardWebhookReply, webhookEvent } from '../../functions/local/runtime';
import {
  type BotApiStandIn,
  createBotApiStandIn,
  type SimulatedUser,
} from '../../functions/local/telegram-stand-in';
import { createStore, type Store } from '../../functions/store/index';
import { startTestStore, type TestStore } from './test-store';

export const TEST_TOKEN = '123456789:TEST-token-for-the-stand-in-only-000';
export const TEST_SECRET = 'test-webhook-secret';
export const BOT_USERNAME = 'HeraldTestBot';

export interface Harness {
  db: TestStore;
  standIn: BotApiStandIn;
  app: HeraldApp<Store>;
  config: Config;
  /** HTTP statuses the webhook answered to every `deliver()` (user actions included), in order. */
  statuses: number[];
  /**
   * How a stand-in user's action reaches the app; by default one `deliver()`. Tests replace it
   * to duplicate, delay or drop deliveries, as Telegram may.
   */
  onUserUpdate: (update: Update) => Promise<void>;
  /** A private-chat user (ids from 1000 up are convenient). */
  user(id: number, firstName?: string): SimulatedUser;
  /** Calls the webhook handler directly with a raw body and headers (nothing else). */
  post(
    body: string | undefined,
    headers?: Record<string, string>,
    isBase64Encoded?: boolean,
  ): ReturnType<HeraldApp['handleWebhook']>;
  /** Delivers an Update as Telegram would (JSON, right secret, the answer's method run); records the status. */
  deliver(update: unknown): ReturnType<HeraldApp['handleWebhook']>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  adminIds?: number[];
  now?: () => Date;
  env?: Record<string, string>;
  /** The app's logger (default: a silent one). */
  logger?: Logger;
  /** A store started elsewhere (e.g. in a child process); the harness stops it with the rest. */
  db?: TestStore;
  /** A document client to use instead of the store's (e.g. one behind a fault proxy). */
  doc?: DynamoDBDocumentClient;
}

/** Starts store, stand-in and app; call `stop()` in afterAll. */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const db = opts.db ?? (await startTestStore({ now: opts.now }));
  let h: Harness | undefined;
  const standIn = createBotApiStandIn({
    token: TEST_TOKEN,
    botInfo: {
      id: 123456789,
      is_bot: true,
      first_name: 'Herald',
      username: BOT_USERNAME,
      supports_inline_queries: true,
    },
    deliver: (update) => {
      // The stand-in delivers only what a test's user does, after startHarness returned.
      if (!h) throw new Error('an update arrived before the harness was built');
      return h.onUserUpdate(update);
    },
  });
  try {
    const apiRoot = await standIn.start();
    const config = loadConfig({
      TABLE_NAME: db.tableName,
      DYNAMODB_ENDPOINT: db.endpoint,
      TELEGRAM_API_ROOT: apiRoot,
      BOT_USERNAME,
      ADMIN_IDS: (opts.adminIds ?? []).join(','),
      LOG_LEVEL: 'SILENT',
      HANDLER_TIMEOUT_MS: '8000',
      ...opts.env,
    });
    const app = createHeraldApp({
      config,
      store: createStore(opts.doc ?? db.doc, config.tableName, { now: opts.now }),
      logger: opts.logger ?? new Logger({ serviceName: 'herald-test', logLevel: 'SILENT' }),
      token: TEST_TOKEN,
      webhookSecret: TEST_SECRET,
      doc: opts.doc ?? db.doc,
      now: opts.now,
    });
    const statuses: number[] = [];
    const harness: Harness = {
      db,
      standIn,
      app,
      config,
      statuses,
      onUserUpdate: async (update) => {
        await harness.deliver(update);
      },
      user: (id, firstName = `User${id}`) => standIn.user({ id, first_name: firstName, language_code: 'en' }),
      post: (body, headers = { 'x-telegram-bot-api-secret-token': TEST_SECRET }, isBase64Encoded = false) =>
        app.handleWebhook({ headers, body, isBase64Encoded }),
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
    h = harness;
    return harness;
  } catch (err) {
    await standIn.stop();
    await db.stop();
    throw err;
  }
}

/** Publishes authors and articles through the one publishing path. */
export async function seedStore(
  store: PublishingStore,
  p: { authors: AuthorInput[]; articles: ArticleInput[] },
): Promise<void> {
  for (const a of p.authors) await publishAuthor(store, a);
  for (const a of p.articles) await publishArticle(store, a);
}

/** Publishes authors and articles into the harness's store. */
export async function seed(h: Harness, authors: AuthorInput[], articles: ArticleInput[]): Promise<void> {
  await seedStore(h.app.store, { authors, articles });
}

/** A small publication for flow tests: 2 authors, `n` articles (newest = index 0). */
export function samplePublication(n = 12): { authors: AuthorInput[]; articles: ArticleInput[] } {
  const authors: AuthorInput[] = [
    {
      handle: 'jdoe',
      fullName: 'Dr. Jane Doe',
      userSince: '2008-03-15',
      bio: 'Writes about <cities> & "bikes".',
    },
    { handle: 'ivanova', fullName: 'Анна Иванова', userSince: '2015-01-02' },
  ];
  const para = (i: number) =>
    `Cities are for people ${i}. Dr. Abdul said the U.S. plan costs 3.5 billion. ` +
    `Bikes and buses move more people than cars do. Streets should serve the people who live on them.`;
  const articles: ArticleInput[] = Array.from({ length: n }, (_, i) => ({
    id: `article-${String(i).padStart(2, '0')}`,
    title:
      i === 0
        ? 'Why <br> tags & "quotes" won\'t save the web 🚲'
        : i === 1
          ? 'Город для людей'
          : `Bikes and cities, part ${i}`,
    authorHandle: i % 3 === 1 ? 'ivanova' : 'jdoe',
    body: [para(i), para(i + 100), para(i + 200)].join('\n\n'),
    url: i === 2 ? 'https://example.org/voices/article-02' : undefined,
    publishedAt: new Date(Date.UTC(2026, 10, 20) - i * 86_400_000).toISOString(),
  }));
  return { authors, articles };
}
