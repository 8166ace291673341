/** Deploy-time context parsing: defaults, per-stage settings, and errors that say how to fix them. */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { readStageConfig, StageConfigError } from '../../lib/stage-config';
import { CDK_JSON_CONTEXT, PROJECT_ROOT } from './synth';

const run = promisify(execFile);

const from =
  (context: Record<string, unknown>) =>
  (key: string): unknown =>
    context[key];

describe('readStageConfig', () => {
  it('defaults to a disposable dev stage for @HeraldDemoBot with no admins', () => {
    // Prepare / Act
    const config = readStageConfig(from({}));

    // Assess
    expect(config).toMatchObject({
      stage: 'dev',
      botUsername: 'HeraldDemoBot',
      adminIds: '',
      alertRatePerSecond: 25,
      alertTimeTo90TargetSeconds: 120,
      webhookConcurrency: undefined,
      alarmEmail: undefined,
      logLevel: 'INFO',
      logRetention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
      deletionProtection: false,
      webhookSourceRanges: [],
      apiThrottles: {
        webhook: { rateLimit: 100, burstLimit: 200 },
        admin: { rateLimit: 50, burstLimit: 100 },
        unmatched: { rateLimit: 10, burstLimit: 20 },
      },
    });
    expect(config.paidBroadcast).toBeUndefined();
  });

  it.each([
    ['telegram', ['149.154.160.0/20', '91.108.4.0/22']],
    ['Telegram', ['149.154.160.0/20', '91.108.4.0/22']],
    ['any', []],
    [' 203.0.113.0/24 , 198.51.100.7/32 ', ['203.0.113.0/24', '198.51.100.7/32']],
  ])('reads webhookSourceRanges=%j', (value, expected) => {
    // Prepare / Act
    const config = readStageConfig(from({ webhookSourceRanges: value }));

    // Assess
    expect(config.webhookSourceRanges).toEqual(expected);
  });

  it('keeps prod data and logs longer', () => {
    // Prepare / Act
    const config = readStageConfig(from({ stage: 'prod' }));

    // Assess
    expect(config).toMatchObject({
      stage: 'prod',
      logRetention: RetentionDays.SIX_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });
  });

  it('normalises what admins type: @username, spaces in the id list, numbers as strings', () => {
    // Prepare / Act
    const config = readStageConfig(
      from({
        botUsername: '@HeraldNewsBot',
        adminIds: ' 12345, 67890 ,',
        alertRate: 10,
        webhookConcurrency: '40',
        paidBroadcastRate: '1000',
        paidBroadcastStarsPerRun: '50000',
        alertTimeTo90Seconds: '600',
        privacyPolicyUrl: 'https://example.org/privacy',
      }),
    );

    // Assess
    expect(config).toMatchObject({
      botUsername: 'HeraldNewsBot',
      adminIds: '12345,67890',
      alertRatePerSecond: 10,
      webhookConcurrency: 40,
      paidBroadcast: { ratePerSecond: 1000, starsPerRun: 50_000 },
      alertTimeTo90TargetSeconds: 600,
      privacyPolicyUrl: 'https://example.org/privacy',
    });
  });

  it.each([
    [{ stage: 'staging' }, 'Context stage="staging" must be dev or prod, e.g. -c stage=prod'],
    [{ botUsername: 'Herald Bot' }, 'Context botUsername="Herald Bot" must be the bot\'s username'],
    [
      { botUsername: 'X' },
      'Context botUsername="X" must be the bot\'s username without @: 3 to 64 characters',
    ],
    [{ adminIds: '123,jdoe' }, 'Context adminIds contains "jdoe", not a Telegram user id'],
    [{ alertRate: '0' }, 'Context alertRate="0" must be a whole number from 1 to 30'],
    [{ alertRate: '100' }, 'Context alertRate="100" must be a whole number from 1 to 30'],
    [
      { paidBroadcastRate: '1000' },
      'Paid broadcast needs both paidBroadcastRate and paidBroadcastStarsPerRun',
    ],
    [
      { paidBroadcastRate: '30', paidBroadcastStarsPerRun: '10' },
      'Context paidBroadcastRate="30" must be a whole number from 31 to 1000',
    ],
    [{ alertRate: '2.5' }, 'Context alertRate="2.5" must be a whole number'],
    [{ webhookConcurrency: 'lots' }, 'Context webhookConcurrency="lots" must be a whole number'],
    [{ alarmEmail: 'ops' }, 'Context alarmEmail="ops" is not an email address'],
    [
      { privacyPolicyUrl: 'http://example.org/p' },
      'Context privacyPolicyUrl="http://example.org/p" must be an https URL',
    ],
    [
      { webhookSourceRanges: '149.154.160.0/20,everyone' },
      'Context webhookSourceRanges contains "everyone": use telegram, any, or IPv4 ranges',
    ],
    [
      { webhookSourceRanges: ',' },
      'Context webhookSourceRanges contains ",": use telegram, any, or IPv4 ranges',
    ],
    [{ logLevel: 'verbose' }, 'Context logLevel="VERBOSE" must be DEBUG, INFO, WARN or ERROR'],
  ])('rejects %j with a message that names the key', (context, message) => {
    // Prepare / Act
    const read = () => readStageConfig(from(context));

    // Assess
    expect(read).toThrow(StageConfigError);
    expect(read).toThrow(message);
  });
});

describe('bin/herald-app.ts', () => {
  it('answers a bad context value with the rule and no stack trace', async () => {
    // Prepare: `cdk synth -c botUsername=X` runs the app with this context.
    const tsx = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
    const context = { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], botUsername: 'X' };

    // Act
    const failure = await run(tsx, [path.join(PROJECT_ROOT, 'bin', 'herald-app.ts')], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: '/nonexistent-herald' },
    }).then(
      () => undefined,
      (err: { code?: number; stderr?: string }) => err,
    );

    // Assess
    expect(failure?.code).toBe(1);
    expect(failure?.stderr?.trim()).toBe(
      'StageConfigError: Context botUsername="X" must be the bot\'s username without @: 3 to 64 characters of A-Z, a-z, 0-9 or _, e.g. -c botUsername=HeraldNewsBot',
    );
  }, 60_000);
});
