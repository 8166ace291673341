/**
 * On-demand module: the admin commands, loaded on an admin's first command. It is the composition
 * root of these features: the statistics reader is built here, so neither exists in a process
 * until an admin asks.
 * - features/admin.ts: /stats, /delete_article;
 * - features/feeds.ts: /feeds (the publisher's feed sources).
 */
import { Composer, type Context } from 'telegraf';
import { createStatsReader } from '../../admin/stats';
import type { BotDeps } from '../deps';
import { adminFeature } from '../features/admin';
import { feedsFeature } from '../features/feeds';
import type { Feature } from '../features/types';

export function createFeature(deps: BotDeps): Feature {
  const stats = createStatsReader({
    doc: deps.doc,
    tableName: deps.config.tableName,
    articles: deps.store.articles,
    now: deps.now,
  });
  const parts = [adminFeature(deps, stats), feedsFeature(deps)];
  return {
    composer: new Composer<Context>(...parts.map((p) => p.composer)),
    buttons: parts.flatMap((p) => p.buttons),
  };
}
