/**
 * One poll of one feed source: fetch (conditionally), parse, map each item, decide what is
 * new, changed or unchanged and which new items alert, and compute the source's next state.
 * Storage is the caller's: it creates `newAuthors`, publishes `items` in order (new ones with
 * `silent: !alert`), then saves `state` (through {@link markFailed} if some writes failed).
 *
 * Never throws: a failure of this source is its `error` and its state, so one broken feed
 * never stops the poll of the others. One bad item never stops the rest of its feed either.
 */
import { createHash } from 'node:crypto';
import { HANDLE_PATTERN } from '../core/ids';
import type { AuthorInput } from '../core/model';
import { articleIdFor, itemKey } from './article-id';
import { type AuthorLookup, AuthorResolver } from './authors';
import { parseFeedDate } from './dates';
import type { FeedFetcher } from './fetch-feed';
import { htmlToText } from './html-text';
import { assignAuthor, type MappedItem, mapEntry } from './map-entry';
import { parseFeed } from './parse-feed';
import { afterFailure, afterSuccess, DEFAULT_POLL_POLICY, type PollPolicy, shouldAlert } from './poll-state';
import type { FeedEntry, FeedSource, FeedSourceState, ParsedFeed, SeenItem } from './types';

export interface PollDeps {
  fetch: FeedFetcher;
  /** Looks up existing authors, to match or avoid their handles. */
  authors: AuthorLookup;
  /** The clock (defaults to the system's). */
  now?: () => Date;
  policy?: Partial<PollPolicy>;
}

/** A new or changed item, ready for the publishing path. */
export interface IngestItem extends MappedItem {
  change: 'new' | 'changed';
  /** For a new item: publish with `silent: !alert`. Always false for a changed one. */
  alert: boolean;
}

export interface PollResult {
  /**
   * `updated`: the feed was read and `items` holds what is new or changed (possibly nothing);
   * `not-modified`: 304, or the same bytes as last time; `failed`: see `error`.
   */
  outcome: 'updated' | 'not-modified' | 'failed';
  /** Create these first: the items name them. */
  newAuthors: AuthorInput[];
  /** New and changed items, oldest first. */
  items: IngestItem[];
  /** The source's state to save. */
  state: FeedSourceState;
  /** Why the poll failed, for a person (also in `state.lastError`). */
  error?: string;
  /** Items skipped this poll and why, e.g. "item 3 (https://…): no guid or link" (also in `state.itemErrors`). */
  itemErrors: string[];
  /** Per-item adjustments, for logs (no item text). */
  warnings: string[];
  counts: { entries: number; new: number; changed: number; unchanged: number; skipped: number };
}

/** A valid handle standing in until the author is resolved. */
const PENDING_AUTHOR = 'pending_author';

const EMPTY_COUNTS = { entries: 0, new: 0, changed: 0, unchanged: 0, skipped: 0 };

