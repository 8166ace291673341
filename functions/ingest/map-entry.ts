/**
 * One feed entry to Herald's article input: the body as article Markdown, the title as plain
 * text, the date, the tags, the URL. Pure: the id, the author's handle and the clock come in.
 * The result is checked against the article schema, so what leaves here publishes.
 */
import { createHash } from 'node:crypto';

import { HANDLE_PATTERN } from '../core/ids';
import { canonicalLanguage } from '../core/language';
import { type ArticleInput, articleInputSchema } from '../core/model';
import { normaliseTags } from '../core/tags';
import { truncate } from '../core/text';
import { parseFeedDate } from './dates';
import { HtmlTooDeepError } from './html-dom';
import { cleanText, htmlToText, plainText } from './html-text';
import { escapeMarkdown, htmlToMarkdown, type MarkdownResult, textToMarkdown } from './html-to-markdown';
import type { FeedContent, FeedEntry, FeedMedia, ParsedFeed } from './types';

/** The article schema's limits. */
const MAX_BODY = 200_000;
const MAX_TITLE = 300;
/** A title made from the body when the feed gives none. */
const DERIVED_TITLE = 80;
/** Clock skew tolerated before a date counts as "in the future". */
export const FUTURE_SKEW_MS = 10 * 60_000;

/** An entry mapped to what Herald stores. */
export interface MappedItem {
  article: ArticleInput;
  /** From the item's categories: trimmed, de-duplicated (case-insensitively), at most 10 of 50 characters. */
  tags: string[];
  /** The item's first picture, for a card. */
  image?: string;
  /**
   * BCP 47 language tag the feed declared for the item (`xml:lang`, JSON Feed `language`) or
   * itself (RSS `<language>`, `dc:language`), in canonical form (`en_us` → `en-US`); also on
   * `article`. An invalid tag counts as none, and publishing then detects the language.
   */
  language?: string;
  /** The feed carried only a summary: the body is that summary and `article.url` leads to the full text. */
  summaryOnly: boolean;
  /** Whether `publishedAt` is the feed's date, or the time Herald first saw an item without a usable one. */
  dateSource: 'feed' | 'first-seen';
  /** Fingerprint of everything stored: equal on the next poll means nothing to write. */
  fingerprint: string;
  /** What was adjusted ("dated in the future", "body cut at 200,000 characters"); for logs, no item text. */
  warnings: string[];
}

export type MapResult = { ok: true; item: MappedItem } | { ok: false; reason: string };

export interface MapContext {
  feed: ParsedFeed;
  /** The feed's URL: the last resort for resolving relative links. */
  feedUrl: string;
  id: string;
  authorHandle: string;
  now: Date;
  /** When Herald first saw this item (from the source state), for items without a usable date. */
  firstSeenAt?: string;
}

/** Maps an entry; an entry that cannot become an article comes back with the reason. */
export function mapEntry(entry: FeedEntry, ctx: MapContext): MapResult {
  const warnings: string[] = [];
  const url = entry.link;
  const source = entry.content ?? entry.summary;
  const summaryOnly = entry.content === undefined && entry.summary !== undefined;
  const title = titleText(entry.title);
  const base = entry.base ?? url ?? ctx.feed.link ?? ctx.feedUrl;
  let converted: MarkdownResult | undefined;
  try {
    converted = source ? toMarkdown(source, base, title) : undefined;
  } catch (err) {
    if (err instanceof HtmlTooDeepError) return { ok: false, reason: err.message };
    throw err;
  }
  const body = withMedia(converted, entry.media, url);
  if (body.markdown.trim() === '') return { ok: false, reason: 'empty content' };
  if (body.truncated) warnings.push(`body cut at ${MAX_BODY.toLocaleString('en')} characters`);

  const finalTitle = title || derivedTitle(body.markdown);
  if (finalTitle === '') return { ok: false, reason: 'no title and no text to make one from' };

  const { publishedAt, dateSource, warning } = pickDate(entry, ctx);
  if (warning) warnings.push(warning);
  const language = canonicalLanguage(entry.language ?? '') ?? canonicalLanguage(ctx.feed.language ?? '');

  const article: ArticleInput = {
    id: ctx.id,
    title: truncate(finalTitle, MAX_TITLE),
    authorHandle: ctx.authorHandle,
    body: body.markdown,
    ...(url ? { url } : {}),
    publishedAt,
    ...(language ? { language } : {}),
  };
  const checked = articleInputSchema.safeParse(article);
  if (!checked.success) {
    const issues = checked.error.issues
      .map((i) => `${i.path.map(String).join('.')}: ${i.message}`)
      .join('; ');
    return { ok: false, reason: `not a valid article (${issues})` };
  }
  // Categories are plain text (entities decoded), then one normal form with every other way in.
  const tags = normaliseTags(entry.categories.map(plainText));
  const image = body.images[0];
  return {
    ok: true,
    item: {
      article: checked.data,
      tags,
      ...(image ? { image } : {}),
      ...(language ? { language } : {}),
      summaryOnly,
      dateSource,
      fingerprint: fingerprint(checked.data, tags, image),
      warnings,
    },
  };
}

