/**
 * Time to reach readers: when each recipient of an alert run had its message, kept as a
 * histogram of offsets from the run's start with a bounded number of buckets, so the run's
 * bookkeeping never grows with the audience and is written with the per-batch tally that
 * exists anyway (no write per message).
 *
 * Buckets: 100 ms wide for the first 2 s (a small run's first message is reported to a tenth
 * of a second), then each bucket 3 % wider than the one before. A quantile is interpolated
 * inside its bucket, so it is off by at most 3 % of its value (under 1.5 % typically). Offsets
 * beyond 7 days fall in the last bucket: at most {@link MAX_BUCKET} + 1 buckets, whatever the
 * audience or the duration (a 17-minute run of a million recipients fills about 230 of them).
 */

/** Width of the linear buckets (ms). */
const LINEAR_WIDTH_MS = 100;
/** Linear buckets before the geometric ones start. */
const LINEAR_BUCKETS = 20;
/** Where the geometric buckets start (ms). */
const GEOMETRIC_START_MS = LINEAR_WIDTH_MS * LINEAR_BUCKETS;
/** Each geometric bucket is this much wider than the one before. */
const GROWTH = 1.03;
const LOG_GROWTH = Math.log(GROWTH);
/** Offsets beyond this share the last bucket. */
const MAX_OFFSET_MS = 7 * 86_400_000;

/** The highest bucket index (offsets of 7 days and more). */
export const MAX_BUCKET =
  LINEAR_BUCKETS + Math.floor(Math.log(MAX_OFFSET_MS / GEOMETRIC_START_MS) / LOG_GROWTH);

/** Bucket index → recipients whose message went out in that bucket's span. */
export type DeliveryHistogram = Map<number, number>;

/**
 * The bucket of an offset from the run's start.
 *
 * @param offsetMs milliseconds since the run started; negative (clock skew between the
 * machine that started the run and the one that sent) counts as 0.
 */
export function bucketOf(offsetMs: number): number {
  const ms = Number.isFinite(offsetMs) ? Math.max(0, offsetMs) : MAX_OFFSET_MS;
  if (ms < GEOMETRIC_START_MS) return Math.floor(ms / LINEAR_WIDTH_MS);
  const b = LINEAR_BUCKETS + Math.floor(Math.log(ms / GEOMETRIC_START_MS) / LOG_GROWTH);
  return Math.min(b, MAX_BUCKET);
}

/** Where bucket `b` starts (ms from the run's start). */
export function bucketStart(b: number): number {
  if (b <= LINEAR_BUCKETS) return b * LINEAR_WIDTH_MS;
  return GEOMETRIC_START_MS * GROWTH ** (b - LINEAR_BUCKETS);
}

/** Where bucket `b` ends (exclusive). */
export function bucketEnd(b: number): number {
  return bucketStart(b + 1);
}

/** Adds one recipient's send time to a histogram. */
export function recordDelivery(hist: DeliveryHistogram, offsetMs: number): void {
  const b = bucketOf(offsetMs);
  hist.set(b, (hist.get(b) ?? 0) + 1);
}

/** What the delivery report says about timing, in ms from the run's start. */
export interface DeliveryTimes {
  /** When the first message went out (the start of its bucket). */
  firstMs: number;
  /** When the last message went out (the end of its bucket). */
  lastMs: number;
  /** When 50 %, 90 % and 99 % of the recipients who were sent the message had it. */
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
}

/**
 * First, last and the 50/90/99 % times of a run's histogram; undefined when nothing was sent.
 * The percentages are of the recipients whose message went out (`sent`): blocked and failed
 * recipients never have it and are reported beside these times.
 */
export function deliveryTimes(hist: DeliveryHistogram): DeliveryTimes | undefined {
  const buckets = [...hist.entries()].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);
  const total = buckets.reduce((sum, [, n]) => sum + n, 0);
  const first = buckets[0];
  const last = buckets[buckets.length - 1];
  if (total === 0 || first === undefined || last === undefined) return undefined;
  const at = (share: number): number => {
    const rank = share * total;
    let before = 0;
    for (const [b, n] of buckets) {
      if (before + n >= rank) {
        const start = bucketStart(b);
        // Linear inside the bucket: the rank-th message of n spread evenly over its span.
        return start + ((bucketEnd(b) - start) * (rank - before)) / n;
      }
      before += n;
    }
    return bucketEnd(last[0]);
  };
  return {
    firstMs: bucketStart(first[0]),
    lastMs: bucketEnd(last[0]),
    p50Ms: at(0.5),
    p90Ms: at(0.9),
    p99Ms: at(0.99),
  };
}

/**
 * A duration for a report: `850 ms`, `12.4 s`, `3 min 05 s`, `1 h 02 min`.
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const totalSeconds = Math.round(s);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** `Reached 50 % in 4.1 s · 90 % in 7.6 s · 99 % in 8.3 s (first 100 ms, last 8.5 s)` (admin texts). */
export function describeDeliveryTimes(t: DeliveryTimes): string {
  const d = formatDuration;
  return `Reached 50 % in ${d(t.p50Ms)} · 90 % in ${d(t.p90Ms)} · 99 % in ${d(t.p99Ms)} (first ${d(t.firstMs)}, last ${d(t.lastMs)})`;
}

/** Telegram's price of one message sent above the free rate with `allow_paid_broadcast`. */
export const STARS_PER_PAID_MESSAGE = 0.1;

/** Stars for `messages` paid messages, without floating-point dust (0.1 × 3 = 0.3). */
export function starsFor(messages: number): number {
  return Math.round(messages * STARS_PER_PAID_MESSAGE * 10) / 10;
}
