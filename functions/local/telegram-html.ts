/**
 * A validator for Telegram's `parse_mode: 'HTML'`, written to behave like the Bot API server:
 * the same supported tags, the same entity decoding, offsets and lengths in UTF-16 code units,
 * and the same error texts (`Bad Request: can't parse entities: <reason>`), byte offsets
 * counted in UTF-8 like Telegram does.
 *
 * It is used by the Bot API stand-in and by tests that want to know whether a text the bot
 * produces would be accepted. It only validates and parses: escaping belongs to the bot code.
 *
 * One deliberate difference: Telegram's documentation says every `&` that does not start an
 * entity must be escaped, but the server itself keeps a bare `&` as text. By default this
 * parser follows the documentation and rejects it (`strictAmpersand: true`), because a bare
 * `&` in a bot's output almost always means user text was not escaped, and the same text
 * would fail as soon as it contained `<`. Pass `strictAmpersand: false` to get Telegram's
 * tolerant behaviour.
 */
import type { MessageEntity as BotApiMessageEntity } from '@grammyjs/types';

/** A message entity as the Bot API returns it (offset and length in UTF-16 code units). */
export type MessageEntity = BotApiMessageEntity;

/** Plain text plus the entities that describe its formatting. */
export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

/** Options of {@link parseTelegramHtml}. */
export interface ParseHtmlOptions {
  /** Reject a `&` that does not start one of the supported entities (default true; see the module comment). */
  strictAmpersand?: boolean;
}

/** The prefix Telegram puts before every HTML parse error. */
export const CANT_PARSE_ENTITIES = "Bad Request: can't parse entities: ";

/** Raised for HTML that Telegram would refuse; `description` is the Bot API's full error text. */
export class TelegramHtmlError extends Error {
  /** The part after `can't parse entities: `, e.g. `Unsupported start tag "div" at byte offset 0`. */
  readonly reason: string;
  /** The complete Bot API description, e.g. `Bad Request: can't parse entities: ...`. */
  readonly description: string;

  constructor(reason: string) {
    super(CANT_PARSE_ENTITIES + reason);
    this.name = 'TelegramHtmlError';
    this.reason = reason;
    this.description = CANT_PARSE_ENTITIES + reason;
  }
}

const SUPPORTED_TAGS = new Set([
  'a',
  'b',
  'strong',
  'i',
  'em',
  's',
  'strike',
  'del',
  'u',
  'ins',
  'tg-spoiler',
  'tg-emoji',
  'span',
  'pre',
  'code',
  'blockquote',
]);

const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** Characters Telegram's parser treats as blanks inside tags. */
export function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n' || ch === '\v' || ch === '\f';
}

function isNameTokenChar(ch: string | undefined): boolean {
  return ch !== undefined && /^[A-Za-z0-9.-]$/.test(ch);
}

/** Telegram reports positions as UTF-8 byte offsets into the original text. */
export function byteOffset(source: string, index: number): number {
  return Buffer.byteLength(source.slice(0, index), 'utf8');
}

/**
 * Decodes the entity starting at `start` (which holds `&`). Returns the decoded text and the
 * index after the `;`, or undefined when the characters there are not a supported entity.
 */
