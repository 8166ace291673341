/**
 * CDK app entry (cdk.json "app"): one HeraldStack per stage, checked by cdk-nag's AwsSolutions
 * rules at synth time. Context: stage (dev|prod), botUsername, adminIds, alertRate,
 * webhookConcurrency, alarmEmail, logLevel — see docs/deploy.md.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { HeraldStack } from '../lib/herald-stack';
import { readStageConfig } from '../lib/stage-config';

const app = new App();
const config = readStageConfig((key) => app.node.tryGetContext(key));

new HeraldStack(app, `Herald-${config.stage}`, {
  config,
  description: `Herald Telegram bot (${config.stage}): webhook, admin API, alerts`,
});

// Acknowledgements are also written into the template's Metadata (cdk_nag.rules_to_suppress),
// so a reviewer of the synthesized template sees each one with its reason.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