/**
 * The item attributed to `handle` (its fingerprint follows). Lets a caller map an entry
 * before resolving its author, so an entry that cannot be stored creates no author.
 */
export function assignAuthor(item: MappedItem, handle: string): MappedItem {
  if (!HANDLE_PATTERN.test(handle)) throw new Error(`"${handle}" is not a valid author handle`);
  const article = { ...item.article, authorHandle: handle };
  return { ...item, article, fingerprint: fingerprint(article, item.tags, item.image) };
}

function titleText(t: FeedContent | undefined): string {
  if (!t) return '';
  return t.kind === 'html' ? htmlToText(t.value) : plainText(t.value);
}

function toMarkdown(c: FeedContent, base: string, title: string): MarkdownResult {
  // Room is kept for a lead picture and a continuation link added after conversion.
  const maxLength = MAX_BODY - 5_000;
  return c.kind === 'html'
    ? htmlToMarkdown(c.value, { baseUrl: base, maxLength, title })
    : textToMarkdown(c.value, maxLength);
}

const IMAGE_EXT = /\.(jpe?g|png|gif|webp|avif)(\?|$)/i;
const isImage = (m: FeedMedia) =>
  m.medium === 'image' ||
  (m.type?.startsWith('image/') ?? false) ||
  (!m.type && !m.medium && IMAGE_EXT.test(m.url));

/**
 * Adds the feed's media to the body: the first picture on top when the body has none, and
 * other attachments (audio, video, documents) as links at the end. A truncated body ends
 * with a link to the rest.
 */
function withMedia(
  converted: MarkdownResult | undefined,
  media: readonly FeedMedia[],
  url: string | undefined,
): MarkdownResult {
  const blocks: string[] = [];
  const images = [...(converted?.images ?? [])];
  const picture = media.find(isImage);
  if (picture && images.length === 0) {
    blocks.push(`![${escapeMarkdown(cleanText(picture.caption ?? ''))}](${encodeParens(picture.url)})`);
    images.push(picture.url);
  }
  if (converted && converted.markdown !== '') blocks.push(converted.markdown);
  if (converted?.truncated && url) blocks.push(`[…](${encodeParens(url)})`);
  for (const m of media) {
    if (isImage(m) || converted?.markdown.includes(encodeParens(m.url))) continue;
    const name = m.caption ?? decodeURIComponentSafe(new URL(m.url).pathname.split('/').pop() ?? '') ?? m.url;
    blocks.push(`[${escapeMarkdown(cleanText(name) || m.url)}](${encodeParens(m.url)})`);
  }
  return { markdown: blocks.join('\n\n'), images, truncated: converted?.truncated ?? false };
}

function decodeURIComponentSafe(s: string): string | undefined {
  try {
    return decodeURIComponent(s) || undefined;
  } catch {
    return s || undefined;
  }
}

const encodeParens = (u: string) => u.replace(/\(/g, '%28').replace(/\)/g, '%29');

/** The first words of the body, when the feed gives no title (RSS allows that). */
function derivedTitle(markdown: string): string {
  const text = cleanText(
    markdown
      .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\\(.)/g, '$1')
      .replace(/[*`#>]/g, ' '),
  );
  return text === '' ? '' : truncate(text, DERIVED_TITLE);
}

function pickDate(
  entry: FeedEntry,
  ctx: MapContext,
): { publishedAt: string; dateSource: 'feed' | 'first-seen'; warning?: string } {
  const date = parseFeedDate(entry.published) ?? parseFeedDate(entry.updated);
  const firstSeen = ctx.firstSeenAt ?? ctx.now.toISOString();
  if (!date) {
    const hadText = entry.published !== undefined || entry.updated !== undefined;
    return {
      publishedAt: firstSeen,
      dateSource: 'first-seen',
      warning: hadText ? 'unreadable date; dated when first seen' : 'no date; dated when first seen',
    };
  }
  if (date.getTime() > ctx.now.getTime() + FUTURE_SKEW_MS) {
    // A future date would pin the article to the top of "latest"; it is dated when seen until that date comes.
    return {
      publishedAt: firstSeen,
      dateSource: 'first-seen',
      warning: 'dated in the future; dated when first seen',
    };
  }
  return { publishedAt: date.toISOString(), dateSource: 'feed' };
}

function fingerprint(article: ArticleInput, tags: readonly string[], image: string | undefined): string {
  const json = JSON.stringify([
    article.title,
    article.authorHandle,
    article.body,
    article.url ?? '',
    article.publishedAt,
    tags,
    image ?? '',
    // Only when declared, so items stored before articles had a language keep their fingerprint.
    ...(article.language ? [article.language] : []),
  ]);
  return createHash('sha256').update(json).digest('base64url').slice(0, 16);
}
