/**
 * The feed fetcher against a real HTTP server on the loopback interface: conditional GET,
 * compression, redirects, the size cap, the deadline, retries, and the address guard. Then
 * whole polls through it, fixture feeds served the way real servers misbehave.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

import {
  createHttpFetcher,
  type FetchOutcome,
  type HttpFetcherOptions,
} from '../../../functions/ingest/fetch-feed';
import { pollFeed } from '../../../functions/ingest/poll-feed';
import { newFeedSourceState } from '../../../functions/ingest/types';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/feeds', name));
const FEED = fixture('wordpress-rss.xml');
const MB = 1024 * 1024;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server | undefined;
let base = '';
const hits = new Map<string, number>();
const requests: IncomingMessage[] = [];
/** Responses the server must never finish (slow routes), ended in afterAll. */
const hanging = new Set<ServerResponse>();

const routes: Record<string, Handler> = {
  '/feed': (req, res) => {
    if (req.headers['if-none-match'] === '"v1"') {
      res.writeHead(304, { etag: '"v1"' }).end();
      return;
    }
    res
      .writeHead(200, {
        'content-type': 'application/rss+xml; charset=utf-8',
        etag: '"v1"',
        'last-modified': 'Wed, 25 Nov 2026 11:00:00 GMT',
      })
      .end(FEED);
  },
  '/gzip': (_req, res) => {
    res
      .writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' })
      .end(gzipSync(FEED));
  },
  '/br': (_req, res) => {
    res
      .writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'br' })
      .end(brotliCompressSync(FEED));
  },
  '/moved': (_req, res) => {
    res.writeHead(301, { location: '/feed' }).end();
  },
  '/temporary': (_req, res) => {
    res.writeHead(302, { location: `${base}/moved` }).end();
  },
  '/loop': (_req, res) => {
    res.writeHead(302, { location: '/loop' }).end();
  },
  '/to-ftp': (_req, res) => {
    res.writeHead(302, { location: 'ftp://files.example/feed.xml' }).end();
  },
  '/to-metadata': (_req, res) => {
    res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
  },
  '/to-internal-name': (_req, res) => {
    res.writeHead(302, { location: 'http://internal.example/feed' }).end();
  },
  '/big': (_req, res) => {
    res
      .writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': String(6 * MB) })
      .end(Buffer.alloc(6 * MB, 0x20));
  },
  '/big-chunked': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < 8 * MB) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => {
      sent = Number.POSITIVE_INFINITY;
    });
    pump();
  },
  '/gzip-bomb': (_req, res) => {
    res
      .writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' })
      .end(gzipSync(Buffer.alloc(20 * MB, 0x20)));
  },
  '/slow': (_req, res) => {
    hanging.add(res); // never answers
  },
  '/slow-body': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.write('<rss version="2.0"><channel>');
    hanging.add(res); // the rest never comes
  },
  '/500': (_req, res) => {
    res.writeHead(500).end('oops');
  },
  '/flaky': (req, res) => {
    if ((hits.get(req.url ?? '') ?? 0) < 2) res.writeHead(503).end();
    else routes['/feed']?.(req, res);
  },
  '/429-long': (_req, res) => {
    res.writeHead(429, { 'retry-after': '3600' }).end();
  },
  '/429-short': (req, res) => {
    if ((hits.get(req.url ?? '') ?? 0) < 1) res.writeHead(429, { 'retry-after': '2' }).end();
    else routes['/feed']?.(req, res);
  },
  '/404': (_req, res) => {
    res.writeHead(404).end('not here');
  },
  '/reset': (req) => {
    req.socket.destroy();
  },
  '/garbage': (_req, res) => {
    res
      .writeHead(200, { 'content-type': 'application/rss+xml' })
      .end(Buffer.from([0, 159, 146, 150, 1, 2, 3, 255]));
  },
  '/html': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end(fixture('html-page.html'));
  },
};

