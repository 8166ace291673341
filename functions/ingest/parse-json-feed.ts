/**
 * JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) to {@link ParsedFeed}. The
 * document is untrusted JSON: every field is checked for its type, a wrong one is ignored,
 * and an item that is not an object is reported, not fatal.
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

const VERSION = /^https?:\/\/jsonfeed\.org\/version\/(\d+(?:\.\d+)?)\/?$/;
const SUPPORTED = new Set(['1', '1.1']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** Reads a parsed JSON document as a JSON Feed, or throws {@link NotAFeedError} saying why not. */
export function readJsonFeed(doc: unknown, documentUrl?: string): ParsedFeed {
  if (!isObj(doc)) throw new NotAFeedError('not a feed: JSON that is not a JSON Feed object');
  const version = str(doc['version']);
  if (version === undefined) throw new NotAFeedError('not a feed: JSON without a JSON Feed "version"');
  const v = VERSION.exec(version.trim())?.[1];
  if (v === undefined || !SUPPORTED.has(v)) {
    throw new NotAFeedError(
      `JSON Feed version "${version.slice(0, 60)}" is not supported (Herald reads 1 and 1.1)`,
    );
  }
  if (!Array.isArray(doc['items']))
    throw new NotAFeedError('not a feed: a JSON Feed without an "items" list');
  const link = resolveHttpUrl(str(doc['home_page_url']), documentUrl);
  const base = link ?? documentUrl;
  const entries: FeedEntry[] = [];
  const problems: ParsedFeed['problems'] = [];
  doc['items'].forEach((item: unknown, i: number) => {
    if (isObj(item)) entries.push(readItem(item, base, i + 1));
    else problems.push({ position: i + 1, reason: 'not an object' });
  });
  return {
    format: 'json',
    title: str(doc['title']),
    link,
    language: str(doc['language']),
    authors: readAuthors(doc),
    entries,
    problems,
  };
}

/** 1.1's `authors` list, else 1.0's single `author`. */
function readAuthors(o: Obj): FeedPerson[] {
  const list = Array.isArray(o['authors']) ? o['authors'] : isObj(o['author']) ? [o['author']] : [];
  const out: FeedPerson[] = [];
  for (const a of list) {
    if (!isObj(a)) continue;
    const name = str(a['name']);
    const url = resolveHttpUrl(str(a['url']));
    if (name) out.push({ name: cleanText(name), ...(url ? { url } : {}) });
  }
  return out;
}

function readItem(item: Obj, base: string | undefined, position: number): FeedEntry {
  const id = item['id'];
  const guid = typeof id === 'number' && Number.isFinite(id) ? String(id) : str(id)?.trim();
  // A link post's own url may be missing; external_url is where it points.
  const link = resolveHttpUrl(str(item['url']), base) ?? resolveHttpUrl(str(item['external_url']), base);
  const contentHtml = str(item['content_html']);
  const contentText = str(item['content_text']);
  const content: FeedContent | undefined = contentHtml
    ? { kind: 'html', value: contentHtml }
    : contentText
      ? { kind: 'text', value: contentText }
      : undefined;
  const summary = str(item['summary']);
  const title = str(item['title']);
  const media: FeedMedia[] = [];
  for (const key of ['image', 'banner_image']) {
    const url = resolveHttpUrl(str(item[key]), base);
    if (url && !media.some((m) => m.url === url)) media.push({ url, medium: 'image' });
  }
  if (Array.isArray(item['attachments'])) {
    for (const a of item['attachments']) {
      if (!isObj(a)) continue;
      const url = resolveHttpUrl(str(a['url']), base);
      const type = str(a['mime_type']);
      const caption = str(a['title']);
      if (url && !media.some((m) => m.url === url)) {
        media.push({ url, ...(type ? { type: type.toLowerCase() } : {}), ...(caption ? { caption } : {}) });
      }
    }
  }
  const tags = Array.isArray(item['tags'])
    ? item['tags'].filter((t): t is string => typeof t === 'string')
    : [];
  return {
    position,
    guid,
    link,
    title: title ? { kind: 'text', value: title } : undefined,
    content,
    summary: summary ? { kind: 'text', value: summary } : undefined,
    published: str(item['date_published']),
    updated: str(item['date_modified']),
    authors: readAuthors(item),
    categories: tags,
    media,
    base: link ?? base,
    ...(str(item['language']) ? { language: str(item['language']) } : {}),
  };
}
