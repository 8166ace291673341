/**
 * docs/deploy.md and docs/cost.md describe the stack that is synthesized: how many Lambda
 * functions and alarms it has, and an alarm table row for every alarm. (They drifted once:
 * "five Lambda functions" for six, a table two alarms short.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT, type Synthesized, synthHerald } from './synth';

const deployDoc = fs.readFileSync(path.join(PROJECT_ROOT, 'docs', 'deploy.md'), 'utf8');
const costDoc = fs.readFileSync(path.join(PROJECT_ROOT, 'docs', 'cost.md'), 'utf8');
const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

let prod: Synthesized;
beforeAll(() => {
  prod = synthHerald({ stage: 'prod' });
});

function count(type: string): number {
  return Object.keys(prod.template.findResources(type)).length;
}

describe('docs/deploy.md', () => {
  it('gives the number of Lambda functions and alarms a deploy creates', () => {
    // Prepare / Act
    const functions = /\b(\w+) Lambda functions\b/.exec(deployDoc)?.[1];
    const alarms = /\b(\d+) CloudWatch alarms\b/.exec(deployDoc)?.[1];

    // Assess
    expect(functions).toBe(WORDS[count('AWS::Lambda::Function')]);
    expect(Number(alarms)).toBe(count('AWS::CloudWatch::Alarm'));
  });

  it('has an alarm table row for every alarm', () => {
    // Prepare
    const table = deployDoc.slice(deployDoc.indexOf('## Alarms'));
    const perFunction = /`<Function>Errors` \(([^)]*)\)/.exec(table)?.[1]?.split(/,\s*/) ?? [];

    // Act
    const undocumented = prod.stack.alarms.alarms
      .map((alarm) => alarm.node.id)
      .filter((id) => {
        const fn = /^(\w+?)(Errors|Throttles)$/.exec(id);
        if (fn !== null && perFunction.includes(fn[1] as string)) return false;
        return !table.includes(`| \`${id}\` |`);
      });

    // Assess
    expect(perFunction.length).toBeGreaterThan(0);
    expect(undocumented).toEqual([]);
  });
});

describe('docs/cost.md', () => {
  it('prices the alarms the stack has', () => {
    // Prepare / Act
    const priced = /(\d+) standard alarms/.exec(costDoc)?.[1];

    // Assess
    expect(Number(priced)).toBe(count('AWS::CloudWatch::Alarm'));
  });
});
