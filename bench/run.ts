/**
 * `npm run bench`: runs every section, prints one table on stdout (progress goes to stderr) and
 * writes it, with the machine and how each figure was measured, to docs/benchmarks.md.
 *
 * Every figure is measured in this run, next to its baseline; nothing is carried over from an
 * earlier run. Goals that are missed are reported as missed — the exit code is 0 unless a
 * section could not run at all.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  ALERT_COST_METHOD,
  ALERTS_METHOD,
  ALERTS_SCENARIOS,
  runAlertCostBench,
  runAlertsBench,
} from './alerts';
import { CHANNELS_METHOD, runChannelsBench } from './channels';
import { COLD_START_METHOD, runColdStartBench } from './cold-start';
import { DIGESTS_METHOD, runDigestsBench } from './digests';
import { FEEDS_METHOD, runFeedsBench } from './feeds';
import { I18N_METHOD, runI18nBench } from './i18n';
import { describeMachine, type Machine } from './lib/machine';
import { nowMs } from './lib/stats';
import { type BenchOptions, type Row, renderMarkdown, renderText } from './lib/table';
import { startWorld } from './lib/world';
import { PER_UPDATE_METHOD, runPerUpdateBench } from './per-update';
import { RICH_MESSAGES_METHOD, runRichMessagesBench } from './rich-messages';
import { runScaleModelBench, SCALE_METHOD } from './scale';
import { runSummariesBench, SUMMARIES_METHOD } from './summaries';
import { runThroughputBench, THROUGHPUT_METHOD } from './throughput';

const ROOT = path.join(__dirname, '..');
const REPORT = path.join(ROOT, 'docs', 'benchmarks.md');

/** How each section measures, for the report. */
const METHODS: Array<[string, string]> = [
  ['Cold start', COLD_START_METHOD],
  ['Per update', PER_UPDATE_METHOD],
  ['Throughput', THROUGHPUT_METHOD],
  ['Summaries', SUMMARIES_METHOD],
  ['Article bodies', RICH_MESSAGES_METHOD],
  ['Alerts', ALERTS_METHOD],
  ['Alert bookkeeping', ALERT_COST_METHOD],
  ['Feed ingest', FEEDS_METHOD],
  ['Languages', I18N_METHOD],
  ['Scale model', SCALE_METHOD],
  ['Digests', DIGESTS_METHOD],
  ['Channels and groups', CHANNELS_METHOD],
];

function report(rows: Row[], runtime: string, m: Machine): string {
  const missed = rows.filter((r) => r.ok === false).length;
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts); run it again to refresh. Every figure below was measured in',
    'the same run as its baseline, on this machine:',
    '',
    `- OS: ${m.os}`,
    `- CPU: ${m.cpu}, ${m.cores} cores; memory ${m.memory}`,
    `- Node.js: ${m.node}`,
    `- Date: ${m.date}`,
    `- Load average (1 / 5 / 15 min) when the run started: ${m.load}`,
    `- Total run time: ${runtime}`,
    '',
    missed === 0 ? 'Every goal was met.' : `${missed} goal(s) missed in this run (ok? = NO).`,
    '',
    renderMarkdown(rows),
    '',
    '## How measured',
    '',
    ...METHODS.flatMap(([name, text]) => [`### ${name}`, '', text, '']),
  ].join('\n');
}

async function main(): Promise<void> {
  const started = nowMs();
  const machine = describeMachine();
  const opts: BenchOptions = { log: (line) => process.stderr.write(`${line}\n`) };
  const durations: string[] = [];
  /** Runs one section, logging its name first and keeping how long it took for the report. */
  const section = async (name: string, run: () => Promise<Row[]>): Promise<Row[]> => {
    opts.log(`${name}…`);
    const t = nowMs();
    const rows = await run();
    durations.push(`${name.toLowerCase()} ${((nowMs() - t) / 1000).toFixed(0)} s`);
    return rows;
  };

  // First: the summaries' "first call" must be the first summarize() in this process
  // (seeding the world below calls it for every article).
  const summaries = await section('Summaries', () => runSummariesBench(opts));
  const bodies = await section('Article bodies', () => runRichMessagesBench(opts));
  const coldStart = await section('Cold start', () => runColdStartBench(opts));
  const languages = await section('Languages', () => runI18nBench(opts));

  const world = await startWorld();
  let perUpdate: Row[];
  let throughput: Row[];
  try {
    perUpdate = await section('Per update', () => runPerUpdateBench(world, opts));
    throughput = await section('Throughput', () => runThroughputBench(world, opts));
  } finally {
    await world.stop();
  }

  // Its own store and stand-in: nothing left over from the reader's world.
  // `npm run bench` must finish in under 5 minutes: the 25/s case runs 1,500 subscribers (60 s of
  // pacing; 10,000 would take 400 s) and the 10,000-subscriber fault mix runs at 1000/s. The third
  // scenario (pause everyone on every 429) runs with `npx tsx bench/alerts.ts`.
  const alerts = await section('Alerts', () =>
    runAlertsBench({
      ...opts,
      scenarios: [
        { ...ALERTS_SCENARIOS[0]!, label: '25/s cap, 1,500 subs', subscribers: 1500 },
        ALERTS_SCENARIOS[1]!,
      ],
    }),
  );

  // Bookkeeping per recipient at 1,000 and 100,000 (the 100,000 run sends a sample of its batches).
  const alertCost = await section('Alert bookkeeping', () => runAlertCostBench(opts));

  // Its own in-memory store: a 200-item feed ingested, then re-polled unchanged.
  const feeds = await section('Feed ingest', () => runFeedsBench(opts));

  // The AWS pipeline from 1 k to 1 M subscribers (about 40 s); its check against local runs is
  // `npm run bench:scale` (the 10,000-subscriber run at 25/s takes 7 minutes).
  const scale = await section('Scale model', async () =>
    runScaleModelBench(opts, [1000, 10_000, 100_000, 1_000_000]),
  );

  // One slot of 2,000 due readers at the 1,000/s cap and 250 at 25/s (~10 s of pacing).
  const digests = await section('Digests', () => runDigestsBench(opts));

  // Its own store and stand-in: 50 channels and 2,000 groups following one author.
  const channelsAndGroups = await section('Channels and groups', () => runChannelsBench(opts));

  const rows = [
    ...coldStart,
    ...languages,
    ...perUpdate,
    ...throughput,
    ...summaries,
    ...bodies,
    ...alerts,
    ...alertCost,
    ...feeds,
    ...scale,
    ...digests,
    ...channelsAndGroups,
  ];
  const seconds = (nowMs() - started) / 1000;
  process.stdout.write(`${renderText(rows)}\n`);
  writeFileSync(REPORT, report(rows, `${seconds.toFixed(0)} s (${durations.join(', ')})`, machine));
  opts.log(
    `\nWrote ${path.relative(process.cwd(), REPORT)} in ${seconds.toFixed(0)} s (${durations.join(', ')}).`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
