/**
 * Answers to what a user asked: answerCallbackQuery and answerInlineQuery, each once per query
 * id and within 15 minutes of the query.
 */

import { telegramLength } from '../../../core/text';
import type { IssuedQuery } from '../chat-state';
import type { CallbackAnswer, InlineAnswer } from '../types';
import type { ApiContext } from './context';
import type { MethodTable } from './dispatcher';
import { type BotApiError, badRequest, QUERY_TOO_OLD } from './errors';
import { validateMarkup } from './markup';
import { boolParam, intParam, isRecord, stringParam, utf8Length } from './params';
import { INLINE_TEXT_ERRORS, prepareText } from './text';

/** Callback and inline query ids stay answerable this long. */
const QUERY_TTL_MS = 15 * 60 * 1000;
const MAX_CALLBACK_ANSWER_LENGTH = 200;
const MAX_INLINE_RESULTS = 50;

const INLINE_RESULT_TYPES = new Set([
  'article',
  'audio',
  'contact',
  'game',
  'document',
  'gif',
  'location',
  'mpeg4_gif',
  'photo',
  'venue',
  'video',
  'voice',
  'sticker',
]);

export function queryMethods({ state }: ApiContext): MethodTable {
  /** A query id the user side issued, still unanswered and younger than 15 minutes. */
  const openQuery = (
    id: string | undefined,
    kind: IssuedQuery['kind'],
  ): { id: string; query: IssuedQuery } => {
    const query = id === undefined ? undefined : state.queries.get(id);
    if (
      id === undefined ||
      query === undefined ||
      query.kind !== kind ||
      query.answered ||
      state.now() - query.issuedAt > QUERY_TTL_MS
    ) {
      throw badRequest(QUERY_TOO_OLD);
    }
    return { id, query };
  };

  return {
    answerCallbackQuery: (params) => {
      const { id, query } = openQuery(stringParam(params, 'callback_query_id'), 'callback');
      const text = stringParam(params, 'text');
      if (text !== undefined && telegramLength(text) > MAX_CALLBACK_ANSWER_LENGTH)
        throw badRequest('MESSAGE_TOO_LONG');
      const answer: CallbackAnswer = { callback_query_id: id, at: state.now() };
      if (query.data !== undefined) answer.data = query.data;
      if (text !== undefined) answer.text = text;
      const showAlert = boolParam(params, 'show_alert');
      if (showAlert !== undefined) answer.show_alert = showAlert;
      const url = stringParam(params, 'url');
      if (url !== undefined) {
        // A callback button (not a game) may only open this bot with a start parameter.
        const own = new RegExp(
          `^https?://t\\.me/${state.botInfo.username}\\?start=[A-Za-z0-9_-]{1,64}$`,
          'i',
        );
        if (!own.test(url)) throw badRequest('URL_INVALID');
        answer.url = url;
      }
      const cacheTime = intParam(params, 'cache_time');
      if (cacheTime !== undefined) answer.cache_time = cacheTime;
      query.answered = true;
      state.callbackAnswers.push(answer);
      return { result: true };
    },
    answerInlineQuery: (params) => {
      const { id, query } = openQuery(stringParam(params, 'inline_query_id'), 'inline');
      const raw = params.results;
      if (!Array.isArray(raw)) throw badRequest("can't parse inline query results JSON object");
      if (raw.length > MAX_INLINE_RESULTS) throw badRequest('RESULTS_TOO_MUCH');
      const seen = new Set<string>();
      const results = raw.map((result) => {
        const checked = validateInlineResult(result);
        if (seen.has(checked.id)) throw badRequest('RESULT_ID_DUPLICATE');
        seen.add(checked.id);
        return checked.result;
      });
      const nextOffset = stringParam(params, 'next_offset');
      if (nextOffset !== undefined && utf8Length(nextOffset) > 64) throw badRequest('NEXT_OFFSET_INVALID');
      query.answered = true;
      const answer: InlineAnswer = {
        inline_query_id: id,
        query: query.query ?? '',
        userId: query.userId,
        results,
        at: state.now(),
      };
      if (nextOffset !== undefined) answer.next_offset = nextOffset;
      const cacheTime = intParam(params, 'cache_time');
      if (cacheTime !== undefined) answer.cache_time = cacheTime;
      const personal = boolParam(params, 'is_personal');
      if (personal !== undefined) answer.is_personal = personal;
      if (params.button !== undefined) answer.button = params.button;
      state.inlineAnswers.push(answer);
      return { result: true };
    },
  };
}

function validateInlineResult(result: unknown): { id: string; result: Record<string, unknown> } {
  const cantParse = (reason: string): BotApiError => badRequest(`can't parse inline query result: ${reason}`);
  if (!isRecord(result)) throw cantParse('InlineQueryResult should be an Object');
  if (typeof result.type !== 'string') throw cantParse('Can\'t find field "type"');
  if (result.id === undefined) throw cantParse('Can\'t find field "id"');
  if (typeof result.id !== 'string') throw cantParse('Field "id" must be of type String');
  const resultId = result.id;
  if (resultId === '' || utf8Length(resultId) > 64) throw badRequest('RESULT_ID_INVALID');
  const type = result.type.toLowerCase();
  if (!INLINE_RESULT_TYPES.has(type)) throw badRequest('RESULT_TYPE_INVALID');
  if (type === 'article') {
    if (result.title === undefined) throw cantParse('Can\'t find field "title"');
    if (typeof result.title !== 'string') throw cantParse('Field "title" must be of type String');
    if (result.title.trim() === '') throw badRequest('ARTICLE_TITLE_EMPTY');
    if (result.input_message_content === undefined)
      throw cantParse('Can\'t find field "input_message_content"');
  }
  const content = result.input_message_content;
  if (content !== undefined) {
    if (!isRecord(content)) throw cantParse('Field "input_message_content" must be of type Object');
    if ('message_text' in content || type === 'article') {
      prepareText(content.message_text, content.parse_mode, content.entities, INLINE_TEXT_ERRORS);
    }
  }
  const checked: Record<string, unknown> = { ...result };
  if (result.reply_markup !== undefined) {
    const markup = validateMarkup(result.reply_markup, true);
    if (markup === undefined) delete checked.reply_markup;
    else checked.reply_markup = markup;
  }
  return { id: resultId, result: checked };
}
