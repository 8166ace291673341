/**
 * Fetching a feed with HTTP manners: conditional GET (ETag / Last-Modified → 304), a
 * deadline per attempt, a size cap counted on the decompressed bytes, at most 5 redirects to
 * http(s) only, a User-Agent naming Herald, gzip/deflate/br, and a short retry with backoff
 * on 5xx, 429 (honouring Retry-After) and dropped connections.
 *
 * Built on node:http/https rather than the global fetch: only a request's `lookup` hook lets
 * the connection itself be checked against {@link isPublicAddress} (see address-policy.ts),
 * which the built-in fetch does not expose without bundling the undici package.
 *
 * A fetch never throws: every failure is an outcome with a reason a person can read.
 */
import { request as httpRequest, type IncomingMessage, STATUS_CODES } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

import { BlockedAddressError, guardedLookup, isPublicAddress, type LookupFunction } from './address-policy';

export interface FetchRequest {
  url: string;
  /** Validators from the last successful fetch, for a conditional GET. */
  etag?: string;
  lastModified?: string;
}

export type FetchOutcome =
  | {
      status: 'ok';
      /** The URL the body came from (after redirects). */
      url: string;
      body: Uint8Array;
      contentType?: string;
      etag?: string;
      lastModified?: string;
      /** Set when every redirect on the way was permanent (301/308): the feed's new address. */
      movedTo?: string;
    }
  | { status: 'not-modified'; url: string; movedTo?: string }
  | {
      status: 'failed';
      /** For a person: "HTTP 404 Not Found", "timed out after 10 s", "larger than 5 MB". */
      reason: string;
      /** The server asked to wait this long (429/503 Retry-After) before trying again. */
      retryAfterMs?: number;
    };

/** Fetches a feed document. Implementations never throw. */
export type FeedFetcher = (req: FetchRequest) => Promise<FetchOutcome>;

export interface HttpFetcherOptions {
  /** Deadline for one attempt, redirects and body included (default 10 s). */
  timeoutMs?: number;
  /** Largest body, after decompression (default 5 MB). */
  maxBytes?: number;
  /** Redirects followed (default 5). */
  maxRedirects?: number;
  userAgent?: string;
  /** Retries after a 5xx, a 429 or a dropped connection (default 2). */
  retries?: number;
  /** Longest Retry-After honoured by waiting; a longer one ends the fetch with `retryAfterMs` (default 5 s). */
  maxRetryWaitMs?: number;
  /** First backoff without a Retry-After, doubled per retry (default 1 s). */
  backoffMs?: number;
  /** Allow private, loopback and link-local addresses. Only for tests and a local runtime reading a local server. */
  allowPrivateAddresses?: boolean;
  /**
   * Which resolved addresses may be connected to (default: public unicast only, see
   * {@link isPublicAddress}). Checked on every hop's connection. `allowPrivateAddresses` overrides it.
   */
  isAllowedAddress?: (ip: string) => boolean;
  /** DNS resolution (tests resolve names to 127.0.0.1). */
  resolve?: LookupFunction;
  /** Waiting between retries (tests pass one that does not wait). */
  sleep?: (ms: number) => Promise<void>;
}

/** The User-Agent: names Herald, and where to reach its operator when `contact` (the bot's t.me link, a site) is given. */
export function heraldUserAgent(contact?: string): string {
  return contact ? `Herald/0.1 (feed reader; +${contact})` : 'Herald/0.1 (feed reader)';
}
const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5';

const MB = 1024 * 1024;

class TooLargeError extends Error {}
class DeadlineError extends Error {}

interface RawResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body?: Uint8Array;
}

type AttemptResult =
  | { kind: 'done'; outcome: FetchOutcome }
  | { kind: 'retry'; reason: string; waitMs?: number };

