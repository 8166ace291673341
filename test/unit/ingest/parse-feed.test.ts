import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { type ParseFeedResult, parseFeed } from '../../../functions/ingest/parse-feed';
import type { ParsedFeed } from '../../../functions/ingest/types';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/feeds', name));

function ok(r: ParseFeedResult): ParsedFeed {
  if (!r.ok) throw new Error(`expected a feed, got: ${r.reason}`);
  return r.feed;
}
function reason(r: ParseFeedResult): string {
  if (r.ok) throw new Error('expected a failure');
  return r.reason;
}

describe('parseFeed: RSS 2.0', () => {
  it('reads a WordPress feed: CDATA, entities, dc:creator, categories, content:encoded', () => {
    const feed = ok(parseFeed(fixture('wordpress-rss.xml'), { url: 'https://voices.example.com/feed/' }));

    expect(feed).toMatchObject({
      format: 'rss',
      title: 'The Daily Voice – Opinion & Analysis',
      link: 'https://voices.example.com/',
      language: 'en-US',
    });
    const [first, second] = feed.entries;
    expect(first).toMatchObject({
      position: 1,
      guid: 'https://voices.example.com/?p=4211',
      link: 'https://voices.example.com/2026/11/24/water-borders-next-decade/',
      published: 'Tue, 24 Nov 2026 08:00:00 +0000',
      authors: [{ name: 'Jane Doe' }],
      categories: ['Climate', 'South Asia', 'climate'],
      title: { kind: 'html', value: 'Water, Borders & the Next Decade: What Comes After the Monsoon?' },
    });
    expect(first?.content?.kind).toBe('html');
    expect(first?.content?.value).toContain('<h2 class="wp-block-heading">A treaty for a different sky</h2>');
    expect(second?.content).toBeUndefined();
    expect(second?.summary?.value).toContain('&lt;em&gt;quiet&lt;/em&gt;');
  });

  it('reads Ghost media:content and Substack enclosures as media', () => {
    const ghost = ok(parseFeed(fixture('ghost-rss.xml')));
    const substack = ok(parseFeed(fixture('substack-rss.xml')));

    expect(ghost.entries[0]?.media).toEqual([
      { url: 'https://harbour.example.net/content/images/2026/11/cranes.jpg', medium: 'image' },
    ]);
    expect(ghost.entries[0]?.guid).toBe('6741c2f0a1b2c3d4e5f60718');
    expect(substack.entries[0]?.media).toEqual([
      { url: 'https://substack-post-media.example/public/images/abc_1456x816.png', type: 'image/jpeg' },
    ]);
  });

  it('reads Medium: guid, categories and atom:updated', () => {
    const [entry] = ok(parseFeed(fixture('medium-rss.xml'))).entries;

    expect(entry).toMatchObject({
      guid: 'https://medium.example.com/p/9f8e7d6c5b4a',
      updated: '2026-11-24T14:20:03.118Z',
      categories: ['journalism', 'telegram', 'bots'],
      authors: [{ name: 'Omar Haddad' }],
    });
  });

  it('reads RSS author as "email (Name)" and as a bare name, and an undeclared dc: prefix', () => {
    const xml = `<rss version="2.0"><channel><title>T</title><link>https://t.example/</link>
      <item><guid>a</guid><author>jane@t.example (Jane Doe)</author><description>x</description></item>
      <item><guid>b</guid><author>Bare Name</author><description>x</description></item>
      <item><guid>c</guid><dc:creator>Undeclared Prefix</dc:creator><description>x</description></item>
    </channel></rss>`;

    const feed = ok(parseFeed(xml));

    expect(feed.entries.map((e) => e.authors)).toEqual([
      [{ email: 'jane@t.example', name: 'Jane Doe' }],
      [{ name: 'Bare Name' }],
      [{ name: 'Undeclared Prefix' }],
    ]);
  });

  it('prefers FeedBurner origLink and resolves a relative item link against the channel link', () => {
    const xml = `<rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><channel>
      <title>T</title><link>https://t.example/blog/</link>
      <item><link>https://feedproxy.example/~r/x/1</link><feedburner:origLink>https://t.example/real</feedburner:origLink><description>x</description></item>
      <item><link>posts/2</link><description>y</description></item>
    </channel></rss>`;

    const feed = ok(parseFeed(xml));

    expect(feed.entries.map((e) => e.link)).toEqual([
      'https://t.example/real',
      'https://t.example/blog/posts/2',
    ]);
  });

  it('reads RSS 1.0 (RDF)', () => {
    const xml = `<?xml version="1.0"?>
      <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <channel rdf:about="https://r.example/"><title>RDF feed</title><link>https://r.example/</link></channel>
        <item rdf:about="https://r.example/1"><title>One</title><link>https://r.example/1</link>
          <description>First</description><dc:date>2026-11-20T10:00:00Z</dc:date><dc:creator>Rae</dc:creator></item>
      </rdf:RDF>`;

    const feed = ok(parseFeed(xml));

    expect(feed.format).toBe('rdf');
    expect(feed.entries).toEqual([
      expect.objectContaining({
        guid: 'https://r.example/1',
        link: 'https://r.example/1',
        published: '2026-11-20T10:00:00Z',
        authors: [{ name: 'Rae' }],
      }),
    ]);
  });
});

