/**
 * Bytes from a feed URL (or a file) to a {@link ParsedFeed}: decode the text in the right
 * charset, tell XML from JSON from an HTML page by sniffing the content (the Content-Type
 * header is often wrong: feeds are served as text/html, text/plain, application/octet-stream),
 * and dispatch to the format's reader. Never throws: a failure comes back as a readable reason.
 */
import { findFeedLinks } from './html-text';
import { readJsonFeed } from './parse-json-feed';
import { readXmlFeed } from './parse-xml-feed';
import { NotAFeedError, type ParsedFeed } from './types';
import { MalformedXmlError, parseXml } from './xml-tree';

export type ParseFeedResult =
  | { ok: true; feed: ParsedFeed }
  | {
      ok: false;
      /** For a person: "malformed XML at line 3, column 9: …", "not a feed: an HTML page (…)". */
      reason: string;
      /** Feeds an HTML page announced, when the URL was a page rather than its feed. */
      feedLinks?: string[];
    };

export interface ParseFeedOptions {
  /** The Content-Type header, when the bytes came over HTTP. */
  contentType?: string;
  /** The document's URL: the base for relative links. */
  url?: string;
}

/** Parses a feed document; `body` as bytes (charset detected) or as already decoded text. */
export function parseFeed(body: Uint8Array | string, opts: ParseFeedOptions = {}): ParseFeedResult {
  const text = (typeof body === 'string' ? body : decodeFeedText(body, opts.contentType)).replace(
    /^\uFEFF/,
    '',
  );
  const start = text.trimStart();
  if (start === '') return { ok: false, reason: 'not a feed: the response is empty' };
  const mediaType = (opts.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  try {
    const first = start[0];
    if (first === '{' || first === '[') return { ok: true, feed: readJsonFeed(parseJson(text), opts.url) };
    if (first === '<') {
      if (looksLikeHtml(start)) {
        const feedLinks = findFeedLinks(text, opts.url);
        const hint = feedLinks[0] ? ` (it names a feed at ${feedLinks[0]})` : '';
        return { ok: false, reason: `not a feed: an HTML page${hint}`, feedLinks };
      }
      return { ok: true, feed: readXmlFeed(parseXml(text), opts.url) };
    }
    if (mediaType.includes('json')) return { ok: true, feed: readJsonFeed(parseJson(text), opts.url) };
    const what = mediaType ? ` (${mediaType.slice(0, 60)})` : '';
    return { ok: false, reason: `not a feed: the response is neither XML nor JSON${what}` };
  } catch (err) {
    if (
      err instanceof NotAFeedError ||
      err instanceof MalformedXmlError ||
      err instanceof MalformedJsonError
    ) {
      return { ok: false, reason: err.message };
    }
    // A parser's internal failure (say, a stack overflow on absurd nesting) is still this feed's problem.
    return { ok: false, reason: `unreadable feed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

class MalformedJsonError extends Error {
  override name = 'MalformedJsonError';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new MalformedJsonError(`malformed JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Whether the markup's first element is an HTML page: past any XML declaration, processing
 * instructions and comments, a `<!DOCTYPE html>` or `<html>`. (Sniffing the first tag, as
 * browsers do, not parsing: a real HTML page is rarely well-formed XML.)
 */
function looksLikeHtml(start: string): boolean {
  let s = start.slice(0, 4096);
  for (let i = 0; i < 20; i++) {
    const skipped = s.replace(/^\s*(<\?[\s\S]*?\?>|<!--[\s\S]*?-->)/, '');
    if (skipped === s) break;
    s = skipped;
  }
  s = s.trimStart();
  return /^<!doctype\s+html[\s>]/i.test(s) || /^<html[\s>]/i.test(s) || /^<(head|body)[\s>]/i.test(s);
}

/**
 * Decodes a feed's bytes: a byte-order mark wins, then the Content-Type charset, then the
 * XML declaration's encoding, else UTF-8. An unknown charset name falls back to UTF-8.
 */
export function decodeFeedText(bytes: Uint8Array, contentType?: string): string {
  return decodeWith(detectCharset(bytes, contentType), bytes);
}

function detectCharset(bytes: Uint8Array, contentType: string | undefined): string {
  const [b0, b1, b2] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return 'utf-8';
  if (b0 === 0xff && b1 === 0xfe) return 'utf-16le';
  if (b0 === 0xfe && b1 === 0xff) return 'utf-16be';
  if (b0 === 0x3c && b1 === 0x00) return 'utf-16le';
  if (b0 === 0x00 && b1 === 0x3c) return 'utf-16be';
  const fromHeader = /charset\s*=\s*"?([A-Za-z0-9._:-]+)/i.exec(contentType ?? '')?.[1];
  if (fromHeader) return fromHeader;
  const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1');
  const fromDecl = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1];
  return fromDecl ?? 'utf-8';
}

function decodeWith(charset: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder(charset, { fatal: false }).decode(bytes);
  } catch {
    return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  }
}
