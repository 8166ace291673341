/**
 * The alert sender's capacity, derived from the configured rate in this one place: the SQS
 * event source's MaximumConcurrency and batch size, each instance's share of the rate and its
 * requests in flight, the function timeout and the queue's visibility timeout. The stack reads
 * every one of them from here (lib/constructs/alert-pipeline.ts), the sender gets the
 * per-instance figures as environment variables, and docs/scale.md explains the arithmetic.
 */
import { Duration } from 'aws-cdk-lib';
import { alertSendersRate, channelPosterRate } from '../functions/alerts/pacer';

/**
 * The most one sender instance is asked to send per second. With it, MaximumConcurrency grows
 * with the rate (20 instances at 1,000/s) instead of one instance's CPU becoming the limit.
 */
export const PER_INSTANCE_MAX_RATE = 50;

/**
 * CPU per message on one core of this machine: 4.5 ms, measured by `npm run bench:scale` (the
 * local pipeline's process CPU over its sendMessage requests; an upper bound, since the stand-in
 * answering them runs in the same process).
 */
export const CPU_MS_PER_MESSAGE = 4.5;

/** Memory that buys a whole vCPU (AWS Lambda developer guide, "Memory and computing power"). */
const MB_PER_VCPU = 1769;

/** The share of its CPU a sender is planned to use: the rest is TLS, retries and garbage collection. */
const CPU_TARGET = 0.5;

/** Telegram's free bulk rate per bot (Bots FAQ: "not more than 30 messages per second or so"). */
export const TELEGRAM_FREE_RATE = 30;

/**
 * Sender memory (MB): memory buys CPU share, and the sender should be at most half busy —
 * rate × 4.5 ms × 1,769 / memory ≤ 0.5. The smallest of 256, 512, 1,024 and 1,769 MB that does it:
 * 12.5/s → 256 MB (39 % busy); 50/s → 1,024 MB (39 %).
 */
function senderMemoryMb(perInstanceRate: number): number {
  const needed = (perInstanceRate * CPU_MS_PER_MESSAGE * MB_PER_VCPU) / (1000 * CPU_TARGET);
  return [256, 512, 1024].find((mb) => mb >= needed) ?? MB_PER_VCPU;
}

/** At least 2: SQS event sources accept MaximumConcurrency from 2 (AWS quota). */
const MIN_CONCURRENCY = 2;

/**
 * Requests in flight per instance, in seconds of its rate: by Little's law, in flight = rate ×
 * time per message. One message is a claim write (~5–10 ms), the Bot API call (~50–300 ms from
 * AWS to Telegram) and the outcome write; a full second of the rate also covers recipients
 * waiting out a 429 or a slow answer without starving the pacer.
 */
const IN_FLIGHT_SECONDS = 1;

/** Recipients per queue message (functions/alerts/queue.ts RECIPIENTS_PER_MESSAGE). */
const RECIPIENTS_PER_MESSAGE = 50;

/** The sender's timeout. */
export const SENDER_TIMEOUT = Duration.seconds(60);

/**
 * How long one invocation's batch is planned to take at the instance's rate: a quarter of the
 * timeout. The trade-off, from the scale model (bench/scale-model.ts; 1,000/s, time to 90 %):
 * an invocation ends only when its slowest recipient is done (a 429's retry_after of up to 3 s),
 * and its share of the rate is idle meanwhile, so longer batches lose less — 1 M subscribers:
 * 19.3 min with 10 s batches, 18.2 with 15 s, 17.6 with 20 s; but a small run is split into fewer
 * invocations than there are instances — 10 k subscribers: 12.3 s, 16.3 s, 20.6 s.
 */
const BATCH_SECONDS = 15;

/** AWS's guidance for Lambda consumers of SQS: visibility ≥ 6 × the function timeout. */
const VISIBILITY_FACTOR = 6;

/** A recipient's claim lease (functions/alerts/sender.ts `leaseMs`): below the visibility timeout. */
export const SENDER_LEASE = Duration.minutes(5);

