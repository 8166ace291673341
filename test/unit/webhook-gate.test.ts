/**
 * The webhook's authorizer: the secret header in constant time, Telegram's source ranges when
 * configured, and a secret that cannot be read failing the call rather than caching a denial.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { SECRET_HEADER } from '../../functions/bot/webhook';
import { ConfigError, loadConfig } from '../../functions/config';
import {
  createWebhookGate,
  isIPv4Cidr,
  sourceRangeMatcher,
  TELEGRAM_SECRET_HEADER,
  TELEGRAM_WEBHOOK_SOURCE_RANGES,
} from '../../functions/webhook-gate';

const SECRET = 'a'.repeat(64);
const logger = new Logger({ serviceName: 'herald-test', logLevel: 'SILENT' });

/** An authorizer event as API Gateway sends it for POST /telegram/webhook (payload 2.0). */
function event(
  headers: Record<string, string>,
  sourceIp = '149.154.167.220',
): APIGatewayRequestAuthorizerEventV2 {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:eu-west-1:000000000000:abc123/$default/POST/telegram/webhook',
    identitySource: Object.values(headers),
    routeKey: 'POST /telegram/webhook',
    rawPath: '/telegram/webhook',
    rawQueryString: '',
    cookies: [],
    headers: { 'content-type': 'application/json', ...headers },
    requestContext: {
      accountId: '000000000000',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method: 'POST',
        path: '/telegram/webhook',
        protocol: 'HTTP/1.1',
        sourceIp,
        userAgent: '',
      },
      requestId: 'req-1',
      routeKey: 'POST /telegram/webhook',
      stage: '$default',
      time: '01/Dec/2026:10:00:00 +0000',
      timeEpoch: 1_796_119_200_000,
    },
  };
}

describe('createWebhookGate', () => {
  it('allows the right secret header and refuses a wrong or missing one', async () => {
    // Prepare
    const gate = createWebhookGate({ getSecret: async () => SECRET, sourceRanges: [], logger });

    // Act
    const right = await gate(event({ [TELEGRAM_SECRET_HEADER]: SECRET }));
    const wrong = await gate(event({ [TELEGRAM_SECRET_HEADER]: `${SECRET}x` }));
    const missing = await gate(event({}));

    // Assess
    expect([right, wrong, missing]).toEqual([
      { isAuthorized: true },
      { isAuthorized: false },
      { isAuthorized: false },
    ]);
  });

  it('checks the header the webhook function checks', () => {
    // Prepare / Act / Assess
    expect(TELEGRAM_SECRET_HEADER).toBe(SECRET_HEADER);
  });

  it("with Telegram's ranges, refuses other addresses even with the right secret", async () => {
    // Prepare
    const gate = createWebhookGate({
      getSecret: async () => SECRET,
      sourceRanges: TELEGRAM_WEBHOOK_SOURCE_RANGES,
      logger,
    });
    const header = { [TELEGRAM_SECRET_HEADER]: SECRET };

    // Act
    const answers = await Promise.all(
      [
        '149.154.160.1',
        '149.154.175.254',
        '91.108.4.10',
        '91.108.7.255',
        '149.154.176.1',
        '8.8.8.8',
        '2001:db8::1',
      ].map(async (ip) => [ip, (await gate(event(header, ip))).isAuthorized]),
    );

    // Assess
    expect(Object.fromEntries(answers)).toEqual({
      '149.154.160.1': true,
      '149.154.175.254': true,
      '91.108.4.10': true,
      '91.108.7.255': true,
      '149.154.176.1': false,
      '8.8.8.8': false,
      '2001:db8::1': false,
    });
  });

  it('fails the call (500, never cached) when the secret cannot be read', async () => {
    // Prepare
    const gate = createWebhookGate({
      getSecret: async () => {
        throw new Error('Secrets Manager unavailable');
      },
      sourceRanges: [],
      logger,
    });

    // Act
    const answer = gate(event({ [TELEGRAM_SECRET_HEADER]: SECRET }));

    // Assess
    await expect(answer).rejects.toThrow('Secrets Manager unavailable');
  });
});

describe('source ranges', () => {
  it.each([
    ['149.154.160.0/20', true],
    ['91.108.4.0/22', true],
    ['10.0.0.1/32', true],
    ['0.0.0.0/0', true],
    ['149.154.160.0', false],
    ['149.154.160.0/33', false],
    ['300.1.1.1/8', false],
    ['2001:db8::/32', false],
    ['telegram', false],
  ])('%s is an IPv4 range: %s', (value, expected) => {
    // Prepare / Act / Assess
    expect(isIPv4Cidr(value)).toBe(expected);
  });

  it('refuses to build a matcher from something that is not a range', () => {
    // Prepare / Act / Assess
    expect(() => sourceRangeMatcher(['149.154.160.0/20', 'everyone'])).toThrow(RangeError);
  });

  it('are read from WEBHOOK_SOURCE_RANGES, and a bad one names the variable', () => {
    // Prepare / Act
    const set = loadConfig({ WEBHOOK_SOURCE_RANGES: ' 149.154.160.0/20, 91.108.4.0/22 ' });
    const unset = loadConfig({});
    const bad = () => loadConfig({ WEBHOOK_SOURCE_RANGES: '149.154.160.0/20,telegram' });

    // Assess
    expect(set.webhookSourceRanges).toEqual(['149.154.160.0/20', '91.108.4.0/22']);
    expect(unset.webhookSourceRanges).toEqual([]);
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow('WEBHOOK_SOURCE_RANGES: "telegram" is not an IPv4 range like 149.154.160.0/20');
  });
});
