/**
 * RSS 2.0, RSS 1.0 (RDF) and Atom 1.0 documents to {@link ParsedFeed}. The XML itself is
 * parsed by fast-xml-parser (see xml-tree.ts); this module only reads the feed vocabularies.
 */
import { cleanText } from './html-text';
import {
  type FeedContent,
  type FeedEntry,
  type FeedMedia,
  type FeedPerson,
  NotAFeedError,
  type ParsedFeed,
} from './types';
import { resolveHttpUrl } from './urls';
import {
  child,
  children,
  childText,
  localName,
  serializeChildrenAsHtml,
  textOf,
  type XmlElement,
} from './xml-tree';

/** Reads a parsed XML document as a feed. `documentUrl` resolves relative links. */
export function readXmlFeed(root: XmlElement, documentUrl?: string): ParsedFeed {
  switch (root.name) {
    case 'rss':
      return readRss(root, documentUrl);
    case 'rdf:RDF':
      return readRdf(root, documentUrl);
    case 'atom:feed':
      return readAtom(root, documentUrl);
    case 'atom03:feed':
      throw new NotAFeedError('not a feed Herald reads: Atom 0.3 (ask the site for Atom 1.0 or RSS 2.0)');
    default:
      if (localName(root.name).toLowerCase() === 'html') throw new NotAFeedError('not a feed: an HTML page');
      throw new NotAFeedError(`not a feed: an XML document whose root element is <${localName(root.name)}>`);
  }
}

const html = (value: string | undefined): FeedContent | undefined =>
  value === undefined || value.trim() === '' ? undefined : { kind: 'html', value };

/** RSS `author` is "jdoe@example.com (Jane Doe)" by the spec, and a bare name in practice. */
function rssPerson(text: string | undefined): FeedPerson | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*([^\s()<>@]+@[^\s()<>@]+)\s*(?:\((.*)\))?\s*$/.exec(text);
  if (m) {
    const name = m[2] === undefined ? undefined : cleanText(m[2]) || undefined;
    return { email: m[1], ...(name ? { name } : {}) };
  }
  const name = cleanText(text);
  return name === '' ? undefined : { name };
}

const people = (values: (FeedPerson | undefined)[]): FeedPerson[] =>
  values.filter((p): p is FeedPerson => p !== undefined);

function readRss(rss: XmlElement, documentUrl: string | undefined): ParsedFeed {
  const channel = child(rss, 'channel');
  if (!channel) throw new NotAFeedError('not a feed: an RSS document without a <channel>');
  const link = resolveHttpUrl(childText(channel, 'link'), documentUrl) ?? alternateLink(channel, documentUrl);
  const base = link ?? documentUrl;
  // RSS 0.9x put items beside the channel; RSS 2.0 inside it.
  const items = [...children(channel, 'item'), ...children(rss, 'item')];
  return {
    format: 'rss',
    title: childText(channel, 'title'),
    link,
    language: childText(channel, 'language') ?? childText(channel, 'dc:language'),
    authors: people([
      ...children(channel, 'dc:creator').map((c) => rssPerson(textOf(c))),
      rssPerson(childText(channel, 'managingEditor')),
    ]),
    entries: items.map((item, i) => readRssItem(item, base, i + 1)),
    problems: [],
  };
}

function readRssItem(item: XmlElement, base: string | undefined, position: number): FeedEntry {
  const guidEl = child(item, 'guid');
  const guid = guidEl ? cleanText(textOf(guidEl)) || undefined : undefined;
  const permalink = guidEl?.attrs['isPermaLink'] !== 'false' ? resolveHttpUrl(guid) : undefined;
  // FeedBurner rewrites <link> to its own redirector and keeps the real one in origLink.
  const origLink = children(item, '{http://rssnamespace.org/feedburner/ext/1.0}origLink')[0];
  const link =
    resolveHttpUrl(origLink ? textOf(origLink) : undefined, base) ??
    resolveHttpUrl(childText(item, 'link'), base) ??
    alternateLink(item, base) ??
    permalink;
  return {
    position,
    guid,
    link,
    title: html(childText(item, 'title')),
    content: html(childText(item, 'content:encoded')),
    summary: html(childText(item, 'description')),
    published: childText(item, 'pubDate') ?? childText(item, 'dc:date'),
    updated: childText(item, 'atom:updated') ?? childText(item, 'dcterms:modified'),
    authors: people([
      ...children(item, 'dc:creator').map((c) => rssPerson(textOf(c))),
      rssPerson(childText(item, 'author')),
    ]),
    categories: [...children(item, 'category'), ...children(item, 'dc:subject')].map((c) => textOf(c)),
    media: readMedia(item, base),
    base: link ?? base,
  };
}

