/**
 * Plain text out of feed HTML (titles, author names, captions), and the feed links an HTML
 * page announces. Both on htmlparser2: tags are parsed, never matched with patterns.
 */

import { type ChildNode, isTag } from 'domhandler';
import { decodeHTML } from 'entities';

import { HtmlTooDeepError, parseHtml } from './html-dom';
import { textContent } from './html-to-markdown';
import { resolveHttpUrl } from './urls';

/** Collapses whitespace (no-break spaces and line breaks included) and trims. */
export function cleanText(s: string): string {
  return s.replace(/[\s\u00a0]+/g, ' ').trim();
}

/** The text of an HTML fragment: entities decoded, tags (and scripts, styles) dropped, whitespace collapsed. */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return cleanText(html);
  try {
    return cleanText(
      parseHtml(html)
        .children.map((c) => textContent(c))
        .join(''),
    );
  } catch (err) {
    if (err instanceof HtmlTooDeepError) return '';
    throw err;
  }
}

/**
 * Text that is plain by its format but in practice often carries entities (a JSON Feed
 * title with `&amp;`): entities decoded, tags kept as the literal text they are.
 */
export function plainText(s: string): string {
  return cleanText(decodeHTML(s));
}

const FEED_TYPES = new Set(['application/rss+xml', 'application/atom+xml', 'application/feed+json']);

/**
 * The feeds an HTML page names in `<link rel="alternate" type="application/rss+xml" href>`
 * (how sites announce their feed), resolved against the page's URL.
 */
export function findFeedLinks(html: string, pageUrl?: string): string[] {
  let doc: ReturnType<typeof parseHtml>;
  try {
    doc = parseHtml(html);
  } catch (err) {
    if (err instanceof HtmlTooDeepError) return [];
    throw err;
  }
  const out: string[] = [];
  const stack: ChildNode[] = [...doc.children];
  while (stack.length > 0 && out.length < 5) {
    const n = stack.shift();
    if (!n || !isTag(n)) continue;
    if (n.name === 'link') {
      const rel = (n.attribs['rel'] ?? '').toLowerCase().split(/\s+/);
      const type = (n.attribs['type'] ?? '').toLowerCase().trim();
      const href = resolveHttpUrl(n.attribs['href'], pageUrl);
      if (rel.includes('alternate') && FEED_TYPES.has(type) && href && !out.includes(href)) out.push(href);
    }
    if (n.name !== 'body') stack.push(...n.children);
  }
  return out;
}
