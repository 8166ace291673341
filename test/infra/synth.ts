/**
 * Shared synthesis for the infra tests: the app as bin/herald-app.ts builds it, with the
 * feature flags from cdk.json and, unless asked, without esbuild bundling (fast).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { HeraldStack } from '../../lib/herald-stack';
import { readStageConfig } from '../../lib/stage-config';

export const PROJECT_ROOT = path.join(__dirname, '..', '..');

/** The `context` block of cdk.json: the feature flags the CLI would pass. */
export const CDK_JSON_CONTEXT = (
  JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

export interface Synthesized {
  readonly app: App;
  readonly stack: HeraldStack;
  readonly template: Template;
}

/** Builds App + HeraldStack from the given context (as `-c key=value` would) and synthesizes it. */
export function synthHerald(context: Record<string, string> = {}): Synthesized {
  const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context } });
  const config = readStageConfig((key) => app.node.tryGetContext(key));
  const stack = new HeraldStack(app, `Herald-${config.stage}`, { config });
  return { app, stack, template: Template.fromStack(stack) };
}

/** The logical id of a construct's CloudFormation resource (e.g. a function's CfnFunction). */
export function logicalIdOf(construct: IConstruct): string {
  const stack = HeraldStack.of(construct);
  return stack.getLogicalId(construct.node.defaultChild as CfnFunction);
}

type Json = Record<string, unknown>;

export interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every IAM statement attached to the role of the function with this logical id. */
export function statementsOfFunction(template: Template, functionLogicalId: string): PolicyStatement[] {
  const fn = template.toJSON().Resources[functionLogicalId] as {
    Properties: { Role: { 'Fn::GetAtt': [string, string] } };
  };
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as { Properties: Json }[];
  return policies
    .filter((p) => (p.Properties.Roles as Json[]).some((r) => r.Ref === roleId))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement);
}

/** The flat, sorted list of IAM actions the function's role is allowed. */
export function actionsOfFunction(template: Template, functionLogicalId: string): string[] {
  const actions = statementsOfFunction(template, functionLogicalId)
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
  return [...new Set(actions)].sort();
}

/** Resources of the statements that allow `action` to the function. */
export function resourcesFor(template: Template, functionLogicalId: string, action: string): unknown[] {
  return statementsOfFunction(template, functionLogicalId)
    .filter((s) => s.Effect === 'Allow' && (Array.isArray(s.Action) ? s.Action : [s.Action]).includes(action))
    .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
}
