/**
 * Feed ingest: the public surface the composition roots (the ingest Lambda, the CLI, the local
 * runtime, the admin API and the bot's /feeds) use. See poll-feed.ts for the caller's part.
 */

export {
  type FeedError,
  type FeedSource,
  type FeedSourceConfig,
  type FeedSourceState,
  newFeedSourceState,
} from '../core/feed-sources';
export { isPublicAddress } from './address-policy';
export { type AuthorLookup, authorKey } from './authors';
export {
  createHttpFetcher,
  type FeedFetcher,
  type FetchOutcome,
  type FetchRequest,
  type HttpFetcherOptions,
  heraldUserAgent,
} from './fetch-feed';
export { createFileFetcher, fileFeedUrl } from './file-fetcher';
export {
  type IngestDeps,
  type IngestLogger,
  type IngestReport,
  type IngestStore,
  ingestDueSources,
  ingestSource,
  pollAndStore,
  type SourceReport,
} from './ingest-sources';
export { type ParseFeedResult, parseFeed } from './parse-feed';
export { type IngestItem, type PollDeps, type PollResult, pollFeed, pollLogFields } from './poll-feed';
export {
  afterFailure,
  DEFAULT_POLL_POLICY,
  failingForMs,
  feedUrlProblem,
  isDue,
  markFailed,
  type PollPolicy,
  shouldAlert,
} from './poll-state';
export type { ParsedFeed } from './types';
export { resolveHttpUrl } from './urls';
