/**
 * The rules of polling, as pure functions of the source's state and the clock: which items
 * alert, when a failing source is polled again, and how the state moves after each outcome.
 */
import type { FeedSource, FeedSourceState } from './types';

export interface PollPolicy {
  /** Items read per poll; a feed with more gives its newest (default 200). */
  maxItemsPerPoll: number;
  /**
   * How far before the previous successful poll an unseen item may be dated and still alert
   * (default 2 h): a CMS or a CDN can publish an item into the feed a while after its date.
   */
  alertGraceMs: number;
  /** First delay after a second consecutive failure, doubled per failure (default 10 min). */
  backoffBaseMs: number;
  /** Longest delay between polls of a failing source (default 6 h). */
  backoffMaxMs: number;
  /** Longest Retry-After obeyed (default 24 h). */
  retryAfterMaxMs: number;
  /** Item problems kept on the source (default 5). */
  maxItemErrors: number;
  /** Learned author names kept per source, the most recent (default 500): a feed that invents names cannot grow the state. */
  maxLearnedAuthors: number;
}

export const DEFAULT_POLL_POLICY: PollPolicy = {
  maxItemsPerPoll: 200,
  alertGraceMs: 2 * 3600_000,
  backoffBaseMs: 10 * 60_000,
  backoffMaxMs: 6 * 3600_000,
  retryAfterMaxMs: 24 * 3600_000,
  maxItemErrors: 5,
  maxLearnedAuthors: 500,
};

/** Longest failure reason kept: parser messages quote the document (a tag name), which is the feed's to make long. */
const MAX_REASON = 300;

/**
 * Whether a new item alerts subscribers. Never on the source's first successful poll (a newly
 * added feed stores its backlog silently), never when the source's alerts are off, and never
 * for an item dated before the first successful poll or well before the previous one (an old
 * item re-published, or one that surfaced late). Changed items never alert: callers ask
 * only for new ones.
 */
export function shouldAlert(args: {
  alerts: boolean;
  /** The state before this poll. */
  state: Pick<FeedSourceState, 'firstSuccessAt' | 'lastSuccessAt'>;
  publishedAt: string;
  policy?: Pick<PollPolicy, 'alertGraceMs'>;
}): boolean {
  const { alerts, state, publishedAt } = args;
  if (!alerts || state.firstSuccessAt === undefined) return false;
  const published = Date.parse(publishedAt);
  if (published < Date.parse(state.firstSuccessAt)) return false;
  const grace = args.policy?.alertGraceMs ?? DEFAULT_POLL_POLICY.alertGraceMs;
  const last = state.lastSuccessAt === undefined ? undefined : Date.parse(state.lastSuccessAt);
  return last === undefined || published >= last - grace;
}

/** Whether a source should be polled now (its backoff or Retry-After has passed). */
export function isDue(source: Pick<FeedSource, 'state'>, now: Date): boolean {
  const after = source.state.nextPollAfter;
  return after === undefined || Date.parse(after) <= now.getTime();
}

/** Delay before the next poll after `failures` consecutive failures (the first retries at the next scheduled poll). */
export function backoffDelayMs(
  failures: number,
  retryAfterMs: number | undefined,
  policy = DEFAULT_POLL_POLICY,
): number {
  const backoff =
    failures <= 1 ? 0 : Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** (failures - 2));
  const asked = retryAfterMs === undefined ? 0 : Math.min(retryAfterMs, policy.retryAfterMaxMs);
  return Math.max(backoff, asked);
}

/** The state after a whole-feed failure (fetch or parse): the reason recorded, the next poll put off. */
export function afterFailure(
  state: FeedSourceState,
  now: Date,
  reason: string,
  retryAfterMs?: number,
  policy = DEFAULT_POLL_POLICY,
): FeedSourceState {
  const at = now.toISOString();
  const failures = state.consecutiveFailures + 1;
  const delay = backoffDelayMs(failures, retryAfterMs, policy);
  const next: FeedSourceState = {
    ...state,
    lastAttemptAt: at,
    lastError: { at, reason: reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason },
    failingSince: state.failingSince ?? at,
    consecutiveFailures: failures,
  };
  if (delay > 0) next.nextPollAfter = new Date(now.getTime() + delay).toISOString();
  else delete next.nextPollAfter;
  return next;
}

/** The state after a successful poll (a 304 included): healthy again, validators and window updated. */
export function afterSuccess(
  state: FeedSourceState,
  now: Date,
  changes: Partial<FeedSourceState>,
): FeedSourceState {
  const at = now.toISOString();
  const next: FeedSourceState = {
    ...state,
    ...changes,
    lastAttemptAt: at,
    lastSuccessAt: at,
    firstSuccessAt: state.firstSuccessAt ?? at,
    consecutiveFailures: 0,
  };
  delete next.failingSince;
  delete next.nextPollAfter;
  return next;
}

/**
 * What the caller does when storing some of a poll's items or authors failed: forget them,
 * and the validators, so the next poll fetches the whole feed again and retries them (a 304
 * would otherwise hide them forever). Learned names pointing at an author that was not
 * created are forgotten too.
 */
export function markFailed(
  state: FeedSourceState,
  failed: { articleIds?: readonly string[]; authorHandles?: readonly string[] },
): FeedSourceState {
  const seen = { ...state.seen };
  for (const id of failed.articleIds ?? []) delete seen[id];
  const badHandles = new Set(failed.authorHandles ?? []);
  const learnedAuthors = Object.fromEntries(
    Object.entries(state.learnedAuthors).filter(([, handle]) => !badHandles.has(handle)),
  );
  const next: FeedSourceState = { ...state, seen, learnedAuthors };
  delete next.etag;
  delete next.lastModified;
  delete next.contentHash;
  return next;
}

/** How long the source has been failing (0 while healthy): the "failed for an hour" metric. */
export function failingForMs(state: Pick<FeedSourceState, 'failingSince'>, now: Date): number {
  return state.failingSince === undefined ? 0 : Math.max(0, now.getTime() - Date.parse(state.failingSince));
}

/**
 * How stale `lastSuccessAt` may grow while a feed keeps answering "not modified" before the
 * state is saved anyway: an unchanged feed costs no write on most polls, and the alert grace
 * (2 h, measured from the last saved success) stays meaningful.
 */
export const UNCHANGED_SAVE_EVERY_MS = 3600_000;

/**
 * Whether a poll's new state must be written. Not after an unchanged poll (304 or the same
 * bytes) of a healthy source whose validators did not move and whose last saved success is
 * recent: such a save would only move timestamps.
 */
export function stateNeedsSave(
  before: FeedSourceState,
  after: FeedSourceState,
  outcome: 'updated' | 'not-modified' | 'failed',
  now: Date,
): boolean {
  if (outcome !== 'not-modified' || before.consecutiveFailures !== 0) return true;
  const same = (k: 'etag' | 'lastModified' | 'contentHash' | 'movedTo') => before[k] === after[k];
  if (!same('etag') || !same('lastModified') || !same('contentHash') || !same('movedTo')) return true;
  const last = before.lastSuccessAt === undefined ? Number.NaN : Date.parse(before.lastSuccessAt);
  return !(now.getTime() - last < UNCHANGED_SAVE_EVERY_MS);
}

export { feedUrlProblem } from '../core/feed-sources';