export function decodeEntityAt(
  source: string,
  start: number,
  named: Readonly<Record<string, string>> = NAMED_ENTITIES,
): { text: string; end: number } | undefined {
  const semicolon = source.indexOf(';', start + 1);
  // Entity names and numbers are short; a far-away `;` belongs to something else.
  if (semicolon < 0 || semicolon - start > 12) return undefined;
  const body = source.slice(start + 1, semicolon);
  const known = named[body];
  if (known !== undefined) return { text: known, end: semicolon + 1 };
  let code: number;
  if (/^#[0-9]{1,8}$/.test(body)) code = Number.parseInt(body.slice(1), 10);
  else if (/^#[xX][0-9A-Fa-f]{1,6}$/.test(body)) code = Number.parseInt(body.slice(2), 16);
  else return undefined;
  // NUL, surrogate halves and values past Unicode are not characters.
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return { text: String.fromCodePoint(code), end: semicolon + 1 };
}

/** Links Telegram accepts in `<a href>`; undefined means Telegram drops the link silently. */
function normalizeLink(raw: string): string | undefined {
  const url = raw.trim();
  if (url === '') return undefined;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    // Telegram turns a bare domain into an http link.
    return normalizeHttp(`http://${url}`, true);
  }
  if (scheme === 'http' || scheme === 'https') return normalizeHttp(url, false);
  if (scheme === 'tg' || scheme === 'ton' || scheme === 'mailto') {
    const rest = url.slice(scheme.length + 1);
    return rest.replace(/^\/\//, '') === '' ? undefined : `${scheme}:${rest}`;
  }
  return undefined;
}

function normalizeHttp(url: string, needsDot: boolean): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.hostname === '') return undefined;
    if (needsDot && !parsed.hostname.includes('.')) return undefined;
    return parsed.href;
  } catch {
    return undefined;
  }
}

/** `tg://user?id=123` links become text mentions in Telegram. */
function mentionedUserId(url: string): number | undefined {
  const match = /^tg:(?:\/\/)?user\?id=([0-9]{1,15})$/i.exec(url.trim());
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

interface OpenTag {
  name: string;
  argument: string;
  /** Offset in the output text (UTF-16 code units) where the tag's content starts. */
  offset: number;
}

/** Sorts like the Bot API reports entities: by offset, the longer (outer) one first. */
function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities
    .map((entity, index) => ({ entity, index }))
    .sort(
      (a, b) => a.entity.offset - b.entity.offset || b.entity.length - a.entity.length || a.index - b.index,
    )
    .map(({ entity }) => entity);
}

/**
 * Parses Telegram HTML into plain text and entities, exactly as the Bot API would for
 * `parse_mode: 'HTML'` (before its whitespace trimming, see {@link trimFormattedText}).
 *
 * @throws TelegramHtmlError with Telegram's reason when the Bot API would reject the text.
 */
