/** On-demand module: `/settings`, `/tag` and `/tags` (features/settings.ts), loaded on a reader's first use. */
import { ReaderSettingsRepository } from '../../store/reader-settings-repository';
import { ReaderTopicRepository } from '../../store/reader-topic-repository';
import { SubscriptionRepository } from '../../store/subscription-repository';
import { TagRepository } from '../../store/tag-repository';
import type { BotDeps } from '../deps';
import { settingsFeature } from '../features/settings';
import type { Feature } from '../features/types';

export function createFeature(deps: BotDeps): Feature {
  // Only this feature uses them: built here, so the webhook's main bundle never carries them.
  return settingsFeature({
    readers: new ReaderSettingsRepository(deps.doc, deps.config.tableName),
    follows: new SubscriptionRepository(deps.doc, deps.config.tableName, deps.now),
    tags: new TagRepository(deps.doc, deps.config.tableName),
    articles: deps.store.articles,
    topics: new ReaderTopicRepository(deps.doc, deps.config.tableName),
  });
}
