/**
 * Herald's domain types and the input schemas every way in (admin API, import tool, bot
 * admin commands, demo seed) validates against. Plain TypeScript + zod: no Telegram, no AWS.
 */
import { z } from 'zod';

import { ARTICLE_ID_PATTERN, HANDLE_PATTERN } from './ids';

export { ARTICLE_ID_PATTERN, HANDLE_PATTERN } from './ids';

const isoDate = z.iso.date({ error: 'must be a date like 2008-03-15' });
const isoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time like 2026-11-25T08:00:00Z' });
const httpsUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048);

export const authorInputSchema = z.strictObject({
  handle: z
    .string()
    .transform((s) => s.trim().toLowerCase())
    .pipe(z.string().regex(HANDLE_PATTERN, 'must be 2–32 characters of a–z, 0–9 or _')),
  fullName: z.string().trim().min(1, 'must not be empty').max(128),
  userSince: isoDate,
  bio: z.string().trim().max(1000).optional(),
  siteUrl: httpsUrl.optional(),
});
export type AuthorInput = z.infer<typeof authorInputSchema>;

export const articleInputSchema = z.strictObject({
  id: z.string().regex(ARTICLE_ID_PATTERN, 'must be 1–40 characters of a–z, 0–9 or -, starting with a letter or digit'),
  title: z.string().trim().min(1, 'must not be empty').max(300),
  authorHandle: z
    .string()
    .transform((s) => s.trim().toLowerCase())
    .pipe(z.string().regex(HANDLE_PATTERN, 'must be an author handle')),
  body: z.string().max(200_000, 'must be at most 200,000 characters'),
  url: httpsUrl.optional(),
  publishedAt: isoDateTime,
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

/** A page of results plus an opaque cursor for the next one (undefined at the end). */
export interface Page<T> {
  items: T[];
  next?: string;
}
