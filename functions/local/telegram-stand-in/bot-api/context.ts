/**
 * What every method family works on, and the chat and message parameters they all read.
 */
import type { ChatState } from '../chat-state';
import type { UpdateQueue } from '../update-queue';
import { BotApiError, badRequest } from './errors';
import { intParam, type Params } from './params';

export interface ApiContext {
  state: ChatState;
  updates: UpdateQueue;
}

/** chat_id as a number; `@username` resolves for groups the user side created. */
export function chatIdParam(state: ChatState, params: Params): number {
  const raw = params.chat_id;
  if (raw === undefined || raw === null || raw === '') throw badRequest('chat_id is empty');
  const id = intParam(params, 'chat_id');
  if (id !== undefined && id !== 0) return id;
  if (typeof raw === 'string' && raw.startsWith('@')) {
    const name = raw.slice(1).toLowerCase();
    for (const chat of state.chats.values()) {
      if (chat.type !== 'private' && chat.username?.toLowerCase() === name) return chat.id;
    }
  }
  throw badRequest('chat not found');
}

export function messageIdParam(params: Params): number {
  const id = intParam(params, 'message_id');
  if (id === undefined || id <= 0) throw badRequest('message identifier is not specified');
  return id;
}

/** Messages Telegram lets a bot send to one group or channel per minute. */
export const GROUP_MESSAGES_PER_MINUTE = 20;
/** How long after sending a message a bot may still delete it (Telegram's 48 hours). */
export const DELETE_WINDOW_MS = 48 * 3_600_000;

/**
 * A chat that blocked (or kicked) the bot answers 403 to anything sent there, as does a group
 * or channel the bot is no longer in; a group that became a supergroup answers 400 with the new
 * id in `parameters.migrate_to_chat_id`.
 */
export function assertReachable(state: ChatState, chatId: number): void {
  const movedTo = state.migrated.get(chatId);
  if (movedTo !== undefined)
    throw new BotApiError(400, 'Bad Request: group chat was upgraded to a supergroup chat', {
      migrate_to_chat_id: movedTo,
    });
  const type = state.knownChat(chatId).type;
  if (state.blockedChats.has(chatId)) {
    if (type === 'private') throw new BotApiError(403, 'Forbidden: bot was blocked by the user');
    throw new BotApiError(403, `Forbidden: bot was kicked from the ${type} chat`);
  }
  if (type === 'private') return;
  const bot = state.botMember(chatId);
  if (bot.status === 'kicked') throw new BotApiError(403, `Forbidden: bot was kicked from the ${type} chat`);
  if (bot.status === 'left') throw new BotApiError(403, `Forbidden: bot is not a member of the ${type} chat`);
}

/**
 * Everything Telegram checks before a message goes into a chat, after the message itself was
 * validated: the chat is reachable (above); in a channel the bot is an administrator allowed to
 * post; `message_thread_id` names an open topic of a forum (or of a private chat with topics); and the per-chat limit of about
 * {@link GROUP_MESSAGES_PER_MINUTE} messages a minute in one group or channel (429 with
 * `retry_after`, the seconds until the oldest of them leaves the minute). A send that passes is
 * counted.
 */
export function assertCanPost(state: ChatState, chatId: number, params: Params): number | undefined {
  assertReachable(state, chatId);
  const chat = state.knownChat(chatId);
  if (chat.type === 'channel') {
    const bot = state.botMember(chatId);
    if (bot.status !== 'creator' && !(bot.status === 'administrator' && bot.can_post_messages === true))
      throw badRequest('need administrator rights in the channel chat');
  }
  const threadId = intParam(params, 'message_thread_id');
  if (threadId !== undefined && threadId !== 0) {
    // A forum's topic, or (Bot API 9.3) a topic of a private chat while the bot's topic mode is on.
    const topical =
      chat.type === 'private' ? state.botInfo.has_topics_enabled === true : chat.is_forum === true;
    if (!topical || state.topics.get(chatId)?.has(threadId) !== true)
      throw badRequest('message thread not found');
  }
  if (chat.type === 'private') return threadId || undefined;
  const now = state.now();
  const recent = (state.recentSends.get(chatId) ?? []).filter((at) => at > now - 60_000);
  if (recent.length >= GROUP_MESSAGES_PER_MINUTE) {
    const oldest = recent[0] ?? now;
    const retryAfter = Math.max(1, Math.ceil((oldest + 60_000 - now) / 1000));
    state.recentSends.set(chatId, recent);
    throw new BotApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
  }
  recent.push(now);
  state.recentSends.set(chatId, recent);
  return threadId || undefined;
}

/**
 * What a bot may do to its own message in a group or channel: in a channel it must still be an
 * administrator (editing needs `can_edit_messages` or `can_post_messages`: a bot's own posts);
 * a delete must come within 48 hours of the send ("message can't be deleted" after).
 */
export function assertCanChange(
  state: ChatState,
  chatId: number,
  action: 'edit' | 'delete',
  sentAt?: number,
): void {
  assertReachable(state, chatId);
  const chat = state.knownChat(chatId);
  if (chat.type === 'channel') {
    const bot = state.botMember(chatId);
    const allowed =
      bot.status === 'creator' ||
      (bot.status === 'administrator' &&
        (bot.can_post_messages === true ||
          (action === 'edit' ? bot.can_edit_messages : bot.can_delete_messages) === true));
    if (!allowed) throw badRequest('need administrator rights in the channel chat');
  }
  if (action === 'delete' && sentAt !== undefined && state.now() - sentAt * 1000 >= DELETE_WINDOW_MS)
    throw badRequest("message can't be deleted");
}