beforeAll(async () => {
  const created = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(req);
    const handler = routes[path];
    if (handler) handler(req, res);
    else res.writeHead(404).end();
    hits.set(path, (hits.get(path) ?? 0) + 1);
  });
  server = created;
  await new Promise<void>((resolve) => created.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(created.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

beforeEach(() => {
  hits.clear();
  requests.length = 0;
});

/** The fetcher as production builds it, but allowed to reach this machine and never really waiting between retries. */
function fetcher(extra: HttpFetcherOptions = {}) {
  const waits: number[] = [];
  const fetch = createHttpFetcher({
    allowPrivateAddresses: true,
    timeoutMs: 1_000,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...extra,
  });
  return { fetch, waits };
}

const bodyText = (o: FetchOutcome) => (o.status === 'ok' ? Buffer.from(o.body).toString('utf8') : '');

describe('fetching a feed over HTTP', () => {
  it('gets the feed with its validators, names Herald and offers compression', async () => {
    const { fetch } = fetcher();

    const r = await fetch({ url: `${base}/feed` });

    expect(r).toMatchObject({
      status: 'ok',
      url: `${base}/feed`,
      contentType: 'application/rss+xml; charset=utf-8',
      etag: '"v1"',
      lastModified: 'Wed, 25 Nov 2026 11:00:00 GMT',
    });
    expect(bodyText(r)).toBe(FEED.toString('utf8'));
    expect(requests[0]?.headers['user-agent']).toMatch(/^Herald\//);
    expect(requests[0]?.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('asks conditionally and takes a 304 as not modified', async () => {
    const { fetch } = fetcher();

    const r = await fetch({
      url: `${base}/feed`,
      etag: '"v1"',
      lastModified: 'Wed, 25 Nov 2026 11:00:00 GMT',
    });

    expect(r).toEqual({ status: 'not-modified', url: `${base}/feed` });
    expect(requests[0]?.headers['if-none-match']).toBe('"v1"');
    expect(requests[0]?.headers['if-modified-since']).toBe('Wed, 25 Nov 2026 11:00:00 GMT');
  });

  it.each(['/gzip', '/br'])('decompresses %s', async (path) => {
    const { fetch } = fetcher();

    expect(bodyText(await fetch({ url: `${base}${path}` }))).toBe(FEED.toString('utf8'));
  });

  it('follows redirects, and reports a move only when every hop was permanent', async () => {
    const { fetch } = fetcher();

    const permanent = await fetch({ url: `${base}/moved` });
    const mixed = await fetch({ url: `${base}/temporary` });

    expect(permanent).toMatchObject({ status: 'ok', url: `${base}/feed`, movedTo: `${base}/feed` });
    expect(mixed).toMatchObject({ status: 'ok', url: `${base}/feed` });
    expect(mixed).not.toHaveProperty('movedTo');
  });

  it('follows at most 5 redirects', async () => {
    const { fetch } = fetcher();

    const r = await fetch({ url: `${base}/loop` });

    expect(r).toEqual({ status: 'failed', reason: 'too many redirects (more than 5)' });
    expect(hits.get('/loop')).toBe(6);
  });

  it('refuses a redirect to anything but http(s)', async () => {
    const { fetch } = fetcher();

    expect(await fetch({ url: `${base}/to-ftp` })).toEqual({
      status: 'failed',
      reason: 'redirected to a URL that is not http(s)',
    });
  });

  it.each([
    ['a declared length', '/big'],
    ['a chunked body', '/big-chunked'],
    ['a gzip bomb', '/gzip-bomb'],
  ])('stops at 5 MB: %s', async (_name, path) => {
    // A generous timeout: inflating 5 MB on a loaded 2-core machine can take over a second,
    // and this test is about the size cap, not the clock.
    const { fetch } = fetcher({ timeoutMs: 20_000 });

    expect(await fetch({ url: `${base}${path}` })).toEqual({ status: 'failed', reason: 'larger than 5 MB' });
  });

  it.each([
    ['no answer', '/slow'],
    ['a body that never ends', '/slow-body'],
  ])('gives up at the deadline: %s', async (_name, path) => {
    const { fetch } = fetcher({ timeoutMs: 300 });

    expect(await fetch({ url: `${base}${path}` })).toEqual({
      status: 'failed',
      reason: 'timed out after 0.3 s',
    });
  });

  it('retries a 5xx with backoff, and succeeds when the server recovers', async () => {
    const { fetch, waits } = fetcher();

    const r = await fetch({ url: `${base}/flaky` });

    expect(r.status).toBe('ok');
    expect(hits.get('/flaky')).toBe(3);
    expect(waits).toEqual([1_000, 2_000]);
  });

  it('gives up on a server that keeps failing, saying how often it tried', async () => {
    const { fetch } = fetcher();

    expect(await fetch({ url: `${base}/500` })).toEqual({
      status: 'failed',
      reason: 'HTTP 500 Internal Server Error (3 attempts)',
    });
  });

  it('waits out a short Retry-After, and hands a long one back to the scheduler', async () => {
    const { fetch, waits } = fetcher();

    const short = await fetch({ url: `${base}/429-short` });
    const long = await fetch({ url: `${base}/429-long` });

    expect(short.status).toBe('ok');
    expect(waits).toEqual([2_000]);
    expect(long).toEqual({
      status: 'failed',
      reason: 'HTTP 429 Too Many Requests (retry after 3600 s)',
      retryAfterMs: 3_600_000,
    });
    expect(hits.get('/429-long')).toBe(1);
  });

  it('does not retry a 404', async () => {
    const { fetch } = fetcher();

    expect(await fetch({ url: `${base}/404` })).toEqual({ status: 'failed', reason: 'HTTP 404 Not Found' });
    expect(hits.get('/404')).toBe(1);
  });

  it('retries a dropped connection, then says so', async () => {
    const { fetch } = fetcher();

    const r = await fetch({ url: `${base}/reset` });

    expect(r).toEqual({
      status: 'failed',
      reason: expect.stringMatching(/^connection (reset|closed) by 127\.0\.0\.1 \(3 attempts\)$/),
    });
  });

  it('says when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { fetch } = fetcher();

    expect(await fetch({ url: `http://127.0.0.1:${port}/feed` })).toEqual({
      status: 'failed',
      reason: 'connection refused by 127.0.0.1',
    });
  });
});

describe('the address guard', () => {
  it('refuses loopback, private and link-local addresses by default, before connecting', async () => {
    const fetch = createHttpFetcher();

    const loopback = await fetch({ url: `${base}/feed` });
    const metadata = await fetch({ url: 'http://169.254.169.254/latest/meta-data/' });
    const v6 = await fetch({ url: 'http://[::1]/feed' });

    expect(loopback).toEqual({
      status: 'failed',
      reason: 'refused: 127.0.0.1 is a private, loopback or link-local address (127.0.0.1)',
    });
    expect(metadata.status === 'failed' && metadata.reason).toMatch(
      /^refused: 169\.254\.169\.254 is a private/,
    );
    expect(v6.status === 'failed' && v6.reason).toMatch(/^refused: \[::1\] is a private/);
    expect(hits.size).toBe(0);
  });

  it('checks the addresses a name resolves to, at connect time', async () => {
    const fetch = createHttpFetcher({
      resolve: (_host, _opts, cb) => cb(null, [{ address: '127.0.0.1', family: 4 }]),
    });
    const port = new URL(base).port;

    const r = await fetch({ url: `http://feeds.example:${port}/feed` });

    expect(r).toEqual({
      status: 'failed',
      reason: 'refused: feeds.example resolves to a private, loopback or link-local address (127.0.0.1)',
    });
    expect(hits.size).toBe(0);
  });

  it('checks every redirect hop: a redirect to the metadata address or to a name resolving inside is refused', async () => {
    // This server's own address counts as outside for the test; everything else keeps the default rule.
    const fetch = createHttpFetcher({
      isAllowedAddress: (ip) => ip === '127.0.0.1',
      resolve: (host, _opts, cb) =>
        cb(null, [{ address: host === 'internal.example' ? '10.0.0.7' : '127.0.0.1', family: 4 }]),
    });

    const literal = await fetch({ url: `${base}/to-metadata` });
    const named = await fetch({ url: `${base}/to-internal-name` });

    expect(literal).toEqual({
      status: 'failed',
      reason: 'refused: 169.254.169.254 is a private, loopback or link-local address (169.254.169.254)',
    });
    expect(named).toEqual({
      status: 'failed',
      reason: 'refused: internal.example resolves to a private, loopback or link-local address (10.0.0.7)',
    });
  });
});

describe('polling through HTTP', () => {
  const authors = { getAuthor: async () => undefined };
  const now = () => new Date('2026-11-25T12:00:00Z');

  it('reads the feed, then costs one conditional request and nothing else', async () => {
    const { fetch } = fetcher();
    const source = { url: `${base}/feed`, alerts: true, state: newFeedSourceState() };

    const first = await pollFeed(source, { fetch, authors, now });
    const second = await pollFeed({ ...source, state: first.state }, { fetch, authors, now });

    expect(first.outcome).toBe('updated');
    expect(first.items).toHaveLength(2);
    expect(first.state.etag).toBe('"v1"');
    expect(second).toMatchObject({ outcome: 'not-modified', items: [], newAuthors: [] });
    expect(requests.map((r) => r.headers['if-none-match'])).toEqual([undefined, '"v1"']);
  });

  it.each([
    ['/404', 'HTTP 404 Not Found'],
    ['/garbage', 'not a feed: the response is neither XML nor JSON (application/rss+xml)'],
    ['/html', `not a feed: an HTML page (it names a feed at ${'http://127.0.0.1'}:PORT/feed/)`],
    ['/slow', 'timed out after 0.3 s'],
    ['/500', 'HTTP 500 Internal Server Error (3 attempts)'],
    ['/loop', 'too many redirects (more than 5)'],
  ])('records why %s failed on the source', async (path, reason) => {
    const { fetch } = fetcher({ timeoutMs: 300 });
    const source = { url: `${base}${path}`, alerts: true, state: newFeedSourceState() };

    const r = await pollFeed(source, { fetch, authors, now });

    const expected = reason.replace('PORT', new URL(base).port);
    expect(r).toMatchObject({ outcome: 'failed', error: expected, items: [] });
    expect(r.state).toMatchObject({
      consecutiveFailures: 1,
      failingSince: '2026-11-25T12:00:00.000Z',
      lastError: { at: '2026-11-25T12:00:00.000Z', reason: expected },
    });
  });
});
