/**
 * On-demand module: the admin commands, loaded on an admin's first command. It is the composition
 * root of these features: the statistics reader and the feed-source repository are built here
 * (the bot's own store has no feed sources: core/ports.ts BotStore), so neither exists in a
 * process until an admin asks.
 * - features/admin.ts: /stats, /delete_article;
 * - features/feeds.ts: /feeds (the publisher's feed sources).
 */
import { Composer, type Context } from 'telegraf';
import { createStatsReader } from '../../admin/stats';
import { FeedSourceRepository } from '../../store/feed-repository';
import { ModerationRepository } from '../../store/moderation-repository';
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
  const feeds = new FeedSourceRepository(deps.doc, deps.config.tableName);
  // Bans (/ban, /unban) are built here too: the webhook's main bundle does not carry them.
  const moderation = new ModerationRepository(deps.doc, deps.config.tableName);
  const parts = [adminFeature(deps, stats, moderation), feedsFeature(deps, feeds)];
  return {
    composer: new Composer<Context>(...parts.map((p) => p.composer)),
    buttons: parts.flatMap((p) => p.buttons),
  };
}
