import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { articleInputSchema, authorInputSchema } from '../../../functions/core/model';
import type { FetchOutcome, FetchRequest } from '../../../functions/ingest/fetch-feed';
import { type PollResult, pollFeed, pollLogFields } from '../../../functions/ingest/poll-feed';
import { isDue, markFailed } from '../../../functions/ingest/poll-state';
import { type FeedSource, newFeedSourceState } from '../../../functions/ingest/types';
import { shapeOf } from './markdown-check';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/feeds', name), 'utf8');

interface Item {
  guid?: string;
  link?: string;
  title?: string;
  date?: string;
  author?: string;
  html?: string;
}

function rss(items: Item[], extra = ''): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const body = items
    .map(
      (i) => `<item>
        ${i.title !== undefined ? `<title>${esc(i.title)}</title>` : ''}
        ${i.guid !== undefined ? `<guid isPermaLink="false">${esc(i.guid)}</guid>` : ''}
        ${i.link !== undefined ? `<link>${esc(i.link)}</link>` : ''}
        ${i.date !== undefined ? `<pubDate>${i.date}</pubDate>` : ''}
        ${i.author !== undefined ? `<dc:creator>${esc(i.author)}</dc:creator>` : ''}
        <content:encoded><![CDATA[${i.html ?? `<p>Body of ${i.title ?? i.guid}</p>`}]]></content:encoded>
      </item>`,
    )
    .join('');
  return `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
    <channel><title>Test Feed</title><link>https://site.example/</link>${extra}${body}</channel></rss>`;
}

/** A feed server stand-in: what it answers is set per test; it records each request. */
class FakeFeed {
  requests: FetchRequest[] = [];
  next: FetchOutcome | (() => FetchOutcome) = { status: 'failed', reason: 'nothing set' };

  serve(text: string, headers: { etag?: string; lastModified?: string } = {}): void {
    this.next = {
      status: 'ok',
      url: 'https://site.example/feed',
      body: new Uint8Array(Buffer.from(text)),
      ...headers,
    };
  }

  fetch = async (req: FetchRequest): Promise<FetchOutcome> => {
    this.requests.push(req);
    return typeof this.next === 'function' ? this.next() : this.next;
  };
}

class Authors {
  lookups: string[] = [];
  constructor(readonly existing: Record<string, string> = {}) {}
  getAuthor = async (handle: string) => {
    this.lookups.push(handle);
    const fullName = this.existing[handle];
    return fullName === undefined ? undefined : { fullName };
  };
}

