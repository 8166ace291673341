/**
 * The messages a call points at: the one it replies to, the one it edits.
 */
import type { ChatState, InlineMessage } from '../chat-state';
import type { StoredMessage } from '../types';
import { assertCanChange, chatIdParam, messageIdParam } from './context';
import { badRequest } from './errors';
import { boolParam, intParam, isRecord, type Params, stringParam } from './params';

/** The message a send replies to (reply_parameters or the older reply_to_message_id). */
export function replyTarget(state: ChatState, chatId: number, params: Params): StoredMessage | undefined {
  const parameters = isRecord(params.reply_parameters) ? params.reply_parameters : undefined;
  const id =
    parameters !== undefined ? intParam(parameters, 'message_id') : intParam(params, 'reply_to_message_id');
  if (id === undefined || id === 0) return undefined;
  const target = state.findMessage(chatId, id);
  if (target !== undefined) return target;
  const allow =
    (parameters !== undefined ? boolParam(parameters, 'allow_sending_without_reply') : undefined) ??
    boolParam(params, 'allow_sending_without_reply');
  if (allow === true) return undefined;
  throw badRequest('message to be replied not found');
}

export type EditTarget =
  | { kind: 'message'; message: StoredMessage }
  | { kind: 'inline'; inline: InlineMessage };

/** The message an edit changes: a bot message in a chat, or a message sent in inline mode. */
export function editTarget(state: ChatState, params: Params): EditTarget {
  const inlineId = stringParam(params, 'inline_message_id');
  if (inlineId !== undefined && inlineId !== '') {
    const inline = state.inlineMessages.get(inlineId);
    if (inline === undefined) throw badRequest('MESSAGE_ID_INVALID');
    return { kind: 'inline', inline };
  }
  const chatId = chatIdParam(state, params);
  const messageId = messageIdParam(params);
  const message = state.findMessage(chatId, messageId);
  if (message === undefined) throw badRequest('message to edit not found');
  if (message.from.id !== state.botInfo.id) throw badRequest("message can't be edited");
  assertCanChange(state, chatId, 'edit');
  return { kind: 'message', message };
}
