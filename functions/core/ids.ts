/**
 * Identifier shapes, kept free of any schema library so the webhook bundle (which needs only
 * these) stays small; core/model.ts builds its input schemas on them.
 */

/** Author handle ("User Name" on the publisher's site): stored and matched lower-case. */
export const HANDLE_PATTERN = /^[a-z0-9_]{2,32}$/;
/** Article id: a slug that fits a deep link (`a_<id>`), and short enough that every button carrying it stays ≤ 64 bytes (the longest, delete-comment, needs id ≤ 44). */
export const ARTICLE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;
