/**
 * On-demand module: reading whole articles (features/reading.ts) — the Rich Message and HTML-page
 * renderers — loaded on a reader's first "Read" press or `r_` link.
 */
import type { BotDeps } from '../deps';
import { readingFeature } from '../features/reading';
import type { Feature } from '../features/types';

export { readArticle } from '../features/reading';

export function createFeature(deps: BotDeps): Feature {
  return readingFeature(deps);
}