function readRdf(rdf: XmlElement, documentUrl: string | undefined): ParsedFeed {
  const channel = child(rdf, 'rss1:channel');
  if (!channel) throw new NotAFeedError('not a feed: an RDF document without an RSS 1.0 channel');
  const link = resolveHttpUrl(childText(channel, 'rss1:link'), documentUrl);
  const base = link ?? documentUrl;
  return {
    format: 'rdf',
    title: childText(channel, 'rss1:title'),
    link,
    language: childText(channel, 'dc:language'),
    authors: people(children(channel, 'dc:creator').map((c) => rssPerson(textOf(c)))),
    entries: children(rdf, 'rss1:item').map((item, i) => {
      const itemLink = resolveHttpUrl(childText(item, 'rss1:link'), base);
      return {
        position: i + 1,
        guid: item.attrs['rdf:about'] ?? itemLink,
        link: itemLink,
        title: html(childText(item, 'rss1:title')),
        content: html(childText(item, 'content:encoded')),
        summary: html(childText(item, 'rss1:description')),
        published: childText(item, 'dc:date'),
        updated: childText(item, 'dcterms:modified'),
        authors: people(children(item, 'dc:creator').map((c) => rssPerson(textOf(c)))),
        categories: children(item, 'dc:subject').map((c) => textOf(c)),
        media: readMedia(item, base),
        base: itemLink ?? base,
      };
    }),
    problems: [],
  };
}

/** `<atom:link rel="alternate" href>` (Atom's own links, and RSS feeds that borrow them). */
function alternateLink(el: XmlElement, base: string | undefined): string | undefined {
  const links = children(el, 'atom:link');
  const alt =
    links.find(
      (l) => (l.attrs['rel'] ?? 'alternate') === 'alternate' && /html/i.test(l.attrs['type'] ?? 'html'),
    ) ?? links.find((l) => (l.attrs['rel'] ?? 'alternate') === 'alternate');
  return resolveHttpUrl(alt?.attrs['href'], base);
}

/** enclosure, media:content (also inside media:group), media:thumbnail. */
function readMedia(el: XmlElement, base: string | undefined): FeedMedia[] {
  const out: FeedMedia[] = [];
  const add = (url: string | undefined, type?: string, medium?: string, caption?: string) => {
    const resolved = resolveHttpUrl(url, base);
    if (!resolved || out.some((m) => m.url === resolved)) return;
    out.push({
      url: resolved,
      ...(type ? { type: type.toLowerCase() } : {}),
      ...(medium ? { medium: medium.toLowerCase() } : {}),
      ...(caption ? { caption } : {}),
    });
  };
  const itemCaption = childText(el, 'media:description') ?? childText(el, 'media:title');
  for (const enc of children(el, 'enclosure')) add(enc.attrs['url'], enc.attrs['type']);
  const contents = [
    ...children(el, 'media:content'),
    ...children(el, 'media:group').flatMap((g) => children(g, 'media:content')),
  ];
  for (const mc of contents) {
    const caption = childText(mc, 'media:description') ?? childText(mc, 'media:title') ?? itemCaption;
    add(mc.attrs['url'], mc.attrs['type'], mc.attrs['medium'], caption ? cleanText(caption) : undefined);
  }
  for (const link of children(el, 'atom:link')) {
    if (link.attrs['rel'] === 'enclosure') add(link.attrs['href'], link.attrs['type']);
  }
  for (const th of [
    ...children(el, 'media:thumbnail'),
    ...children(el, 'media:group').flatMap((g) => children(g, 'media:thumbnail')),
  ]) {
    add(th.attrs['url'], undefined, 'image');
  }
  return out;
}

