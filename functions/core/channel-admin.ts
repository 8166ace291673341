/**
 * The admin's use cases on channels — list, connect with a rule, change the rule, pause or
 * resume, disconnect — shared by the admin API and the bot's /channels. They take parsed input
 * (core/channel-input.ts parses a request field by field).
 */
import type { Channel, ChannelPatch, ChannelRepositoryPort, ChannelRule } from './channels';
import { MAX_CHANNELS } from './channels';
import { ValidationError } from './errors';
import type { AuthorRepositoryPort } from './ports';

export interface ChannelAdminStore {
  channels: ChannelRepositoryPort;
  authors: Pick<AuthorRepositoryPort, 'getAuthor'>;
}

/** Connecting would exceed the bound on channels. */
export class TooManyChannelsError extends Error {
  override name = 'TooManyChannelsError';
  constructor(readonly max: number) {
    super(`there are already ${max} channels, the most Herald keeps; disconnect one first`);
  }
}

/** Every author a rule names must exist (else the rule would never match), named field by field. */
async function checkRule(store: ChannelAdminStore, rule: ChannelRule | undefined): Promise<void> {
  if (rule?.mode !== 'authors') return;
  const issues: { field: string; message: string }[] = [];
  for (const [i, handle] of rule.authors.entries()) {
    if (!(await store.authors.getAuthor(handle)))
      issues.push({
        field: `rule.authors.${i}`,
        message: `no author "${handle}" exists; create the author first`,
      });
  }
  if (issues.length > 0) throw new ValidationError(issues);
}

/** Every connected channel. */
export function listChannels(store: ChannelAdminStore): Promise<Channel[]> {
  return store.channels.listChannels();
}

/**
 * Connects a channel with its rule, active at once (the admin vouches for it; a first post that
 * Telegram refuses pauses it). `created` false when it was already connected (nothing changed).
 *
 * @throws ValidationError when the rule names an unknown author; TooManyChannelsError past the bound.
 */
export async function connectChannel(
  store: ChannelAdminStore,
  input: { chatId: number; rule: ChannelRule; title?: string },
): Promise<{ created: boolean; channel: Channel }> {
  await checkRule(store, input.rule);
  const existing = await store.channels.getChannel(input.chatId);
  if (existing) return { created: false, channel: existing };
  if ((await store.channels.listChannels()).length >= MAX_CHANNELS)
    throw new TooManyChannelsError(MAX_CHANNELS);
  const added = await store.channels.addChannel({ ...input, status: 'active' });
  if (added) return { created: true, channel: added };
  // Connected by someone else meanwhile.
  const now = await store.channels.getChannel(input.chatId);
  if (!now) throw new Error(`channel ${input.chatId} vanished while being connected`);
  return { created: false, channel: now };
}

/**
 * Changes a channel's rule, title or paused state. Undefined when there is no such channel.
 *
 * @throws ValidationError when the new rule names an unknown author.
 */
export async function changeChannel(
  store: ChannelAdminStore,
  chatId: number,
  patch: ChannelPatch,
): Promise<Channel | undefined> {
  await checkRule(store, patch.rule);
  return store.channels.updateChannel(chatId, patch);
}

/** Disconnects a channel; false when it was not connected. */
export function disconnectChannel(store: ChannelAdminStore, chatId: number): Promise<boolean> {
  return store.channels.removeChannel(chatId);
}
