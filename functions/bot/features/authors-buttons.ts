/** The buttons authorsFeature answers (drawn on cards, profiles and lists). */
import { defineCallback, field } from '../callback';

/** An author's profile (a new message). */
export const authorButton = defineCallback('u', { handle: field.handle });
/** A page of an author's articles, shown in place of the pressed message. */
export const authorArticlesButton = defineCallback('ua', { handle: field.handle, page: field.page });
/** A page of the authors list, shown in place of the pressed message. */
export const authorsButton = defineCallback('al', { page: field.page });