describe('parseFeed: Atom 1.0', () => {
  it('reads Blogger: escaped HTML content, several authors, the alternate link among many, categories', () => {
    const feed = ok(parseFeed(fixture('blogger-atom.xml')));

    expect(feed).toMatchObject({
      format: 'atom',
      title: 'Lahore Commuter Diaries',
      link: 'https://commuter.example.pk/',
    });
    expect(feed.authors).toEqual([
      {
        name: 'Commuter Diaries',
        email: 'noreply@blogger.example',
        url: 'http://www.blogger.example/profile/000111',
      },
    ]);
    const [first, second] = feed.entries;
    expect(first).toMatchObject({
      guid: 'tag:blogger.com,1999:blog-7712345678901234567.post-3141592653589793238',
      link: 'https://commuter.example.pk/2026/11/740-to-anarkali.html',
      published: '2026-11-25T08:45:00.003+05:00',
      categories: ['Transport', 'Metro'],
    });
    expect(first?.authors.map((a) => a.name)).toEqual(['Ayesha Khan', 'Bilal Ahmed']);
    expect(first?.content).toEqual({
      kind: 'html',
      value: expect.stringContaining('<p>The bus was late, <b>again</b>.'),
    });
    expect(first?.media).toEqual([
      { url: 'https://blogger.googleusercontent.example/img/b/R29v/s72-c/bus.jpg', medium: 'image' },
    ]);
    expect(second?.content).toEqual({
      kind: 'text',
      value: 'Fares go up on Monday.\n\nThe student pass stays at 1,000 rupees <for now>.',
    });
  });

  it('reads xhtml content and titles, xml:base, enclosure links and category labels', () => {
    const feed = ok(parseFeed(fixture('atom-xhtml.xml'), { url: 'https://notes.example.io/blog/atom.xml' }));

    expect(feed.language).toBe('en');
    const [entry] = feed.entries;
    expect(entry).toMatchObject({
      link: 'https://notes.example.io/blog/2026/maps-and-territories',
      base: 'https://notes.example.io/blog/2026/',
      categories: ['Geography', 'essays'],
      media: [{ url: 'https://notes.example.io/blog/audio/maps.mp3', type: 'audio/mpeg' }],
      authors: [
        { name: 'Lena Fischer', email: 'lena@example.io', url: 'https://lena.example.io/' },
        { name: 'Tomás Ruiz' },
      ],
    });
    expect(entry?.title).toEqual({ kind: 'html', value: 'Maps &amp; <b>territories</b>' });
    expect(entry?.content?.kind).toBe('html');
    expect(entry?.content?.value).toContain(
      '<p>Every map is an <em>argument</em>. This one, <a href="maps/coast.png">',
    );
    expect(entry?.content?.value).toContain('<img src="img/coast-small.png" alt="The coast, drawn in 1820">');
    expect(entry?.content?.value).not.toContain('</img>');
  });

  it('reads an Atom feed written with an atom: prefix the same as one with a default namespace', () => {
    const xml = `<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>P</a:title>
      <a:entry><a:id>urn:x:1</a:id><a:title>E</a:title><a:link href="https://p.example/1"/><a:updated>2026-11-01T00:00:00Z</a:updated>
      <a:content type="html">&lt;p&gt;hi&lt;/p&gt;</a:content></a:entry></a:feed>`;

    const [entry] = ok(parseFeed(xml)).entries;

    expect(entry).toMatchObject({
      guid: 'urn:x:1',
      link: 'https://p.example/1',
      updated: '2026-11-01T00:00:00Z',
      content: { kind: 'html', value: '<p>hi</p>' },
    });
  });

  it('names Atom 0.3 as unsupported', () => {
    const xml = '<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>old</title></feed>';

    expect(reason(parseFeed(xml))).toMatch(/Atom 0\.3/);
  });
});