/** Polls one source. See the module comment for the caller's part. */
export async function pollFeed(source: FeedSource, deps: PollDeps): Promise<PollResult> {
  const now = (deps.now ?? (() => new Date()))();
  const policy = { ...DEFAULT_POLL_POLICY, ...deps.policy };
  const state = source.state;
  const fail = (reason: string, retryAfterMs?: number): PollResult => {
    const next = afterFailure(state, now, reason, retryAfterMs, policy);
    return {
      outcome: 'failed',
      newAuthors: [],
      items: [],
      state: next,
      error: next.lastError?.reason ?? reason,
      itemErrors: [],
      warnings: [],
      counts: EMPTY_COUNTS,
    };
  };
  try {
    const fetched = await deps.fetch({
      url: source.url,
      ...(state.etag ? { etag: state.etag } : {}),
      ...(state.lastModified ? { lastModified: state.lastModified } : {}),
    });
    if (fetched.status === 'failed') return fail(fetched.reason, fetched.retryAfterMs);
    const movedTo = fetched.movedTo ? { movedTo: fetched.movedTo } : {};
    if (fetched.status === 'not-modified') {
      return notModified(afterSuccess(state, now, movedTo));
    }
    const contentHash = createHash('sha256').update(fetched.body).digest('base64url');
    const validators = {
      ...movedTo,
      contentHash,
      ...(fetched.etag ? { etag: fetched.etag } : {}),
      ...(fetched.lastModified ? { lastModified: fetched.lastModified } : {}),
    };
    if (contentHash === state.contentHash) return notModified(afterSuccess(state, now, validators));
    const parsed = parseFeed(fetched.body, {
      url: fetched.url,
      ...(fetched.contentType ? { contentType: fetched.contentType } : {}),
    });
    if (!parsed.ok) return fail(parsed.reason);
    const read = await readItems(parsed.feed, source, deps, now, policy);
    const next = afterSuccess(state, now, {
      ...validators,
      seen: read.seen,
      learnedAuthors: Object.fromEntries(Object.entries(read.learned).slice(-policy.maxLearnedAuthors)),
      itemErrors: read.itemErrors.slice(0, policy.maxItemErrors),
    });
    // Without validators of its own the next fetch must not send stale ones.
    if (!fetched.etag) delete next.etag;
    if (!fetched.lastModified) delete next.lastModified;
    return {
      outcome: 'updated',
      newAuthors: read.newAuthors,
      items: read.items,
      state: next,
      itemErrors: read.itemErrors,
      warnings: read.warnings,
      counts: read.counts,
    };
  } catch (err) {
    // A bug or an unexpected failure (say, the author lookup's storage): still this source's problem only.
    return fail(`internal error: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300));
  }
}

function notModified(state: FeedSourceState): PollResult {
  return {
    outcome: 'not-modified',
    newAuthors: [],
    items: [],
    state,
    itemErrors: [],
    warnings: [],
    counts: EMPTY_COUNTS,
  };
}

interface ReadItems {
  items: IngestItem[];
  newAuthors: AuthorInput[];
  seen: Record<string, SeenItem>;
  learned: Record<string, string>;
  itemErrors: string[];
  warnings: string[];
  counts: PollResult['counts'];
}

async function readItems(
  feed: ParsedFeed,
  source: FeedSource,
  deps: PollDeps,
  now: Date,
  policy: PollPolicy,
): Promise<ReadItems> {
  const state = source.state;
  // Positioned so they read in document order, whatever order the items are processed in.
  const problems = feed.problems.map((p) => ({
    position: p.position,
    text: `item ${p.position}: ${p.reason}`,
  }));
  const warnings: string[] = [];
  const entries = newestFirst(feed.entries).slice(0, policy.maxItemsPerPoll);
  if (feed.entries.length > entries.length) {
    warnings.push(`the feed has ${feed.entries.length} items; the newest ${entries.length} were read`);
  }
  const publicationName = htmlToText(feed.title ?? '') || hostOf(source.url);
  const resolver = new AuthorResolver({
    ...(source.defaultAuthor ? { defaultAuthor: source.defaultAuthor } : {}),
    ...(source.authorMap ? { authorMap: source.authorMap } : {}),
    learned: state.learnedAuthors,
    lookup: deps.authors,
    publicationName,
  });
  // A bare guid ("123") is qualified by the site, else by the feed's URL (see itemKey).
  const namespace = feed.link ?? source.url;
  const seen: Record<string, SeenItem> = {};
  const items: IngestItem[] = [];
  const counts = { ...EMPTY_COUNTS, entries: feed.entries.length };
  for (const entry of entries) {
    const label = `item ${entry.position}`;
    const problem = (text: string) => problems.push({ position: entry.position, text: `${label}${text}` });
    const key = entry.guid ?? entry.link;
    if (key === undefined) {
      problem(': no guid or link');
      counts.skipped++;
      continue;
    }
    const id = articleIdFor(itemKey(key, namespace));
    if (seen[id]) continue; // the same item twice in one document
    const before = state.seen[id];
    // Mapped before its author is resolved, so an item that cannot be stored creates no author.
    const mapped = mapEntry(entry, {
      feed,
      feedUrl: source.url,
      id,
      authorHandle: PENDING_AUTHOR,
      now,
      ...(before?.t ? { firstSeenAt: before.t } : {}),
    });
    if (!mapped.ok) {
      problem(` (${shorten(key)}): ${mapped.reason}`);
      counts.skipped++;
      continue;
    }
    const handle = await resolver.resolve(
      entry.authors.length > 0 ? entry.authors : feed.authors,
      mapped.item.article.publishedAt.slice(0, 10),
    );
    if (!HANDLE_PATTERN.test(handle)) {
      problem(` (${shorten(key)}): the author mapping names "${handle}", which is not a handle`);
      counts.skipped++;
      continue;
    }
    const item = assignAuthor(mapped.item, handle);
    for (const w of item.warnings) warnings.push(`${label} (${shorten(key)}): ${w}`);
    seen[id] =
      item.dateSource === 'first-seen'
        ? { h: item.fingerprint, t: item.article.publishedAt }
        : { h: item.fingerprint };
    if (before?.h === item.fingerprint) {
      counts.unchanged++;
      continue;
    }
    const change = before ? 'changed' : 'new';
    counts[change]++;
    const alert =
      change === 'new' &&
      shouldAlert({ alerts: source.alerts, state, publishedAt: item.article.publishedAt, policy });
    items.push({ ...item, change, alert });
  }
  items.sort((a, b) => a.article.publishedAt.localeCompare(b.article.publishedAt));
  return {
    items,
    newAuthors: resolver.newAuthors,
    seen,
    learned: resolver.learned,
    itemErrors: problems.sort((a, b) => a.position - b.position).map((p) => p.text),
    warnings,
    counts,
  };
}

/** Entries by date, newest first (undated ones first: they are new to the feed); ties keep document order. */
function newestFirst(entries: readonly FeedEntry[]): FeedEntry[] {
  const time = (e: FeedEntry) =>
    (parseFeedDate(e.published) ?? parseFeedDate(e.updated))?.getTime() ?? Number.POSITIVE_INFINITY;
  return entries
    .map((entry) => ({ entry, t: time(entry) }))
    .sort((a, b) => (a.t === b.t ? a.entry.position - b.entry.position : b.t - a.t))
    .map(({ entry }) => entry);
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

/** Item keys are URLs or URNs from the feed: shortened for a log line or a status message. */
function shorten(key: string): string {
  return key.length > 80 ? `${key.slice(0, 79)}…` : key;
}

/**
 * The fields of the log line for one poll: the source, the outcome, counts and reasons; never
 * an item's title or text (item problems name items by position and guid/link only).
 */
export function pollLogFields(source: Pick<FeedSource, 'url'>, result: PollResult): Record<string, unknown> {
  return {
    feed: source.url,
    outcome: result.outcome,
    ...(result.error ? { error: result.error } : {}),
    ...result.counts,
    alerts: result.items.filter((i) => i.alert).length,
    newAuthors: result.newAuthors.length,
    ...(result.itemErrors.length > 0 ? { itemErrors: result.itemErrors.slice(0, 5) } : {}),
    ...(result.warnings.length > 0 ? { warnings: result.warnings.length } : {}),
    ...(result.state.movedTo ? { movedTo: result.state.movedTo } : {}),
    consecutiveFailures: result.state.consecutiveFailures,
  };
}