const T0 = new Date('2026-11-25T12:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const rfc822 = (d: Date) => d.toUTCString();

function setup(config: Partial<FeedSource> = {}, authors = new Authors()) {
  const feed = new FakeFeed();
  let source: FeedSource = {
    url: 'https://site.example/feed',
    alerts: true,
    state: newFeedSourceState(),
    ...config,
  };
  const poll = async (now: Date): Promise<PollResult> => {
    const result = await pollFeed(source, { fetch: feed.fetch, authors, now: () => now });
    source = { ...source, state: result.state };
    return result;
  };
  return {
    feed,
    poll,
    authors,
    source: () => source,
    setState: (s: FeedSource['state']) => (source = { ...source, state: s }),
  };
}

const old = { guid: 'old-1', title: 'Old one', date: 'Mon, 23 Nov 2026 10:00:00 GMT', author: 'Jane Doe' };
const older = {
  guid: 'old-2',
  title: 'Older one',
  date: 'Sun, 22 Nov 2026 10:00:00 GMT',
  author: 'Jane Doe',
};

describe('pollFeed: what is new, changed, unchanged, and what alerts', () => {
  it('stores a newly added feed silently: its whole backlog is older than the first successful poll', async () => {
    const { feed, poll } = setup();
    feed.serve(rss([old, older]));

    const r = await poll(T0);

    expect(r.outcome).toBe('updated');
    expect(r.items.map((i) => [i.article.title, i.change, i.alert])).toEqual([
      ['Older one', 'new', false],
      ['Old one', 'new', false],
    ]);
    expect(r.state.firstSuccessAt).toBe(T0.toISOString());
    expect(Object.keys(r.state.seen)).toHaveLength(2);
  });

  it('writes nothing when the same feed comes back, whether the bytes are equal or only the wrapper changed', async () => {
    const { feed, poll } = setup();
    feed.serve(rss([old, older]));
    await poll(T0);

    const same = await poll(minutes(10));
    feed.serve(rss([old, older], '<lastBuildDate>Wed, 25 Nov 2026 12:10:00 GMT</lastBuildDate>'));
    const rewrapped = await poll(minutes(20));

    expect(same).toMatchObject({ outcome: 'not-modified', items: [] });
    expect(rewrapped).toMatchObject({
      outcome: 'updated',
      items: [],
      counts: { unchanged: 2, new: 0, changed: 0 },
    });
  });

  it('alerts for an item published after the first poll, exactly once', async () => {
    const { feed, poll } = setup();
    feed.serve(rss([old]));
    await poll(T0);
    const fresh = { guid: 'new-1', title: 'Fresh', date: rfc822(minutes(5)), author: 'Jane Doe' };
    feed.serve(rss([fresh, old]));

    const first = await poll(minutes(10));
    feed.serve(rss([fresh, old], '<ttl>60</ttl>'));
    const again = await poll(minutes(20));

    expect(first.items.map((i) => [i.article.title, i.change, i.alert])).toEqual([['Fresh', 'new', true]]);
    expect(again.items).toEqual([]);
  });

  it('updates a changed item under the same id, and never alerts for it', async () => {
    const { feed, poll } = setup();
    const fresh = { guid: 'new-1', title: 'Fresh', date: rfc822(minutes(5)) };
    feed.serve(rss([old]));
    await poll(T0);
    feed.serve(rss([fresh, old]));
    const created = await poll(minutes(10));

    feed.serve(rss([{ ...fresh, title: 'Fresh, corrected', html: '<p>Edited body</p>' }, old]));
    const changed = await poll(minutes(20));

    expect(changed.items).toHaveLength(1);
    expect(changed.items[0]).toMatchObject({
      change: 'changed',
      alert: false,
      article: { id: created.items[0]?.article.id, title: 'Fresh, corrected', body: 'Edited body' },
    });
  });

  it('stores silently a new item dated before the first poll, or well before the last one; alerts within the grace', async () => {
    const { feed, poll } = setup();
    feed.serve(rss([old]));
    await poll(T0);
    feed.serve(rss([old], '<ttl>1</ttl>'));
    await poll(minutes(6 * 60)); // last success 18:00
    const backdated = { guid: 'b', title: 'Backdated before the first poll', date: rfc822(minutes(-60)) };
    const stale = { guid: 's', title: 'Dated 3 h before the last poll', date: rfc822(minutes(3 * 60)) };
    const late = { guid: 'l', title: 'Dated 1 h before the last poll', date: rfc822(minutes(5 * 60)) };
    feed.serve(rss([late, stale, backdated, old]));

    const r = await poll(minutes(6 * 60 + 10));

    expect(Object.fromEntries(r.items.map((i) => [i.article.title, i.alert]))).toEqual({
      'Backdated before the first poll': false,
      'Dated 3 h before the last poll': false,
      'Dated 1 h before the last poll': true,
    });
  });

  it('never alerts for a source whose alerts are off', async () => {
    const { feed, poll } = setup({ alerts: false });
    feed.serve(rss([old]));
    await poll(T0);
    feed.serve(rss([{ guid: 'n', title: 'New', date: rfc822(minutes(5)) }, old]));

    const r = await poll(minutes(10));

    expect(r.items.map((i) => [i.change, i.alert])).toEqual([['new', false]]);
  });

  it('keeps the date of an undated or future-dated item stable across polls, so it is written once', async () => {
    const { feed, poll } = setup();
    const undated = { guid: 'u', title: 'Undated' };
    const future = { guid: 'f', title: 'Future', date: 'Fri, 01 Jan 2100 00:00:00 GMT' };
    feed.serve(rss([undated, future]));

    const first = await poll(T0);
    feed.serve(rss([undated, future], '<ttl>5</ttl>'));
    const second = await poll(minutes(30));

    expect(first.items.map((i) => [i.article.title, i.article.publishedAt, i.dateSource])).toEqual([
      ['Undated', T0.toISOString(), 'first-seen'],
      ['Future', T0.toISOString(), 'first-seen'],
    ]);
    expect(first.warnings).toEqual([
      'item 1 (u): no date; dated when first seen',
      'item 2 (f): dated in the future; dated when first seen',
    ]);
    expect(second.items).toEqual([]);
  });

  it('takes one item once when the document repeats it', async () => {
    const { feed, poll } = setup();
    feed.serve(rss([old, old]));

    const r = await poll(T0);

    expect(r.items).toHaveLength(1);
  });

  it('reads at most the newest 200 items of a huge feed, and keeps the seen window bounded', async () => {
    const { feed, poll } = setup();
    const items = Array.from({ length: 250 }, (_, i) => ({
      guid: `g${i}`,
      title: `Item ${i}`,
      date: rfc822(minutes(-1000 + i)),
    }));
    feed.serve(rss(items));

    const r = await poll(T0);

    expect(r.items).toHaveLength(200);
    expect(r.items[0]?.article.title).toBe('Item 50');
    expect(Object.keys(r.state.seen)).toHaveLength(200);
    expect(r.warnings).toContain('the feed has 250 items; the newest 200 were read');
  });
});

describe('pollFeed: one bad item never stops the rest', () => {
  it('skips items without a guid or link and items with empty content, saying why, in document order', async () => {
    const { feed, poll } = setup();
    feed.serve(fixture('problem-items-rss.xml'));

    const r = await poll(T0);

    expect(r.outcome).toBe('updated');
    expect(r.itemErrors).toEqual([
      'item 1: no guid or link',
      'item 2 (https://problems.example/empty): empty content',
    ]);
    expect(r.state.itemErrors).toEqual(r.itemErrors);
    expect(r.items.map((i) => i.article.title)).toEqual([
      'An item without a title still has words worth reading, so its first words…',
      'Good one',
      'Undated',
      'From the future',
    ]);
    expect(r.counts).toEqual({ entries: 6, new: 4, changed: 0, unchanged: 0, skipped: 2 });
  });

  it('skips an item whose HTML nests absurdly deep, and keeps the others', async () => {
    const { feed, poll } = setup();
    feed.serve(rss([{ guid: 'deep', title: 'Deep', html: '<div>'.repeat(5_000) }, old]));

    const r = await poll(T0);

    expect(r.itemErrors).toEqual(['item 1 (deep): HTML nested more than 500 levels deep']);
    expect(r.items.map((i) => i.article.title)).toEqual(['Old one']);
  });

  it('cuts a huge item to the article limit and links to the rest', async () => {
    const { feed, poll } = setup();
    const html = Array.from(
      { length: 4_000 },
      (_, i) => `<p>Paragraph ${i}: ${'lorem ipsum '.repeat(10)}</p>`,
    ).join('');
    feed.serve(rss([{ guid: 'big', link: 'https://site.example/big', title: 'Big', date: old.date, html }]));

    const r = await poll(T0);

    const body = r.items[0]?.article.body ?? '';
    expect(body.length).toBeLessThanOrEqual(200_000);
    expect(body.endsWith('[…](https://site.example/big)')).toBe(true);
    expect(r.warnings).toEqual(['item 1 (big): body cut at 200,000 characters']);
  });
});

describe('pollFeed: authors', () => {
  it('creates each unknown author once, with a derived handle and the date of their earliest item', async () => {
    const { feed, poll } = setup();
    feed.serve(
      rss([old, older, { guid: 'x', title: 'X', date: rfc822(minutes(-30)), author: 'Dr. Ali Raza' }]),
    );

    const r = await poll(T0);

    expect([...r.newAuthors].sort((a, b) => a.handle.localeCompare(b.handle))).toEqual([
      { handle: 'dr_ali_raza', fullName: 'Dr. Ali Raza', userSince: '2026-11-25' },
      { handle: 'jane_doe', fullName: 'Jane Doe', userSince: '2026-11-22' },
    ]);
    for (const a of r.newAuthors) expect(authorInputSchema.safeParse(a).success).toBe(true);
  });

  it('uses an existing author of the same name, and steps around a handle taken by someone else', async () => {
    const authors = new Authors({ jane_doe: 'Jane Doe', ali_raza: 'Ali Raza of Another Site' });
    const { feed, poll } = setup({}, authors);
    feed.serve(rss([old, { guid: 'a', title: 'A', date: old.date, author: 'Ali Raza' }]));

    const r = await poll(T0);

    expect(r.newAuthors).toEqual([{ handle: 'ali_raza_2', fullName: 'Ali Raza', userSince: '2026-11-23' }]);
    expect(Object.fromEntries(r.items.map((i) => [i.article.title, i.article.authorHandle]))).toEqual({
      'Old one': 'jane_doe',
      A: 'ali_raza_2',
    });
  });

  it('remembers what it learned: the next poll looks nobody up', async () => {
    const authors = new Authors();
    const { feed, poll } = setup({}, authors);
    feed.serve(rss([old]));
    await poll(T0);
    const lookupsAfterFirst = authors.lookups.length;
    feed.serve(rss([{ ...old, title: 'Old one, edited' }]));

    const r = await poll(minutes(10));

    expect(lookupsAfterFirst).toBe(1);
    expect(authors.lookups).toHaveLength(1);
    expect(r.newAuthors).toEqual([]);
    expect(r.items[0]?.article.authorHandle).toBe('jane_doe');
  });

  it('follows the admin mapping (by name or e-mail, any case), then the default author', async () => {
    const { feed, poll } = setup({
      authorMap: { 'JANE DOE': 'jdoe', 'ali@site.example': 'araza' },
      defaultAuthor: 'desk',
    });
    const xml = rss([
      old,
      { guid: 'e', title: 'By e-mail', date: old.date },
      { guid: 'b', title: 'B', date: old.date, author: 'Someone Else' },
    ]).replace(
      '<guid isPermaLink="false">e</guid>',
      '<guid isPermaLink="false">e</guid><author>Ali@Site.example (Ali)</author>',
    );
    feed.serve(xml);

    const r = await poll(T0);

    expect(Object.fromEntries(r.items.map((i) => [i.article.title, i.article.authorHandle]))).toEqual({
      'Old one': 'jdoe',
      'By e-mail': 'araza',
      B: 'desk',
    });
    expect(r.newAuthors).toEqual([]);
  });

  it('gives right-to-left names a hashed handle and keeps the name as written', async () => {
    const { feed, poll } = setup();
    feed.serve(fixture('rtl-arabic-rss.xml'));

    const r = await poll(T0);

    expect(r.newAuthors.map((a) => a.fullName).sort()).toEqual(['سارة المنصوري', 'عمران قریشی'].sort());
    for (const a of r.newAuthors) expect(a.handle).toMatch(/^author_[0-9a-f]{8}$/);
    expect(r.items.map((i) => i.language)).toEqual(['ar', 'ar']);
    expect(r.items.map((i) => i.article.language)).toEqual(['ar', 'ar']);
  });

  it("gives each article the feed's language in canonical form, and none for a tag that is not BCP 47", async () => {
    // Prepare: RSS <language> as feeds often write it, then one that is no language tag.
    const declared = setup();
    declared.feed.serve(rss([{ guid: 'a', title: 'A' }], '<language>en_us</language>'));
    const wrong = setup();
    wrong.feed.serve(rss([{ guid: 'b', title: 'B' }], '<language>English</language>'));

    // Act
    const ok = await declared.poll(T0);
    const bad = await wrong.poll(T0);

    // Assess: a wrong tag is dropped (publishing then detects the language), never a failed item.
    expect(ok.items.map((i) => i.article.language)).toEqual(['en-US']);
    expect(bad.items).toHaveLength(1);
    expect(bad.items[0]?.article).not.toHaveProperty('language');
  });

  it("prefers an Atom entry's xml:lang and a JSON Feed item's language to the feed's", async () => {
    // Prepare
    const atom = setup();
    atom.feed.serve(
      `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>T</title><id>urn:t</id><updated>2026-11-20T00:00:00Z</updated>
        <entry xml:lang="ur"><id>urn:1</id><title>شہر</title><updated>2026-11-20T00:00:00Z</updated><author><name>A</name></author><content type="html">&lt;p&gt;متن&lt;/p&gt;</content></entry>
        <entry><id>urn:2</id><title>City</title><updated>2026-11-20T00:00:00Z</updated><author><name>A</name></author><content type="html">&lt;p&gt;Text&lt;/p&gt;</content></entry>
      </feed>`,
    );
    const json = setup();
    json.feed.serve(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'T',
        language: 'ru',
        items: [
          {
            id: '1',
            title: 'Город',
            content_text: 'Текст',
            date_published: '2026-11-20T00:00:00Z',
            language: 'ar-EG',
          },
          { id: '2', title: 'Город', content_text: 'Текст', date_published: '2026-11-20T00:00:00Z' },
        ],
      }),
    );

    // Act
    const fromAtom = await atom.poll(T0);
    const fromJson = await json.poll(T0);

    // Assess
    const languages = (r: PollResult) =>
      Object.fromEntries(r.items.map((i) => [i.article.id, i.article.language]));
    expect(Object.values(languages(fromAtom)).sort()).toEqual(['en', 'ur']);
    expect(Object.values(languages(fromJson)).sort()).toEqual(['ar-EG', 'ru']);
  });

  it('attributes an item that names nobody to the publication', async () => {
    const { feed, poll } = setup();
    feed.serve(rss([{ guid: 'n', title: 'Nobody' }]));

    const r = await poll(T0);

    expect(r.newAuthors).toEqual([{ handle: 'test_feed', fullName: 'Test Feed', userSince: '2026-11-25' }]);
  });
});

