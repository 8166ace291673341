/**
 * The ingest use case end to end: feed sources in DynamoDB Local, fixture feeds served by a
 * local HTTP server, items published through the one publishing path. Alerts are asserted on
 * the stored article's `silent` flag, which decides whether the stream's INSERT alerts (the
 * stream filter and the fan-out skip silent articles: test/integration/alerts/ covers that
 * path); the poll's `alerting` count must agree with the flags.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { CallCounter, countDynamoCalls } from '../../../functions/alerts/call-counter';
import { addFeedSource } from '../../../functions/core/feed-admin';
import { parseFeedSourceInput } from '../../../functions/core/feed-source-input';
import type { StoredFeedSource } from '../../../functions/core/feed-sources';
import { newFeedSourceState } from '../../../functions/core/feed-sources';
import { createHttpFetcher } from '../../../functions/ingest/fetch-feed';
import { createFileFetcher, fileFeedUrl } from '../../../functions/ingest/file-fetcher';
import { ingestDueSources, ingestSource, pollAndStore } from '../../../functions/ingest/ingest-sources';
import { articleMetaKey } from '../../../functions/store/keys';
import { startTestStore, type TestStore } from '../../helpers/test-store';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/feeds', name));

const T0 = Date.parse('2026-11-25T12:00:00Z');
let clock = T0;
const now = () => new Date(clock);

/** The /live feed: its items can change between polls. */
let liveItems: { guid: string; title: string; date: number; text: string }[] = [];
function liveFeed(): string {
  const items = liveItems
    .map(
      (i) => `<item><title>${i.title}</title><link>https://live.example/${i.guid}</link>
<guid isPermaLink="false">${i.guid}</guid><dc:creator>Amira Khan</dc:creator>
<pubDate>${new Date(i.date).toUTCString()}</pubDate><category>Politics</category>
<content:encoded><![CDATA[<p>${i.text}</p>]]></content:encoded></item>`,
    )
    .join('\n');
  return `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Live</title><link>https://live.example/</link>
${items}</channel></rss>`;
}

const hanging = new Set<ServerResponse>();
const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/wordpress': (req, res) => {
    if (req.headers['if-none-match'] === '"wp1"') return void res.writeHead(304, { etag: '"wp1"' }).end();
    res
      .writeHead(200, { 'content-type': 'application/rss+xml', etag: '"wp1"' })
      .end(fixture('wordpress-rss.xml'));
  },
  '/live': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(liveFeed());
  },
  '/arabic': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(fixture('rtl-arabic-rss.xml'));
  },
  '/404': (_req, res) => void res.writeHead(404).end('gone'),
  '/garbage': (_req, res) =>
    void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('\u0000\u0001 nope'),
  '/slow': (_req, res) => void hanging.add(res),
};

let server: Server | undefined;
let base = '';
let t: TestStore | undefined;
const counter = new CallCounter();