describe('parseFeed: JSON Feed', () => {
  it('reads 1.1: authors, numeric ids, external_url, content_text, and reports an item that is not an object', () => {
    const feed = ok(parseFeed(fixture('json-feed.json'), { contentType: 'application/feed+json' }));

    expect(feed).toMatchObject({
      format: 'json',
      title: 'Small Press Weekly',
      link: 'https://smallpress.example/',
    });
    expect(feed.problems).toEqual([{ position: 3, reason: 'not an object' }]);
    const [first, second, fourth] = feed.entries;
    expect(first).toMatchObject({
      position: 1,
      guid: '2026-11-24-printing',
      authors: [{ name: 'Mira Patel', url: 'https://smallpress.example/mira' }],
      categories: ['printing', 'craft', 'Printing'],
      media: [{ url: 'https://smallpress.example/img/press-large.jpg', medium: 'image' }],
      language: 'en-GB',
    });
    expect(second).toMatchObject({
      position: 2,
      guid: '42',
      link: 'https://elsewhere.example/great-essay',
      content: { kind: 'text', value: expect.stringContaining('Worth your evening.') },
    });
    expect(fourth).toMatchObject({ position: 4, guid: 'no-content' });
    expect(fourth?.content).toBeUndefined();
  });

  it('reads 1.0 with a single author object', () => {
    const doc = {
      version: 'https://jsonfeed.org/version/1',
      title: 'Old',
      author: { name: 'Solo Writer' },
      items: [{ id: 'a', content_html: '<p>x</p>' }],
    };

    const feed = ok(parseFeed(JSON.stringify(doc)));

    expect(feed.authors).toEqual([{ name: 'Solo Writer' }]);
  });

  it.each([
    [
      'an unknown version',
      fixture('json-feed-wrong-version.json'),
      /version "https:\/\/jsonfeed\.org\/version\/2\.0" is not supported/,
    ],
    ['no version', '{"title":"x","items":[]}', /JSON without a JSON Feed "version"/],
    ['no items list', '{"version":"https://jsonfeed.org/version/1.1","items":{}}', /without an "items" list/],
    ['an array', '[1,2,3]', /not a JSON Feed object/],
    ['malformed JSON', '{"version": "https://jsonfeed.org/version/1.1", "items": [', /^malformed JSON: /],
  ])('refuses JSON with %s', (_name, body, expected) => {
    expect(reason(parseFeed(body))).toMatch(expected);
  });
});