/** What the stack configures for one rate. */
export interface SendCapacity {
  /** Messages per second over all senders (with paid broadcast: the paid rate). */
  readonly ratePerSecond: number;
  /** Of them, free (Telegram's free bulk rate, the stage's alertRate). */
  readonly freeRatePerSecond: number;
  /** The SQS event source's MaximumConcurrency: sender instances at once. */
  readonly maxConcurrency: number;
  /** Each instance's pacer: the rate less the channel poster's share, over `maxConcurrency`. */
  readonly perInstanceRate: number;
  readonly perInstanceFreeRate: number;
  /** The channel poster's own pacer (1/s of the free rate): never paid. */
  readonly channelPosterRate: number;
  /** Recipients each instance handles at once (the sender's `concurrency`). */
  readonly inFlightPerInstance: number;
  /** SQS messages per invocation (each up to 50 recipients). */
  readonly batchSize: number;
  /** The event source's batching window: SQS requires one (≥ 1 s) for batches above 10. */
  readonly maxBatchingWindow?: Duration;
  /** Seconds one invocation's batch takes at the instance's rate. */
  readonly batchSeconds: number;
  readonly senderTimeout: Duration;
  readonly memoryMb: number;
  readonly visibilityTimeout: Duration;
}

/**
 * The capacity for a rate.
 *
 * - MaximumConcurrency = ⌈rate / 50⌉, at least 2 (25/s → 2; 1,000/s → 20);
 * - per-instance rate = (rate − the channel poster's 1/s) / MaximumConcurrency (≤ 50/s), so the
 *   senders' sum and the poster's never exceed the rate;
 * - in flight = ⌈per-instance rate × 1 s⌉, from 8 to 256;
 * - memory: the smallest of 256/512/1,024/1,769 MB at which the CPU is at most half busy;
 * - batch size = ⌊15 s × per-instance rate / 50⌋, at least 1 (12.5/s → 3 messages = 12 s;
 *   50/s → 15 messages = 15 s; see BATCH_SECONDS for why 15 s), well inside the 60 s timeout.
 *   Above 10, SQS needs a batching window: 1 s, which a busy queue fills at once;
 * - visibility = 6 × 60 s = 360 s, above the 5-minute claim lease (a recipient claimed by a
 *   crashed sender is settled by the redelivery, which comes after the lease ran out).
 *
 * @throws RangeError on rates outside 1–1,000 or a free rate above the rate.
 */
export function sendCapacity(ratePerSecond: number, freeRatePerSecond = ratePerSecond): SendCapacity {
  if (!Number.isInteger(ratePerSecond) || ratePerSecond < 1 || ratePerSecond > 1000)
    throw new RangeError(`rate must be a whole number from 1 to 1000, got ${ratePerSecond}`);
  if (!(freeRatePerSecond >= 1 && freeRatePerSecond <= ratePerSecond))
    throw new RangeError(`free rate must be from 1 to the rate (${ratePerSecond}), got ${freeRatePerSecond}`);
  const maxConcurrency = Math.max(MIN_CONCURRENCY, Math.ceil(ratePerSecond / PER_INSTANCE_MAX_RATE));
  // The channel poster's share comes off the top (functions/alerts/pacer.ts, channelPosterRate).
  const perInstanceRate = alertSendersRate(ratePerSecond) / maxConcurrency;
  const batchSize = Math.max(1, Math.floor((BATCH_SECONDS * perInstanceRate) / RECIPIENTS_PER_MESSAGE));
  const visibilityTimeout = Duration.seconds(SENDER_TIMEOUT.toSeconds() * VISIBILITY_FACTOR);
  if (SENDER_LEASE.toSeconds() >= visibilityTimeout.toSeconds())
    throw new RangeError('the claim lease must end before the queue redelivers');
  return {
    ratePerSecond,
    freeRatePerSecond,
    maxConcurrency,
    perInstanceRate,
    perInstanceFreeRate: alertSendersRate(freeRatePerSecond) / maxConcurrency,
    channelPosterRate: channelPosterRate(freeRatePerSecond),
    inFlightPerInstance: Math.min(256, Math.max(8, Math.ceil(perInstanceRate * IN_FLIGHT_SECONDS))),
    batchSize,
    ...(batchSize > 10 ? { maxBatchingWindow: Duration.seconds(1) } : {}),
    batchSeconds: (batchSize * RECIPIENTS_PER_MESSAGE) / perInstanceRate,
    senderTimeout: SENDER_TIMEOUT,
    memoryMb: senderMemoryMb(perInstanceRate),
    visibilityTimeout,
  };
}