describe('pollFeed: failures are recorded on the source, never thrown', () => {
  it('records the reason, starts the failing clock and backs off from the second failure', async () => {
    const { feed, poll } = setup();
    feed.next = { status: 'failed', reason: 'HTTP 500 Internal Server Error (3 attempts)' };

    const first = await poll(T0);
    const second = await poll(minutes(10));

    expect(first).toMatchObject({
      outcome: 'failed',
      error: 'HTTP 500 Internal Server Error (3 attempts)',
      items: [],
    });
    expect(first.state).toMatchObject({
      consecutiveFailures: 1,
      failingSince: T0.toISOString(),
      lastError: { at: T0.toISOString(), reason: 'HTTP 500 Internal Server Error (3 attempts)' },
    });
    expect(first.state.nextPollAfter).toBeUndefined();
    expect(second.state).toMatchObject({
      consecutiveFailures: 2,
      failingSince: T0.toISOString(),
      nextPollAfter: minutes(20).toISOString(),
    });
    expect(isDue(setup({ state: second.state }).source(), minutes(15))).toBe(false);
    expect(isDue(setup({ state: second.state }).source(), minutes(20))).toBe(true);
  });

  it("waits as long as the server's Retry-After asks", async () => {
    const { feed, poll } = setup();
    feed.next = {
      status: 'failed',
      reason: 'HTTP 429 Too Many Requests (retry after 3600 s)',
      retryAfterMs: 3_600_000,
    };

    const r = await poll(T0);

    expect(r.state.nextPollAfter).toBe(minutes(60).toISOString());
  });

  it('says why a document is not a feed', async () => {
    const { feed, poll } = setup();
    feed.serve(fixture('html-page.html'));

    const r = await poll(T0);

    expect(r.error).toBe('not a feed: an HTML page (it names a feed at https://site.example/feed/)');
  });

  it('turns an unexpected exception into this source’s error', async () => {
    const { poll } = setup();
    const source = { url: 'https://site.example/feed', alerts: true, state: newFeedSourceState() };
    const r = await pollFeed(source, {
      fetch: async () => {
        throw new Error('boom');
      },
      authors: new Authors(),
      now: () => T0,
    });
    await poll(T0); // the harness source is untouched by the other poll

    expect(r).toMatchObject({ outcome: 'failed', error: 'internal error: boom' });
  });

  it('recovers: the failing clock stops, the last error stays for the record', async () => {
    const { feed, poll } = setup();
    feed.next = { status: 'failed', reason: 'timed out after 10 s' };
    await poll(T0);
    feed.serve(rss([old]));

    const r = await poll(minutes(10));

    expect(r.state.failingSince).toBeUndefined();
    expect(r.state.consecutiveFailures).toBe(0);
    expect(r.state.lastError).toEqual({ at: T0.toISOString(), reason: 'timed out after 10 s' });
    expect(r.state.lastSuccessAt).toBe(minutes(10).toISOString());
  });
});

