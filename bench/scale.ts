/**
 * The scale model's rows for the bench table (bench/scale-model.ts), and its check against the
 * real one-process pipeline. `npm run bench` runs the model from 1 k to 100 k subscribers;
 * `npm run bench:scale` adds 1 M and the check against local runs of 1 k and 10 k subscribers
 * at 25/s (the 10 k run takes about 7 minutes).
 */
import { ALERTS_SCENARIOS, measureScenario } from './alerts';
import { nowMs } from './lib/stats';
import { type BenchOptions, type Row, renderText } from './lib/table';
import { AWS_PROFILE, localProfile, MODEL_RATES, simulate } from './scale-model';

const SECTION = 'Scale model';

export const SCALE_METHOD =
  'A discrete-event simulation (bench/scale-model.ts) of one alert run on AWS: the stream, the ' +
  'fan-out (a Query page of 500, the write-ahead, one SendMessageBatch, the advance; a new invocation ' +
  'after 55 s), SQS and its event source (5 concurrent batches at first, 300 more a minute, up to ' +
  'MaximumConcurrency), sender instances (a 400 ms cold start, the pacer at their share of the rate, ' +
  'requests in flight, CPU per message scaled to the Lambda’s vCPU share), DynamoDB (latencies, 1,000 ' +
  'WCU/s per partition key with throttling and retries) and Telegram (latency, 429 with retry_after, ' +
  '403, 5xx: the fault mix of the Alerts section). The capacity comes from lib/send-capacity.ts, as ' +
  'the stack builds it. Times run from the article’s INSERT; cost is Lambda + SQS + DynamoDB at ' +
  'us-east-1 prices (no Stars); Stars are 0.1 per message above Telegram’s free 30/s. “1 key” is the ' +
  'recipient items in one partition key, as before this version. Every input is cited in the model. ' +
  'Checked against the local pipeline by `npm run bench:scale` (the `local` profile with the CPU per ' +
  'message measured in the same run): time to 90 % 6.7 % apart at 1,000 subscribers and 9.9 % at ' +
  '10,000 on 2026-11-30; docs/scale.md has the figures, the bottlenecks and the arithmetic.';

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mins = (ms: number) => (ms >= 120_000 ? `${fmt(ms / 60_000, 1)} min` : `${fmt(ms / 1000, 1)} s`);

/** Model rows for each size at 30/s and 1,000/s. */
export function runScaleModelBench(opts: BenchOptions, sizes: readonly number[]): Row[] {
  const rows: Row[] = [];
  for (const n of sizes) {
    for (const rate of MODEL_RATES) {
      const started = nowMs();
      const m = simulate({ subscribers: n, ...rate, profile: AWS_PROFILE, recipientShards: 16, seed: 7 });
      opts.log(`  model ${fmt(n)} at ${rate.label}: ${fmt(m.events)} events in ${fmt(nowMs() - started)} ms`);
      const million = n >= 1_000_000 && rate.ratePerSecond >= 1000;
      rows.push({
        section: SECTION,
        metric: `${fmt(n)} subs at ${rate.label}: time to 50 / 90 / 99 %`,
        value: `${mins(m.t50Ms)} / ${mins(m.t90Ms)} / ${mins(m.t99Ms)}`,
        ...(million ? { goal: '90 % ≤ 20 min', ok: m.t90Ms <= 20 * 60_000 } : {}),
      });
      rows.push({
        section: SECTION,
        metric: `${fmt(n)} subs at ${rate.label}: cost, Stars, peak WCU per partition`,
        value: `$${fmt(m.costUsd, 4)} (Lambda ${fmt(m.costParts.lambda, 4)}, SQS ${fmt(m.costParts.sqs, 4)}, DynamoDB ${fmt(m.costParts.dynamodb, 4)}) · ${fmt(m.stars, 1)} Stars · ${fmt(m.peakWcu)} WCU/s on ${m.peakKey}`,
        goal: '≤ 1,000 WCU/s, 0 throttled',
        ok: m.peakWcu <= 1000 && m.throttledWrites === 0,
      });
    }
  }
  // The finding the model made: one partition key for every recipient of a run.
  const n = sizes[sizes.length - 1] ?? 100_000;
  const before = simulate({
    subscribers: n,
    ...MODEL_RATES[1],
    profile: AWS_PROFILE,
    recipientShards: 1,
    seed: 7,
  });
  rows.push({
    section: SECTION,
    metric: `${fmt(n)} subs at 1,000/s, recipients in 1 key (before): 90 %, throttled writes`,
    value: `${mins(before.t90Ms)} · ${fmt(before.throttledWrites)} throttled (peak ${fmt(before.peakWcu)} WCU/s on ${before.peakKey})`,
    goal: 'why the recipients are now in 16 keys',
  });
  return rows;
}

/** Local runs at 25/s with the fault mix, and the model of the same runs. */
export async function runScaleCheck(opts: BenchOptions, sizes: readonly number[]): Promise<Row[]> {
  const rows: Row[] = [];
  const base = ALERTS_SCENARIOS[0];
  if (!base) throw new Error('no 25/s scenario');
  for (const n of sizes) {
    const measured = await measureScenario(
      { ...base, label: `local ${fmt(n)} at 25/s`, subscribers: n, seed: 21 },
      opts,
    );
    const m = simulate({
      subscribers: n,
      ratePerSecond: 25,
      freeRatePerSecond: 25,
      profile: localProfile(measured.cpuMsPerRequest),
      recipientShards: 16,
      seed: 21,
      capacity: { maxConcurrency: 20, perInstanceRate: 25, inFlight: 25 },
    });
    const t = measured.times;
    const diff = t ? Math.abs(m.t90Ms - t.p90Ms) / t.p90Ms : Number.NaN;
    rows.push({
      section: SECTION,
      metric: `check ${fmt(n)} subs at 25/s: time to 90 %, measured vs model`,
      value: t
        ? `${fmt(t.p90Ms / 1000, 1)} s vs ${fmt(m.t90Ms / 1000, 1)} s (${fmt(diff * 100, 1)} % apart; 50 %: ${fmt(t.p50Ms / 1000, 1)} vs ${fmt(m.t50Ms / 1000, 1)} s; 99 %: ${fmt(t.p99Ms / 1000, 1)} vs ${fmt(m.t99Ms / 1000, 1)} s; CPU ${fmt(measured.cpuMsPerRequest, 2)} ms/request)`
        : 'no times',
      goal: '≤ 15 % apart',
      ok: diff <= 0.15,
    });
    rows.push({
      section: SECTION,
      metric: `check ${fmt(n)} subs at 25/s: lost / duplicated`,
      value: `${measured.lost} / ${measured.duplicates}`,
      goal: '0 / 0',
      ok: measured.lost === 0 && measured.duplicates === 0,
    });
  }
  return rows;
}

async function main(): Promise<void> {
  const opts: BenchOptions = { log: (line) => process.stderr.write(`${line}\n`) };
  const only = process.argv.find((a) => a.startsWith('--check='));
  const checks = only ? [Number(only.slice('--check='.length))] : [1000, 10_000];
  const rows = [
    ...(only ? [] : runScaleModelBench(opts, [1000, 10_000, 100_000, 1_000_000])),
    ...(await runScaleCheck(opts, checks)),
  ];
  process.stdout.write(`${renderText(rows)}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(
      `bench:scale failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 1;
  });
}
