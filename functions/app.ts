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
import type { HeraldStore } from './core/ports';
import { createI18n, type I18n } from './i18n';
import { createDocumentClient } from './store/client';
import { createStore } from './store/index';

export interface HeraldApp {
  config: Config;
  store: HeraldStore;
  bot: Telegraf<Context>;
  /** The DynamoDB client the store uses (the local admin API builds its stats reader on it). */
  doc: DynamoDBDocumentClient;
  handleWebhook: ReturnType<typeof createWebhookHandler>;
  /** The catalogues the bot speaks from (the local runtime renders alerts with them too). */
  i18n: I18n;
}

export interface AppParts {
  config: Config;
  logger: Logger;
  token: string;
  webhookSecret: string;
  doc?: DynamoDBDocumentClient;
  now?: () => Date;
}

/** Composes the store, the bot and the webhook handler. */
export function createHeraldApp(parts: AppParts): HeraldApp {
  const { config, logger } = parts;
  const doc = parts.doc ?? createDocumentClient({ region: config.region, endpoint: config.dynamoEndpoint });
  const store = createStore(doc, config.tableName, { now: parts.now });
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
