/**
 * Herald's single-table key design, in one place. Every key string the repositories write
 * or query is built here; docs/data-model.md describes each item and access pattern.
 *
 * Key values embed user-supplied parts (article ids, handles) only where those parts are
 * validated to a safe alphabet (model.ts patterns), so `#` can never appear inside one, and
 * title prefixes sit last in their key, where any character is harmless.
 */
import type { DeliveryMode } from '../core/delivery-mode';

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
  tagSubscription: 'tagsub',
  tag: 'tag',
  tagArticle: 'tagarticle',
  digestEntry: 'digestentry',
  digestDue: 'digestdue',
  alertTo: 'alertto',
  digestCursor: 'digestcursor',
  channel: 'channel',
  channelPost: 'chpost',
  cardRevision: 'cardrev',
  groupSubscription: 'gsub',
  chatMember: 'chatmember',
  ban: 'ban',
  audit: 'audit',
  readerTopic: 'rtopic',
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

/**
 * gsi1 partition of an author's active subscribers in one delivery mode (the fan-out reads
 * it). Instant subscribers keep the partition they had before modes existed (`SUBS#<handle>`);
 * a handle never contains `#`, so the mode suffix cannot be mistaken for part of one.
 */
export function subscribersPk(handle: string, mode: DeliveryMode = 'instant'): string {
  return mode === 'instant' ? `SUBS#${handle}` : `SUBS#${handle}#${mode}`;
}

/** Sort-key prefix of a user's tag subscriptions (under `USER#<id>`). */
export const TAG_SUB_PREFIX = 'TSUB#';

/** A subscription of a user to a tag (the normalised tag sits last: any character is harmless). */
export function tagSubscriptionKey(userId: number, tag: string): ItemKey {
  return { pk: userPartition(userId), sk: `${TAG_SUB_PREFIX}${tag}` };
}

/** gsi1 partition of a tag's active followers in one delivery mode (mode first, tag last). */
export function tagFollowersPk(tag: string, mode: DeliveryMode): string {
  return `TSUBS#${mode}#${tag}`;
}

/** A tag's counters (`subscriberCount`); created by the first follow. */
export function tagKey(tag: string): ItemKey {
  return { pk: `TAG#${tag}`, sk: SK_META };
}

/**
 * gsi2 partition of the tags with followers, ranked (`/tags`): a tag counter is in it while its
 * count is above zero, under {@link tagRankSk}. Sparse: one entry per followed tag, never per reader.
 */
export const TAG_RANK_PK = 'TAGRANK';

/** gsi2 sort key of a tag in the ranking: its follower count, zero-padded so text order is count order, then the tag. */
export function tagRankSk(count: number, tag: string): string {
  return `${String(count).padStart(10, '0')}#${tag}`;
}

/** An article's row in its tag's list, newest first (`TAGART#<tag>` / `<time>#<id>`; the tag sits last in the pk). */
export function tagArticleKey(tag: string, publishedAt: string, id: string): ItemKey {
  return { pk: `TAGART#${tag}`, sk: articleOrderKey(publishedAt, id) };
}

/** Sort-key prefix of a reader's pending digest entries (under `USER#<id>`). */
export const DIGEST_ENTRY_PREFIX = 'DQ#';

/** One article waiting for a reader's digest (or held through quiet hours). */
export function digestEntryKey(userId: number, articleId: string): ItemKey {
  return { pk: userPartition(userId), sk: `${DIGEST_ENTRY_PREFIX}${articleId}` };
}

/** Shards per due slot: spreads a slot's writes and reads over this many partitions. */
export const DUE_SHARDS = 16;

/** The partition of one shard of the readers due in a 15-minute slot (`slot` as `yyyymmddhhmm`). */
export function dueShardPk(slot: string, shard: number): string {
  return `DUE#${slot}#${String(shard).padStart(2, '0')}`;
}

/** A reader due in a slot; the shard is the user id modulo {@link DUE_SHARDS}. */
export function dueKey(slot: string, userId: number): ItemKey {
  return { pk: dueShardPk(slot, userId % DUE_SHARDS), sk: String(userId) };
}

/** Where the digest scheduler has got to (the last slot it started). */
export const DIGEST_CURSOR_KEY: ItemKey = { pk: 'DIGEST', sk: 'CURSOR' };

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

/** The one partition of every connected channel: listed with one Query (a publisher has a few). */
export const CHANNELS_PK = 'CHANNELS';

/** A connected channel (its rule and status). */
export function channelKey(chatId: number): ItemKey {
  return { pk: CHANNELS_PK, sk: `CH#${chatId}` };
}

/** Sort-key prefix of an article's channel posts (under `ART#<id>`). */
export const CHANNEL_POST_PREFIX = 'CHPOST#';

/** Where an article was posted in one channel (claimed before the send, the message id after). */
export function channelPostKey(articleId: string, chatId: number): ItemKey {
  return { pk: articlePartition(articleId), sk: `${CHANNEL_POST_PREFIX}${chatId}` };
}

/** The marker that an article's channel delivery report was sent (so it is sent once). */
export function channelReportKey(articleId: string): ItemKey {
  return { pk: articlePartition(articleId), sk: 'CHREPORT' };
}

/**
 * An article's card revision: rewritten when an existing article's content changes, so the
 * table's stream can tell an edit (this item) from a view (an `ADD views` on the meta), which a
 * stream filter cannot compare.
 */
export function cardRevisionKey(articleId: string): ItemKey {
  return { pk: articlePartition(articleId), sk: 'CARDREV' };
}

/** Partition-key prefix of everything about one group chat. */
export const CHAT_PREFIX = 'CHAT#';

/** The partition of everything about one group chat (its subscriptions, its cached admins). */
export function chatPartition(chatId: number): string {
  return `${CHAT_PREFIX}${chatId}`;
}

/**
 * What a group follows, as one key part: the author's handle, or `#<tag>` for a tag (a handle
 * never starts with `#`, so the two cannot meet).
 */
export function groupFollowName(
  followed: { kind: 'author'; handle: string } | { kind: 'tag'; tag: string },
): string {
  return followed.kind === 'author' ? followed.handle : `#${followed.tag}`;
}

/** A group's subscription to an author (`SUB#<handle>`) or a tag (`SUB##<tag>`): see groupFollowName. */
export function groupSubscriptionKey(chatId: number, name: string): ItemKey {
  return { pk: chatPartition(chatId), sk: `${SUB_PREFIX}${name}` };
}

/**
 * gsi1 partition of the groups subscribed to an author (`GSUBS#<handle>`) or a tag
 * (`GSUBS##<tag>`), kept apart from the readers' `SUBS#`.
 */
export function groupSubscribersPk(name: string): string {
  return `GSUBS#${name}`;
}

/** A cached getChatMember answer for one person in one chat. */
export function chatMemberKey(chatId: number, userId: number): ItemKey {
  return { pk: chatPartition(chatId), sk: `MEMBER#${userId}` };
}

/** Sort-key prefix of a reader's per-author topics in their private chat (under `USER#<id>`). */
export const READER_TOPIC_PREFIX = 'TOPIC#';

/** A reader's topic for one author in their private chat with the bot (Bot API 9.3). */
export function readerTopicKey(userId: number, handle: string): ItemKey {
  return { pk: userPartition(userId), sk: `${READER_TOPIC_PREFIX}${handle}` };
}
