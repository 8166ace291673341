/** The buttons articlesFeature answers (drawn on cards, lists and full-text pages). */
import { defineCallback, field } from '../callback';

/** Open an article's card (a new message; counts a view). */
export const openButton = defineCallback('o', { id: field.articleId });
/**
 * A page of an article's full text. From the card it opens a new message; the ◀ ▶ of a page
 * (`from: 'text'`) turn that message's page in place.
 */
export const fullTextButton = defineCallback('f', {
  id: field.articleId,
  page: field.page,
  from: field.marker({ t: 'text' }, 'card'),
});
/** A page of the latest articles, shown in place of the pressed message. */
export const latestButton = defineCallback('l', { page: field.page });
