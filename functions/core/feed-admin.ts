/**
 * The admin's use cases on feed sources — add, list, change (pause, resume, alerts, authors)
 * and remove — shared by the admin API, the command line and the bot's /feeds. They take
 * parsed input: the admin API and the CLI parse a request with core/feed-source-input.ts (zod,
 * field by field); the bot builds its config from a command's words. Kept apart so the webhook
 * bundle does not carry the request schemas.
 */
import { ValidationError } from './errors';
import {
  FEED_SOURCE_ID_PATTERN,
  type FeedSourceConfig,
  type FeedSourcePatch,
  feedUrlProblem,
  type StoredFeedSource,
} from './feed-sources';
import type { AuthorRepositoryPort, FeedSourceRepositoryPort } from './ports';

export interface FeedAdminStore {
  feeds: FeedSourceRepositoryPort;
  authors: Pick<AuthorRepositoryPort, 'getAuthor'>;
}

/** Adding would exceed the store's bound on sources. */
export class TooManyFeedSourcesError extends Error {
  override name = 'TooManyFeedSourcesError';
  constructor(readonly max: number) {
    super(`there are already ${max} feed sources, the most Herald keeps; remove one first`);
  }
}

/** Every handle a config names must be an author already (else every item would fail to publish). */
async function checkAuthors(
  store: FeedAdminStore,
  config: { defaultAuthor?: string | null; authorMap?: Readonly<Record<string, string>> | null },
): Promise<void> {
  const named: { field: string; handle: string }[] = [];
  if (config.defaultAuthor) named.push({ field: 'defaultAuthor', handle: config.defaultAuthor });
  for (const [k, h] of Object.entries(config.authorMap ?? {}))
    named.push({ field: `authorMap.${k}`, handle: h });
  const issues: { field: string; message: string }[] = [];
  for (const n of named) {
    if (!(await store.authors.getAuthor(n.handle))) {
      issues.push({ field: n.field, message: `no author "${n.handle}" exists; create the author first` });
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
}

/**
 * A source's id from what a person or a client gives: the id itself, or the feed's URL.
 * Undefined when it is neither.
 */
export function feedSourceRef(store: Pick<FeedAdminStore, 'feeds'>, ref: string): string | undefined {
  const s = ref.trim();
  if (FEED_SOURCE_ID_PATTERN.test(s)) return s;
  return feedUrlProblem(s) === undefined ? store.feeds.idFor(s) : undefined;
}

/**
 * Adds a source. `created` false (nothing written) when its URL is already a source.
 *
 * @throws ValidationError naming each bad field (a URL that cannot be a feed, an unknown author)
 * @throws TooManyFeedSourcesError when the store holds its most sources
 */
export async function addFeedSource(
  store: FeedAdminStore,
  config: FeedSourceConfig,
  now: Date,
): Promise<{ created: boolean; source: StoredFeedSource }> {
  const problem = feedUrlProblem(config.url);
  if (problem !== undefined) throw new ValidationError([{ field: 'url', message: problem }]);
  const existing = await store.feeds.getSource(store.feeds.idFor(config.url));
  if (existing) return { created: false, source: existing };
  await checkAuthors(store, config);
  const { items, hasMore } = await store.feeds.listSources();
  if (hasMore || items.length >= store.feeds.maxSources)
    throw new TooManyFeedSourcesError(store.feeds.maxSources);
  const added = await store.feeds.addSource(config, now.toISOString());
  if (added) return { created: true, source: added };
  // Added by someone else between the read and the write.
  const raced = await store.feeds.getSource(store.feeds.idFor(config.url));
  if (!raced) throw new Error(`feed source ${config.url} was neither added nor found`);
  return { created: false, source: raced };
}

/**
 * Changes a source's config; undefined when `ref` (id or URL) names no source.
 *
 * @throws ValidationError naming each bad field
 */
export async function changeFeedSource(
  store: FeedAdminStore,
  ref: string,
  patch: FeedSourcePatch,
): Promise<StoredFeedSource | undefined> {
  const id = feedSourceRef(store, ref);
  if (id === undefined) return undefined;
  await checkAuthors(store, patch);
  return store.feeds.updateSource(id, patch);
}

/** Removes a source (its articles stay); false when `ref` names no source. */
export async function removeFeedSource(store: FeedAdminStore, ref: string): Promise<boolean> {
  const id = feedSourceRef(store, ref);
  return id === undefined ? false : store.feeds.removeSource(id);
}

/** A source by id or URL; undefined when there is none. */
export async function findFeedSource(
  store: FeedAdminStore,
  ref: string,
): Promise<StoredFeedSource | undefined> {
  const id = feedSourceRef(store, ref);
  return id === undefined ? undefined : store.feeds.getSource(id);
}

/** What an admin sees of a source (admin API, `feeds list`, /feeds): config and health, no item window. */
export interface FeedSourceView {
  id: string;
  url: string;
  paused: boolean;
  alerts: boolean;
  defaultAuthor?: string;
  authorMap?: Readonly<Record<string, string>>;
  createdAt: string;
  lastSuccessAt?: string;
  lastAttemptAt?: string;
  lastError?: { at: string; reason: string };
  /** Set while the source is failing: since when. */
  failingSince?: string;
  consecutiveFailures: number;
  nextPollAfter?: string;
  /** Items in the feed's current window that Herald has stored. */
  itemsSeen: number;
  /** Items the last poll could not take, and why. */
  itemErrors: string[];
  /** The feed answered with a permanent redirect to this URL: re-add the source under it. */
  movedTo?: string;
}

/** The view of a stored source. */
export function feedSourceView(s: StoredFeedSource): FeedSourceView {
  const st = s.state;
  return {
    id: s.id,
    url: s.url,
    paused: s.paused,
    alerts: s.alerts,
    ...(s.defaultAuthor !== undefined ? { defaultAuthor: s.defaultAuthor } : {}),
    ...(s.authorMap !== undefined ? { authorMap: s.authorMap } : {}),
    createdAt: s.createdAt,
    ...(st.lastSuccessAt !== undefined ? { lastSuccessAt: st.lastSuccessAt } : {}),
    ...(st.lastAttemptAt !== undefined ? { lastAttemptAt: st.lastAttemptAt } : {}),
    ...(st.lastError !== undefined ? { lastError: st.lastError } : {}),
    ...(st.failingSince !== undefined ? { failingSince: st.failingSince } : {}),
    consecutiveFailures: st.consecutiveFailures,
    ...(st.nextPollAfter !== undefined ? { nextPollAfter: st.nextPollAfter } : {}),
    itemsSeen: Object.keys(st.seen).length,
    itemErrors: st.itemErrors,
    ...(st.movedTo !== undefined ? { movedTo: st.movedTo } : {}),
  };
}

/** Every source's view, in URL order. */
export async function listFeedSources(
  store: Pick<FeedAdminStore, 'feeds'>,
): Promise<{ sources: FeedSourceView[]; hasMore: boolean }> {
  const { items, hasMore } = await store.feeds.listSources();
  return { sources: items.map(feedSourceView), hasMore };
}
