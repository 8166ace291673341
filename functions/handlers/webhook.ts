/**
 * Lambda entry point for Telegram's webhook (API Gateway HTTP API, payload v2). An adapter:
 * config, logger and the DynamoDB client are built at module scope; the bot is built once per
 * cold start, after the secrets are read from Secrets Manager (cached by Powertools).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createHeraldApp, type HeraldApp } from '../app';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { getBotToken, getWebhookSecret } from '../secrets';
import { createDocumentClient } from '../store/client';

const config = loadConfig();
const logger = createLogger(config);
const doc = createDocumentClient({ region: config.region, endpoint: config.dynamoEndpoint });
let app: Promise<HeraldApp> | undefined;

async function build(): Promise<HeraldApp> {
  const [token, webhookSecret] = await Promise.all([getBotToken(config), getWebhookSecret(config)]);
  return createHeraldApp({
    config,
    logger,
    token,
    webhookSecret,
    doc,
  });
}

export async function handler(
  event: APIGatewayProxyEventV2,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<APIGatewayProxyStructuredResultV2> {
  // First thing: the update's time budget includes a cold start's secrets and the claim.
  const invocationStart = Date.now();
  const invocationEnd = invocationStart + context.getRemainingTimeInMillis();
  try {
    app ??= build();
    return await (await app).handleWebhook(event, { invocationStart, invocationEnd });
  } catch (err) {
    // Secrets unreadable (e.g. token not set yet): answer 503 so Telegram retries later, and rebuild next time.
    app = undefined;
    logger.error('webhook could not start', { outcome: 'unavailable', error: err as Error });
    return {
      statusCode: 503,
      body: '{"error":"not ready"}',
      headers: { 'content-type': 'application/json' },
    };
  }
}
