/**
 * The alert sender's pacing: one token bucket per process that every concurrent send takes
 * a slot from, so the process never exceeds its share of Telegram's rate limit however
 * many sends are in flight, and a pause that stops everyone when Telegram says so.
 *
 * Why a share: on AWS the sender function runs at most SENDER_MAX_CONCURRENCY instances at
 * once (the SQS event source's MaximumConcurrency), so each instance paces at
 * `ALERT_RATE_PER_SECOND / SENDER_MAX_CONCURRENCY` and the sum stays under the global cap.
 * See {@link perInstanceRate} and docs/data-model.md ("Alerts").
 *
 * The bucket is a GCRA (generic cell rate algorithm): a theoretical arrival time advances
 * by one interval per grant. Waiters are served first come, first served by a single pump
 * with one timer, so a thousand concurrent waiters cost one timer, not a thousand.
 */

/** Time source; tests pass a fake one. */
export interface Clock {
  /** Milliseconds since some epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds of this clock. */
  sleep(ms: number): Promise<void>;
}

/** The wall clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** A slot could not be granted before the caller's deadline. */
export class PacerDeadlineError extends Error {
  override name = 'PacerDeadlineError';
}

export interface PacerOptions {
  /** Grants per second, e.g. 25 (with paid broadcast, up to Telegram's paid rate). */
  ratePerSecond: number;
  /**
   * Of those, the grants per second that are free (Telegram's free bulk rate, this process's
   * share of it). Absent: every grant is free. Present and below `ratePerSecond`: a caller that
   * allows paid sends gets a free slot when one is due and a paid one otherwise (reported in
   * its {@link Grant}); a caller that does not waits for a free slot.
   */
  freeRatePerSecond?: number;
  /**
   * Grants allowed back to back after an idle spell (default: 20 ms worth of the rate, at
   * least 1). In any window of W ms at most `rate·W/1000 + burst + 1` slots are granted.
   */
  burst?: number;
  clock?: Clock;
}

/** What a caller was granted. */
export interface Grant {
  /** Above the free rate: send with `allow_paid_broadcast` (0.1 Star). */
  paid: boolean;
}

/** How a caller wants its slot. */
export interface AcquireOptions {
  /** May take a paid slot when no free one is due (paid broadcast on, budget left). */
  paid?: boolean;
}

interface Waiter {
  resolve: (grant: Grant) => void;
  reject: (err: Error) => void;
  deadline: number;
  paidAllowed: boolean;
}

/** One GCRA schedule: a theoretical arrival time advancing one interval per grant. */
class Schedule {
  readonly interval: number;
  readonly tolerance: number;
  /** Theoretical arrival time of the next grant (ms). */
  tat = Number.NEGATIVE_INFINITY;

  constructor(ratePerSecond: number, burst: number) {
    this.interval = 1000 / ratePerSecond;
    this.tolerance = (burst - 1) * this.interval;
  }

  /** When the next grant is due. */
  get readyAt(): number {
    return this.tat - this.tolerance;
  }

  /**
   * Takes a grant at `now`. On schedule, or at most one interval late: keep the schedule (the
   * lateness is credited, so a late timer or a busy event loop does not lower the long-run
   * rate — at 25/s that cost 4–5 %). Idle or paused for longer: start a new schedule from now.
   */
  take(now: number): void {
    this.tat = (now - this.tat <= this.interval ? this.tat : now) + this.interval;
  }
}

function burstFor(ratePerSecond: number, burst: number | undefined): number {
  const b = burst ?? Math.max(1, Math.ceil(ratePerSecond / 50));
  if (!Number.isInteger(b) || b < 1) throw new RangeError(`burst must be an integer ≥ 1, got ${b}`);
  return b;
}

/**
 * A token bucket shared by every send of a process, with a pause for 429s.
 *
 * `acquire()` resolves when the caller may send one message; `pause(ms)` stops all grants
 * for `ms` (a longer pause already in force is kept).
 */
export class Pacer {
  readonly ratePerSecond: number;
  /** The free share of the rate (equal to `ratePerSecond` without paid broadcast). */
  readonly freeRatePerSecond: number;
  private readonly total: Schedule;
  /** Undefined when every grant is free. */
  private readonly free: Schedule | undefined;
  private readonly clock: Clock;
  private readonly waiters: Waiter[] = [];
  private pausedUntilMs = Number.NEGATIVE_INFINITY;
  private pumping = false;
  /** Grants so far. */
  granted = 0;
  /** Of them, paid (above the free rate). */
  paidGranted = 0;
  /** Pauses that extended the pause window. */
  pauses = 0;

  /**
   * @throws RangeError when the rate is not a positive finite number or burst is below 1.
   */
  constructor(opts: PacerOptions) {
    if (!Number.isFinite(opts.ratePerSecond) || opts.ratePerSecond <= 0) {
      throw new RangeError(`ratePerSecond must be a positive number, got ${opts.ratePerSecond}`);
    }
    this.ratePerSecond = opts.ratePerSecond;
    this.total = new Schedule(opts.ratePerSecond, burstFor(opts.ratePerSecond, opts.burst));
    const free = opts.freeRatePerSecond;
    if (free !== undefined && (!Number.isFinite(free) || free <= 0))
      throw new RangeError(`freeRatePerSecond must be a positive number, got ${free}`);
    this.freeRatePerSecond = Math.min(free ?? opts.ratePerSecond, opts.ratePerSecond);
    this.free =
      this.freeRatePerSecond < opts.ratePerSecond
        ? // One second of the free rate back to back, as Telegram's free allowance refills (the
          // stand-in's model): the paid count is then Telegram's rule applied to these sends.
          new Schedule(this.freeRatePerSecond, Math.max(1, Math.floor(this.freeRatePerSecond)))
        : undefined;
    this.clock = opts.clock ?? systemClock;
  }

