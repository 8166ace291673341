/**
 * Feed sources as the domain sees them: what an admin configures for a feed, the polling
 * state kept between polls, the source's stable id, and the rule for which URLs may be
 * sources. Declared here (not in functions/ingest/) because the store, the admin API and the
 * bot's /feeds all speak of sources, and none of them may import the ingest feature.
 */
/** What an admin configures for a feed (admin API, CLI, bot). */
export interface FeedSourceConfig {
  /** The feed's URL (http(s)). */
  url: string;
  /**
   * Herald handle every item is attributed to, unless {@link authorMap} names its author.
   * Without it, unknown authors are created from the feed's names.
   */
  defaultAuthor?: string;
  /** The feed's author name or e-mail (any case) → a Herald handle. */
  authorMap?: Readonly<Record<string, string>>;
  /** Whether new items alert subscribers (`--no-alerts` turns it off). */
  alerts: boolean;
}

/** What Herald remembers about an item it has stored. */
export interface SeenItem {
  /** Fingerprint of the mapped article: equal means unchanged, nothing to write. */
  h: string;
  /** The date used for an item whose feed gives none (or a future one): kept so it stays stable. */
  t?: string;
}

/** A poll's failure, readable by a person ("HTTP 404 Not Found", "timed out after 10 s"). */
export interface FeedError {
  at: string;
  reason: string;
}

/** Polling state, persisted with the source and handed back to the next poll. */
export interface FeedSourceState {
  etag?: string;
  lastModified?: string;
  /** SHA-256 of the last body parsed: an unchanged body is not parsed again, even without a 304. */
  contentHash?: string;
  /** The first successful poll: items dated before it are stored without alerting. */
  firstSuccessAt?: string;
  lastSuccessAt?: string;
  lastAttemptAt?: string;
  /** The latest whole-feed failure (kept after recovery, for the record). */
  lastError?: FeedError;
  /** Start of the current run of failures (undefined while healthy): the "failing for an hour" alarm reads it. */
  failingSince?: string;
  consecutiveFailures: number;
  /** Do not poll before this time (backoff after failures, or the server's Retry-After). */
  nextPollAfter?: string;
  /** Items the last poll could not take (no guid or link, empty content), as sentences; at most a few. */
  itemErrors: string[];
  /**
   * The items seen: those in the feed's current window, by article id. Only the window is
   * kept (bounded by the per-poll item cap); an item that left and comes back is recognised
   * by the store (same id: an update, never a second alert).
   */
  seen: Record<string, SeenItem>;
  /** Authors Herald created or matched for this feed's names (normalised name/e-mail → handle). */
  learnedAuthors: Record<string, string>;
  /** Set when the feed answered with a permanent redirect: the URL to store instead. */
  movedTo?: string;
}

/** A configured feed and its state. */
export interface FeedSource extends FeedSourceConfig {
  state: FeedSourceState;
}

/** A fresh state for a newly added source. */
export function newFeedSourceState(): FeedSourceState {
  return { consecutiveFailures: 0, itemErrors: [], seen: {}, learnedAuthors: {} };
}

/** A source as stored: its config and state, whether it is paused, and the state's version. */
export interface StoredFeedSource extends FeedSource {
  /** Derived from the normalised URL by the store (FeedSourceRepositoryPort.idFor): its key, and the admin API's. */
  id: string;
  /** A paused source is listed but never polled. */
  paused: boolean;
  createdAt: string;
  /**
   * Raised by every state save, which is conditional on it: of two polls that read the same
   * version, only the first saves (the other's writes are idempotent and its state is dropped).
   */
  stateVersion: number;
}

/** A change an admin makes to a source; `null` clears an optional field. */
export interface FeedSourcePatch {
  paused?: boolean;
  alerts?: boolean;
  defaultAuthor?: string | null;
  authorMap?: Readonly<Record<string, string>> | null;
}

/** A source id: 22 characters of base64url. */
export const FEED_SOURCE_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** The URL in one spelling (`HTTPS://Example.com/feed` and `https://example.com/feed` are one source). */
export function normalizeFeedUrl(url: string): string {
  return new URL(url.trim()).href;
}

/** Why a URL cannot be a feed source, for a person or a 400 naming the `url` field; undefined when it can. */
export function feedUrlProblem(input: string): string | undefined {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return 'must be an http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http(s) URL';
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password';
  if (url.href.length > 2048) return 'must be at most 2048 characters';
  return undefined;
}
