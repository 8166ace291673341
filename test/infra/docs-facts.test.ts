/**
 * Facts the docs repeat from the code, checked against the code (issue 17, item 19: the article
 * id length, the import synopsis, the local environment list and the idle cost had drifted).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ARTICLE_ID_PATTERN } from '../../functions/core/ids';
import { USAGE } from '../../functions/local/import-command';
import { PROJECT_ROOT } from './synth';

const read = (...parts: string[]) => fs.readFileSync(path.join(PROJECT_ROOT, ...parts), 'utf8');
const adminApiDoc = read('docs', 'admin-api.md');
const readme = read('README.md');
const deployDoc = read('docs', 'deploy.md');

/** Every `.ts` file under a folder of the project. */
function sources(dir: string): string[] {
  return fs
    .readdirSync(path.join(PROJECT_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => read(dir, f));
}

it('admin-api.md gives the article id length the schema allows', () => {
  // Prepare: the pattern is one leading character and {0,N} more.
  const more = /\{0,(\d+)\}/.exec(ARTICLE_ID_PATTERN.source)?.[1];

  // Assess
  expect(more).toBeDefined();
  expect(adminApiDoc).toContain(`\`id\` (1–${Number(more) + 1} of`);
});

it('admin-api.md’s import synopsis lists every option the tool takes', () => {
  // Prepare
  const options = USAGE.match(/--[a-z-]+/g) ?? [];
  const synopsis = adminApiDoc.split('\n').find((l) => l.includes('-- import <file or folder>')) ?? '';

  // Assess
  expect(options).toContain('--no-alerts');
  expect(options.filter((o) => !synopsis.includes(o))).toEqual([]);
});

it('README names every environment variable the local runtime and the command-line tool read', () => {
  // Prepare: HERALD_* and TELEGRAM_* read by functions/local and bin (the SDK's own flag aside).
  const names = new Set(
    [...sources(path.join('functions', 'local')), ...sources('bin')].flatMap((text) =>
      [...text.matchAll(/\benv\.((?:HERALD|TELEGRAM)_[A-Z0-9_]+)/g)].map((m) => m[1] ?? ''),
    ),
  );

  // Assess
  expect([...names]).toEqual(expect.arrayContaining(['HERALD_ADMIN_KEY', 'HERALD_ADMIN_PORT']));
  expect([...names].filter((name) => !readme.includes(`\`${name}`))).toEqual([]);
});

it('README and deploy.md state the same idle cost', () => {
  // Prepare
  const idle = (text: string) =>
    /an idle bot costs about (\$[\d.]+) a month in dev and (\$[\d.]+) in prod/.exec(text);

  // Assess
  expect(idle(readme)?.slice(1)).toBeDefined();
  expect(idle(deployDoc)?.slice(1)).toEqual(idle(readme)?.slice(1));
});
