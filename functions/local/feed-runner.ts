/**
 * The local side of feed ingest: the fetcher this machine polls with, and the background
 * poller `npm start` runs on the same schedule as the Lambda (HERALD_FEED_POLL_MINUTES,
 * default 10). The poller never blocks the chat: polls run in the background, one at a time,
 * and `stop()` waits for the one in flight.
 */
import { createHttpFetcher, type FeedFetcher, heraldUserAgent } from '../ingest/fetch-feed';
import { type IngestDeps, type IngestReport, ingestDueSources } from '../ingest/ingest-sources';

/** Minutes between polls by default, as on AWS (`-c feedPollMinutes`). */
export const DEFAULT_FEED_POLL_MINUTES = 10;

/**
 * Minutes between polls from HERALD_FEED_POLL_MINUTES (1–1440; 0 turns the poller off).
 *
 * @throws Error naming the variable and its rule on any other value.
 */
export function feedPollMinutes(env: NodeJS.ProcessEnv): number {
  const raw = env.HERALD_FEED_POLL_MINUTES?.trim();
  if (raw === undefined || raw === '') return DEFAULT_FEED_POLL_MINUTES;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 1440) {
    throw new Error(
      `HERALD_FEED_POLL_MINUTES must be a whole number of minutes from 0 (off) to 1440, got "${raw}"`,
    );
  }
  return n;
}

/**
 * The HTTP fetcher of this machine. Feeds on private addresses (a Ghost on localhost) only with
 * HERALD_FEED_ALLOW_PRIVATE=1 or `allowPrivate` (a URL the operator typed on the command line).
 */
export function localFeedFetcher(
  env: NodeJS.ProcessEnv,
  opts: { botUsername: string; allowPrivate?: boolean },
): FeedFetcher {
  return createHttpFetcher({
    userAgent: heraldUserAgent(`https://t.me/${opts.botUsername}`),
    allowPrivateAddresses: opts.allowPrivate === true || env.HERALD_FEED_ALLOW_PRIVATE === '1',
  });
}

export interface FeedPoller {
  /** Runs one poll now (after the one in flight, if any). */
  pollNow(): Promise<IngestReport | undefined>;
  /** Stops the schedule and waits for a poll in flight. */
  stop(): Promise<void>;
}

/**
 * Polls every `intervalMs` (the first poll a few seconds after start), never two at a time.
 * A failed run is logged and the schedule goes on.
 */
export function startFeedPoller(opts: {
  deps: () => IngestDeps;
  intervalMs: number;
  firstDelayMs?: number;
  onReport?: (report: IngestReport) => void;
  onError: (err: unknown) => void;
}): FeedPoller {
  let running: Promise<IngestReport | undefined> = Promise.resolve(undefined);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const run = (): Promise<IngestReport | undefined> => {
    // A poll asked for before stop() still runs (stop waits for it); none starts after.
    if (stopped) return Promise.resolve(undefined);
    running = running.then(async () => {
      try {
        const report = await ingestDueSources(opts.deps());
        opts.onReport?.(report);
        return report;
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
      void run().then(() => schedule(opts.intervalMs));
    }, ms);
    // The schedule alone never keeps the process alive.
    timer.unref();
  };
  schedule(opts.firstDelayMs ?? 5_000);
  return {
    pollNow: run,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
