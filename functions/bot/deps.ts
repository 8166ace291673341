import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config';
import type { BotStore } from '../core/ports';
import type { I18n } from '../i18n/translator';

/** What every feature module receives from the composition root (createBot). */
export interface BotDeps {
  config: Config;
  store: BotStore;
  /**
   * The store's DynamoDB client, for parts that build their own reader on it when first needed
   * (the admin statistics of /stats, an on-demand feature: bot/on-demand.ts).
   */
  doc: DynamoDBDocumentClient;
  logger: Logger;
  /** The catalogues (read from `locales/` on first use); each update's translator comes from here. */
  i18n: I18n;
  /** Injected clock so tests can move time (comment quotas, dates). */
  now: () => Date;
}
