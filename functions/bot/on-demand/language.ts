/** On-demand module: `/language` (features/language.ts), loaded on a reader's first use. */
import type { BotDeps } from '../deps';
import { languageFeature } from '../features/language';
import type { Feature } from '../features/types';

export function createFeature(deps: BotDeps): Feature {
  return languageFeature(deps);
}
