/** The buttons commentsFeature answers (drawn on cards and on the comments view). */
import { defineCallback, field } from '../callback';

/**
 * A page of an article's comments. From a card (or the "posted" note) it opens a new message;
 * the ◀ ▶ of the comments view (`from: 'comments'`) turn its page in place.
 */
export const commentsButton = defineCallback('c', {
  id: field.articleId,
  page: field.page,
  from: field.marker({ l: 'comments' }, 'card'),
});
/** Asks for a comment on the article (a force-reply prompt). */
export const postCommentButton = defineCallback('pc', { id: field.articleId });
/** An admin deletes one comment (article ids ≤ 40 characters keep this within 64 bytes). */
export const deleteCommentButton = defineCallback('dc', { id: field.articleId, commentId: field.commentId });
