/**
 * On-demand module: groups and channels (features/groups.ts), loaded on the first group command,
 * member change or migration. The composition root of that feature: its repositories are built
 * here, so the webhook's main bundle carries neither.
 */
import { ChannelRepository } from '../../store/channel-repository';
import { GroupRepository } from '../../store/group-repository';
import type { BotDeps } from '../deps';
import { groupsFeature } from '../features/groups';
import type { Feature } from '../features/types';

export function createFeature(deps: BotDeps): Feature {
  const now = () => deps.now().getTime();
  return groupsFeature(deps, {
    channels: new ChannelRepository(deps.doc, deps.config.tableName, now),
    groups: new GroupRepository(deps.doc, deps.config.tableName, now),
  });
}
