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
  /** Grants per second, e.g. 25. */
  ratePerSecond: number;
  /**
   * Grants allowed back to back after an idle spell (default: 20 ms worth of the rate, at
   * least 1). In any window of W ms at most `rate·W/1000 + burst + 1` slots are granted.
   */
  burst?: number;
  clock?: Clock;
}

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
  deadline: number;
}

/**
 * A token bucket shared by every send of a process, with a pause for 429s.
 *
 * `acquire()` resolves when the caller may send one message; `pause(ms)` stops all grants
 * for `ms` (a longer pause already in force is kept).
 */
export class Pacer {
  readonly ratePerSecond: number;
  private readonly interval: number;
  private readonly tolerance: number;
  private readonly lateCredit: number;
  private readonly clock: Clock;
  private readonly waiters: Waiter[] = [];
  /** Theoretical arrival time of the next grant (ms). */
  private tat = Number.NEGATIVE_INFINITY;
  private pausedUntilMs = Number.NEGATIVE_INFINITY;
  private pumping = false;
  /** Grants so far. */
  granted = 0;
  /** Pauses that extended the pause window. */
  pauses = 0;

  /**
   * @throws RangeError when the rate is not a positive finite number or burst is below 1.
   */
  constructor(opts: PacerOptions) {
    if (!Number.isFinite(opts.ratePerSecond) || opts.ratePerSecond <= 0) {
      throw new RangeError(`ratePerSecond must be a positive number, got ${opts.ratePerSecond}`);
    }
    const burst = opts.burst ?? Math.max(1, Math.ceil(opts.ratePerSecond / 50));
    if (!Number.isInteger(burst) || burst < 1)
      throw new RangeError(`burst must be an integer ≥ 1, got ${burst}`);
    this.ratePerSecond = opts.ratePerSecond;
    this.interval = 1000 / opts.ratePerSecond;
    this.tolerance = (burst - 1) * this.interval;
    // Crediting lateness keeps the long-run rate at the cap instead of losing, on every
    // grant, how late the timer fired or the next caller arrived (a GC pause, a busy event
    // loop: at 25/s that cost 4–5 %). One interval at most, so it never adds more than one
    // grant to any window.
    this.lateCredit = this.interval;
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
   */
  acquire(deadline = Number.POSITIVE_INFINITY): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject, deadline });
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
        const readyAt = Math.max(this.tat - this.tolerance, this.pausedUntilMs);
        const head = this.waiters[0] as Waiter;
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
        // On schedule, or at most one interval late: keep the schedule. Idle or paused for
        // longer: start a new schedule from now.
        this.tat = (now - this.tat <= this.lateCredit ? this.tat : now) + this.interval;
        this.granted += 1;
        this.waiters.shift();
        head.resolve();
      }
    } finally {
      this.pumping = false;
    }
  }
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
