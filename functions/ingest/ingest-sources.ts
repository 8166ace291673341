/**
 * The ingest use case: poll every due, active source (a few at a time), store what each poll
 * found through the one publishing path, and save each source's state. Used by the ingest
 * Lambda (on a schedule), `npm start` (on the same schedule) and `herald ingest`.
 *
 * One source's failure — its feed, its writes, even its state save — is that source's report
 * and log line; the others go on. New items alert only when the poll says so and the source's
 * alerts are on; everything else is stored silent. Items or authors that could not be written
 * are forgotten by the state ({@link markFailed}), so the next poll fetches and retries them.
 */
import type { StoredFeedSource } from '../core/feed-sources';
import { mapPool } from '../core/mechanics/pool';
import type {
  ArticleRepositoryPort,
  AuthorRepositoryPort,
  FeedSourceRepositoryPort,
  PutResult,
} from '../core/ports';
import { publishArticle, publishAuthor } from '../core/publishing';
import type { FeedFetcher } from './fetch-feed';
import { type PollResult, pollFeed, pollLogFields } from './poll-feed';
import { failingForMs, isDue, markFailed, type PollPolicy, stateNeedsSave } from './poll-state';
import type { FeedSource, FeedSourceState } from './types';

/** What ingest needs from storage (the store of functions/store/ satisfies it). */
export interface IngestStore {
  feeds: Pick<FeedSourceRepositoryPort, 'listSources' | 'saveState'>;
  articles: Pick<ArticleRepositoryPort, 'putArticle'>;
  authors: Pick<AuthorRepositoryPort, 'putAuthor' | 'getAuthor'>;
}

/** The log calls ingest makes (Powertools' Logger has them). */
export interface IngestLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

export interface IngestDeps {
  store: IngestStore;
  fetch: FeedFetcher;
  logger?: IngestLogger;
  now?: () => Date;
  /** Sources polled at the same time (default 4). */
  concurrency?: number;
  policy?: Partial<PollPolicy>;
  /** Sources not started by then are left for the next run (the Lambda's time is running out). */
  deadline?: Date;
}

/** What happened to one source. */
export interface SourceReport {
  /** Undefined for a one-off feed that is not a configured source. */
  id?: string;
  url: string;
  /** `skipped`: see `skipped` for why (paused, backing off, out of time). */
  outcome: PollResult['outcome'] | 'skipped';
  skipped?: 'paused' | 'not due' | 'out of time';
  /** Why the feed failed (also the source's last error). */
  error?: string;
  created: number;
  updated: number;
  unchanged: number;
  /** New articles that alert their subscribers. */
  alerting: number;
  newAuthors: number;
  /** Writes that failed ("article x: …", "author y: …"); retried by the next poll. */
  failedWrites: string[];
  /** Items the feed had that could not be taken, and why. */
  itemErrors: string[];
  /**
   * `unchanged`: nothing worth a write (an unchanged feed, see stateNeedsSave); `conflict`:
   * another poll of this source saved first (its state stands); `not saved`: a one-off feed.
   */
  state: 'saved' | 'unchanged' | 'conflict' | 'failed' | 'not saved';
  /** How long the source has been failing (0 when healthy or paused): the alarm's metric. */
  failingForMs: number;
}

export interface IngestReport {
  sources: SourceReport[];
  /** More sources are stored than one run lists (see FeedSourceRepositoryPort.maxSources). */
  hasMore: boolean;
}

const DEFAULT_CONCURRENCY = 4;

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 300);

function emptyReport(source: { id?: string; url: string }): SourceReport {
  return {
    ...(source.id !== undefined ? { id: source.id } : {}),
    url: source.url,
    outcome: 'skipped',
    created: 0,
    updated: 0,
    unchanged: 0,
    alerting: 0,
    newAuthors: 0,
    failedWrites: [],
    itemErrors: [],
    state: 'not saved',
    failingForMs: 0,
  };
}

/**
 * Polls one source and stores what it found; the state to save comes back (not saved here).
 * Never throws.
 */