beforeAll(async () => {
  t = await startTestStore({ now });
  countDynamoCalls(t.doc, counter);
  const created = createServer((req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  server = created;
  await new Promise<void>((resolve) => created.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(created.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await t?.stop();
});

function ts(): TestStore {
  if (!t) throw new Error('store not started');
  return t;
}

const fetch = () =>
  createHttpFetcher({ allowPrivateAddresses: true, timeoutMs: 300, retries: 0, sleep: async () => {} });

const deps = () => ({ store: ts().store, fetch: fetch(), now });

async function add(path: string, extra: Record<string, unknown> = {}): Promise<StoredFeedSource> {
  const { source } = await addFeedSource(
    ts().store,
    parseFeedSourceInput({ url: `${base}${path}`, ...extra }),
    now(),
  );
  return source;
}

async function source(id: string): Promise<StoredFeedSource> {
  const s = await ts().store.feeds.getSource(id);
  if (!s) throw new Error(`no source ${id}`);
  return s;
}

async function silentFlag(articleId: string): Promise<unknown> {
  const out = await ts().doc.send(
    new GetCommand({ TableName: ts().tableName, Key: articleMetaKey(articleId) }),
  );
  return out.Item?.['silent'];
}

// The counter sees the low-level commands the document client sends.
const WRITES = [
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
];
const writes = () => WRITES.reduce((n, c) => n + counter.get(c), 0);

describe('a source polled on schedule', () => {
  it('stores the backlog silently, then alerts once for a new item and never for old ones', async () => {
    // Prepare
    clock = T0;
    counter.reset();
    liveItems = [
      { guid: 'a-1', title: 'First', date: T0 - 2 * 86_400_000, text: 'The first one.' },
      { guid: 'a-2', title: 'Second', date: T0 - 86_400_000, text: 'The second one.' },
    ];
    const live = await add('/live');

    // Act: the first poll
    const first = await ingestSource(live, deps());

    // Assess: stored, with the author created, tags kept, nothing alerting
    expect(writes()).toBeGreaterThan(0);
    expect(first).toMatchObject({
      outcome: 'updated',
      created: 2,
      alerting: 0,
      newAuthors: 1,
      state: 'saved',
    });
    const rows = (await ts().store.articles.byAuthor('amira_khan', 0, 10)).items;
    expect(rows.map((r) => r.title)).toEqual(['Second', 'First']);
    const card = await ts().store.articles.getArticle(rows[0]?.id ?? '');
    expect(card?.tags).toEqual(['politics']);
    expect(await silentFlag(rows[0]?.id ?? '')).toBe(true);
    expect((await ts().store.authors.getAuthor('amira_khan'))?.fullName).toBe('Amira Khan');

    // Act: a new item after the first poll, an old one re-published, and a changed one
    clock = T0 + 10 * 60_000;
    liveItems = [
      ...liveItems.map((i) => (i.guid === 'a-2' ? { ...i, text: 'The second one, corrected.' } : i)),
      { guid: 'a-3', title: 'Third', date: T0 + 5 * 60_000, text: 'Fresh news.' },
      { guid: 'a-0', title: 'Zeroth', date: T0 - 30 * 86_400_000, text: 'An old one, surfacing late.' },
    ];
    const second = await ingestSource(await source(live.id), deps());

    // Assess
    expect(second).toMatchObject({ outcome: 'updated', created: 2, updated: 1, alerting: 1, state: 'saved' });
    const all = (await ts().store.articles.byAuthor('amira_khan', 0, 10)).items;
    const byTitle = new Map(all.map((r) => [r.title, r.id]));
    expect(await silentFlag(byTitle.get('Third') ?? '')).toBeUndefined();
    expect(await silentFlag(byTitle.get('Zeroth') ?? '')).toBe(true);
    expect(all).toHaveLength(4);

    // Act: the same feed again
    clock = T0 + 20 * 60_000;
    counter.reset();
    const third = await ingestSource(await source(live.id), deps());

    // Assess: no duplicates, nothing alerting, and not a single write
    expect(third).toMatchObject({
      outcome: 'not-modified',
      created: 0,
      updated: 0,
      alerting: 0,
      state: 'unchanged',
    });
    expect((await ts().store.articles.byAuthor('amira_khan', 0, 10)).items).toHaveLength(4);
    expect(writes()).toBe(0);
  });

  it('answers a conditional GET with 304 and writes nothing', async () => {
    // Prepare
    clock = T0;
    const wp = await add('/wordpress');
    const first = await ingestSource(wp, deps());
    expect(first).toMatchObject({ outcome: 'updated', created: 2, state: 'saved' });
    const saved = await source(wp.id);
    expect(saved.state.etag).toBe('"wp1"');
    counter.reset();

    // Act
    clock = T0 + 10 * 60_000;
    const second = await ingestSource(saved, deps());

    // Assess
    expect(second).toMatchObject({ outcome: 'not-modified', created: 0, state: 'unchanged' });
    expect(writes()).toBe(0);
    expect((await source(wp.id)).stateVersion).toBe(1);
  });

  it.each([
    ['/404', 'HTTP 404 Not Found'],
    ['/slow', 'timed out after 0.3 s'],
    ['/garbage', 'not a feed'],
  ])('records why %s failed on the source and stores nothing', async (path, reason) => {
    // Prepare
    clock = T0;
    const s = await add(path);

    // Act
    const report = await ingestSource(s, deps());

    // Assess
    expect(report).toMatchObject({ outcome: 'failed', created: 0, state: 'saved' });
    expect(report.error).toContain(reason);
    const after = await source(s.id);
    expect(after.state).toMatchObject({
      consecutiveFailures: 1,
      failingSince: '2026-11-25T12:00:00.000Z',
      lastError: { at: '2026-11-25T12:00:00.000Z' },
    });
    expect(after.state.lastError?.reason).toContain(reason);
    expect(after.state.firstSuccessAt).toBeUndefined();
  });
});

describe('every due source in one run', () => {
  it('polls the good ones although others fail, skips paused and backing-off ones, and reports each', async () => {
    // Prepare: a fresh view of the sources this file added, plus two more
    clock = T0 + 60 * 60_000;
    const arabic = await add('/arabic');
    const paused = await add('/404?paused');
    await ts().store.feeds.updateSource(paused.id, { paused: true });

    // Act
    const report = await ingestDueSources({ ...deps(), concurrency: 3 });

    // Assess
    const byUrl = new Map(report.sources.map((r) => [new URL(r.url).pathname + new URL(r.url).search, r]));
    expect(byUrl.get('/arabic')).toMatchObject({ outcome: 'updated', created: 2, state: 'saved' });
    expect(byUrl.get('/404?paused')).toMatchObject({ outcome: 'skipped', skipped: 'paused' });
    expect(byUrl.get('/404')).toMatchObject({ outcome: 'failed', failingForMs: 3600_000 });
    expect(byUrl.get('/live')).toMatchObject({ outcome: 'not-modified' });
    expect(report.hasMore).toBe(false);
    expect((await source(arabic.id)).state.firstSuccessAt).toBe(now().toISOString());

    // Act: that was its second failure, so it backs off (10 min) and is polled again after
    const soon = await ingestDueSources(deps());
    clock += 10 * 60_000;
    const later = await ingestDueSources(deps());

    // Assess
    expect(soon.sources.find((r) => r.url.endsWith('/404'))).toMatchObject({
      outcome: 'skipped',
      skipped: 'not due',
      failingForMs: 3600_000,
    });
    expect(later.sources.find((r) => r.url.endsWith('/404'))).toMatchObject({
      outcome: 'failed',
      state: 'saved',
    });
    const failing = report.sources.find((r) => r.url.endsWith('/404'));
    expect((await source(failing?.id ?? '')).state.consecutiveFailures).toBe(3);
  });

  it('keeps the first of two overlapping polls of one source', async () => {
    // Prepare: two polls that read the same version
    clock = T0;
    liveItems = [{ guid: 'b-1', title: 'Overlap', date: T0 - 86_400_000, text: 'Both polls see it.' }];
    const s = await add('/live?overlap');

    // Act
    const [a, b] = await Promise.all([ingestSource(s, deps()), ingestSource(s, deps())]);

    // Assess: one saved, the other refused; one article, created once
    expect([a.state, b.state].sort()).toEqual(['conflict', 'saved']);
    expect(a.created + b.created).toBe(1);
    expect((await source(s.id)).stateVersion).toBe(1);
  });
});

describe('every fixture feed through the publishing path', () => {
  it.each([
    'wordpress-rss.xml',
    'ghost-rss.xml',
    'substack-rss.xml',
    'medium-rss.xml',
    'blogger-atom.xml',
    'atom-xhtml.xml',
    'json-feed.json',
    'rtl-arabic-rss.xml',
    'hostile-rss.xml',
    'problem-items-rss.xml',
  ])('%s: every item the feed can give is stored (bodies valid), none twice', async (name) => {
    // Prepare
    clock = Date.parse('2026-11-30T12:00:00Z');
    const url = fileFeedUrl(join(__dirname, '../../fixtures/feeds', name));
    const d = { store: ts().store, fetch: createFileFetcher(), now };

    // Act
    const { report, state } = await pollAndStore({ url, alerts: true, state: newFeedSourceState() }, d);
    const again = await pollAndStore({ url, alerts: true, state: newFeedSourceState() }, d);

    // Assess
    expect(report.outcome).toBe('updated');
    expect(report.failedWrites).toEqual([]);
    // (Two of these feeds were stored over HTTP above: their items are already there, same ids.)
    expect(report.created + report.updated + report.unchanged).toBe(Object.keys(state.seen).length);
    expect(Object.keys(state.seen).length).toBeGreaterThan(0);
    expect(again).toMatchObject({ report: { created: 0, updated: 0, newAuthors: 0, failedWrites: [] } });
  });
});
