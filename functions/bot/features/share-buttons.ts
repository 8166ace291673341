/** The button shareFeature answers: "Share with a friend" on a card. */
import { defineCallback, field } from '../callback';

export const shareButton = defineCallback('sh', { id: field.articleId });
