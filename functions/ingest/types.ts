/**
 * The shapes feed ingest works with: a parsed feed in one format-independent form, a feed
 * source as an admin configures it, and the polling state kept between polls.
 */

/** The document is not a feed Herald reads; the message says what it is, for a person. */
export class NotAFeedError extends Error {
  override name = 'NotAFeedError';
}

export type FeedFormat = 'rss' | 'rdf' | 'atom' | 'json';

export interface FeedPerson {
  name?: string;
  email?: string;
  /** The person's page (http(s)). */
  url?: string;
}

/** A picture or attachment of an entry (enclosure, media:content, Atom enclosure link, JSON attachment). */
export interface FeedMedia {
  url: string;
  /** MIME type when the feed gave one. */
  type?: string;
  /** media:content's `medium` ("image", "video", …). */
  medium?: string;
  caption?: string;
}

/** Content as the feed gave it: HTML to convert, or plain text. */
export interface FeedContent {
  kind: 'html' | 'text';
  value: string;
}

/** One item/entry of a feed, before mapping. URLs are absolute and http(s). */
export interface FeedEntry {
  /** 1-based position in the document, for messages ("item 3: no guid or link"). */
  position: number;
  /** guid (RSS), id (Atom, JSON Feed), rdf:about (RSS 1.0). */
  guid?: string;
  link?: string;
  title?: FeedContent;
  /** The full content (content:encoded, Atom content, content_html/content_text). */
  content?: FeedContent;
  /** The description or summary. */
  summary?: FeedContent;
  /** Date texts as written; parsed when mapping. */
  published?: string;
  updated?: string;
  authors: FeedPerson[];
  categories: string[];
  media: FeedMedia[];
  /** Base for relative URLs inside the content (xml:base, else the link). */
  base?: string;
  language?: string;
}

export interface ParsedFeed {
  format: FeedFormat;
  title?: string;
  /** The site's home page. */
  link?: string;
  language?: string;
  /** Feed-level authors: the fallback for entries that name none. */
  authors: FeedPerson[];
  entries: FeedEntry[];
  /** Entries that could not be read at all (position in the document, and why). */
  problems: { position: number; reason: string }[];
}

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