export function parseTelegramHtml(html: string, options: ParseHtmlOptions = {}): FormattedText {
  const strictAmpersand = options.strictAmpersand ?? true;
  const fail = (reason: string): never => {
    throw new TelegramHtmlError(reason);
  };
  const n = html.length;
  let text = '';
  const open: OpenTag[] = [];
  const entities: MessageEntity[] = [];
  // Languages of `<code class="language-x">`, kept aside until we know whether a `<pre>` wraps them.
  const languages = new Map<MessageEntity, string>();
  let i = 0;

  while (i < n) {
    const ch = html[i];
    if (ch === '&') {
      const decoded = decodeEntityAt(html, i);
      if (decoded !== undefined) {
        text += decoded.text;
        i = decoded.end;
        continue;
      }
      if (strictAmpersand)
        fail(`Can't find end of the entity starting at byte offset ${byteOffset(html, i)}`);
      text += '&';
      i += 1;
      continue;
    }
    if (ch !== '<') {
      text += ch;
      i += 1;
      continue;
    }

    const begin = i;
    const at = (): number => byteOffset(html, begin);
    i += 1;
    if (html[i] !== '/') {
      // A start tag: its name runs to the first blank or `>`.
      const nameStart = i;
      while (i < n && !isSpace(html[i]) && html[i] !== '>') i += 1;
      if (i >= n) fail(`Unclosed start tag at byte offset ${at()}`);
      const name = html.slice(nameStart, i).toLowerCase();
      if (!SUPPORTED_TAGS.has(name)) fail(`Unsupported start tag "${name}" at byte offset ${at()}`);

      let argument = '';
      while (html[i] !== '>') {
        while (i < n && isSpace(html[i])) i += 1;
        if (i >= n) fail(`Unclosed start tag "${name}" at byte offset ${at()}`);
        if (html[i] === '>') break;
        const attributeStart = i;
        while (i < n && !isSpace(html[i]) && !'=>/"\''.includes(html[i] ?? '')) i += 1;
        const attribute = html.slice(attributeStart, i).toLowerCase();
        if (attribute === '') fail(`Empty attribute name in the tag "${name}" at byte offset ${at()}`);
        while (i < n && isSpace(html[i])) i += 1;
        if (i >= n) fail(`Unclosed start tag "${name}" at byte offset ${at()}`);

        let value = '';
        let hasValue = false;
        if (html[i] === '=') {
          hasValue = true;
          i += 1;
          while (i < n && isSpace(html[i])) i += 1;
          if (i >= n) fail(`Unclosed start tag "${name}" at byte offset ${at()}`);
          const quote = html[i];
          if (quote === '"' || quote === "'") {
            i += 1;
            while (i < n && html[i] !== quote) {
              // Inside attribute values Telegram decodes entities but keeps a bare `&`
              // (URLs carry them in query strings), so no strictness here.
              const decoded = html[i] === '&' ? decodeEntityAt(html, i) : undefined;
              if (decoded !== undefined) {
                value += decoded.text;
                i = decoded.end;
              } else {
                value += html[i];
                i += 1;
              }
            }
            if (i >= n) fail(`Unclosed start tag at byte offset ${at()}`);
            i += 1;
          } else {
            // An unquoted name token: letters, digits, periods and hyphens, case-insensitive.
            const tokenStart = i;
            while (isNameTokenChar(html[i])) i += 1;
            value = html.slice(tokenStart, i).toLowerCase();
            if (i >= n || (!isSpace(html[i]) && html[i] !== '>')) {
              fail(`Unexpected end of name token at byte offset ${byteOffset(html, tokenStart)}`);
            }
          }
        }

        if (name === 'a' && attribute === 'href' && hasValue) argument = value;
        else if (name === 'code' && attribute === 'class' && value.startsWith('language-')) {
          argument = value.slice('language-'.length);
        } else if (name === 'span' && attribute === 'class' && value.startsWith('tg-')) {
          argument = value.slice('tg-'.length);
        } else if (name === 'tg-emoji' && attribute === 'emoji-id') argument = value;
        else if (name === 'blockquote' && attribute === 'expandable') argument = 'expandable';
      }
      i += 1; // past `>`
      if (name === 'span' && argument !== 'spoiler') {
        fail(`Tag "span" must have class "tg-spoiler" at byte offset ${at()}`);
      }
      // "blockquote and expandable_blockquote entities can't be nested" (formatting options);
      // what Telegram answers is not documented: the stand-in refuses, with its own reason.
      if (name === 'blockquote' && open.some((tag) => tag.name === 'blockquote')) {
        fail(`Blockquote entities can't be nested at byte offset ${at()}`);
      }
      open.push({ name, argument, offset: text.length });
      continue;
    }

    // An end tag.
    if (open.length === 0) fail(`Unexpected end tag at byte offset ${at()}`);
    i += 1; // past `/`
    const nameStart = i;
    while (i < n && !isSpace(html[i]) && html[i] !== '>') i += 1;
    const endName = html.slice(nameStart, i).toLowerCase();
    while (i < n && isSpace(html[i])) i += 1;
    if (html[i] !== '>') fail(`Unclosed end tag at byte offset ${at()}`);
    i += 1;
    const tag = open.pop();
    if (tag === undefined) return fail(`Unmatched end tag at byte offset ${at()}`);
    if (endName !== '' && endName !== tag.name) {
      fail(`Unmatched end tag at byte offset ${at()}, expected "</${tag.name}>", found "</${endName}>"`);
    }
    const length = text.length - tag.offset;
    // Empty elements produce no entity, like Telegram.
    if (length > 0) closeEntity(tag, length, text, entities, languages, fail);
  }

  const unclosed = open.at(-1);
  if (unclosed !== undefined) fail(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  return { text, entities: sortEntities(entities) };
}

function closeEntity(
  tag: OpenTag,
  length: number,
  text: string,
  entities: MessageEntity[],
  languages: Map<MessageEntity, string>,
  fail: (reason: string) => never,
): void {
  const offset = tag.offset;
  switch (tag.name) {
    case 'b':
    case 'strong':
      entities.push({ type: 'bold', offset, length });
      return;
    case 'i':
    case 'em':
      entities.push({ type: 'italic', offset, length });
      return;
    case 'u':
    case 'ins':
      entities.push({ type: 'underline', offset, length });
      return;
    case 's':
    case 'strike':
    case 'del':
      entities.push({ type: 'strikethrough', offset, length });
      return;
    case 'tg-spoiler':
    case 'span':
      entities.push({ type: 'spoiler', offset, length });
      return;
    case 'blockquote':
      entities.push({
        type: tag.argument === 'expandable' ? 'expandable_blockquote' : 'blockquote',
        offset,
        length,
      });
      return;
    case 'tg-emoji': {
      if (!/^[0-9]{1,19}$/.test(tag.argument) || BigInt(tag.argument) === 0n) {
        fail('Invalid custom emoji identifier specified');
      }
      entities.push({ type: 'custom_emoji', offset, length, custom_emoji_id: tag.argument });
      return;
    }
    case 'a': {
      // `<a>` without href links to its own text, as in Telegram.
      const url = tag.argument === '' ? text.slice(offset) : tag.argument;
      const userId = mentionedUserId(url);
      if (userId !== undefined) {
        entities.push({
          type: 'text_mention',
          offset,
          length,
          user: { id: userId, is_bot: false, first_name: '' },
        });
        return;
      }
      const link = normalizeLink(url);
      // An invalid link is dropped silently by Telegram: the text stays, unlinked.
      if (link !== undefined) entities.push({ type: 'text_link', offset, length, url: link });
      return;
    }
    case 'code': {
      const last = entities.at(-1);
      // `<pre><code class="language-x">` closes the code first; remember the language on the pre.
      if (last?.type === 'pre' && last.offset === offset && last.length === length) {
        if (tag.argument !== '') last.language = tag.argument;
        return;
      }
      const code: MessageEntity = { type: 'code', offset, length };
      entities.push(code);
      if (tag.argument !== '') languages.set(code, tag.argument);
      return;
    }
    case 'pre': {
      const last = entities.at(-1);
      if (last?.type === 'code' && last.offset === offset && last.length === length) {
        // A code block spanning the whole pre is a pre block with that language.
        const language = languages.get(last);
        entities[entities.length - 1] =
          language === undefined
            ? { type: 'pre', offset, length }
            : { type: 'pre', offset, length, language };
        return;
      }
      entities.push({ type: 'pre', offset, length });
      return;
    }
    default:
      return;
  }
}

/** Outcome of {@link tryParseTelegramHtml}. */
export type ParseHtmlResult = ({ ok: true } & FormattedText) | { ok: false; error: TelegramHtmlError };

/** Like {@link parseTelegramHtml} but returns the error instead of throwing it. */
export function tryParseTelegramHtml(html: string, options: ParseHtmlOptions = {}): ParseHtmlResult {
  try {
    return { ok: true, ...parseTelegramHtml(html, options) };
  } catch (error) {
    if (error instanceof TelegramHtmlError) return { ok: false, error };
    throw error;
  }
}

const TRIMMED = /[ \t\r\n\v\f]/;

/**
 * Removes leading and trailing blanks the way the Bot API does before storing a message,
 * shortening or dropping the entities that covered them.
 */
export function trimFormattedText(formatted: FormattedText): FormattedText {
  const { text } = formatted;
  let start = 0;
  let end = text.length;
  while (start < end && TRIMMED.test(text[start] ?? '')) start += 1;
  while (end > start && TRIMMED.test(text[end - 1] ?? '')) end -= 1;
  if (start === 0 && end === text.length) return formatted;
  const entities: MessageEntity[] = [];
  for (const entity of formatted.entities) {
    const from = Math.max(entity.offset, start);
    const to = Math.min(entity.offset + entity.length, end);
    if (to > from) entities.push({ ...entity, offset: from - start, length: to - from });
  }
  return { text: text.slice(start, end), entities };
}
