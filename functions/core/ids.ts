/**
 * Identifier shapes, kept free of any schema library so the webhook bundle (which needs only
 * these) stays small; core/model.ts builds its input schemas on them.
 */

/** Author handle ("User Name" on the publisher's site): stored and matched lower-case. */
export const HANDLE_PATTERN = /^[a-z0-9_]{2,32}$/;
/** Article id: a slug that fits a deep link (`a_<id>` ≤ 64 chars of [A-Za-z0-9_-]). */
export const ARTICLE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,47}$/;
