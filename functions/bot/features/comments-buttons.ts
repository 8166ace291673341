/** The buttons commentsFeature answers (drawn on cards and on the comments view). */
import { defineCallback, field } from '../callback';

/**
 * The newest comments of an article. From a card (or the "posted" note) it opens a new message;
 * from the comments view (`from: 'comments'`) it turns the page in place. `page` is only read
 * from buttons already in chats (pages were numbers once): every number opens the newest page,
 * since a deep page number made a deep read (issue 17, item 4); pages now turn by cursor.
 */
export const commentsButton = defineCallback('c', {
  id: field.articleId,
  page: field.page,
  from: field.marker({ l: 'comments' }, 'card'),
});
/**
 * ▶ The comments older than one comment (its id is the cursor). Any cursor, forged or not, reads
 * one page: `1:co:<40-character id>:<18-character comment id>` is exactly 64 bytes at most.
 */
export const olderCommentsButton = defineCallback('co', { id: field.articleId, cursor: field.commentId });
/** ◀ The comments newer than one comment. */
export const newerCommentsButton = defineCallback('cn', { id: field.articleId, cursor: field.commentId });
/** Asks for a comment on the article (a force-reply prompt). */
export const postCommentButton = defineCallback('pc', { id: field.articleId });
/** An admin deletes one comment (article ids ≤ 40 characters keep this within 64 bytes). */
export const deleteCommentButton = defineCallback('dc', { id: field.articleId, commentId: field.commentId });
/** One comment shown whole: `1:cf:<40-character id>:<18-character comment id>` is ≤ 64 bytes. */
export const fullCommentButton = defineCallback('cf', { id: field.articleId, commentId: field.commentId });
