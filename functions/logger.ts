import { Logger } from '@aws-lambda-powertools/logger';
import type { Config } from './config';

/**
 * The structured logger (Powertools). Log keys are ids and kinds only — never message texts,
 * tokens or secrets.
 */
export function createLogger(config: Pick<Config, 'logLevel'>, serviceName = 'herald'): Logger {
  return new Logger({ serviceName, logLevel: config.logLevel });
}
