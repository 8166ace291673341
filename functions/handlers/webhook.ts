/**
 * Lambda entry point for Telegram's webhook (API Gateway HTTP API, payload v2). An adapter:
 * config, logger and the DynamoDB client are built at module scope; the bot is built once per
 * cold start, after the secrets are read from Secrets Manager (cached by Powertools).
 */
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createHeraldApp, type HeraldApp } from '../app';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { getBotToken, getWebhookSecret } from '../secrets';
import { createDocumentClient } from '../store/client';

const config = loadConfig();
const logger = createLogger(config);
const doc = createDocumentClient({ region: config.region, endpoint: config.dynamoEndpoint });
/** EMF metrics (namespace Herald): one count per webhook outcome, e.g. `WebhookHandled`, `WebhookUnavailable`. */
const metrics = new Metrics({ namespace: 'Herald', serviceName: 'herald-webhook' });
const METRIC_NAMES = {
  handled: 'WebhookHandled',
  duplicate: 'WebhookDuplicate',
  unauthorized: 'WebhookUnauthorized',
  'bad-request': 'WebhookBadRequest',
  unavailable: 'WebhookUnavailable',
  'bot-error': 'WebhookBotError',
} as const;
let app: Promise<HeraldApp> | undefined;

async function build(): Promise<HeraldApp> {
  const [token, webhookSecret] = await Promise.all([getBotToken(config), getWebhookSecret(config)]);
  return createHeraldApp({
    config,
    logger,
    token,
    webhookSecret,
    doc,
    onOutcome: (o) => metrics.addMetric(METRIC_NAMES[o], MetricUnit.Count, 1),
  });
}

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  try {
    app ??= build();
    return await (await app).handleWebhook(event);
  } catch (err) {
    metrics.addMetric(METRIC_NAMES.unavailable, MetricUnit.Count, 1);
    // Secrets unreadable (e.g. token not set yet): answer 503 so Telegram retries later, and rebuild next time.
    app = undefined;
    logger.error('webhook could not start', { error: err as Error });
    return { statusCode: 503, body: '{"error":"not ready"}', headers: { 'content-type': 'application/json' } };
  } finally {
    metrics.publishStoredMetrics();
  }
}
