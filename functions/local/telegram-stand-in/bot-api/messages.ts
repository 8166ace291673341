/**
 * Text messages: getMe, getChat, sendMessage, editMessageText (rich edits are handed to the rich
 * family), editMessageReplyMarkup, deleteMessage, sendChatAction.
 */
import type { StoredMessage } from '../types';
import {
  type ApiContext,
  assertCanChange,
  assertCanPost,
  assertReachable,
  chatIdParam,
  messageIdParam,
} from './context';
import type { Answer, MethodTable } from './dispatcher';
import { badRequest, MESSAGE_NOT_MODIFIED } from './errors';
import { validateMarkup } from './markup';
import { boolParam, canonicalJson, type Params, setOptional, stringParam } from './params';
import { editRichMessage } from './rich-messages';
import { editTarget, replyTarget } from './targets';
import {
  EDIT_TEXT_ERRORS,
  linkPreviewOptions,
  type PreparedText,
  prepareText,
  SEND_TEXT_ERRORS,
} from './text';

const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

export function messageMethods(ctx: ApiContext): MethodTable {
  const { state } = ctx;
  return {
    getMe: () => ({ result: { ...state.botInfo } }),
    getChat: (params) => ({ result: state.apiChat(state.knownChat(chatIdParam(state, params))) }),
    sendMessage: (params) => sendMessage(ctx, params),
    editMessageText: (params) =>
      params.rich_message !== undefined ? editRichMessage(ctx, params) : editMessageText(ctx, params),
    editMessageReplyMarkup: (params) => editMessageReplyMarkup(ctx, params),
    deleteMessage: (params) => {
      const chatId = chatIdParam(state, params);
      const messageId = messageIdParam(params);
      const messages = state.history.get(chatId) ?? [];
      const index = messages.findIndex((message) => message.message_id === messageId);
      if (index < 0) throw badRequest('message to delete not found');
      assertCanChange(state, chatId, 'delete', messages[index]?.date);
      messages.splice(index, 1);
      return { result: true };
    },
    sendChatAction: (params) => {
      const chatId = chatIdParam(state, params);
      const action = stringParam(params, 'action');
      if (action === undefined || !CHAT_ACTIONS.has(action))
        throw badRequest('wrong parameter action in request');
      assertReachable(state, chatId);
      return { result: true };
    },
  };
}

function sendMessage({ state }: ApiContext, params: Params): Answer {
  const chatId = chatIdParam(state, params);
  const prepared = prepareText(params.text, params.parse_mode, params.entities, SEND_TEXT_ERRORS);
  const preview = linkPreviewOptions(params);
  const markup = validateMarkup(params.reply_markup, false);
  const replyTo = replyTarget(state, chatId, params);
  const threadId = assertCanPost(state, chatId, params);
  const message: StoredMessage = {
    message_id: state.nextMessageId(chatId),
    chat: state.knownChat(chatId),
    date: state.unixNow(),
    from: state.botSender(),
    ...textFields(prepared),
  };
  if (threadId !== undefined) message.message_thread_id = threadId;
  if (preview !== undefined) message.link_preview_options = preview;
  if (markup !== undefined) message.reply_markup = markup;
  if (replyTo !== undefined) message.reply_to_message = replyTo;
  // Telegram's message does not say it was sent silently; the stand-in keeps it for tests.
  if (boolParam(params, 'disable_notification') === true) message.disable_notification = true;
  state.store(message);
  return { result: state.apiMessage(message) };
}

function editMessageText({ state }: ApiContext, params: Params): Answer {
  const target = editTarget(state, params);
  const prepared = prepareText(params.text, params.parse_mode, params.entities, EDIT_TEXT_ERRORS);
  const preview = linkPreviewOptions(params);
  // Without reply_markup an edit removes the keyboard, as in Telegram.
  const markup = validateMarkup(params.reply_markup, true);
  const current = target.kind === 'message' ? target.message : target.inline;
  const unchanged =
    (target.kind === 'inline' || target.message.rich_message === undefined) &&
    current.text === prepared.text &&
    canonicalJson(current.entities ?? []) === canonicalJson(prepared.entities ?? []) &&
    canonicalJson(current.reply_markup ?? null) === canonicalJson(markup ?? null);
  if (unchanged) throw badRequest(MESSAGE_NOT_MODIFIED);
  const fields = textFields(prepared);
  current.text = fields.text;
  current.sentText = fields.sentText;
  setOptional(current, 'entities', fields.entities);
  setOptional(current, 'reply_markup', markup);
  if (target.kind === 'inline') return { result: true };
  const message = target.message;
  // An edit with text turns a rich message back into a text message.
  delete message.rich_message;
  setOptional(message, 'parseMode', fields.parseMode);
  setOptional(message, 'link_preview_options', preview);
  message.edit_date = state.unixNow();
  return { result: state.apiMessage(message) };
}

function editMessageReplyMarkup({ state }: ApiContext, params: Params): Answer {
  const target = editTarget(state, params);
  const markup = validateMarkup(params.reply_markup, true);
  const current = target.kind === 'message' ? target.message : target.inline;
  if (canonicalJson(current.reply_markup ?? null) === canonicalJson(markup ?? null)) {
    throw badRequest(MESSAGE_NOT_MODIFIED);
  }
  setOptional(current, 'reply_markup', markup);
  if (target.kind === 'inline') return { result: true };
  target.message.edit_date = state.unixNow();
  return { result: state.apiMessage(target.message) };
}

export function textFields(
  prepared: PreparedText,
): Pick<StoredMessage, 'text' | 'entities' | 'sentText' | 'parseMode'> {
  const fields: Pick<StoredMessage, 'text' | 'entities' | 'sentText' | 'parseMode'> = {
    text: prepared.text,
    sentText: prepared.sentText,
  };
  if (prepared.entities !== undefined) fields.entities = prepared.entities;
  if (prepared.parseMode !== undefined) fields.parseMode = prepared.parseMode;
  return fields;
}
