/** The button searchFeature answers: ◀ ▶ of search results, carrying the query itself. */
import { defineCallback, field } from '../callback';

/** Often too long for 64 bytes with a long query: draw it with `tryEncode` and leave it out then. */
export const searchPageButton = defineCallback('q', { page: field.page, query: field.text });
