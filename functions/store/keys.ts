/**
 * Herald's single-table key design, in one place. Every key string the repositories write
 * or query is built here; docs/data-model.md describes each item and access pattern.
 *
 * Key values embed user-supplied parts (article ids, handles) only where those parts are
 * validated to a safe alphabet (model.ts patterns), so `#` can never appear inside one, and
 * title prefixes sit last in their key, where any character is harmless.
 */

/** A primary key of the table. */
export interface ItemKey {
  pk: string;
  sk: string;
}

/** The `kind` attribute of every item: what the item is (stream consumers filter on it). */
export const KIND = {
  article: 'article',
  body: 'body',
  titleWord: 'titleword',
  author: 'author',
  user: 'user',
  subscription: 'sub',
  comment: 'comment',
  commentQuota: 'rate',
  updateClaim: 'update',
  pending: 'pending',
  feedSource: 'feedsource',
  ban: 'ban',
  audit: 'audit',
} as const;

/** Index names, as in table-definition.ts. */
export const GSI1 = 'gsi1';
export const GSI2 = 'gsi2';

/** gsi1 partition of every article, newest first. */
export const FEED_PK = 'FEED';
/** gsi1 partition of every author profile, by handle. */
export const AUTHORS_PK = 'AUTHORS';

export const SK_META = 'META';
export const SK_BODY = 'BODY';
export const SK_PROFILE = 'PROFILE';
export const SK_PENDING = 'PENDING';
export const SK_UPDATE = 'UPD';
/** Sort-key prefix of a user's subscriptions (under `USER#<id>`). */
export const SUB_PREFIX = 'SUB#';
/** Sort-key prefix of an article's comments (under `ART#<id>`). */
export const COMMENT_PREFIX = 'CMT#';

/**
 * The UTC instant of an ISO 8601 date-time in one fixed-width form
 * (`2026-11-25T08:00:00.000Z`), so sort keys order by time even when inputs carry
 * different offsets (`+02:00` vs `Z`) or precisions — raw strings would not.
 *
 * @throws RangeError when `iso` is not a date-time (inputs are validated before this).
 */
export function sortableTime(iso: string): string {
  return new Date(iso).toISOString();
}

/** `<time>#<id>`: the newest-first order key of an article in the feed and the title index. */
export function articleOrderKey(publishedAt: string, id: string): string {
  return `${sortableTime(publishedAt)}#${id}`;
}

/** The small article item (card fields and counters). */
export function articleMetaKey(id: string): ItemKey {
  return { pk: `ART#${id}`, sk: SK_META };
}

/** The article's body, kept apart from the meta so a view rewrites ~1 KB, not the body. */
export function articleBodyKey(id: string): ItemKey {
  return { pk: `ART#${id}`, sk: SK_BODY };
}

/** The partition that holds an article's meta, body and comments. */
export function articlePartition(id: string): string {
  return `ART#${id}`;
}

/** gsi2 partition of one author's articles. */
export function authorArticlesPk(handle: string): string {
  return `AUTHOR#${handle}`;
}

/** gsi2 sort key of an article in its author's list. */
export function authorArticlesSk(publishedAt: string, id: string): string {
  return `ART#${articleOrderKey(publishedAt, id)}`;
}

/** The partition of one title-index prefix. */
export function titleWordPk(prefix: string): string {
  return `TW#${prefix}`;
}

/** A title-index item: one per (prefix, article). */
export function titleWordKey(prefix: string, publishedAt: string, id: string): ItemKey {
  return { pk: titleWordPk(prefix), sk: articleOrderKey(publishedAt, id) };
}

/** An author's profile (also holds the articleCount and subscriberCount counters). */
export function authorKey(handle: string): ItemKey {
  return { pk: `AUTHOR#${handle}`, sk: SK_PROFILE };
}

/** The partition of everything about one Telegram user (profile, subscriptions, pending). */
export function userPartition(userId: number): string {
  return `USER#${userId}`;
}

/** A Telegram user's profile (first/last seen, active flag). */
export function userKey(userId: number): ItemKey {
  return { pk: userPartition(userId), sk: SK_PROFILE };
}

/** A subscription of a user to an author. */
export function subscriptionKey(userId: number, handle: string): ItemKey {
  return { pk: userPartition(userId), sk: `${SUB_PREFIX}${handle}` };
}

