/** On-demand module: `/privacy` and `/forget_me` (features/privacy.ts), loaded on a reader's first use. */
import type { BotDeps } from '../deps';
import { privacyFeature } from '../features/privacy';
import type { Feature } from '../features/types';

export function createFeature(deps: BotDeps): Feature {
  return privacyFeature(deps);
}
