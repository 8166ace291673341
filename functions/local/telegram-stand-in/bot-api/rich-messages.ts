/**
 * Rich messages (Bot API 10.1): sendRichMessage, and editMessageText with `rich_message`.
 * Whatever form the content comes in (markdown, html or blocks) it is parsed into blocks,
 * checked against Telegram's limits, and stored as Telegram returns it, so tests can assert on
 * the structure.
 */
import type { RichMessage } from '@grammyjs/types';
import type { StoredMessage } from '../types';
import { type ApiContext, assertCanPost, chatIdParam } from './context';
import type { Answer, MethodTable } from './dispatcher';
import { badRequest, MESSAGE_NOT_MODIFIED } from './errors';
import { validateMarkup } from './markup';
import { canonicalJson, isRecord, type Params, setOptional } from './params';
import { htmlBlocks } from './rich/html-blocks';
import { checkInputBlocks } from './rich/input-blocks';
import { checkLimits, measureBlocks } from './rich/limits';
import { resolveMediaSource } from './rich/media';
import { blocksText } from './rich/plain-text';
import {
  CONTENT_AMBIGUOUS,
  CONTENT_REQUIRED,
  cantParse,
  MEDIA_ID_INVALID,
  UNSUPPORTED,
} from './rich/rich-errors';
import { parseRichHtml } from './rich/rich-html';
import { markdownToHtml } from './rich/rich-markdown';
import { editTarget, replyTarget } from './targets';

/** A rich message as parsed: what Telegram stores, and what the bot sent. */
interface ParsedRich {
  rich: RichMessage;
  sentText: string;
  form: 'markdown' | 'html' | 'blocks';
}

export function richMethods(ctx: ApiContext): MethodTable {
  return { sendRichMessage: (params) => sendRichMessage(ctx, params) };
}

function sendRichMessage({ state }: ApiContext, params: Params): Answer {
  const chatId = chatIdParam(state, params);
  const parsed = parseRichMessage(params.rich_message);
  const markup = validateMarkup(params.reply_markup, false);
  const replyTo = replyTarget(state, chatId, params);
  if (state.richUnavailableChats.has(chatId)) throw badRequest(UNSUPPORTED);
  const threadId = assertCanPost(state, chatId, params);
  const message: StoredMessage = {
    message_id: state.nextMessageId(chatId),
    chat: state.knownChat(chatId),
    date: state.unixNow(),
    from: state.botSender(),
    text: blocksText(parsed.rich.blocks),
    rich_message: parsed.rich,
    sentText: parsed.sentText,
    parseMode: `rich:${parsed.form}`,
  };
  if (threadId !== undefined) message.message_thread_id = threadId;
  if (markup !== undefined) message.reply_markup = markup;
  if (replyTo !== undefined) message.reply_to_message = replyTo;
  state.store(message);
  return { result: state.apiMessage(message) };
}

/** editMessageText with `rich_message`: a text or rich message gets new rich content. */
export function editRichMessage({ state }: ApiContext, params: Params): Answer {
  const target = editTarget(state, params);
  if (params.text !== undefined) throw badRequest(CONTENT_AMBIGUOUS);
  const parsed = parseRichMessage(params.rich_message);
  const markup = validateMarkup(params.reply_markup, true);
  if (target.kind === 'inline') {
    // "Explicit upload of files by a URL isn't supported when an inline message is edited."
    if (measureBlocks(parsed.rich.blocks).media > 0) throw badRequest(MEDIA_ID_INVALID);
    target.inline.text = blocksText(parsed.rich.blocks);
    target.inline.sentText = parsed.sentText;
    delete target.inline.entities;
    setOptional(target.inline, 'reply_markup', markup);
    return { result: true };
  }
  const message = target.message;
  if (state.richUnavailableChats.has(message.chat.id)) throw badRequest(UNSUPPORTED);
  const unchanged =
    message.rich_message !== undefined &&
    canonicalJson(message.rich_message) === canonicalJson(parsed.rich) &&
    canonicalJson(message.reply_markup ?? null) === canonicalJson(markup ?? null);
  if (unchanged) throw badRequest(MESSAGE_NOT_MODIFIED);
  message.text = blocksText(parsed.rich.blocks);
  message.sentText = parsed.sentText;
  message.parseMode = `rich:${parsed.form}`;
  message.rich_message = parsed.rich;
  delete message.entities;
  delete message.link_preview_options;
  setOptional(message, 'reply_markup', markup);
  message.edit_date = state.unixNow();
  return { result: state.apiMessage(message) };
}

/**
 * Reads an InputRichMessage: its flags (`is_rtl`, `skip_entity_detection`) JSON booleans,
 * exactly one of markdown, html and blocks, then the limits.
 */
function parseRichMessage(raw: unknown): ParsedRich {
  if (raw === undefined || raw === null || raw === '') throw badRequest(CONTENT_REQUIRED);
  if (!isRecord(raw)) throw badRequest("can't parse rich message JSON object");
  // Telegram reads these as JSON booleans: "true", 1 or null are refused, not coerced.
  for (const flag of ['is_rtl', 'skip_entity_detection'] as const) {
    if (raw[flag] !== undefined && typeof raw[flag] !== 'boolean')
      throw cantParse('InputRichMessage', `Field "${flag}" must be of type Boolean`);
  }
  const forms = (['markdown', 'html', 'blocks'] as const).filter((form) => raw[form] !== undefined);
  const form = forms[0];
  if (form === undefined) throw badRequest(CONTENT_REQUIRED);
  if (forms.length > 1) throw badRequest(CONTENT_AMBIGUOUS);
  const media = mediaList(raw.media);
  let parsed: Pick<ParsedRich, 'sentText'> & { blocks: RichMessage['blocks'] };
  if (form === 'blocks') {
    parsed = { blocks: checkInputBlocks(raw.blocks, media), sentText: JSON.stringify(raw.blocks) };
  } else {
    const source = raw[form];
    if (typeof source !== 'string')
      throw cantParse('InputRichMessage', `Field "${form}" must be of type String`);
    const html = form === 'markdown' ? markdownToHtml(source) : source;
    parsed = { blocks: htmlBlocks(parseRichHtml(html).children, media), sentText: source };
  }
  if (
    parsed.blocks.length === 0 ||
    (blocksText(parsed.blocks).trim() === '' && measureBlocks(parsed.blocks).media === 0)
  ) {
    throw badRequest(CONTENT_REQUIRED);
  }
  checkLimits(measureBlocks(parsed.blocks));
  const rich: RichMessage = { blocks: parsed.blocks };
  if (raw.is_rtl === true) rich.is_rtl = true;
  return { rich, sentText: parsed.sentText, form };
}

/** The message's `media` list: ids (1–64 of A-Z a-z 0-9 _ -) to the URLs they stand for. */
function mediaList(raw: unknown): Map<string, string> {
  const media = new Map<string, string>();
  if (raw === undefined) return media;
  if (!Array.isArray(raw)) throw cantParse('InputRichMessage', 'Field "media" must be of type Array');
  for (const entry of raw) {
    if (!isRecord(entry) || typeof entry.id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(entry.id))
      throw badRequest(MEDIA_ID_INVALID);
    const input = isRecord(entry.media) ? entry.media.media : undefined;
    if (typeof input !== 'string')
      throw cantParse('InputRichMessageMedia', 'Field "media" must be of type InputMedia');
    media.set(entry.id, resolveMediaSource(input, new Map()));
  }
  return media;
}
