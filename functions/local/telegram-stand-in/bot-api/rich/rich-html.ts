/**
 * Rich HTML (InputRichMessage.html) read into a tree of elements and text, with the tags and
 * named entities Telegram lists for rich messages and the error texts of its HTML parser
 * ("can't parse entities: … at byte offset N"; Telegram documents none for rich HTML, so the
 * stand-in reuses those of parse_mode HTML). Turning the tree into blocks is html-blocks.ts's job.
 */
import { byteOffset, decodeEntityAt, isSpace, TelegramHtmlError } from '../../../telegram-html';
import { BotApiError, badRequest } from '../errors';
import { NESTING_TOO_DEEP } from './rich-errors';

export interface HtmlElement {
  kind: 'element';
  name: string;
  /** Attribute values; `true` for an attribute without a value (`<details open>`). */
  attrs: Map<string, string | true>;
  children: HtmlNode[];
  /** UTF-8 byte offset of the start tag, for error texts. */
  at: number;
}

export interface HtmlText {
  kind: 'text';
  text: string;
}

export type HtmlNode = HtmlElement | HtmlText;

const SUPPORTED_TAGS = new Set(
  (
    'a b strong i em u ins s strike del code mark sub sup tg-spoiler span tg-reference tg-emoji img ' +
    'tg-time tg-math h1 h2 h3 h4 h5 h6 p pre footer hr ul ol li input blockquote cite aside video audio ' +
    'tg-document figure figcaption tg-map tg-collage tg-slideshow table caption thead tbody tr th td ' +
    'details summary tg-math-block br tg-button tg-button-row tg-thinking'
  ).split(' '),
);

/** Elements that never have an end tag. */
const VOID_TAGS = new Set(['br', 'hr', 'img', 'input']);

/** The named entities rich messages accept (InputRichMessage docs). */
const RICH_NAMED_ENTITIES: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
};

/** Deeper markup than this cannot pass the 16-level limit; stop before recursion gets costly. */
const MAX_OPEN_TAGS = 64;

/** Parses rich HTML into a root element named `#root`. */
export function parseRichHtml(html: string): HtmlElement {
  try {
    return parse(html);
  } catch (error) {
    if (error instanceof TelegramHtmlError) throw new BotApiError(400, error.description);
    throw error;
  }
}

function parse(html: string): HtmlElement {
  const fail = (reason: string): never => {
    throw new TelegramHtmlError(reason);
  };
  const root: HtmlElement = { kind: 'element', name: '#root', attrs: new Map(), children: [], at: 0 };
  const open: HtmlElement[] = [root];
  const n = html.length;
  let text = '';
  let i = 0;
  const top = (): HtmlElement => open.at(-1) ?? root;
  const flush = (): void => {
    if (text !== '') top().children.push({ kind: 'text', text });
    text = '';
  };

  while (i < n) {
    const ch = html[i];
    if (ch === '&') {
      const decoded = decodeEntityAt(html, i, RICH_NAMED_ENTITIES);
      if (decoded === undefined)
        fail(`Can't find end of the entity starting at byte offset ${byteOffset(html, i)}`);
      else {
        text += decoded.text;
        i = decoded.end;
      }
      continue;
    }
    if (ch !== '<') {
      text += ch;
      i += 1;
      continue;
    }
    flush();
    const begin = i;
    const at = byteOffset(html, begin);
    i += 1;
    if (html[i] === '/') {
      i += 1;
      const nameStart = i;
      while (i < n && !isSpace(html[i]) && html[i] !== '>') i += 1;
      const endName = html.slice(nameStart, i).toLowerCase();
      while (i < n && isSpace(html[i])) i += 1;
      if (html[i] !== '>') fail(`Unclosed end tag at byte offset ${at}`);
      i += 1;
      if (VOID_TAGS.has(endName)) continue;
      const tag = open.pop();
      if (tag === undefined || tag === root) fail(`Unexpected end tag at byte offset ${at}`);
      else if (endName !== '' && endName !== tag.name) {
        fail(`Unmatched end tag at byte offset ${at}, expected "</${tag.name}>", found "</${endName}>"`);
      }
      continue;
    }
    const nameStart = i;
    while (i < n && !isSpace(html[i]) && html[i] !== '>' && html[i] !== '/') i += 1;
    if (i >= n) fail(`Unclosed start tag at byte offset ${at}`);
    const name = html.slice(nameStart, i).toLowerCase();
    if (!SUPPORTED_TAGS.has(name)) fail(`Unsupported start tag "${name}" at byte offset ${at}`);
    const attrs = new Map<string, string | true>();
    let selfClosing = false;
    for (;;) {
      while (i < n && isSpace(html[i])) i += 1;
      if (i >= n) fail(`Unclosed start tag "${name}" at byte offset ${at}`);
      if (html[i] === '>') break;
      if (html[i] === '/' && html[i + 1] === '>') {
        selfClosing = true;
        i += 1;
        break;
      }
      const attributeStart = i;
      while (i < n && !isSpace(html[i]) && !'=>/"\''.includes(html[i] ?? '')) i += 1;
      const attribute = html.slice(attributeStart, i).toLowerCase();
      if (attribute === '') fail(`Empty attribute name in the tag "${name}" at byte offset ${at}`);
      while (i < n && isSpace(html[i])) i += 1;
      if (html[i] !== '=') {
        attrs.set(attribute, true);
        continue;
      }
      i += 1;
      while (i < n && isSpace(html[i])) i += 1;
      const quote = html[i];
      let value = '';
      if (quote === '"' || quote === "'") {
        i += 1;
        while (i < n && html[i] !== quote) {
          const decoded = html[i] === '&' ? decodeEntityAt(html, i, RICH_NAMED_ENTITIES) : undefined;
          value += decoded?.text ?? html[i];
          i = decoded?.end ?? i + 1;
        }
        if (i >= n) fail(`Unclosed start tag at byte offset ${at}`);
        i += 1;
      } else {
        const valueStart = i;
        while (i < n && !isSpace(html[i]) && html[i] !== '>') i += 1;
        value = html.slice(valueStart, i);
      }
      attrs.set(attribute, value);
    }
    i += 1; // past `>`
    const element: HtmlElement = { kind: 'element', name, attrs, children: [], at };
    top().children.push(element);
    if (selfClosing || VOID_TAGS.has(name)) continue;
    open.push(element);
    if (open.length > MAX_OPEN_TAGS) throw badRequest(NESTING_TOO_DEEP);
  }
  flush();
  const unclosed = open.at(-1);
  if (unclosed !== undefined && unclosed !== root)
    fail(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  return root;
}

/** An attribute's text value ('' when absent or given without a value). */
export function attr(element: HtmlElement, name: string): string {
  const value = element.attrs.get(name);
  return typeof value === 'string' ? value : '';
}