describe('parseFeed: detection and bad documents', () => {
  it('sniffs the content, not the Content-Type: a feed served as text/html is still a feed', () => {
    const feed = ok(parseFeed(fixture('wordpress-rss.xml'), { contentType: 'text/html; charset=utf-8' }));

    expect(feed.entries).toHaveLength(2);
  });

  it('says an HTML page is not a feed, and names the feed the page announces', () => {
    const r = parseFeed(fixture('html-page.html'), {
      url: 'https://voices.example.com/',
      contentType: 'text/xml',
    });

    expect(r).toEqual({
      ok: false,
      reason: 'not a feed: an HTML page (it names a feed at https://voices.example.com/feed/)',
      feedLinks: ['https://voices.example.com/feed/', 'https://voices.example.com/comments/feed/'],
    });
  });

  it('says where XML is malformed', () => {
    expect(reason(parseFeed(fixture('broken.xml')))).toBe(
      "malformed XML at line 8, column 1: Expected closing tag 'item' (opened in line 5, col 1) instead of closing tag 'channel'.",
    );
  });

  it.each([
    ['empty', '', 'not a feed: the response is empty'],
    ['whitespace', ' \n\t', 'not a feed: the response is empty'],
    ['plain text', 'Service temporarily unavailable', 'not a feed: the response is neither XML nor JSON'],
    ['binary garbage', '\u0000\u0001\u0002PNG', 'not a feed: the response is neither XML nor JSON'],
    [
      'another XML vocabulary',
      '<svg xmlns="http://www.w3.org/2000/svg"/>',
      'not a feed: an XML document whose root element is <svg>',
    ],
    ['RSS without a channel', '<rss version="2.0"></rss>', 'not a feed: an RSS document without a <channel>'],
  ])('refuses %s with a readable reason', (_name, body, expected) => {
    expect(reason(parseFeed(body))).toBe(expected);
  });
});

describe('parseFeed: charsets', () => {
  const latin1Feed = (encoding: string, title: string) =>
    `<?xml version="1.0" encoding="${encoding}"?><rss version="2.0"><channel><title>${title}</title></channel></rss>`;

  it('decodes by the XML declaration (ISO-8859-1)', () => {
    const bytes = new Uint8Array(Buffer.from(latin1Feed('ISO-8859-1', 'Café Noël'), 'latin1'));

    expect(ok(parseFeed(bytes)).title).toBe('Café Noël');
  });

  it('decodes by the Content-Type charset, which wins over the declaration (windows-1251)', () => {
    // "Новости" in windows-1251.
    const title = Buffer.from([0xcd, 0xee, 0xe2, 0xee, 0xf1, 0xf2, 0xe8]);
    const bytes = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>'),
      title,
      Buffer.from('</title></channel></rss>'),
    ]);

    expect(
      ok(parseFeed(new Uint8Array(bytes), { contentType: 'application/rss+xml; charset=windows-1251' }))
        .title,
    ).toBe('Новости');
  });

  it('decodes UTF-16 with a byte-order mark', () => {
    const text = '<rss version="2.0"><channel><title>عنوان</title></channel></rss>';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

    expect(ok(parseFeed(new Uint8Array(bytes))).title).toBe('عنوان');
  });

  it('falls back to UTF-8 for an unknown charset name', () => {
    const bytes = new Uint8Array(Buffer.from(latin1Feed('x-no-such-charset', 'ok ✓')));

    expect(ok(parseFeed(bytes)).title).toBe('ok ✓');
  });
});

describe('parseFeed: hostile XML', () => {
  it('never expands DOCTYPE entities: a billion laughs stays one literal reference', () => {
    const feed = ok(parseFeed(fixture('hostile-rss.xml')));

    expect(feed.title).toBe('&lol9; Hostile');
    expect(feed.entries[0]?.title?.value.length).toBeLessThan(200);
  });

  it('refuses external entities (XXE)', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
      <rss version="2.0"><channel><title>&xxe;</title></channel></rss>`;

    const r = parseFeed(xml);

    expect(reason(r)).toMatch(/^malformed XML: External entities are not supported/);
  });

  it('refuses absurd nesting with a reason instead of exhausting the stack', () => {
    const xml = `<rss version="2.0"><channel><item><description>${'<a>'.repeat(50_000)}x${'</a>'.repeat(50_000)}</description></item></channel></rss>`;

    expect(reason(parseFeed(xml))).toBe('XML nested more than 100 levels deep');
  });
});
