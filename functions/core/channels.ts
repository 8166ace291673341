/**
 * The publisher's Telegram channels and the readers' groups, as the domain sees them: a
 * connected channel and its rule (which new articles it gets), where each article was posted
 * (so edits and deletes follow it), a group's subscriptions (a chat, or one forum topic of it,
 * follows an author) and the cached answer to "is this person an admin of that group".
 * Plain TypeScript: the schemas live in channel-input.ts, the storage in store/.
 */

import type { ArticleMeta } from './model';
import type { Followable } from './ports';

/** Which new articles a channel gets: all, those of some authors, or those with some tags. */
export type ChannelRule =
  | { mode: 'all' }
  | { mode: 'authors'; authors: string[] }
  | { mode: 'tags'; tags: string[] };

/**
 * `active` posts; `paused` does not (an admin paused it, or Telegram refused: the bot was
 * removed or lost its right to post); `pending` was noticed (`my_chat_member`) and waits for an
 * admin to confirm it in the bot.
 */
export type ChannelStatus = 'active' | 'paused' | 'pending';

export interface Channel {
  /** Telegram's chat id of the channel (-100…). */
  chatId: number;
  /** The channel's title when Herald last saw it (for lists; never sent back to Telegram unescaped). */
  title?: string;
  rule: ChannelRule;
  status: ChannelStatus;
  /** Why it is paused: `admin`, or Telegram's refusal (e.g. `Forbidden: bot was kicked from the channel chat`). */
  pausedReason?: string;
  createdAt: string;
  updatedAt: string;
}

/** What an admin may change on a channel. */
export interface ChannelPatch {
  rule?: ChannelRule;
  /** true pauses (reason `admin`), false resumes. */
  paused?: boolean;
  title?: string;
}

/** Most channels one publisher connects; more is refused (they live in one partition, listed by one Query). */
export const MAX_CHANNELS = 200;

/** Tags compare without regard to case or surrounding spaces (a feed's categories vary in both). */
export function normalizeTag(tag: string): string {
  return tag.trim().toLocaleLowerCase('en-US');
}

/**
 * Whether a new article goes to a channel under its rule. Only an `active` channel gets posts.
 */
export function channelWants(
  channel: Pick<Channel, 'rule' | 'status'>,
  article: Pick<ArticleMeta, 'authorHandle' | 'tags'>,
): boolean {
  if (channel.status !== 'active') return false;
  const { rule } = channel;
  switch (rule.mode) {
    case 'all':
      return true;
    case 'authors':
      return rule.authors.includes(article.authorHandle);
    case 'tags': {
      const wanted = new Set(rule.tags.map(normalizeTag));
      return (article.tags ?? []).some((t) => wanted.has(normalizeTag(t)));
    }
  }
}

/** Where a post stands: claimed before the send, final after it (see ChannelPostRepository). */
export type ChannelPostStatus = 'sending' | 'sent' | 'failed' | 'retry' | 'unconfirmed';

/** One article's post in one channel. */
export interface ChannelPost {
  articleId: string;
  chatId: number;
  status: ChannelPostStatus;
  /** Telegram's message id once sent. */
  messageId?: number;
  /** When it was sent (epoch ms): Telegram deletes a message only within 48 hours of it. */
  postedAt?: number;
  /** Fingerprint of the text and buttons last sent, so an edit that changes nothing is not sent. */
  textHash?: string;
  /** `deleted` (the article was deleted and so was the post) or `marked` (too old to delete). */
  removed?: 'deleted' | 'marked';
  reason?: string;
  leaseUntil?: number;
  owner?: string;
}

/** Where a group's alerts go: the chat, and the forum topic when it has one. */
export interface ChatTarget {
  chatId: number;
  /** A forum topic (`message_thread_id`); absent for the chat itself (or a forum's General topic). */
  threadId?: number;
}

/**
 * A group's subscription to an author or a tag. One per (chat, author or tag): subscribing again
 * in another topic moves it.
 */
export type GroupSubscription = ChatTarget & { createdAt: string } & (
    | { handle: string; tag?: undefined }
    | { tag: string; handle?: undefined }
  );

/** What a group follows: an author by handle (a plain string is a handle) or a tag (normal form). */
export type GroupFollowable = string | Followable;

/** What getChatMember said about a person in a chat, kept for a while. */
export interface CachedMember {
  status: 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';
  /** Epoch seconds after which the answer must be asked again. */
  expiresAt: number;
}

/** True when a cached member status lets the person manage the group's subscriptions. */
export function isChatAdmin(status: CachedMember['status']): boolean {
  return status === 'creator' || status === 'administrator';
}

/** What the channel use cases need from storage (store/channel-repository.ts implements it). */
export interface ChannelRepositoryPort {
  listChannels(): Promise<Channel[]>;
  getChannel(chatId: number): Promise<Channel | undefined>;
  /** Undefined (nothing written) when the channel is already connected. */
  addChannel(input: {
    chatId: number;
    rule: ChannelRule;
    status: ChannelStatus;
    title?: string;
  }): Promise<Channel | undefined>;
  /** Undefined when there is no such channel. */
  updateChannel(chatId: number, patch: ChannelPatch): Promise<Channel | undefined>;
  removeChannel(chatId: number): Promise<boolean>;
  /** Pauses an active channel after Telegram refused it; true only for the call that paused it. */
  pauseForFailure(chatId: number, reason: string): Promise<boolean>;
}

/** Groups' subscriptions and the group-admin cache (store/group-repository.ts implements it). */
export interface GroupRepositoryPort {
  /** One subscription per (group, author or tag): another topic moves it. */
  subscribe(target: ChatTarget, followed: GroupFollowable): Promise<{ created: boolean }>;
  unsubscribe(chatId: number, followed: GroupFollowable): Promise<boolean>;
  listForChat(chatId: number): Promise<GroupSubscription[]>;
  /** A group that became a supergroup keeps its subscriptions under the new id; returns how many moved. */
  migrateChat(fromChatId: number, toChatId: number): Promise<number>;
  /** The bot was removed: the group's subscriptions stop; returns how many. */
  removeChat(chatId: number): Promise<number>;
  /** A deleted forum topic: its subscriptions move to the chat; returns how many. */
  leaveTopic(chatId: number, threadId: number): Promise<number>;
  /** A getChatMember answer cached and not expired, else undefined. */
  cachedMember(chatId: number, userId: number): Promise<CachedMember | undefined>;
  cacheMember(
    chatId: number,
    userId: number,
    status: CachedMember['status'],
    ttlSeconds: number,
  ): Promise<void>;
}