/**
 * gsi1 sort key of an active subscription: the user id, then `#<locale>` when the reader's
 * language is known, so the fan-out learns each recipient's language from the index it already
 * pages through (the index projects a fixed list of attributes; the key needs no change to it).
 * Unique per author because the user id is.
 */
export function subscriberSortKey(userId: number, locale: string | undefined): string {
  return locale === undefined ? String(userId) : `${userId}#${locale}`;
}

/** Reads a {@link subscriberSortKey}: `"42#ar"` → `{ userId: 42, locale: 'ar' }`. */
export function parseSubscriberSortKey(sk: string): { userId: number; locale?: string } {
  const [id = '', locale] = sk.split('#', 2);
  return locale === undefined || locale === '' ? { userId: Number(id) } : { userId: Number(id), locale };
}

/** gsi1 partition of an author's active subscribers (the fan-out reads it). */
export function subscribersPk(handle: string): string {
  return `SUBS#${handle}`;
}

/** A comment; `commentId` is time-ordered, so the sort key orders comments by time. */
export function commentKey(articleId: string, commentId: string): ItemKey {
  return { pk: articlePartition(articleId), sk: `${COMMENT_PREFIX}${commentId}` };
}

/** gsi1 partition of one reader's comments (their erasure and an admin's "delete all" find them here). */
export function commenterPk(userId: number): string {
  return `COMMENTER#${userId}`;
}

/** A reader's ban from commenting (kept apart from their partition: erasing a reader keeps it). */
export function banKey(userId: number): ItemKey {
  return { pk: `BAN#${userId}`, sk: 'BAN' };
}

/** A user's comment counter for the minute starting at `minuteStart` (epoch seconds). */
export function commentQuotaKey(userId: number, minuteStart: number): ItemKey {
  return { pk: `RATE#${userId}`, sk: String(minuteStart) };
}

/** A user's search counter for the minute starting at `minuteStart` (beside the comment counters). */
export function searchQuotaKey(userId: number, minuteStart: number): ItemKey {
  return { pk: `RATE#${userId}`, sk: `S#${minuteStart}` };
}

/** The deduplication claim of a Telegram update_id. */
export function updateClaimKey(updateId: number): ItemKey {
  return { pk: `UPD#${updateId}`, sk: SK_UPDATE };
}

/** What the bot waits for from a user (their next message is a comment, ...). */
export function pendingKey(userId: number): ItemKey {
  return { pk: userPartition(userId), sk: SK_PENDING };
}

/** The sharer's link to an article (holds the share code: one link per sharer and article). */
export function sharedKey(userId: number, articleId: string): ItemKey {
  return { pk: userPartition(userId), sk: `SHARED#${articleId}` };
}

/** A share link (`code` is 10 random base62 characters). */
export function shareKey(code: string): ItemKey {
  return { pk: `SHARE#${code}`, sk: SK_META };
}

/** The marker of one friend's first open of a share link. */
export function shareOpenKey(code: string, userId: number): ItemKey {
  return { pk: `SHARE#${code}`, sk: `OPEN#${userId}` };
}

/** gsi1 partition of the share links a user opened (their erasure finds the open markers here). */
export function openerPk(userId: number): string {
  return `OPENER#${userId}`;
}

/** gsi1 partition of a user's shares, newest first. */
export function sharerPk(userId: number): string {
  return `SHARER#${userId}`;
}

/** The audit trail's partition for one UTC day (`YYYY-MM-DD`); admin writes are few, one partition a day suffices. */
export function auditPk(day: string): string {
  return `AUDIT#${day}`;
}

/** The one partition of every feed source: listed with a Query, never a Scan (sources are few). */
export const FEED_SOURCES_PK = 'FEEDSRC';

/** A feed source (config and polling state); `id` is its URL's hash (core/feed-sources.ts). */
export function feedSourceKey(id: string): ItemKey {
  return { pk: FEED_SOURCES_PK, sk: `SRC#${id}` };
}

/** A one-time marker of the local runtime, e.g. `DEMO` once the demo content is seeded. */
export function localMarkerKey(name: string): ItemKey {
  return { pk: 'LOCAL#SEED', sk: name };
}
