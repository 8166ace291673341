/** On-demand module: `/privacy` and `/forget_me` (features/privacy.ts), loaded on a reader's first use. */
import { ErasureRepository } from '../../store/erasure-repository';
import { ModerationRepository } from '../../store/moderation-repository';
import { SubscriptionRepository } from '../../store/subscription-repository';
import type { BotDeps } from '../deps';
import { privacyFeature } from '../features/privacy';
import type { Feature } from '../features/types';

export function createFeature(deps: BotDeps): Feature {
  // The erasure's repositories are built here, on demand: not in the webhook's main bundle.
  return privacyFeature(deps, {
    // The concrete repository: the erasure also lists and drops tag follows (core/ports.ts FollowsPort).
    subscriptions: new SubscriptionRepository(deps.doc, deps.config.tableName, deps.now),
    moderation: new ModerationRepository(deps.doc, deps.config.tableName),
    erasure: new ErasureRepository(deps.doc, deps.config.tableName),
  });
}