/** Resolves an element's `xml:base` against the base in force. */
function xmlBase(el: XmlElement, base: string | undefined): string | undefined {
  const own = el.attrs['xml:base'];
  return own === undefined ? base : (resolveHttpUrl(own, base) ?? base);
}

/** An Atom text construct (`type` text, html or xhtml). */
function atomText(el: XmlElement | undefined): FeedContent | undefined {
  if (!el) return undefined;
  const type = (el.attrs['type'] ?? 'text').toLowerCase();
  if (type === 'xhtml') {
    // The content is one xhtml:div wrapper whose children are the content.
    const div = el.children.find(
      (c): c is XmlElement => typeof c !== 'string' && localName(c.name) === 'div',
    );
    const value = serializeChildrenAsHtml(div ?? el);
    return value.trim() === '' ? undefined : { kind: 'html', value };
  }
  const value = textOf(el);
  if (value.trim() === '') return undefined;
  if (type === 'html' || type === 'text/html') return { kind: 'html', value };
  if (type === 'text' || type.startsWith('text/')) return { kind: 'text', value };
  return undefined; // base64 media content: nothing to read
}

function atomPerson(el: XmlElement): FeedPerson | undefined {
  const name = childText(el, 'atom:name');
  const email = childText(el, 'atom:email');
  const url = resolveHttpUrl(childText(el, 'atom:uri'));
  if (!name && !email) return undefined;
  return { ...(name ? { name: cleanText(name) } : {}), ...(email ? { email } : {}), ...(url ? { url } : {}) };
}

function readAtom(feed: XmlElement, documentUrl: string | undefined): ParsedFeed {
  const base = xmlBase(feed, documentUrl);
  const link = alternateLink(feed, base);
  const feedTitle = atomText(child(feed, 'atom:title'));
  return {
    format: 'atom',
    title: feedTitle?.value,
    link,
    language: feed.attrs['xml:lang'],
    authors: people(children(feed, 'atom:author').map(atomPerson)),
    entries: children(feed, 'atom:entry').map((entry, i) =>
      readAtomEntry(entry, base, feed.attrs['xml:base'] !== undefined, i + 1),
    ),
    problems: [],
  };
}

/**
 * Relative URLs in an entry resolve against `xml:base` where the feed sets one (the Atom
 * rule), and otherwise against the entry's link, as readers expect.
 */
function readAtomEntry(
  entry: XmlElement,
  feedBase: string | undefined,
  feedSetsBase: boolean,
  position: number,
): FeedEntry {
  const base = xmlBase(entry, feedBase);
  const link = alternateLink(entry, base);
  const contentEl = child(entry, 'atom:content');
  // Out-of-line content (`src`) is not fetched; the summary stands in.
  const content = contentEl && contentEl.attrs['src'] === undefined ? atomText(contentEl) : undefined;
  const source = child(entry, 'atom:source');
  const authors = people(children(entry, 'atom:author').map(atomPerson));
  return {
    position,
    guid: childText(entry, 'atom:id'),
    link,
    title: atomText(child(entry, 'atom:title')),
    content,
    summary: atomText(child(entry, 'atom:summary')),
    published: childText(entry, 'atom:published') ?? childText(entry, 'atom:issued'),
    updated: childText(entry, 'atom:updated') ?? childText(entry, 'atom:modified'),
    authors:
      authors.length > 0 || !source ? authors : people(children(source, 'atom:author').map(atomPerson)),
    categories: children(entry, 'atom:category').map((c) => c.attrs['label'] ?? c.attrs['term'] ?? ''),
    media: readMedia(entry, base),
    base:
      feedSetsBase || entry.attrs['xml:base'] !== undefined || contentEl?.attrs['xml:base'] !== undefined
        ? contentEl
          ? xmlBase(contentEl, base)
          : base
        : (link ?? base),
    ...(entry.attrs['xml:lang'] ? { language: entry.attrs['xml:lang'] } : {}),
  };
}
