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

// A feed source and its state are the domain's (core/feed-sources.ts): the store and the admin API speak of them too.
export {
  type FeedSource,
  type FeedSourceState,
  newFeedSourceState,
  type SeenItem,
} from '../core/feed-sources';
