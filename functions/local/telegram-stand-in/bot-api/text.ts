/**
 * A message's text as Telegram prepares it: HTML parsed (parse_mode HTML) or explicit entities,
 * blanks trimmed, length checked; and the link preview options that go with it.
 */
import type { LinkPreviewOptions, MessageEntity } from '@grammyjs/types';
import { telegramLength } from '../../../core/text';
import { parseTelegramHtml, TelegramHtmlError, trimFormattedText } from '../../telegram-html';
import { BotApiError, badRequest } from './errors';
import { boolParam, isRecord, type Params } from './params';

const MAX_TEXT_LENGTH = 4096;

/** Prepared text of a message: what was sent and what Telegram stores after parsing. */
export interface PreparedText {
  sentText: string;
  text: string;
  entities?: MessageEntity[];
  parseMode?: string;
}

export interface TextErrors {
  empty: string;
  tooLong: string;
}

export const SEND_TEXT_ERRORS: TextErrors = {
  empty: 'message text is empty',
  tooLong: 'message is too long',
};
// Telegram answers edits and inline results with the underlying MTProto error names.
export const EDIT_TEXT_ERRORS: TextErrors = { empty: 'message text is empty', tooLong: 'MESSAGE_TOO_LONG' };
export const INLINE_TEXT_ERRORS: TextErrors = { empty: 'MESSAGE_EMPTY', tooLong: 'MESSAGE_TOO_LONG' };

/**
 * Parses a message text as Telegram does: HTML when parse_mode is HTML, explicit entities
 * otherwise; then trims and checks 1–4096 UTF-16 code units.
 */
export function prepareText(
  raw: unknown,
  parseModeRaw: unknown,
  entitiesRaw: unknown,
  errors: TextErrors,
): PreparedText {
  const sentText = typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : '';
  const parseMode = typeof parseModeRaw === 'string' && parseModeRaw !== '' ? parseModeRaw : undefined;
  let formatted: { text: string; entities: MessageEntity[] };
  if (parseMode === undefined) {
    formatted = { text: sentText, entities: explicitEntities(entitiesRaw) };
  } else if (parseMode.toLowerCase() === 'html') {
    try {
      formatted = parseTelegramHtml(sentText);
    } catch (error) {
      if (error instanceof TelegramHtmlError) throw new BotApiError(400, error.description);
      throw error;
    }
  } else {
    // The stand-in implements HTML only; Markdown would be accepted by Telegram.
    throw badRequest('unsupported parse_mode');
  }
  const trimmed = trimFormattedText(formatted);
  const length = telegramLength(trimmed.text);
  if (length === 0) throw badRequest(errors.empty);
  if (length > MAX_TEXT_LENGTH) throw badRequest(errors.tooLong);
  const prepared: PreparedText = { sentText, text: trimmed.text };
  if (trimmed.entities.length > 0) prepared.entities = trimmed.entities;
  if (parseMode !== undefined) prepared.parseMode = parseMode;
  return prepared;
}

function explicitEntities(raw: unknown): MessageEntity[] {
  if (raw === undefined || raw === null || raw === '') return [];
  if (!Array.isArray(raw)) throw badRequest("can't parse entities JSON object");
  return raw.map((entity) => {
    if (!isRecord(entity) || typeof entity.type !== 'string') {
      throw badRequest('can\'t parse MessageEntity: Field "type" must be of type String');
    }
    if (typeof entity.offset !== 'number' || typeof entity.length !== 'number') {
      throw badRequest('can\'t parse MessageEntity: Field "offset" must be of type Number');
    }
    // Shapes are the caller's; the stand-in keeps them as given.
    return entity as unknown as MessageEntity;
  });
}

const LINK_PREVIEW_FLAGS = [
  'is_disabled',
  'prefer_small_media',
  'prefer_large_media',
  'show_above_text',
] as const;

/**
 * Checks `link_preview_options` (Bot API 7.0) and the older `disable_web_page_preview` it
 * replaces, returning the options Telegram reports back on the message. The parse errors follow
 * the texts Telegram uses for other JSON objects; the texts for a bad preview URL and for asking
 * for small and large media at once are the stand-in's own (Telegram documents none, and a bot
 * doing either has a bug worth seeing).
 */
export function linkPreviewOptions(params: Params): LinkPreviewOptions | undefined {
  const raw = params.link_preview_options;
  if (raw === undefined || raw === null || raw === '') {
    return boolParam(params, 'disable_web_page_preview') === true ? { is_disabled: true } : undefined;
  }
  const cantParse = (reason: string) => badRequest(`can't parse LinkPreviewOptions: ${reason}`);
  if (!isRecord(raw)) throw badRequest("can't parse link preview options JSON object");
  const options: LinkPreviewOptions = {};
  for (const flag of LINK_PREVIEW_FLAGS) {
    const value = raw[flag];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') throw cantParse(`Field "${flag}" must be of type Boolean`);
    options[flag] = value;
  }
  if (raw.url !== undefined) {
    if (typeof raw.url !== 'string') throw cantParse('Field "url" must be of type String');
    if (raw.url !== '' && !isHttpUrl(raw.url)) throw badRequest('LINK_PREVIEW_URL_INVALID');
    if (raw.url !== '') options.url = raw.url;
  }
  if (options.prefer_small_media === true && options.prefer_large_media === true) {
    throw badRequest(
      'LINK_PREVIEW_MEDIA_SIZE_CONFLICT: prefer_small_media and prefer_large_media are both set',
    );
  }
  return options;
}

/** An absolute http(s) URL with a host. */
export function isHttpUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}
