/**
 * RichText (the inline content of rich blocks): checking what a bot sent as JSON, checking
 * links, and the plain text of it.
 */
import type { RichMessageButton, RichText } from '@grammyjs/types';
import { badRequest } from '../errors';
import { isRecord, utf8Length } from '../params';
import { isHttpUrl } from '../text';
import { BUTTONS_INVALID, cantParse, EMAIL_INVALID, PHONE_NUMBER_INVALID, URL_INVALID } from './rich-errors';

/** The wrappers whose only field besides `type` is their `text`. */
const WRAPPERS = new Set([
  'bold',
  'italic',
  'underline',
  'strikethrough',
  'spoiler',
  'subscript',
  'superscript',
  'marked',
  'code',
]);

/** Auto-detected kinds: a field of their own next to the text. */
const DETECTED: Readonly<Record<string, string>> = {
  bank_card_number: 'bank_card_number',
  mention: 'username',
  hashtag: 'hashtag',
  cashtag: 'cashtag',
  bot_command: 'bot_command',
};

/**
 * A link in a rich message: http(s) or a tg:// link. Telegram drops a bad link in a plain
 * message silently; in a rich message the stand-in refuses it, so a `javascript:` link a bot
 * let through is seen in tests rather than lost.
 */
export function checkLinkUrl(url: string): string {
  if (isHttpUrl(url) || /^tg:\/\/[a-z]\S*$/i.test(url)) return url;
  throw badRequest(URL_INVALID);
}

export function checkEmail(address: string): string {
  if (/^[^\s@<>()"]+@[^\s@<>()"]+\.[^\s@<>()"]+$/.test(address)) return address;
  throw badRequest(EMAIL_INVALID);
}

export function checkPhone(phone: string): string {
  if (/^\+?[0-9][0-9 ()-]{2,30}$/.test(phone)) return phone;
  throw badRequest(PHONE_NUMBER_INVALID);
}

const stringField = (value: Record<string, unknown>, field: string, object = 'RichText'): string => {
  const found = value[field];
  if (typeof found !== 'string') throw cantParse(object, `Field "${field}" must be of type String`);
  return found;
};

/** Checks RichText sent as JSON and returns it as Telegram stores it. */
export function checkRichText(value: unknown): RichText {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(checkRichText);
  if (!isRecord(value)) throw cantParse('RichText', 'RichText must be a String, an Array or an Object');
  const type = stringField(value, 'type');
  const text = (): RichText => checkRichText(value.text);
  if (WRAPPERS.has(type)) return { type, text: text() } as RichText;
  const detected = DETECTED[type];
  if (detected !== undefined)
    return { type, text: text(), [detected]: stringField(value, detected) } as RichText;
  switch (type) {
    case 'url':
      return { type, text: text(), url: checkLinkUrl(stringField(value, 'url')) };
    case 'email_address':
      return { type, text: text(), email_address: checkEmail(stringField(value, 'email_address')) };
    case 'phone_number':
      return { type, text: text(), phone_number: checkPhone(stringField(value, 'phone_number')) };
    case 'date_time': {
      const format = stringField(value, 'date_time_format');
      if (typeof value.unix_time !== 'number' || !/^(?:r|w?[dD]?[tT]?)$/.test(format)) {
        throw cantParse('RichTextDateTime', 'Fields "unix_time" and "date_time_format" are invalid');
      }
      return { type, text: text(), unix_time: value.unix_time, date_time_format: format as 'r' };
    }
    case 'text_mention': {
      const user = value.user;
      if (!isRecord(user) || typeof user.id !== 'number')
        throw cantParse('RichText', 'Field "user" must be of type User');
      return {
        type,
        text: text(),
        user: { id: user.id, is_bot: user.is_bot === true, first_name: String(user.first_name ?? '') },
      };
    }
    case 'custom_emoji':
      return {
        type,
        custom_emoji_id: stringField(value, 'custom_emoji_id'),
        alternative_text: stringField(value, 'alternative_text'),
      };
    case 'mathematical_expression':
      return { type, expression: stringField(value, 'expression') };
    case 'anchor':
      return { type, name: stringField(value, 'name') };
    case 'anchor_link':
      return { type, text: text(), anchor_name: stringField(value, 'anchor_name') };
    case 'reference':
      return { type, text: text(), name: stringField(value, 'name') };
    case 'reference_link':
      return { type, text: text(), reference_name: stringField(value, 'reference_name') };
    case 'button':
      return { type, button: checkRichButton(value.button) };
    default:
      throw cantParse('RichText', `Unsupported type "${type}"`);
  }
}

/** A button inside a rich message: its text and exactly one action, as with inline keyboards. */
export function checkRichButton(value: unknown): RichMessageButton {
  if (!isRecord(value)) throw cantParse('RichMessageButton', 'RichMessageButton must be an Object');
  const actions = [
    'url',
    'callback_data',
    'web_app',
    'login_url',
    'switch_inline_query',
    'switch_inline_query_current_chat',
    'switch_inline_query_chosen_chat',
    'copy_text',
    'disabled',
  ].filter((field) => value[field] !== undefined);
  if (actions.length !== 1) throw badRequest(BUTTONS_INVALID);
  if (typeof value.url === 'string') checkLinkUrl(value.url);
  if (value.callback_data !== undefined) {
    const data = value.callback_data;
    if (typeof data !== 'string' || data === '' || utf8Length(data) > 64)
      throw badRequest('BUTTON_DATA_INVALID');
  }
  return { ...value, text: checkRichText(value.text) } as RichMessageButton;
}

/** The text a reader sees, without formatting. */
export function richTextPlain(value: RichText | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(richTextPlain).join('');
  switch (value.type) {
    case 'custom_emoji':
      return value.alternative_text;
    case 'mathematical_expression':
      return value.expression;
    case 'anchor':
      return '';
    case 'button':
      return richTextPlain(value.button.text);
    default:
      return richTextPlain(value.text);
  }
}