describe('pollFeed: HTTP validators', () => {
  it('sends the ETag and Last-Modified it was given, and a 304 costs nothing', async () => {
    const { feed, poll } = setup();
    feed.serve(rss([old]), { etag: '"v1"', lastModified: 'Wed, 25 Nov 2026 11:00:00 GMT' });
    await poll(T0);
    feed.next = { status: 'not-modified', url: 'https://site.example/feed' };

    const r = await poll(minutes(10));

    expect(feed.requests[1]).toEqual({
      url: 'https://site.example/feed',
      etag: '"v1"',
      lastModified: 'Wed, 25 Nov 2026 11:00:00 GMT',
    });
    expect(r).toMatchObject({ outcome: 'not-modified', items: [], newAuthors: [] });
    expect(r.state.lastSuccessAt).toBe(minutes(10).toISOString());
    expect(r.state.etag).toBe('"v1"');
  });

  it('records a permanent move', async () => {
    const { feed, poll } = setup();
    feed.next = {
      status: 'not-modified',
      url: 'https://new.example/feed',
      movedTo: 'https://new.example/feed',
    };

    const r = await poll(T0);

    expect(r.state.movedTo).toBe('https://new.example/feed');
  });

  it('after a failed write, the next poll refetches everything and offers the failed item again', async () => {
    const { feed, poll, setState } = setup();
    const fresh = { guid: 'new-1', title: 'Fresh', date: rfc822(minutes(5)) };
    feed.serve(rss([old]), { etag: '"v1"' });
    await poll(T0);
    feed.serve(rss([fresh, old]), { etag: '"v2"' });
    const r = await poll(minutes(10));
    const failedId = r.items[0]?.article.id ?? '';

    setState(markFailed(r.state, { articleIds: [failedId] }));
    const retry = await poll(minutes(20));

    expect(feed.requests[2]?.etag).toBeUndefined();
    expect(retry.items.map((i) => [i.article.id, i.change, i.alert])).toEqual([[failedId, 'new', true]]);
  });
});