export async function pollAndStore(
  source: FeedSource & { id?: string },
  deps: IngestDeps,
): Promise<{ report: SourceReport; state: FeedSourceState }> {
  const now = deps.now ?? (() => new Date());
  const { store } = deps;
  const report = emptyReport(source);
  const result = await pollFeed(source, {
    fetch: deps.fetch,
    authors: store.authors,
    now,
    ...(deps.policy ? { policy: deps.policy } : {}),
  });
  report.outcome = result.outcome;
  if (result.error !== undefined) report.error = result.error;
  report.itemErrors = result.itemErrors;

  const failedAuthors: string[] = [];
  for (const author of result.newAuthors) {
    try {
      await publishAuthor(store, author);
      report.newAuthors++;
    } catch (err) {
      failedAuthors.push(author.handle);
      report.failedWrites.push(`author ${author.handle}: ${messageOf(err)}`);
    }
  }
  const failedArticles: string[] = [];
  const counts: Record<PutResult, number> = { created: 0, updated: 0, unchanged: 0 };
  for (const item of result.items) {
    const id = item.article.id;
    if (failedAuthors.includes(item.article.authorHandle)) {
      failedArticles.push(id);
      report.failedWrites.push(`article ${id}: its author ${item.article.authorHandle} could not be created`);
      continue;
    }
    // Only a creation alerts (the stream sees an INSERT); a changed item is stored silent all the same.
    const silent = !(item.change === 'new' && item.alert && source.alerts);
    try {
      const input = { ...item.article, ...(item.tags.length > 0 ? { tags: item.tags } : {}) };
      const { result: put } = await publishArticle(store, input, { silent });
      counts[put]++;
      if (put === 'created' && !silent) report.alerting++;
    } catch (err) {
      failedArticles.push(id);
      report.failedWrites.push(`article ${id}: ${messageOf(err)}`);
    }
  }
  report.created = counts.created;
  report.updated = counts.updated;
  report.unchanged = counts.unchanged;
  const state =
    failedArticles.length + failedAuthors.length > 0
      ? markFailed(result.state, { articleIds: failedArticles, authorHandles: failedAuthors })
      : result.state;
  report.failingForMs = failingForMs(state, now());

  const fields = {
    ...pollLogFields(source, result),
    created: report.created,
    updated: report.updated,
    alerting: report.alerting,
    ...(report.failedWrites.length > 0 ? { failedWrites: report.failedWrites.slice(0, 5) } : {}),
  };
  if (result.outcome === 'failed') deps.logger?.warn('feed poll failed', fields);
  else if (report.failedWrites.length > 0) deps.logger?.error('feed items not stored', fields);
  else deps.logger?.info('feed polled', fields);
  return { report, state };
}

/** Polls one stored source now (due or not) and saves its state. Never throws. */
export async function ingestSource(source: StoredFeedSource, deps: IngestDeps): Promise<SourceReport> {
  try {
    const { report, state } = await pollAndStore(source, deps);
    const at = (deps.now ?? (() => new Date()))();
    if (report.outcome !== 'skipped' && !stateNeedsSave(source.state, state, report.outcome, at)) {
      report.state = 'unchanged';
      return report;
    }
    try {
      const saved = await deps.store.feeds.saveState(source.id, state, source.stateVersion);
      report.state = saved ? 'saved' : 'conflict';
      if (!saved) {
        deps.logger?.warn('feed state not saved: another poll saved first, or the source was removed', {
          feed: source.url,
        });
      }
    } catch (err) {
      report.state = 'failed';
      deps.logger?.error('feed state not saved', { feed: source.url, error: err as Error });
    }
    return report;
  } catch (err) {
    // pollAndStore does not throw; this is a bug's last line of defence for the other sources.
    deps.logger?.error('feed ingest failed', { feed: source.url, error: err as Error });
    return {
      ...emptyReport(source),
      outcome: 'failed',
      error: `internal error: ${messageOf(err)}`,
      state: 'failed',
    };
  }
}

/** Polls every active source that is due, a few at a time, and reports on every source. */
export async function ingestDueSources(deps: IngestDeps): Promise<IngestReport> {
  const now = deps.now ?? (() => new Date());
  const { items, hasMore } = await deps.store.feeds.listSources();
  if (hasMore) deps.logger?.warn('more feed sources than one run lists', { polled: items.length });
  const sources = await mapPool(items, deps.concurrency ?? DEFAULT_CONCURRENCY, async (source) => {
    const at = now();
    if (source.paused) return { ...emptyReport(source), skipped: 'paused' as const };
    const skip = (why: 'not due' | 'out of time'): SourceReport => ({
      ...emptyReport(source),
      skipped: why,
      failingForMs: failingForMs(source.state, at),
    });
    if (!isDue(source, at)) return skip('not due');
    if (deps.deadline !== undefined && at.getTime() >= deps.deadline.getTime()) return skip('out of time');
    return ingestSource(source, deps);
  });
  return { sources, hasMore };
}
