/**
 * Stable article ids for feed items: derived from the item's guid/id (else its link), never
 * from its title, so an edited title is an update of the same article. The id fits Herald's
 * rule (`ARTICLE_ID_PATTERN`: 1–40 of a–z, 0–9, `-`): a readable slug taken from the key,
 * then 12 base-36 characters of its SHA-256 (about 62 bits, so two keys meeting is not a
 * practical concern).
 */
import { createHash } from 'node:crypto';

import { ARTICLE_ID_PATTERN } from '../core/ids';

const HASH_CHARS = 12;
/** 40 characters in all: the slug, a dash, the hash. */
const MAX_SLUG = 40 - HASH_CHARS - 1;

/**
 * The key that identifies an item across polls. A guid that is an absolute URI or URN is
 * global by itself; a bare one ("123", as JSON Feeds and some CMSs write) is only unique
 * within its feed, so it is qualified with the feed's URL. The scheme is dropped so a site's
 * move from http to https does not duplicate its articles.
 */
export function itemKey(guidOrLink: string, feedUrl: string): string {
  const key = guidOrLink.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(key)) return stripScheme(key);
  return `${stripScheme(feedUrl.trim()).replace(/\/+$/, '')}#${key}`;
}

function stripScheme(s: string): string {
  return s.replace(/^https?:\/\//i, '');
}

/** The article id for an item key (see {@link itemKey}). Deterministic; always matches `ARTICLE_ID_PATTERN`. */
export function articleIdFor(key: string): string {
  const hash = BigInt(`0x${createHash('sha256').update(key).digest('hex').slice(0, 16)}`)
    .toString(36)
    .padStart(HASH_CHARS, '0')
    .slice(-HASH_CHARS);
  const slug = slugFromKey(key);
  const id = slug === '' ? hash : `${slug}-${hash}`;
  // The pattern is the contract with the rest of Herald; a slug rule change must not break it.
  return ARTICLE_ID_PATTERN.test(id) ? id : hash;
}

/**
 * The most telling part of a key: a URL's last path segment ("my-post"), the last dotted part
 * of a tag URI ("post-456" of Blogger's "blog-123.post-456"), a query when there is no path
 * ("p-4211" of WordPress's "?p=4211"). A UUID says nothing to a reader: no slug.
 */
function slugFromKey(key: string): string {
  if (/^urn:/i.test(key)) return '';
  const [path = '', query = ''] = key.split('#')[0]?.split('?') ?? [];
  const segments = path.split(/[/:]/).filter((s) => s !== '');
  // A host alone ("example.com/") is no slug.
  const last = segments.length > 1 ? (segments[segments.length - 1] ?? '') : '';
  const parts = last.replace(/\.(html?|php|aspx?)$/i, '').split('.');
  const slug = slugify(parts[parts.length - 1] ?? '');
  return slug !== '' ? slug : slugify(query);
}

/** Lower-case ASCII letters and digits joined by single dashes, at most {@link MAX_SLUG} long. */
export function slugify(s: string): string {
  const ascii = s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return ascii.slice(0, MAX_SLUG).replace(/-+$/, '');
}
