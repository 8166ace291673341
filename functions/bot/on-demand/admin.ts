/**
 * On-demand module: the admin commands (features/admin.ts), loaded on an admin's first command.
 * It is the composition root of its feature: the statistics reader is built here, so neither
 * exists in a process until an admin asks.
 */
import { createStatsReader } from '../../admin/stats';
import type { BotDeps } from '../deps';
import { adminFeature } from '../features/admin';
import type { Feature } from '../features/types';

export function createFeature(deps: BotDeps): Feature {
  const stats = createStatsReader({
    doc: deps.doc,
    tableName: deps.config.tableName,
    articles: deps.store.articles,
    now: deps.now,
  });
  return adminFeature(deps, stats);
}
