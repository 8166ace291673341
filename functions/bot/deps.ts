import type { Logger } from '@aws-lambda-powertools/logger';
import type { Config } from '../config';
import type { HeraldStore } from '../core/ports';
import type { StatsReader } from '../core/stats';

/** What every feature module receives from the composition root (createBot). */
export interface BotDeps {
  config: Config;
  store: HeraldStore;
  /** Admin statistics (/stats), on the same DynamoDB client as the store. */
  stats: StatsReader;
  logger: Logger;
  /** Injected clock so tests can move time (comment quotas, dates). */
  now: () => Date;
}