/** A {@link FeedFetcher} over HTTP(S) with the manners above. */
export function createHttpFetcher(options: HttpFetcherOptions = {}): FeedFetcher {
  const o = {
    timeoutMs: options.timeoutMs ?? 10_000,
    maxBytes: options.maxBytes ?? 5 * MB,
    maxRedirects: options.maxRedirects ?? 5,
    userAgent: options.userAgent ?? heraldUserAgent(),
    retries: options.retries ?? 2,
    maxRetryWaitMs: options.maxRetryWaitMs ?? 5_000,
    backoffMs: options.backoffMs ?? 1_000,
    isAllowed: options.allowPrivateAddresses ? () => true : (options.isAllowedAddress ?? isPublicAddress),
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
  };
  const lookup = guardedLookup({
    isAllowed: o.isAllowed,
    ...(options.resolve ? { resolve: options.resolve } : {}),
  });

  async function attempt(req: FetchRequest): Promise<AttemptResult> {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return { kind: 'done', outcome: { status: 'failed', reason: 'not a valid URL' } };
    }
    let permanent = true;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DeadlineError()), o.timeoutMs);
    try {
      for (let hop = 0; ; hop++) {
        if (url.protocol !== 'http:' && url.protocol !== 'https:') {
          return failed(hop === 0 ? 'not an http(s) URL' : 'redirected to a URL that is not http(s)');
        }
        const literal = url.hostname.replace(/^\[|\]$/g, '');
        if (isIP(literal) !== 0 && !o.isAllowed(literal)) {
          return failed(new BlockedAddressError(url.hostname, literal).message);
        }
        const headers: Record<string, string> = {
          'user-agent': o.userAgent,
          accept: ACCEPT,
          'accept-encoding': 'gzip, deflate, br',
        };
        if (req.etag) headers['if-none-match'] = req.etag;
        if (req.lastModified) headers['if-modified-since'] = req.lastModified;
        const res = await send(url, headers, controller.signal);
        const movedTo = permanent && hop > 0 ? url.href : undefined;
        if (res.status >= 300 && res.status < 400 && res.status !== 304) {
          const location = header(res.headers, 'location');
          if (!location) return failed(`HTTP ${res.status} redirect without a Location`);
          if (hop >= o.maxRedirects) return failed(`too many redirects (more than ${o.maxRedirects})`);
          if (res.status !== 301 && res.status !== 308) permanent = false;
          try {
            url = new URL(location, url);
          } catch {
            return failed('redirected to an invalid URL');
          }
          continue;
        }
        if (res.status === 304) {
          return {
            kind: 'done',
            outcome: { status: 'not-modified', url: url.href, ...(movedTo ? { movedTo } : {}) },
          };
        }
        if (res.status === 429 || res.status >= 500) {
          const waitMs = retryAfterMs(header(res.headers, 'retry-after'));
          return {
            kind: 'retry',
            reason: httpReason(res.status),
            ...(waitMs !== undefined ? { waitMs } : {}),
          };
        }
        if (res.status < 200 || res.status >= 300) return failed(httpReason(res.status));
        const body = res.body ?? new Uint8Array();
        const contentType = header(res.headers, 'content-type');
        const etag = header(res.headers, 'etag');
        const lastModified = header(res.headers, 'last-modified');
        return {
          kind: 'done',
          outcome: {
            status: 'ok',
            url: url.href,
            body,
            ...(contentType ? { contentType } : {}),
            ...(etag ? { etag } : {}),
            ...(lastModified ? { lastModified } : {}),
            ...(movedTo ? { movedTo } : {}),
          },
        };
      }
    } catch (err) {
      return classifyError(err, url, controller.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  function classifyError(err: unknown, url: URL, signal: AbortSignal): AttemptResult {
    // Whatever error the abort surfaced as (an AbortError from the request, ours from the body), the deadline caused it.
    if (err instanceof DeadlineError || signal.reason instanceof DeadlineError) {
      return failed(`timed out after ${seconds(o.timeoutMs)}`);
    }
    if (err instanceof TooLargeError) return failed(`larger than ${megabytes(o.maxBytes)}`);
    if (err instanceof BlockedAddressError) return failed(err.message);
    const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
    const host = url.hostname;
    switch (code) {
      case 'ENOTFOUND':
        return failed(`could not resolve host ${host}`);
      case 'EAI_AGAIN':
        return { kind: 'retry', reason: `could not resolve host ${host} (DNS did not answer)` };
      case 'ECONNREFUSED':
        return failed(`connection refused by ${host}`);
      case 'ECONNRESET':
      case 'EPIPE':
        return { kind: 'retry', reason: `connection reset by ${host}` };
      case 'ETIMEDOUT':
      case 'ENETUNREACH':
      case 'EHOSTUNREACH':
        return failed(`could not connect to ${host} (${code})`);
      case 'Z_DATA_ERROR':
      case 'Z_BUF_ERROR':
      case 'ERR_PADDING_1':
      case 'ERR__ERROR_FORMAT_PADDING_1':
        return failed('the response could not be decompressed');
      default:
        if (/CERT|TLS|SSL/.test(code)) return failed(`TLS error: ${code}`);
        if (err instanceof Error && /socket hang up/i.test(err.message)) {
          return { kind: 'retry', reason: `connection closed by ${host}` };
        }
        return failed(`fetch failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 200));
    }
  }

  function send(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<RawResponse> {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<RawResponse>((resolve, reject) => {
      // agent: false: one connection per request, so the guarded lookup runs for every connection.
      const req = request(url, { method: 'GET', headers, signal, lookup, agent: false }, (res) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          res.resume();
          resolve({ status, headers: res.headers });
          return;
        }
        readBody(res, signal).then((body) => resolve({ status, headers: res.headers, body }), reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  function readBody(res: IncomingMessage, signal: AbortSignal): Promise<Uint8Array> {
    return new Promise<Uint8Array>((resolve, reject) => {
      const declared = Number(header(res.headers, 'content-length') ?? Number.NaN);
      if (Number.isFinite(declared) && declared > o.maxBytes) {
        res.destroy();
        reject(new TooLargeError());
        return;
      }
      const encoding = (header(res.headers, 'content-encoding') ?? '').trim().toLowerCase();
      const decoder =
        encoding === 'gzip' || encoding === 'x-gzip'
          ? createGunzip()
          : encoding === 'deflate'
            ? createInflate()
            : encoding === 'br'
              ? createBrotliDecompress()
              : undefined;
      const chunks: Buffer[] = [];
      let raw = 0;
      let size = 0;
      let settled = false;
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        res.destroy();
        decoder?.destroy();
        reject(signal.aborted ? signal.reason : err);
      };
      const out = decoder ?? res;
      out.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > o.maxBytes) return fail(new TooLargeError());
        chunks.push(chunk);
      });
      out.on('end', () => {
        if (settled) return;
        settled = true;
        resolve(new Uint8Array(Buffer.concat(chunks)));
      });
      out.on('error', fail);
      if (decoder) {
        res.on('data', (chunk: Buffer) => {
          raw += chunk.length;
          if (raw > o.maxBytes) fail(new TooLargeError());
        });
        res.on('error', fail);
        res.pipe(decoder);
      }
      res.on('close', () => {
        if (!res.complete) fail(new Error('socket hang up'));
      });
      signal.addEventListener('abort', () => fail(signal.reason), { once: true });
    });
  }

  return async (req) => {
    let last: AttemptResult | undefined;
    for (let i = 0; i <= o.retries; i++) {
      last = await attempt(req);
      if (last.kind === 'done') return last.outcome;
      if (last.waitMs !== undefined && last.waitMs > o.maxRetryWaitMs) {
        return {
          status: 'failed',
          reason: `${last.reason} (retry after ${seconds(last.waitMs)})`,
          retryAfterMs: last.waitMs,
        };
      }
      if (i < o.retries) await o.sleep(last.waitMs ?? o.backoffMs * 2 ** i);
    }
    const tries = o.retries + 1;
    const reason = last?.kind === 'retry' ? last.reason : 'fetch failed';
    return {
      status: 'failed',
      reason: tries > 1 ? `${reason} (${tries} attempts)` : reason,
      ...(last?.kind === 'retry' && last.waitMs !== undefined ? { retryAfterMs: last.waitMs } : {}),
    };
  };
}

function failed(reason: string): AttemptResult {
  return { kind: 'done', outcome: { status: 'failed', reason } };
}

function header(headers: IncomingMessage['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function httpReason(status: number): string {
  const text = STATUS_CODES[status];
  return text ? `HTTP ${status} ${text}` : `HTTP ${status}`;
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

function megabytes(bytes: number): string {
  const mb = bytes / MB;
  return mb >= 1 ? `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB` : `${Math.round(bytes / 1024)} kB`;
}
