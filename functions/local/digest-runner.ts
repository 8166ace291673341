/**
 * The local side of the digest schedule: `npm start` runs the same scheduler code as the
 * digest Lambda (alerts/digest-scheduler.ts) on a timer, once a minute (the scheduler itself
 * decides which 15-minute slots are due, and catches up slots missed while Herald was stopped),
 * and drains the queue after each run. Never two runs at a time; `stop()` waits for one in flight.
 */
import type { DigestSlotsResult } from '../alerts/digest-scheduler';

export interface DigestLoop {
  /** Runs the due slots now (after a run in flight, if any). */
  runNow(): Promise<DigestSlotsResult | undefined>;
  stop(): Promise<void>;
}

/** Starts the loop: `run` every `intervalMs` (the first after `firstDelayMs`); failures are logged by `onError`. */
export function startDigestLoop(opts: {
  run: () => Promise<DigestSlotsResult | undefined>;
  intervalMs?: number;
  firstDelayMs?: number;
  onError: (err: unknown) => void;
}): DigestLoop {
  let running: Promise<DigestSlotsResult | undefined> = Promise.resolve(undefined);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const run = (): Promise<DigestSlotsResult | undefined> => {
    if (stopped) return Promise.resolve(undefined);
    running = running.then(async () => {
      try {
        return await opts.run();
      } catch (err) {
        opts.onError(err);
        return undefined;
      }
    });
    return running;
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      void run().then(() => schedule(opts.intervalMs ?? 60_000));
    }, ms);
    // The schedule alone never keeps the process alive.
    timer.unref();
  };
  schedule(opts.firstDelayMs ?? 10_000);
  return {
    runNow: run,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