  /** The end of the current pause (ms of the pacer's clock), or -Infinity. */
  get pausedUntil(): number {
    return this.pausedUntilMs;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.waiters.length;
  }

  /**
   * Waits for a slot. Slots are granted in call order.
   *
   * @param deadline clock time after which a slot is of no use: when the next slot for this
   * caller would come later, the promise rejects with {@link PacerDeadlineError} at once.
   * @param opts `paid: true` to accept a paid slot (see {@link PacerOptions.freeRatePerSecond})
   */
  acquire(deadline = Number.POSITIVE_INFINITY, opts: AcquireOptions = {}): Promise<Grant> {
    return new Promise<Grant>((resolve, reject) => {
      this.waiters.push({ resolve, reject, deadline, paidAllowed: opts.paid === true });
      void this.pump();
    });
  }

  /** Stops every grant for `ms` from now (Telegram's retry_after); never shortens a pause. */
  pause(ms: number): void {
    const until = this.clock.now() + Math.max(0, ms);
    if (until > this.pausedUntilMs) {
      this.pausedUntilMs = until;
      this.pauses += 1;
    }
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiters.length > 0) {
        const now = this.clock.now();
        const head = this.waiters[0] as Waiter;
        const free = this.free;
        // A caller that may pay needs only a slot of the total rate; one that may not also
        // needs a free slot. First come, first served either way.
        const readyAt = Math.max(
          this.total.readyAt,
          this.pausedUntilMs,
          free !== undefined && !head.paidAllowed ? free.readyAt : Number.NEGATIVE_INFINITY,
        );
        if (readyAt > head.deadline) {
          this.waiters.shift();
          head.reject(new PacerDeadlineError('no send slot before the deadline'));
          continue;
        }
        if (now < readyAt) {
          // One timer for the head; a pause set meanwhile is seen when it fires.
          await this.clock.sleep(readyAt - now);
          continue;
        }
        this.total.take(now);
        let paid = false;
        if (free !== undefined) {
          if (now >= free.readyAt) free.take(now);
          else paid = true;
        }
        this.granted += 1;
        if (paid) this.paidGranted += 1;
        this.waiters.shift();
        head.resolve({ paid });
      }
    } finally {
      this.pumping = false;
    }
  }
}

/**
 * The channel poster's share of the bot's one Telegram budget (docs/architecture.md, "One
 * Telegram budget"): 1 message/s, or a tenth of a rate below 10/s. Enough: it posts once per
 * channel per article, and a channel takes one message every 3 s anyway. It runs in its own
 * function beside the alert senders, so they share the rest ({@link alertSendersRate}).
 */
export function channelPosterRate(globalRatePerSecond: number): number {
  return Math.min(1, globalRatePerSecond / 10);
}

/** What the alert senders share of a rate: all but the channel poster's share. */
export function alertSendersRate(globalRatePerSecond: number): number {
  return globalRatePerSecond - channelPosterRate(globalRatePerSecond);
}

/**
 * The rate one sender instance paces at: the global cap split evenly over the instances
 * that may run at once (the SQS event source's MaximumConcurrency).
 */
export function perInstanceRate(globalRatePerSecond: number, maxConcurrency: number): number {
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
    throw new RangeError(`maxConcurrency must be an integer ≥ 1, got ${maxConcurrency}`);
  }
  return globalRatePerSecond / maxConcurrency;
}

/**
 * Decides when a 429 means "the whole bot is flooding" (pause everyone) rather than "this
 * one request was refused" (retry that request after retry_after).
 *
 * Why not pause everyone on every 429: a 429 does not say which limit was hit. If the
 * answers to a window of recent sends are mostly 429s, the bot is over its global limit
 * and every send should stop; a lone 429 among successes (a per-chat limit, or Telegram's
 * own hiccup) only delays that recipient. Pausing everyone for each lone 429 would cost
 * `retry_after` of the whole pipeline per occurrence: with 5 % of chats answering 429 with
 * retry_after 2 s, 10,000 alerts at 25/s would take ~1,400 s instead of ~400 s.
 * `window: 1, ratio: 1` restores "every 429 pauses everyone".
 */
export class FloodDetector {
  private readonly recent: boolean[] = [];
  private readonly window: number;
  private readonly threshold: number;

  /**
   * @param window how many recent answers to look at (default 20)
   * @param ratio share of 429s in that window that means a flood (default 0.5)
   */
  constructor(window = 20, ratio = 0.5) {
    if (!Number.isInteger(window) || window < 1)
      throw new RangeError(`window must be an integer ≥ 1, got ${window}`);
    if (!(ratio > 0 && ratio <= 1)) throw new RangeError(`ratio must be in (0, 1], got ${ratio}`);
    this.window = window;
    this.threshold = Math.ceil(window * ratio);
  }

  /** Records one answer; true when this 429 should pause every send. */
  record(rateLimited: boolean): boolean {
    this.recent.push(rateLimited);
    if (this.recent.length > this.window) this.recent.shift();
    if (!rateLimited) return false;
    const limited = this.recent.reduce((n, r) => n + (r ? 1 : 0), 0);
    if (limited < this.threshold) return false;
    // Forget the flood that triggered this pause, so its tail does not extend it again.
    this.recent.length = 0;
    return true;
  }
}
