/**
 * cdk-nag AwsSolutions: zero unacknowledged findings in both stages, every acknowledgement
 * carries a real reason, and the app entry (bin/herald-app.ts) really runs the checks at synth.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { CDK_JSON_CONTEXT, PROJECT_ROOT, synthHerald } from './synth';

const run = promisify(execFile);

/** "rule @ construct path" for each unacknowledged finding: readable when a test fails. */
function findings(scope: IConstruct): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations.flatMap((v) =>
    v.violatingResources.map(
      (r) =>
        `${v.ruleName} (${v.severity}) @ ${'constructPath' in r ? String(r.constructPath) : r.resourceLogicalId}`,
    ),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['dev', {}],
    [
      'prod with alarm e-mail and reserved webhook concurrency',
      { stage: 'prod', alarmEmail: 'ops@example.com', webhookConcurrency: '40' },
    ],
    [
      "prod without alarm e-mail, webhook restricted to Telegram's ranges",
      { stage: 'prod', webhookSourceRanges: 'telegram' },
    ],
  ])('%s: no unacknowledged error or warning', (_name, context) => {
    // Prepare
    const { stack } = synthHerald(context);

    // Act
    const found = findings(stack);

    // Assess
    expect(found).toEqual([]);
  });

  it('is live: an unacknowledged insecure resource is reported', () => {
    // Prepare: the dev stack plus a queue with neither TLS enforcement nor a DLQ.
    const { stack } = synthHerald();
    const probe = new Stack(stack.node.scope as IConstruct, 'NagProbe');
    new Queue(probe, 'Plain');

    // Act
    const found = findings(probe);

    // Assess
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^AwsSolutions-SQS3 \(error\) @ NagProbe\/Plain/),
        expect.stringMatching(/^AwsSolutions-SQS4 \(error\) @ NagProbe\/Plain/),
      ]),
    );
  });

  it('gives every acknowledgement a reason a reviewer can check', () => {
    // Prepare
    const { stack } = synthHerald({ stage: 'prod', alarmEmail: 'ops@example.com' });

    // Act
    const acknowledged = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));

    // Assess
    expect(acknowledged.length).toBeGreaterThan(10);
    const weak = acknowledged.filter(([, reason]) => reason.trim().length < 60);
    expect(weak).toEqual([]);
  });

  it('bin/herald-app.ts runs the checks at synth and they pass (validation report)', async () => {
    // Prepare: the real entry, offline, without bundling, in a scratch output directory.
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-synth-'));
    const context = {
      ...CDK_JSON_CONTEXT,
      'aws:cdk:bundling-stacks': [],
      stage: 'prod',
      alarmEmail: 'ops@example.com',
    };
    const tsx = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');

    try {
      // Act
      const result = await run(tsx, [path.join(PROJECT_ROOT, 'bin', 'herald-app.ts')], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) },
      });

      // Assess
      expect(result.stderr).not.toMatch(/AwsSolutions|ERROR/);
      // The pack's audit-trail metadata proves bin/ registered AwsSolutionsChecks on the app
      // (a passing validation report looks the same with and without the plugin).
      const template = JSON.parse(
        fs.readFileSync(path.join(outdir, 'Herald-prod.template.json'), 'utf8'),
      ) as {
        Resources: Record<
          string,
          { Type: string; Metadata?: { cdk_nag?: { rules_to_suppress: { id: string }[] } } }
        >;
      };
      const acknowledgedOnRoutes = Object.values(template.Resources)
        .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
        .map((r) => r.Metadata?.cdk_nag?.rules_to_suppress.map((s) => s.id));
      // The admin route is acknowledged (its key is checked in the function); the webhook route
      // has its authorizer and needs no acknowledgement.
      expect(acknowledgedOnRoutes.sort()).toEqual([['AwsSolutions-APIG4'], undefined]);
      const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as {
        pluginReports: { pluginName: string; violations: unknown[] }[];
      };
      expect(report.pluginReports.filter((p) => p.violations.length > 0)).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }, 60_000);
});
