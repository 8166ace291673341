/**
 * Builds Herald's runtime parts from config: the DynamoDB store, the bot and the webhook
 * handler. Lambda, `npm start` and the tests all come through here with different inputs
 * (endpoint, token, secret), so the code they run is the same.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, Telegraf } from 'telegraf';
import { createBot } from './bot/create-bot';
import type { BotDeps } from './bot/deps';
import { createWebhookHandler } from './bot/webhook';
import type { Config } from './config';
import type { BotStore } from './core/ports';
import { createI18n, type I18n } from './i18n';
import { createDocumentClient } from './store/client';
import { createBotStore } from './store/index';

export interface HeraldApp<S extends BotStore = BotStore> {
  config: Config;
  /** The store the bot runs on: `parts.store` when given (the local runtime's and tests' whole store). */
  store: S;
  bot: Telegraf<Context>;
  /** The DynamoDB client the store uses (the local admin API builds its stats reader on it). */
  doc: DynamoDBDocumentClient;
  handleWebhook: ReturnType<typeof createWebhookHandler>;
  /** The catalogues the bot speaks from (the local runtime renders alerts with them too). */
  i18n: I18n;
}

export interface AppParts<S extends BotStore = BotStore> {
  config: Config;
  /**
   * The store to run on (on `doc`); by default the bot's repositories only (createBotStore), which
   * is what the webhook Lambda uses. The local runtime and tests pass their whole store.
   */
  store?: S;
  logger: Logger;
  token: string;
  webhookSecret: string;
  doc?: DynamoDBDocumentClient;
  now?: () => Date;
}

/** Composes the store, the bot and the webhook handler. */
export function createHeraldApp<S extends BotStore = BotStore>(parts: AppParts<S>): HeraldApp<S> {
  const { config, logger } = parts;
  const doc = parts.doc ?? createDocumentClient({ region: config.region, endpoint: config.dynamoEndpoint });
  const store = (parts.store ?? createBotStore(doc, config.tableName, { now: parts.now })) as S;
  const now = parts.now ?? (() => new Date());
  const i18n = createI18n({ logger });
  const deps: BotDeps = { config, store, doc, logger, now, i18n };
  const bot = createBot(deps, parts.token);
  const handleWebhook = createWebhookHandler({
    bot,
    sessions: store.sessions,
    webhookSecret: parts.webhookSecret,
    logger,
    dedupeTtlSeconds: config.dedupeTtlSeconds,
    handlerTimeoutMs: config.handlerTimeoutMs,
  });
  return { config, store, bot, doc, handleWebhook, i18n };
}
