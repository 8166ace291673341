import { ConfigError, loadConfig } from '../../functions/config';

describe('loadConfig', () => {
  test('defaults make a working local configuration', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      tableName: 'herald',
      telegramApiRoot: 'https://api.telegram.org',
      adminIds: [],
      alertRatePerSecond: 25,
      handlerTimeoutMs: 9000,
    });
  });

  test('parses admin ids and numbers, and trims the API root', () => {
    const config = loadConfig({
      ADMIN_IDS: '1, 22,333',
      ALERT_RATE_PER_SECOND: '1000',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:9/',
    });
    expect(config.adminIds).toEqual([1, 22, 333]);
    expect(config.alertRatePerSecond).toBe(1000);
    expect(config.alertFreeRatePerSecond).toBe(1000);
    expect(config.telegramApiRoot).toBe('http://127.0.0.1:9');
  });

  test('reads the sender capacity the stack derives, and paid broadcast off unless capped', () => {
    // Act
    const unpaid = loadConfig({});
    const paid = loadConfig({
      ALERT_RATE_PER_SECOND: '1000',
      ALERT_FREE_RATE_PER_SECOND: '25',
      SENDER_MAX_CONCURRENCY: '20',
      SENDER_IN_FLIGHT: '50',
      SENDER_LEASE_SECONDS: '300',
      PAID_BROADCAST_STARS_PER_RUN: '100000',
    });

    // Assess
    expect(unpaid).toMatchObject({
      alertFreeRatePerSecond: 25,
      paidBroadcastStarsPerRun: 0,
      senderLeaseMs: 300_000,
    });
    expect(unpaid.senderInFlight).toBeUndefined();
    expect(paid).toMatchObject({
      alertRatePerSecond: 1000,
      alertFreeRatePerSecond: 25,
      senderMaxConcurrency: 20,
      senderInFlight: 50,
      paidBroadcastStarsPerRun: 100_000,
    });
    expect(() => loadConfig({ SENDER_IN_FLIGHT: '0' })).toThrow(/SENDER_IN_FLIGHT: must be at least 1/);
  });

  test('names every bad variable and says what is expected', () => {
    const bad = () =>
      loadConfig({
        ADMIN_IDS: '1,abc',
        ALERT_RATE_PER_SECOND: '5000',
        BOT_USERNAME: '@x',
        DYNAMODB_ENDPOINT: 'nope',
      });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toContain('ADMIN_IDS: "abc" is not a Telegram user id');
      expect(message).toContain('ALERT_RATE_PER_SECOND: must be at most 1000');
      expect(message).toContain('BOT_USERNAME: must be the bot username without @');
      expect(message).toContain('DYNAMODB_ENDPOINT: must be a URL');
    }
  });

  test('a handler timeout at or above the 30 s HTTP API cap is refused', () => {
    expect(() => loadConfig({ HANDLER_TIMEOUT_MS: '30000' })).toThrow(
      /HANDLER_TIMEOUT_MS: must be at most 29000/,
    );
  });
});