describe('pollFeed: every real-world shape maps to valid, safe articles', () => {
  it.each([
    'wordpress-rss.xml',
    'ghost-rss.xml',
    'substack-rss.xml',
    'medium-rss.xml',
    'blogger-atom.xml',
    'atom-xhtml.xml',
    'json-feed.json',
    'rtl-arabic-rss.xml',
    'problem-items-rss.xml',
    'hostile-rss.xml',
  ])('%s', async (name) => {
    const { feed, poll } = setup();
    feed.serve(fixture(name));

    const r = await poll(T0);

    expect(r.outcome).toBe('updated');
    expect(r.items.length).toBeGreaterThan(0);
    for (const item of r.items) {
      expect(articleInputSchema.safeParse(item.article).success).toBe(true);
      const shape = shapeOf(item.article.body);
      expect(shape.outsideSubset).toEqual([]);
      for (const url of [...shape.links, ...shape.images.map((i) => i.src)])
        expect(url).toMatch(/^https?:\/\//);
      // An unescaped `](` before a dangerous scheme would be a link; an escaped one is only text.
      expect(item.article.body.toLowerCase()).not.toMatch(/(?<!\\)\]\(\s*(javascript|data|vbscript):/);
      expect(item.article.title).not.toMatch(/[<>]/);
    }
  });

  it('maps a WordPress item completely', async () => {
    const { feed, poll } = setup();
    feed.serve(fixture('wordpress-rss.xml'));

    const r = await poll(T0);
    const item = r.items.find((i) => i.article.title.startsWith('Water'));

    expect(item).toMatchObject({
      article: {
        id: expect.stringMatching(/^p-4211-[a-z0-9]{12}$/),
        title: 'Water, Borders & the Next Decade: What Comes After the Monsoon?',
        authorHandle: 'jane_doe',
        url: 'https://voices.example.com/2026/11/24/water-borders-next-decade/',
        publishedAt: '2026-11-24T08:00:00.000Z',
      },
      tags: ['climate', 'south asia'],
      image: 'https://voices.example.com/wp-content/uploads/2026/11/river-1024x576.jpg',
      language: 'en-US',
      summaryOnly: false,
    });
    const shape = shapeOf(item?.article.body ?? '');
    expect(shape.blocks.filter((b) => /^h\d$/.test(b))).toEqual(['h2', 'h3']);
    expect(shape.links).toContain('https://voices.example.com/2025/03/02/the-old-accords/');
    expect(shape.text).not.toMatch(/Share this|Twitter|trackRead/);
  });

  it('keeps a summary-only item as its description, with the URL to the full text', async () => {
    const { feed, poll } = setup();
    feed.serve(fixture('wordpress-rss.xml'));

    const r = await poll(T0);
    const item = r.items.find((i) => i.article.title.startsWith('Letters'));

    expect(item?.summaryOnly).toBe(true);
    expect(item?.article.url).toBe('https://voices.example.com/2026/11/23/letters-quiet-budget/');
    expect(shapeOf(item?.article.body ?? '').text).toContain(
      'One asks whether <em>quiet</em> cuts are still cuts.',
    );
  });

  it('puts the feed picture on top of a body that has none, and links other attachments', async () => {
    const { feed, poll } = setup();
    const xml = rss([{ guid: 'p', title: 'Podcast', html: '<p>Episode notes</p>' }]).replace(
      '<content:encoded>',
      '<enclosure url="https://site.example/ep1.mp3" type="audio/mpeg" length="1"/><enclosure url="https://site.example/cover.jpg" type="image/jpeg" length="1"/><content:encoded>',
    );
    feed.serve(xml);

    const r = await poll(T0);
    const shape = shapeOf(r.items[0]?.article.body ?? '');

    expect(shape.images).toEqual([{ src: 'https://site.example/cover.jpg', alt: '' }]);
    expect(shape.links).toEqual(['https://site.example/ep1.mp3']);
    expect(r.items[0]?.image).toBe('https://site.example/cover.jpg');
  });
});

describe('pollLogFields', () => {
  it('names the source and the counts, and carries no item text', async () => {
    const { feed, poll, source } = setup();
    feed.serve(fixture('problem-items-rss.xml'));

    const r = await poll(T0);
    const line = JSON.stringify(pollLogFields(source(), r));

    expect(pollLogFields(source(), r)).toMatchObject({
      feed: 'https://site.example/feed',
      outcome: 'updated',
      new: 4,
      skipped: 2,
      alerts: 0,
      newAuthors: 1,
      consecutiveFailures: 0,
    });
    for (const item of r.items) {
      expect(line).not.toContain(item.article.title);
      expect(line).not.toContain(item.article.body);
    }
  });
});

describe('pollFeed: state stays bounded', () => {
  it('keeps only the most recent learned author names', async () => {
    const feed = new FakeFeed();
    const items = Array.from({ length: 30 }, (_, i) => ({
      guid: `g${i}`,
      title: `T${i}`,
      date: old.date,
      author: `Writer ${i}`,
    }));
    feed.serve(rss(items));
    const source = { url: 'https://site.example/feed', alerts: true, state: newFeedSourceState() };

    const r = await pollFeed(source, {
      fetch: feed.fetch,
      authors: new Authors(),
      now: () => T0,
      policy: { maxLearnedAuthors: 10 },
    });

    expect(Object.keys(r.state.learnedAuthors)).toHaveLength(10);
    expect(r.newAuthors).toHaveLength(30);
  });
});
