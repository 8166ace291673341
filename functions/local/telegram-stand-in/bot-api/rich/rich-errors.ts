/**
 * Telegram's answers to a bad rich message. The Bot API documents none of these texts. Three are
 * names Telegram has been seen to answer for rich messages (`RICH_MESSAGE_UNSUPPORTED`, `RICH_MESSAGE_CONTENT_REQUIRED`,
 * `RICH_MESSAGE_EMAIL_INVALID`, `RICH_VALIDATE_CTOR_NOT_ALLOWED`; the Bot API passes such
 * MTProto names through after "Bad Request: "). The others are the stand-in's choice, in the
 * same `RICH_MESSAGE_<WHAT>_<PROBLEM>` style, so a bot that classifies errors by that prefix
 * sees them the way it would see Telegram's.
 */
import { type BotApiError, badRequest } from '../errors';

// Seen from Telegram. UNSUPPORTED is its refusal when a chat or client cannot show rich messages.
export const UNSUPPORTED = 'RICH_MESSAGE_UNSUPPORTED';
export const CONTENT_REQUIRED = 'RICH_MESSAGE_CONTENT_REQUIRED';
export const EMAIL_INVALID = 'RICH_MESSAGE_EMAIL_INVALID';
export const CTOR_NOT_ALLOWED = 'RICH_VALIDATE_CTOR_NOT_ALLOWED';

// The stand-in's choice (see the module comment).
export const CONTENT_AMBIGUOUS = 'RICH_MESSAGE_CONTENT_INVALID';
export const TOO_LONG = 'RICH_MESSAGE_TOO_LONG';
export const BLOCKS_TOO_MUCH = 'RICH_MESSAGE_BLOCKS_TOO_MUCH';
export const NESTING_TOO_DEEP = 'RICH_MESSAGE_NESTING_TOO_DEEP';
export const MEDIA_TOO_MUCH = 'RICH_MESSAGE_MEDIA_TOO_MUCH';
export const TABLE_COLUMNS_TOO_MUCH = 'RICH_MESSAGE_TABLE_COLUMNS_TOO_MUCH';
export const URL_INVALID = 'RICH_MESSAGE_URL_INVALID';
export const MEDIA_URL_INVALID = 'RICH_MESSAGE_MEDIA_URL_INVALID';
export const MEDIA_ID_INVALID = 'RICH_MESSAGE_MEDIA_ID_INVALID';
export const PHONE_NUMBER_INVALID = 'RICH_MESSAGE_PHONE_NUMBER_INVALID';
export const MAP_INVALID = 'RICH_MESSAGE_MAP_INVALID';
export const BUTTONS_INVALID = 'RICH_MESSAGE_BUTTONS_INVALID';

/** A JSON shape error, worded like Telegram's for other objects ("can't parse X: Field ..."). */
export function cantParse(object: string, reason: string): BotApiError {
  return badRequest(`can't parse ${object}: ${reason}`);
}
