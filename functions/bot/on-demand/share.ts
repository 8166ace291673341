/**
 * On-demand module: sharing (features/share.ts) — inline mode, share links, `/shared` and the
 * Share button — loaded on the first such update. Its repository is built here, not in the
 * webhook's main bundle.
 */
import type { Context } from 'telegraf';
import { ShareRepository } from '../../store/share-repository';
import type { BotDeps } from '../deps';
import { shareFeature } from '../features/share';
import type { Feature } from '../features/types';

/** One feature per bot (tests build several bots in one process, each on its own table). */
const built = new WeakMap<BotDeps, ReturnType<typeof shareFeature>>();

function featureFor(deps: BotDeps): ReturnType<typeof shareFeature> {
  let feature = built.get(deps);
  if (!feature) {
    feature = shareFeature(deps, new ShareRepository(deps.doc, deps.config.tableName, deps.now));
    built.set(deps, feature);
  }
  return feature;
}

export function createFeature(deps: BotDeps): Feature {
  return featureFor(deps);
}

/** A friend opening a share link (`/start s_<code>`); false when the code is unknown. */
export function openShare(ctx: Context, deps: BotDeps, code: string): Promise<boolean> {
  return featureFor(deps).openShare(ctx, code);
}
