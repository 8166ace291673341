import {
  type Clock,
  FloodDetector,
  Pacer,
  PacerDeadlineError,
  perInstanceRate,
} from '../../../functions/alerts/pacer';

/** A clock that only moves when the test says so; `sleep` resolves when it passes the wake time. */
class FakeClock implements Clock {
  private t = 0;
  private timers: Array<{ at: number; resolve: () => void }> = [];

  now(): number {
    return this.t;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.timers.push({ at: this.t + Math.max(0, ms), resolve }));
  }

  /** Moves to `target`, firing timers in order and letting the woken code run after each. */
  async advanceTo(target: number): Promise<void> {
    for (;;) {
      await flush();
      const due = this.timers.filter((x) => x.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.t = Math.max(this.t, due.at);
      this.timers = this.timers.filter((x) => x !== due);
      due.resolve();
    }
    this.t = target;
    await flush();
  }
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Starts `n` acquisitions and records the clock time each was granted. */
function acquireMany(
  pacer: Pacer,
  clock: FakeClock,
  n: number,
  deadline?: number,
): { times: number[]; errors: Error[] } {
  const times: number[] = [];
  const errors: Error[] = [];
  for (let i = 0; i < n; i++) {
    pacer.acquire(deadline).then(
      () => times.push(clock.now()),
      (err: Error) => errors.push(err),
    );
  }
  return { times, errors };
}

/** The most grants inside any window [t, t + windowMs). */
function maxInWindow(times: readonly number[], windowMs: number): number {
  let best = 0;
  for (let i = 0; i < times.length; i++) {
    const start = times[i] as number;
    best = Math.max(best, times.filter((t) => t >= start && t < start + windowMs).length);
  }
  return best;
}

describe('Pacer', () => {
  it('grants at the configured rate over a window, however many callers wait', async () => {
    // Prepare
    const clock = new FakeClock();
    const pacer = new Pacer({ ratePerSecond: 25, clock });

    // Act
    const { times } = acquireMany(pacer, clock, 500);
    await clock.advanceTo(10_000);

    // Assess: 25/s for 10 s, and never more than 25 (+1 at a window edge) in any second.
    expect(times.length).toBeGreaterThanOrEqual(250);
    expect(times.length).toBeLessThanOrEqual(251);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(26);
    expect(pacer.waiting).toBe(500 - times.length);
  });

  it('allows a short burst at high rates but keeps the rate over a second', async () => {
    // Prepare
    const clock = new FakeClock();
    const pacer = new Pacer({ ratePerSecond: 1000, clock });

    // Act
    const { times } = acquireMany(pacer, clock, 3000);
    await clock.advanceTo(2000);

    // Assess: the first 20 (20 ms worth) go at once; then one per millisecond.
    expect(times.filter((t) => t === 0)).toHaveLength(20);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(1000 + 20 + 1);
    expect(times.length).toBeGreaterThanOrEqual(2000);
  });

  it('grants in call order', async () => {
    // Prepare
    const clock = new FakeClock();
    const pacer = new Pacer({ ratePerSecond: 10, clock });
    const order: number[] = [];

    // Act
    for (let i = 0; i < 5; i++) void pacer.acquire().then(() => order.push(i));
    await clock.advanceTo(1000);

    // Assess
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('pauses every caller for retry_after and resumes at the rate afterwards', async () => {
    // Prepare
    const clock = new FakeClock();
    const pacer = new Pacer({ ratePerSecond: 10, clock });
    const { times } = acquireMany(pacer, clock, 100);
    await clock.advanceTo(250);
    const beforePause = times.length;

    // Act: a 429 with retry_after 2 at t = 250 ms.
    pacer.pause(2000);
    await clock.advanceTo(2249);
    const duringPause = times.length - beforePause;
    await clock.advanceTo(3249);

    // Assess
    expect(beforePause).toBe(3); // t = 0, 100, 200
    expect(duringPause).toBe(0);
    expect(pacer.pausedUntil).toBe(2250);
    expect(times.slice(beforePause, beforePause + 3)).toEqual([2250, 2350, 2450]);
    expect(times.length - beforePause).toBe(10);
  });

  it('never shortens a pause already in force', async () => {
    // Prepare
    const clock = new FakeClock();
    const pacer = new Pacer({ ratePerSecond: 10, clock });

    // Act
    pacer.pause(3000);
    pacer.pause(500);
    const { times } = acquireMany(pacer, clock, 1);
    await clock.advanceTo(2999);
    const early = times.length;
    await clock.advanceTo(3000);

    // Assess
    expect(pacer.pausedUntil).toBe(3000);
    expect(pacer.pauses).toBe(1);
    expect(early).toBe(0);
    expect(times).toEqual([3000]);
  });

  it('rejects a caller whose slot would come after its deadline, and serves the next', async () => {
    // Prepare
    const clock = new FakeClock();
    const pacer = new Pacer({ ratePerSecond: 10, clock });
    pacer.pause(5000);

    // Act
    const late = acquireMany(pacer, clock, 1, 1000);
    const patient = acquireMany(pacer, clock, 1);
    await clock.advanceTo(5000);

    // Assess
    expect(late.times).toEqual([]);
    expect(late.errors[0]).toBeInstanceOf(PacerDeadlineError);
    expect(patient.times).toEqual([5000]);
  });

  it('refuses a rate that is not positive', () => {
    // Act / Assess
    expect(() => new Pacer({ ratePerSecond: 0 })).toThrow(RangeError);
    expect(() => new Pacer({ ratePerSecond: Number.NaN })).toThrow(RangeError);
  });
});

describe('Pacer with paid broadcast', () => {
  it('grants paid slots above the free rate to callers that may pay, and only free slots to the rest', async () => {
    // Prepare: 100/s in all, of which 10/s free.
    const clock = new FakeClock();
    const pacer = new Pacer({ ratePerSecond: 100, freeRatePerSecond: 10, clock });
    const grants: Array<{ at: number; paid: boolean }> = [];
    for (let i = 0; i < 300; i++) {
      void pacer
        .acquire(undefined, { paid: true })
        .then((g) => grants.push({ at: clock.now(), paid: g.paid }));
    }

    // Act
    await clock.advanceTo(3000);

    // Assess: the total rate holds; a second of free slots comes at once (Telegram's free
    // allowance refills like a bucket of one second), then 10 of each second's grants are free.
    const firstSecond = grants.filter((g) => g.at < 1000);
    expect(firstSecond.length).toBeGreaterThanOrEqual(99);
    expect(firstSecond.length).toBeLessThanOrEqual(103);
    expect(firstSecond.slice(0, 10).every((g) => !g.paid)).toBe(true);
    const later = grants.filter((g) => g.at >= 1000 && g.at < 3000);
    const free = later.filter((g) => !g.paid).length;
    expect(free).toBeGreaterThanOrEqual(19);
    expect(free).toBeLessThanOrEqual(21);
    expect(pacer.paidGranted).toBe(grants.filter((g) => g.paid).length);
  });

  it('holds a caller that may not pay to the free rate', async () => {
    // Prepare
    const clock = new FakeClock();
    const pacer = new Pacer({ ratePerSecond: 100, freeRatePerSecond: 10, clock });
    const grants: boolean[] = [];
    for (let i = 0; i < 50; i++) void pacer.acquire().then((g) => grants.push(g.paid));

    // Act
    await clock.advanceTo(2000);

    // Assess: a second's worth at once, then 10/s.
    expect(grants.length).toBeGreaterThanOrEqual(29);
    expect(grants.length).toBeLessThanOrEqual(31);
    expect(grants.every((paid) => !paid)).toBe(true);
  });

  it('never calls a grant paid without a free rate below the total', async () => {
    // Prepare
    const clock = new FakeClock();
    const pacer = new Pacer({ ratePerSecond: 50, clock });
    const grants: boolean[] = [];
    for (let i = 0; i < 60; i++)
      void pacer.acquire(undefined, { paid: true }).then((g) => grants.push(g.paid));

    // Act
    await clock.advanceTo(1200);

    // Assess
    expect(grants.length).toBeGreaterThan(50);
    expect(grants.some((paid) => paid)).toBe(false);
  });
});

describe('perInstanceRate', () => {
  it('splits the global rate over the sender instances that may run at once', () => {
    // Act / Assess
    expect(perInstanceRate(25, 2)).toBe(12.5);
    expect(perInstanceRate(1000, 1)).toBe(1000);
    expect(() => perInstanceRate(25, 0)).toThrow(RangeError);
  });
});

describe('FloodDetector', () => {
  it('does not call a lone 429 among successes a flood', () => {
    // Prepare
    const detector = new FloodDetector(20, 0.5);
    const answers = Array.from({ length: 400 }, (_, i) => i % 20 === 0);

    // Act
    const floods = answers.filter((limited) => detector.record(limited));

    // Assess
    expect(floods).toEqual([]);
  });

  it('calls it a flood when most recent answers are 429s, once per flood', () => {
    // Prepare
    const detector = new FloodDetector(20, 0.5);

    // Act
    const verdicts = Array.from({ length: 12 }, () => detector.record(true));

    // Assess: the 10th 429 of the window trips it; the window starts over after that.
    expect(verdicts.indexOf(true)).toBe(9);
    expect(verdicts.filter(Boolean)).toHaveLength(1);
  });

  it('with a window of one, every 429 pauses everyone', () => {
    // Prepare
    const detector = new FloodDetector(1, 1);

    // Act / Assess
    expect([detector.record(false), detector.record(true), detector.record(true)]).toEqual([
      false,
      true,
      true,
    ]);
  });
});
