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

/** A chat that blocked (or kicked) the bot answers 403 to anything sent there. */
export function assertReachable(state: ChatState, chatId: number): void {
  if (!state.blockedChats.has(chatId)) return;
  const type = state.knownChat(chatId).type;
  if (type === 'private') throw new BotApiError(403, 'Forbidden: bot was blocked by the user');
  throw new BotApiError(403, `Forbidden: bot was kicked from the ${type} chat`);
}
