/** On-demand module: groups and channels (features/groups.ts), loaded on the first group command, member change or migration. */
import type { BotDeps } from '../deps';
import { groupsFeature } from '../features/groups';
import type { Feature } from '../features/types';

export function createFeature(deps: BotDeps): Feature {
  return groupsFeature(deps);
}
