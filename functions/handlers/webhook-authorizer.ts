/**
 * Lambda entry point of the webhook's authorizer (API Gateway HTTP API, REQUEST authorizer,
 * payload 2.0, simple responses): functions/webhook-gate.ts decides. Only calls that carry the
 * secret header get here — API Gateway answers 401 to the others without invoking anything.
 */
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { getWebhookSecret } from '../secrets';
import { createWebhookGate } from '../webhook-gate';

const config = loadConfig();
const gate = createWebhookGate({
  getSecret: () => getWebhookSecret(config),
  sourceRanges: config.webhookSourceRanges,
  logger: createLogger(config),
});

export async function handler(
  event: APIGatewayRequestAuthorizerEventV2,
): Promise<APIGatewaySimpleAuthorizerResult> {
  return gate(event);
}
