/**
 * Feed ingest: parse and map a 200-item RSS feed, ingest it into an empty store (DynamoDB
 * calls counted by command), then poll it again unchanged — once with the same bytes (no
 * validators) and once answered 304 — which must write nothing. Run alone with
 * `npx tsx bench/feeds.ts`.
 */
import { CallCounter, countDynamoCalls } from '../functions/alerts/call-counter';
import { newFeedSourceState, type StoredFeedSource } from '../functions/core/feed-sources';
import type { FeedFetcher } from '../functions/ingest/fetch-feed';
import { ingestSource } from '../functions/ingest/ingest-sources';
import { pollFeed } from '../functions/ingest/poll-feed';
import { ensureTable, startEmbeddedStore } from '../functions/local/embedded-store';
import { createDynamoClient, toDocumentClient } from '../functions/store/client';
import { createStore } from '../functions/store/index';
import { median, ms, nowMs } from './lib/stats';
import type { BenchOptions, Row } from './lib/table';

const ITEMS = 200;
const AUTHORS = 12;
const PARSE_RUNS = 5;
const SECTION = 'Feed ingest';
const FEED_URL = 'https://bench.example/feed/';
// The counter sees the low-level commands the document client sends.
const WRITES = [
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
];

export const FEEDS_METHOD =
  `A WordPress-shaped RSS 2.0 feed of ${ITEMS} items is generated: each item has a guid, a date, ` +
  `one of ${AUTHORS} dc:creator names, two categories and a content:encoded body of about 600 words ` +
  '(headings, paragraphs, a quote, a list, relative links, an image, a share widget and a script to drop). ' +
  'The fetcher hands the bytes over in memory, so network time is not counted. "parse + map" is ' +
  `\`pollFeed\` alone (fetch, parse, HTML to Markdown, authors resolved against nothing), median of ${PARSE_RUNS}. ` +
  '"ingest" is `ingestSource` on a new source in an empty in-memory DynamoDB Local: authors created, every ' +
  'item published (body, meta, author counter, title index), the state saved; every DynamoDB command is ' +
  'counted. The re-polls run `ingestSource` again on the saved source: the same bytes without validators ' +
  '(recognised by their hash, nothing parsed), then a fetcher answering 304.';

function itemHtml(i: number): string {
  const para = (n: number) =>
    `<p>Paragraph ${n} of item ${i}: the rivers do not read maps, and the agreements written for another climate are showing their age &#8212; see <a href="/2026/${i}/related-${n}/">the related piece</a> for the numbers behind it, which the ministry published last spring after a long delay.</p>`;
  return [
    para(1),
    `<h2>Section one of ${i}</h2>`,
    para(2),
    para(3),
    '<blockquote><p>“We plan for the flood we had, not the one that comes.”</p></blockquote>',
    '<ul><li>First point, briefly</li><li>Second point, with <strong>weight</strong></li></ul>',
    `<figure><img src="/wp-content/uploads/2026/11/pic-${i}.jpg" alt="A river at dusk"></figure>`,
    `<h2>Section two of ${i}</h2>`,
    ...[4, 5, 6, 7, 8, 9, 10, 11].map(para),
    '<div class="sharedaddy"><a href="https://share.example/?u=1">Share</a></div><script>track()</script>',
  ].join('\n');
}

