/**
 * Herald's domain types and the input schemas every way in (admin API, import tool, bot
 * admin commands, demo seed) validates against. Plain TypeScript + zod: no Telegram, no AWS.
 */
// zod/mini: the same validation in a tree-shakable form, so the admin, fan-out and sender
// bundles carry ~30 kB of schema code instead of ~440 kB. Its English messages are loaded once.

import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.cjs';

import { ARTICLE_ID_PATTERN, HANDLE_PATTERN } from './ids';
import { canonicalLanguage } from './language';
import { MAX_TAGS, normaliseTag } from './tags';

z.config(en());

/** A string field; a missing one says "is required" rather than naming a type. */
const text = () =>
  z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') });
/** A format's message, or "is required" when the field is missing (not "must be …", issue 17 item 18). */
const requiredOr = (message: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : message;
const isoDate = z.iso.date({ error: requiredOr('must be a date like 2008-03-15') });
const isoDateTime = z.iso.datetime({
  offset: true,
  error: requiredOr('must be an ISO 8601 date-time like 2026-11-25T08:00:00Z'),
});
const httpsUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .check(z.maxLength(2048, 'must be at most 2048 characters'));
const handle = (message: string) => text().check(z.trim(), z.toLowerCase(), z.regex(HANDLE_PATTERN, message));
const bounded = (max: number) =>
  text().check(
    z.trim(),
    z.minLength(1, 'must not be empty'),
    z.maxLength(max, `must be at most ${max} characters`),
  );

export const authorInputSchema = z.strictObject({
  handle: handle('must be 2–32 characters of a–z, 0–9 or _'),
  fullName: bounded(128),
  userSince: isoDate,
  bio: z.optional(text().check(z.trim(), z.maxLength(1000, 'must be at most 1000 characters'))),
  siteUrl: z.optional(httpsUrl),
});
export type AuthorInput = z.infer<typeof authorInputSchema>;

export const articleInputSchema = z.strictObject({
  id: text().check(
    z.regex(ARTICLE_ID_PATTERN, 'must be 1–40 characters of a–z, 0–9 or -, starting with a letter or digit'),
  ),
  title: bounded(300),
  authorHandle: handle('must be an author handle'),
  body: text().check(z.maxLength(200_000, 'must be at most 200,000 characters')),
  url: z.optional(httpsUrl),
  publishedAt: isoDateTime,
  /**
   * Topics: at most 10, stored in one normal form (core/tags.ts: case-folded, trimmed, at most
   * 32 characters, `#` dropped); repeats after normalising count once.
   */
  tags: z.optional(
    z.array(text().check(z.overwrite(normaliseTag), z.minLength(1, 'must not be empty'))).check(
      z.maxLength(MAX_TAGS, `must have at most ${MAX_TAGS} tags`),
      z.overwrite((tags) => [...new Set(tags)]),
    ),
  ),
  /** BCP 47 tag (`en`, `ar`, `ur-PK`), stored in canonical form; detected from the script when absent. */
  language: z.optional(
    text().check(
      z.refine(
        (t) => canonicalLanguage(t) !== undefined,
        'must be a BCP 47 language tag like en, ar or ur-PK',
      ),
      // Runs after a failed refine too, so it must not throw: an invalid tag is left as it is.
      z.overwrite((t) => canonicalLanguage(t) ?? t),
    ),
  ),
});
export type ArticleInput = z.infer<typeof articleInputSchema>;

/** An author as stored (the profile item). */
export interface Author extends AuthorInput {
  /** "No of voices": published articles. */
  articleCount: number;
  subscriberCount: number;
}

/** The small, hot article item: everything a card needs, no body (a view rewrites it). */
export interface ArticleMeta {
  id: string;
  title: string;
  authorHandle: string;
  authorName: string;
  url?: string;
  publishedAt: string;
  /** Topics, when the article has any. */
  tags?: string[];
  /**
   * BCP 47 tag, declared or detected at publish (`core/language.ts`). Absent on articles
   * stored before Herald kept one: readers then guess the direction from the text.
   */
  language?: string;
  summary: string;
  readingMinutes: number;
  wordCount: number;
  views: number;
  replies: number;
  shares: number;
  shareOpens: number;
  alertsSent: number;
}

export interface Comment {
  articleId: string;
  commentId: string;
  userId: number;
  userName: string;
  text: string;
  createdAt: string;
}
