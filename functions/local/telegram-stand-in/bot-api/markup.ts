/**
 * reply_markup as Telegram checks it: inline keyboards kept on the message, reply keyboards,
 * force_reply and remove_keyboard accepted but not part of a message.
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from '../types';
import { type BotApiError, badRequest } from './errors';
import { isRecord, utf8Length } from './params';
import { isHttpUrl } from './text';

/** The fields of an inline button that make it do something; exactly one must be present. */
export const BUTTON_ACTIONS = [
  'url',
  'callback_data',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'login_url',
  'copy_text',
  'web_app',
  'callback_game',
  'pay',
] as const;

/** Buttons one inline keyboard may carry. */
const MAX_INLINE_BUTTONS = 100;

/**
 * Validates reply_markup as Telegram does. Returns the inline keyboard to store on the message
 * (reply keyboards, force_reply and remove_keyboard are valid but not part of a message).
 */
export function validateMarkup(raw: unknown, inlineOnly: boolean): InlineKeyboardMarkup | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (!isRecord(raw)) throw badRequest("can't parse reply keyboard markup JSON object");
  if ('inline_keyboard' in raw) {
    const rows = raw.inline_keyboard;
    if (!Array.isArray(rows) || !rows.every((row) => Array.isArray(row))) {
      throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
    }
    const keyboard = (rows as unknown[][])
      .map((row) => row.map((button) => validateInlineButton(button)))
      .filter((row) => row.length > 0);
    // Telegram takes at most 100 buttons in one inline keyboard.
    if (keyboard.reduce((n, row) => n + row.length, 0) > MAX_INLINE_BUTTONS)
      throw badRequest('reply markup is too long');
    return keyboard.length > 0 ? { inline_keyboard: keyboard } : undefined;
  }
  if (inlineOnly) throw badRequest('inline keyboard expected');
  if ('keyboard' in raw) {
    const rows = raw.keyboard;
    if (!Array.isArray(rows) || !rows.every((row) => Array.isArray(row))) {
      throw badRequest('field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays');
    }
    for (const row of rows as unknown[][]) {
      for (const button of row) {
        const text = typeof button === 'string' ? button : isRecord(button) ? button.text : undefined;
        if (typeof text !== 'string') {
          throw badRequest('can\'t parse keyboard button: Field "text" must be of type String');
        }
      }
    }
    return undefined;
  }
  if ('force_reply' in raw || 'remove_keyboard' in raw) return undefined;
  throw badRequest("can't parse reply keyboard markup JSON object");
}

/**
 * Checks one inline keyboard button the way Telegram does and keeps only the fields it knows.
 * Telegram takes the first action field it knows; the stand-in insists on exactly one so an
 * ambiguous button is caught.
 */
function validateInlineButton(button: unknown): InlineKeyboardButton {
  const cantParse = (reason: string): BotApiError =>
    badRequest(`can't parse InlineKeyboardButton: ${reason}`);
  if (!isRecord(button)) throw cantParse('InlineKeyboardButton must be an Object');
  if (typeof button.text !== 'string') throw cantParse('Field "text" must be of type String');
  if (button.text === '') throw badRequest('BUTTON_TEXT_INVALID');
  // Telegram reads an empty callback_data as no callback_data.
  const actions = BUTTON_ACTIONS.filter(
    (action) =>
      button[action] !== undefined &&
      button[action] !== null &&
      button[action] !== '' &&
      button[action] !== false,
  );
  const action = actions[0];
  if (action === undefined) throw cantParse('Text buttons are not allowed in the inline keyboard');
  if (actions.length > 1)
    throw cantParse(`Exactly one of the optional fields must be used, found ${actions.join(', ')}`);
  const kept: InlineKeyboardButton = { text: button.text };
  const value = button[action];
  switch (action) {
    case 'callback_data': {
      if (typeof value !== 'string') throw cantParse('Field "callback_data" must be of type String');
      if (utf8Length(value) > 64) throw badRequest('BUTTON_DATA_INVALID');
      kept.callback_data = value;
      break;
    }
    case 'url': {
      if (typeof value !== 'string') throw cantParse('Field "url" must be of type String');
      if (!isButtonUrl(value))
        throw badRequest(`inline keyboard button URL '${value}' is invalid: Wrong HTTP URL`);
      kept.url = value;
      break;
    }
    case 'switch_inline_query':
    case 'switch_inline_query_current_chat': {
      if (typeof value !== 'string') throw cantParse(`Field "${action}" must be of type String`);
      kept[action] = value;
      break;
    }
    case 'login_url':
    case 'web_app': {
      if (!isRecord(value) || typeof value.url !== 'string')
        throw cantParse(`Field "${action}" must be of type Object`);
      if (!isButtonUrl(value.url))
        throw badRequest(`inline keyboard button URL '${value.url}' is invalid: Wrong HTTP URL`);
      if (action === 'login_url') kept.login_url = { ...value, url: value.url };
      else kept.web_app = { url: value.url };
      break;
    }
    case 'copy_text': {
      if (!isRecord(value) || typeof value.text !== 'string')
        throw cantParse('Field "copy_text" must be of type Object');
      if (value.text === '' || value.text.length > 256) throw badRequest('BUTTON_COPY_TEXT_INVALID');
      kept.copy_text = { text: value.text };
      break;
    }
    case 'switch_inline_query_chosen_chat':
    case 'callback_game': {
      if (!isRecord(value)) throw cantParse(`Field "${action}" must be of type Object`);
      kept[action] = { ...value };
      break;
    }
    case 'pay':
      kept.pay = true;
      break;
  }
  return kept;
}

/** Inline buttons take http(s) and tg:// links. */
export function isButtonUrl(url: string): boolean {
  return /^tg:\/\/\S+$/i.test(url) || isHttpUrl(url);
}
