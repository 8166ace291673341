/**
 * The webhook's gate in front of the webhook function: an API Gateway HTTP API Lambda
 * authorizer (REQUEST, payload 2.0, simple responses) on `POST /telegram/webhook`.
 *
 * Why an authorizer: HTTP APIs validate no requests, take no resource policy and cannot have
 * AWS WAF attached; the one check they make before any Lambda runs is that an authorizer's
 * identity sources are present. With the secret header as identity source, a request without
 * it gets 401 from API Gateway itself — no function runs, nothing is logged by a function.
 * A request with the header reaches this gate once per distinct value (and source address,
 * when ranges are set) per cache period; Telegram's own value is answered from the cache.
 * The webhook function still compares the header itself (functions/bot/webhook.ts).
 *
 * Kept free of Telegraf and the DynamoDB client: the authorizer bundle is small.
 */
import { BlockList, isIPv4 } from 'node:net';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import { headerValue, secretMatches } from './http-edge';

/** The header Telegram sends the webhook's `secret_token` in (as API Gateway hands it over). */
export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * The ranges Telegram delivers webhooks from, as its webhook guide
 * (core.telegram.org/bots/webhooks) lists them. Telegram can change them: if deliveries start
 * failing with 403 after enabling the restriction, compare with the guide.
 */
export const TELEGRAM_WEBHOOK_SOURCE_RANGES: readonly string[] = ['149.154.160.0/20', '91.108.4.0/22'];

const CIDR = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/;

/** True for an IPv4 range in CIDR notation, e.g. `149.154.160.0/20`. */
export function isIPv4Cidr(value: string): boolean {
  const m = CIDR.exec(value);
  return m !== null && isIPv4(m[1] ?? '') && Number(m[2]) <= 32;
}

/**
 * A membership test for the given IPv4 ranges (Node's own `BlockList`, no parsing of ours).
 *
 * @throws RangeError when a range is not IPv4 CIDR notation.
 */
export function sourceRangeMatcher(ranges: readonly string[]): (ip: string) => boolean {
  const list = new BlockList();
  for (const range of ranges) {
    const m = CIDR.exec(range);
    if (m === null || !isIPv4Cidr(range))
      throw new RangeError(`not an IPv4 range like 1.2.3.0/24: "${range}"`);
    list.addSubnet(m[1] ?? '', Number(m[2]), 'ipv4');
  }
  return (ip) => isIPv4(ip) && list.check(ip, 'ipv4');
}

export interface WebhookGateDeps {
  /** The webhook secret (Secrets Manager on AWS, cached). */
  readonly getSecret: () => Promise<string>;
  /** Accept only these source ranges; empty accepts any address. */
  readonly sourceRanges: readonly string[];
  readonly logger: Logger;
}

export type WebhookGate = (
  event: APIGatewayRequestAuthorizerEventV2,
) => Promise<APIGatewaySimpleAuthorizerResult>;

/**
 * Builds the authorizer: allowed when the source address is in range (if ranges are set) and
 * the secret header matches in constant time. A secret that cannot be read throws, so API
 * Gateway answers 500 (uncached; Telegram redelivers) instead of caching a denial.
 */
export function createWebhookGate(deps: WebhookGateDeps): WebhookGate {
  const inRange = deps.sourceRanges.length > 0 ? sourceRangeMatcher(deps.sourceRanges) : undefined;
  return async (event) => {
    if (inRange !== undefined && !inRange(event.requestContext.http.sourceIp)) {
      deps.logger.warn('webhook call refused: source address outside the allowed ranges', {
        outcome: 'foreign-source',
      });
      return { isAuthorized: false };
    }
    let secret: string;
    try {
      secret = await deps.getSecret();
    } catch (err) {
      deps.logger.error('webhook secret unavailable; the call fails and Telegram redelivers', {
        outcome: 'unavailable',
        error: err as Error,
      });
      throw err;
    }
    const ok = secretMatches(headerValue(event.headers, TELEGRAM_SECRET_HEADER), secret);
    if (!ok) deps.logger.warn('webhook call refused: wrong secret token', { outcome: 'unauthorized' });
    return { isAuthorized: ok };
  };
}
