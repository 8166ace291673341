/**
 * Languages: what speaking four languages costs the webhook. The bundle's share (Fluent and the
 * translator, by esbuild's metafile) and the catalogues shipped beside it; the init of the
 * translator up to a first Arabic reply in a fresh process (the catalogue read and parsed), as a
 * delta over bare node; and the cost per reply of looking a message up and formatting it.
 */
import { execSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { createI18n, date, ltr, SUPPORTED_LOCALES } from '../functions/i18n';
import { catalogueCopyCommands } from '../lib/constructs/herald-function';
import { cdkBuildOptions } from './cold-start';
import { kB, median, ms, nowMs } from './lib/stats';
import type { BenchOptions, Row } from './lib/table';

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, 'bench', 'out', 'i18n');
const ROUNDS = 21;
const WARM_UP_ROUNDS = 2;
const LOOKUPS = 20_000;
/** A reply's messages: the card's byline, counters and five button labels are about seven. */
const MESSAGES_PER_REPLY = 7;

const SECTION = 'Languages';

export const I18N_METHOD =
  'functions/i18n/index.ts is bundled alone with the CDK options (bench/cold-start.ts `cdkBuildOptions`) and ' +
  "its bytes are read from esbuild's metafile of the webhook bundle (inputs under functions/i18n/ and " +
  '@fluent/bundle); the catalogues are the parsed `locales/*.json` files HeraldFunction puts beside the bundle. ' +
  `Init: ${ROUNDS} interleaved rounds (after ${WARM_UP_ROUNDS} discarded) of bare \`node -e 0\`, of a process ` +
  'that only requires that bundle, and of one that requires it and formats one Arabic card byline (ar.json and the English fallback read), minimal environment; reported as the median of per-round deltas over bare node. Lookup: in ' +
  `this process, after warm-up, ${LOOKUPS.toLocaleString('en')} formats of the byline (four arguments: name, ` +
  '@handle, date, plural minutes) and of a button label, in Arabic; median µs per call over 5 batches.';