/** The feed's bytes. */
export function benchFeed(items = ITEMS): Uint8Array {
  const t0 = Date.parse('2026-11-01T00:00:00Z');
  const entries = Array.from({ length: items }, (_, i) => {
    const date = new Date(t0 + i * 3600_000).toUTCString();
    return `<item><title>Item ${i}: water, borders &amp; the next decade</title>
<link>https://bench.example/2026/11/item-${i}/</link><guid isPermaLink="false">https://bench.example/?p=${1000 + i}</guid>
<dc:creator><![CDATA[Author Number ${i % AUTHORS}]]></dc:creator><pubDate>${date}</pubDate>
<category><![CDATA[Climate]]></category><category><![CDATA[Region ${i % 5}]]></category>
<description><![CDATA[Summary of item ${i}.]]></description>
<content:encoded><![CDATA[${itemHtml(i)}]]></content:encoded></item>`;
  });
  const xml = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Bench Voices</title><link>https://bench.example</link><language>en-US</language>
${entries.join('\n')}</channel></rss>`;
  return new TextEncoder().encode(xml);
}

const okFetcher =
  (body: Uint8Array): FeedFetcher =>
  async ({ url }) => ({ status: 'ok', url, body, contentType: 'application/rss+xml' });
const notModified: FeedFetcher = async ({ url }) => ({ status: 'not-modified', url });

export async function runFeedsBench(opts: BenchOptions): Promise<Row[]> {
  const body = benchFeed();
  const rows: Row[] = [];
  const row = (metric: string, value: string, goal?: string, ok?: boolean) =>
    rows.push({
      section: SECTION,
      metric,
      value,
      ...(goal ? { goal } : {}),
      ...(ok !== undefined ? { ok } : {}),
    });

  // Parse + map alone.
  const parseTimes: number[] = [];
  for (let r = 0; r < PARSE_RUNS; r++) {
    const t = nowMs();
    const result = await pollFeed(
      { url: FEED_URL, alerts: true, state: newFeedSourceState() },
      { fetch: okFetcher(body), authors: { getAuthor: async () => undefined } },
    );
    parseTimes.push(nowMs() - t);
    if (result.items.length !== ITEMS) throw new Error(`mapped ${result.items.length} of ${ITEMS} items`);
  }
  row(`parse + map ${ITEMS} items (${(body.byteLength / 1024).toFixed(0)} kB)`, ms(median(parseTimes)));

  const embedded = await startEmbeddedStore({});
  const client = createDynamoClient({ region: 'us-east-1', endpoint: embedded.endpoint });
  try {
    await ensureTable(client, 'herald-bench-feeds');
    const doc = toDocumentClient(client);
    const counter = new CallCounter();
    countDynamoCalls(doc, counter);
    const store = createStore(doc, 'herald-bench-feeds');
    const added = await store.feeds.addSource({ url: FEED_URL, alerts: true }, new Date().toISOString());
    if (!added) throw new Error('the bench source exists already');
    const writes = () => WRITES.reduce((n, c) => n + counter.get(c), 0);
    const calls = () =>
      Object.entries(counter.snapshot())
        .map(([k, v]) => `${k.replace(/Command$/, '')} ${v}`)
        .join(', ') || 'no DynamoDB calls';
    const poll = async (fetch: FeedFetcher) => {
      const source = (await store.feeds.getSource(added.id)) as StoredFeedSource;
      counter.reset();
      const t = nowMs();
      const report = await ingestSource(source, { store, fetch });
      return { report, time: nowMs() - t };
    };

    opts.log(`  ingesting ${ITEMS} items…`);
    const first = await poll(okFetcher(body));
    if (first.report.created !== ITEMS) throw new Error(`created ${first.report.created} of ${ITEMS}`);
    row(`ingest ${ITEMS} new items into an empty store`, ms(first.time));
    row(`  DynamoDB calls (${counter.total()})`, calls());
    row(
      '  per item',
      `${(counter.total() / ITEMS).toFixed(1)} calls, ${(writes() / ITEMS).toFixed(1)} writes`,
    );

    const same = await poll(okFetcher(body));
    const sameWrites = writes();
    row('re-poll, same bytes (no ETag)', `${ms(same.time)}; ${calls()}`);
    row('  writes', String(sameWrites), '0', sameWrites === 0);

    const unchanged = await poll(notModified);
    const unchangedWrites = writes();
    row('re-poll answered 304', `${ms(unchanged.time)}; ${calls()}`);
    row('  writes', String(unchangedWrites), '0', unchangedWrites === 0);
  } finally {
    client.destroy();
    await embedded.stop();
  }
  return rows;
}

if (require.main === module) {
  const { renderText } = require('./lib/table') as typeof import('./lib/table');
  runFeedsBench({ log: (line) => process.stderr.write(`${line}\n`) }).then(
    (rows) => process.stdout.write(`${renderText(rows)}\n`),
    (err: unknown) => {
      process.stderr.write(`bench failed: ${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
