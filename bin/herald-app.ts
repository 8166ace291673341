/**
 * CDK app entry (cdk.json "app"): one HeraldStack per stage, checked by cdk-nag's AwsSolutions
 * rules at synth time. Context: stage (dev|prod), botUsername, adminIds, alertRate,
 * webhookConcurrency, webhookSourceRanges, alarmEmail, logLevel — see docs/deploy.md.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { HeraldStack } from '../lib/herald-stack';
import { readStageConfig, type StageConfig, StageConfigError } from '../lib/stage-config';

const app = new App();
let config: StageConfig | undefined;
try {
  config = readStageConfig((key) => app.node.tryGetContext(key));
} catch (err) {
  // A bad -c value is the admin's to fix: say which and how, without a stack trace.
  if (!(err instanceof StageConfigError)) throw err;
  console.error(`${err.name}: ${err.message}`);
  process.exitCode = 1;
}

if (config !== undefined) {
  new HeraldStack(app, `Herald-${config.stage}`, {
    config,
    description: `Herald Telegram bot (${config.stage}): webhook, admin API, alerts`,
  });
  // Acknowledgements are also written into the template's Metadata (cdk_nag.rules_to_suppress),
  // so a reviewer of the synthesized template sees each one with its reason.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
}
