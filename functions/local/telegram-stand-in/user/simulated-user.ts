/**
 * A person on the user side: writes messages, presses buttons, asks inline queries, picks a
 * result, blocks the bot. Each action builds the Update Telegram would send and delivers it.
 */
import type { MessageEntity } from '@grammyjs/types';
import type { Update } from 'telegraf/types';
import { BUTTON_ACTIONS } from '../bot-api/markup';
import { dropUndefined, isRecord } from '../bot-api/params';
import { INLINE_TEXT_ERRORS, prepareText } from '../bot-api/text';
import type { ChatState, InlineMessage } from '../chat-state';
import type {
  ChatInfo,
  InlineKeyboardMarkup,
  MessageSender,
  SimUser,
  SimulatedUser,
  StoredMessage,
} from '../types';
import type { Delivery } from './delivery';

/** The chat a user talks in, when not their private chat with the bot. */
export interface UserChat {
  id: number;
  type: 'private' | 'group' | 'supergroup';
  title?: string;
  username?: string;
}

export function createSimulatedUser(
  state: ChatState,
  delivery: Delivery,
  user: SimUser,
  chat?: UserChat,
): SimulatedUser {
  const chatInfo: ChatInfo =
    chat === undefined || chat.type === 'private'
      ? dropUndefined({
          id: chat?.id ?? user.id,
          type: 'private' as const,
          first_name: user.first_name,
          last_name: user.last_name,
          username: user.username,
        })
      : dropUndefined({
          id: chat.id,
          type: chat.type,
          title: chat.title ?? `Chat ${chat.id}`,
          username: chat.username,
        });
  state.chats.set(chatInfo.id, chatInfo);
  const sender: MessageSender = dropUndefined({
    id: user.id,
    is_bot: false,
    first_name: user.first_name,
    last_name: user.last_name,
    username: user.username,
    language_code: user.language_code,
  });
  const dispatch = (body: Record<string, unknown>): Promise<Update> => delivery.dispatch(body);

  const resolve = (messageOrId: StoredMessage | number): StoredMessage => {
    const id = typeof messageOrId === 'number' ? messageOrId : messageOrId.message_id;
    const found = state.findMessage(chatInfo.id, id);
    if (found === undefined)
      throw new Error(`No message ${id} in chat ${chatInfo.id} (deleted, or never sent)`);
    return found;
  };

  const writeMessage = (text: string, replyTo?: StoredMessage): Promise<Update> => {
    const message: StoredMessage = {
      message_id: state.nextMessageId(chatInfo.id),
      chat: chatInfo,
      date: state.unixNow(),
      from: sender,
      text,
      sentText: text,
    };
    const entities = commandEntities(text);
    if (entities.length > 0) message.entities = entities;
    if (replyTo !== undefined) message.reply_to_message = replyTo;
    state.store(message);
    return dispatch({ message: state.apiMessage(message) });
  };

  const press = (messageOrId: StoredMessage | number, data: string): Promise<Update> => {
    const message = resolve(messageOrId);
    const id = state.issueQuery({ kind: 'callback', userId: user.id, data });
    return dispatch({
      callback_query: {
        id,
        from: { ...sender },
        message: state.apiMessage(message),
        chat_instance: chatInstance(chatInfo.id),
        data,
      },
    });
  };

  const memberChange = (blocked: boolean): Promise<Update> => {
    if (blocked) state.blockedChats.add(chatInfo.id);
    else state.blockedChats.delete(chatInfo.id);
    const bot = { ...state.botSender() };
    const kicked = { user: bot, status: 'kicked', until_date: 0 };
    const member = { user: bot, status: 'member' };
    return dispatch({
      my_chat_member: {
        chat: state.apiChat(chatInfo),
        from: { ...sender },
        date: state.unixNow(),
        old_chat_member: blocked ? member : kicked,
        new_chat_member: blocked ? kicked : member,
      },
    });
  };

  return {
    user: { ...user },
    chat: { ...chatInfo },
    send: (text) => writeMessage(text),
    reply: (toMessage, text) => writeMessage(text, resolve(toMessage)),
    press,
    pressButton: (messageOrId, button) => {
      const message = resolve(messageOrId);
      const buttons = message.reply_markup?.inline_keyboard.flat() ?? [];
      // A person picks a button by the label they see: direction marks and isolates are invisible.
      const seen = (label: string) => label.replace(/[\u200E\u200F\u2066-\u2069]/g, '');
      const found =
        typeof button === 'number' ? buttons[button - 1] : buttons.find((b) => seen(b.text) === seen(button));
      if (found === undefined) {
        const available = buttons.map((b) => JSON.stringify(b.text)).join(', ') || 'none';
        throw new Error(
          `No button ${JSON.stringify(button)} on message ${message.message_id}; buttons: ${available}`,
        );
      }
      if (found.callback_data === undefined) {
        const kind = BUTTON_ACTIONS.find((action) => found[action] !== undefined) ?? 'no action';
        throw new Error(`Button ${JSON.stringify(found.text)} is not a callback button (it has ${kind})`);
      }
      return press(message, found.callback_data);
    },
    inlineQuery: (query, offset = '', chatType) => {
      const id = state.issueQuery({ kind: 'inline', userId: user.id, query });
      return dispatch({
        inline_query: dropUndefined({ id, from: { ...sender }, query, offset, chat_type: chatType }),
      });
    },
    chooseInlineResult: (resultId, query) => {
      const answer = [...state.inlineAnswers]
        .reverse()
        .find((a) => a.userId === user.id && a.query === query && a.results.some((r) => r.id === resultId));
      const result = answer?.results.find((r) => r.id === resultId);
      // Telegram only gives an inline_message_id when the sent message has an inline keyboard.
      const inlineMessageId =
        result?.reply_markup !== undefined ? createInlineMessage(state, result) : undefined;
      return dispatch({
        chosen_inline_result: dropUndefined({
          result_id: resultId,
          from: { ...sender },
          query,
          inline_message_id: inlineMessageId,
        }),
      });
    },
    block: () => memberChange(true),
    unblock: () => memberChange(false),
  };
}

/** The message an inline result becomes once sent, kept so the bot can edit it. */
function createInlineMessage(state: ChatState, result: Record<string, unknown>): string {
  const id = state.nextInlineMessageId();
  const content = isRecord(result.input_message_content) ? result.input_message_content : {};
  const sentText = typeof content.message_text === 'string' ? content.message_text : '';
  const inline: InlineMessage = { inline_message_id: id, text: sentText, sentText };
  try {
    const prepared = prepareText(
      content.message_text,
      content.parse_mode,
      content.entities,
      INLINE_TEXT_ERRORS,
    );
    inline.text = prepared.text;
    if (prepared.entities !== undefined) inline.entities = prepared.entities;
  } catch {
    // Validated when the answer was stored; a non-text result keeps its raw text.
  }
  if (isRecord(result.reply_markup))
    inline.reply_markup = result.reply_markup as unknown as InlineKeyboardMarkup;
  state.inlineMessages.set(id, inline);
  return id;
}

/** The bot_command entity Telegram adds to a message that starts with `/cmd` or `/cmd@bot`. */
function commandEntities(text: string): MessageEntity[] {
  const match = /^\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,64})?/.exec(text);
  return match === null ? [] : [{ type: 'bot_command', offset: 0, length: match[0].length }];
}

/** A stable, opaque chat_instance per chat. */
function chatInstance(chatId: number): string {
  return (-(BigInt(chatId) * 2_654_435_761n + 1_000_000_007n)).toString();
}