function runNode(code: string): number {
  const t = nowMs();
  const res = spawnSync(process.execPath, ['-e', code], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (res.status !== 0) throw new Error(`node -e failed (${res.status ?? res.signal}): ${res.stderr}`);
  return nowMs() - t;
}

function perCallMicros(n: number, f: () => unknown): number {
  const batches: number[] = [];
  let sink = 0;
  for (let b = 0; b < 5; b += 1) {
    const t = nowMs();
    for (let i = 0; i < n / 5; i += 1) sink += String(f()).length;
    batches.push(((nowMs() - t) * 1000) / (n / 5));
  }
  if (sink === 0) throw new Error('nothing was formatted');
  return median(batches);
}

export async function runI18nBench(opts: BenchOptions): Promise<Row[]> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const rows: Row[] = [];

  // The bundle's share: the webhook as the CDK builds it.
  const webhook = await build(
    cdkBuildOptions(
      path.join(ROOT, 'functions', 'handlers', 'webhook.ts'),
      path.join(OUT, 'webhook', 'index.js'),
    ),
  );
  let i18nBytes = 0;
  for (const output of Object.values(webhook.metafile?.outputs ?? {})) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (input.includes('functions/i18n/') || input.includes('node_modules/@fluent/'))
        i18nBytes += bytesInOutput;
    }
  }
  const webhookBytes = statSync(path.join(OUT, 'webhook', 'index.js')).size;
  // The catalogues as the CDK ships them beside a bundle (parsed, `locales/<locale>.json`).
  const probeDir = path.join(OUT, 'probe');
  for (const command of catalogueCopyCommands(probeDir)) execSync(command, { stdio: 'pipe' });
  const shipped = path.join(probeDir, 'locales');
  const catalogues = readdirSync(shipped).sort();
  const catalogueBytes = catalogues.reduce((n, f) => n + statSync(path.join(shipped, f)).size, 0);
  rows.push({
    section: SECTION,
    metric: `webhook bundle with all ${SUPPORTED_LOCALES.length} locales (index.js; catalogues are files beside it)`,
    value: kB(webhookBytes),
    goal: '≤ 200.0 kB',
    ok: webhookBytes <= 200_000,
  });
  rows.push({
    section: SECTION,
    metric: '↳ of it @fluent/bundle + functions/i18n',
    value: kB(i18nBytes),
    goal: '',
  });
  rows.push({
    section: SECTION,
    metric: `↳ catalogues shipped as locales/ (${catalogues.join(', ')})`,
    value: kB(catalogueBytes),
    goal: '',
  });

  // Init up to the first Arabic reply, in a fresh process, against bare node.
  const probe = path.join(probeDir, 'index.js');
  await build(cdkBuildOptions(path.join(ROOT, 'functions', 'i18n', 'index.ts'), probe));
  const firstReply =
    `const i=require(${JSON.stringify(probe)});` +
    "i.createTranslator('ar').t('articles-card-byline-reading',{author:'Dr. Jane Doe',handle:i.ltr('@jdoe'),date:i.date('2026-11-25T08:00:00Z'),minutes:7});";
  const deltas: number[] = [];
  const requireDeltas: number[] = [];
  const bare: number[] = [];
  for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round += 1) {
    const b = runNode('0');
    const r = runNode(`require(${JSON.stringify(probe)})`);
    const f = runNode(firstReply);
    if (round >= WARM_UP_ROUNDS) {
      bare.push(b);
      requireDeltas.push(r - b);
      deltas.push(f - b);
    }
  }
  opts.log(`  i18n init to the first Arabic reply: +${ms(median(deltas))} over bare node`);
  rows.push({
    section: SECTION,
    metric:
      'init: require the translator and format a first Arabic reply (reads ar.json, en.json), Δ over bare node',
    value: `+${ms(median(deltas))} (bare ${ms(median(bare))})`,
    goal: '',
  });
  rows.push({
    section: SECTION,
    metric: '↳ of it requiring the translator alone (Fluent and functions/i18n, nothing read)',
    value: `+${ms(median(requireDeltas))}`,
    goal: '',
  });

  // Per lookup, in a warm process.
  const i18n = createI18n();
  let t = nowMs();
  const ar = i18n.translator('ar');
  ar.text('common-error-toast');
  const firstParse = nowMs() - t;
  const args = {
    author: 'Dr. Jane Doe',
    handle: ltr('@jdoe'),
    date: date('2026-11-25T08:00:00Z'),
    minutes: 7,
  };
  for (let i = 0; i < 2000; i += 1) ar.t('articles-card-byline-reading', args);
  const byline = perCallMicros(LOOKUPS, () => ar.t('articles-card-byline-reading', args));
  const label = perCallMicros(LOOKUPS, () => ar.text('articles-button-share'));
  t = nowMs();
  opts.log(`  lookup: byline ${byline.toFixed(1)} µs, label ${label.toFixed(1)} µs`);
  rows.push({
    section: SECTION,
    metric: 'first use of a locale in a process (read + parse its .ftl, as under tsx; ar after en)',
    value: ms(firstParse),
    goal: '',
  });
  rows.push({
    section: SECTION,
    metric: 'per message: Arabic byline with 4 arguments (escape, isolate, plural, date) / a button label',
    value: `${byline.toFixed(1)} µs / ${label.toFixed(1)} µs`,
    goal: '',
  });
  rows.push({
    section: SECTION,
    metric: `per reply (~${MESSAGES_PER_REPLY} messages: a card's lines and buttons), CPU`,
    value: `${((byline * MESSAGES_PER_REPLY) / 1000).toFixed(2)} ms`,
    goal: '',
  });
  return rows;
}

// `npx tsx bench/i18n.ts` runs this section alone.
if (require.main === module) {
  runI18nBench({ log: (line) => process.stderr.write(`${line}\n`) }).then(
    (rows) => {
      for (const r of rows) process.stdout.write(`${r.metric}: ${r.value}\n`);
    },
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
