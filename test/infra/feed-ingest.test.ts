/**
 * Feed ingest on AWS (lib/constructs/feed-ingest.ts): the schedule and its context setting,
 * a target role that may invoke the ingest function and nothing else, the ingest function's
 * Query restricted to the feed sources' partition, the FeedSourcesFailing metric filter, and
 * the ingest code kept out of the webhook's bundle.
 */
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { FEED_SOURCES_PK } from '../../functions/store/keys';
import { lambdaBuildOptions } from '../../lib/constructs/herald-function';
import { StageConfigError } from '../../lib/stage-config';
import { logicalIdOf, PROJECT_ROOT, type Synthesized, statementsOfFunction, synthHerald } from './synth';

let dev: Synthesized;
beforeAll(() => {
  dev = synthHerald();
});

type Resource = { Properties: Record<string, unknown> };
const resources = (s: Synthesized, type: string) =>
  Object.values(s.template.findResources(type)) as Resource[];

describe('feed ingest', () => {
  it('runs every 10 minutes by default, or every feedPollMinutes, with no retries piling up', () => {
    // Prepare / Act
    const [schedule] = resources(dev, 'AWS::Scheduler::Schedule');
    const every15 = resources(synthHerald({ feedPollMinutes: '15' }), 'AWS::Scheduler::Schedule')[0];
    const fn = dev.template.toJSON().Resources[logicalIdOf(dev.stack.ingest.fn)] as Resource;

    // Assess
    expect(schedule?.Properties).toMatchObject({
      ScheduleExpression: 'rate(10 minutes)',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [logicalIdOf(dev.stack.ingest.fn), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 600 },
      },
    });
    expect(every15?.Properties.ScheduleExpression).toBe('rate(15 minutes)');
    // Shorter than the interval: two runs never overlap.
    expect(fn.Properties.Timeout).toBe(300);
    expect(() => synthHerald({ feedPollMinutes: '2' })).toThrow(StageConfigError);
  });

  it("lets each schedule's role invoke its function itself, nothing else (ingest and digests)", () => {
    // Prepare
    const roles = Object.entries(dev.template.findResources('AWS::IAM::Role')).filter(([, r]) =>
      JSON.stringify(r).includes('scheduler.amazonaws.com'),
    );
    const roleIds = roles.map(([id]) => id);

    // Act
    const statements = resources(dev, 'AWS::IAM::Policy')
      .filter((p) => JSON.stringify(p.Properties.Roles).match(new RegExp(roleIds.join('|'))))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: unknown[] }).Statement);

    // Assess
    expect(roleIds).toHaveLength(2);
    expect(statements).toEqual(
      expect.arrayContaining(
        [dev.stack.ingest.fn, dev.stack.digests.fn].map((fn) => ({
          Action: 'lambda:InvokeFunction',
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [logicalIdOf(fn), 'Arn'] },
        })),
      ),
    );
    expect(statements).toHaveLength(2);
  });

  it('queries only the feed sources partition, and no index', () => {
    // Prepare / Act
    const queries = statementsOfFunction(dev.template, logicalIdOf(dev.stack.ingest.fn)).filter((st) =>
      (Array.isArray(st.Action) ? st.Action : [st.Action]).includes('dynamodb:Query'),
    );

    // Assess
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatchObject({
      Action: 'dynamodb:Query',
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [FEED_SOURCES_PK] } },
    });
    expect(JSON.stringify(queries[0]?.Resource)).not.toContain('/index/');
  });

  it('turns the run summary into the FeedSourcesFailing metric', () => {
    // Prepare / Act
    const filters = resources(dev, 'AWS::Logs::MetricFilter').filter((f) =>
      JSON.stringify(f.Properties).includes('FeedSourcesFailing'),
    );

    // Assess
    expect(filters.map((f) => f.Properties)).toEqual([
      expect.objectContaining({
        FilterPattern: '{ $.message = "feed ingest run" }',
        MetricTransformations: [
          {
            MetricName: 'FeedSourcesFailing',
            MetricNamespace: 'Herald/dev',
            MetricValue: '$.feedSourcesFailingOverAnHour',
          },
        ],
      }),
    ]);
    const alarm = resources(dev, 'AWS::CloudWatch::Alarm').find(
      (a) => a.Properties.MetricName === 'FeedSourcesFailing',
    );
    expect(alarm?.Properties).toMatchObject({ Threshold: 1, Statistic: 'Maximum', Period: 600 });
  });

  it('is not part of the webhook bundle', () => {
    // Prepare / Act
    const bundle = (entry: string) =>
      buildSync({
        ...lambdaBuildOptions(path.join(PROJECT_ROOT, entry)),
        // On-demand side files inlined too: none of them may carry the feed code either.
        external: ['@aws-sdk/*'],
        write: false,
        minify: false,
        logLevel: 'silent',
      }).outputFiles?.[0]?.text ?? '';
    const webhook = bundle('functions/handlers/webhook.ts');
    const ingest = bundle('functions/handlers/ingest.ts');

    // Assess: the feed parser and fetcher live in the ingest bundle only
    for (const marker of ['function pollFeed', 'function createHttpFetcher', 'fast-xml-parser']) {
      expect(ingest).toContain(marker);
      expect(webhook).not.toContain(marker);
    }
  }, 60_000);
});
