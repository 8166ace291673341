/**
 * Rich HTML inline content (inside a paragraph, heading, cell, caption …) turned into RichText:
 * formatting tags, links, mentions, custom emoji, dates, formulas, line breaks and buttons.
 * Blank runs collapse to one space, as in HTML, except inside <pre>.
 */
import type { RichMessageButton, RichText } from '@grammyjs/types';
import { TelegramHtmlError } from '../../../telegram-html';
import { BotApiError } from '../errors';
import { attr, type HtmlElement, type HtmlNode } from './rich-html';
import { checkEmail, checkLinkUrl, checkPhone, checkRichButton } from './rich-text';

const SIMPLE: Readonly<Record<string, string>> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  code: 'code',
  mark: 'marked',
  sub: 'subscript',
  sup: 'superscript',
  'tg-spoiler': 'spoiler',
};

/** Inline tags that are not formatting but have a meaning of their own. */
const SPECIAL_INLINE = new Set([
  'a',
  'span',
  'tg-reference',
  'tg-emoji',
  'img',
  'tg-time',
  'tg-math',
  'br',
  'tg-button',
  'cite',
]);

export function isInlineTag(name: string): boolean {
  return name in SIMPLE || SPECIAL_INLINE.has(name);
}

/** A parse error at an element, worded like Telegram's HTML errors. */
export function unexpected(element: HtmlElement, what: string): BotApiError {
  return new BotApiError(400, new TelegramHtmlError(`${what} at byte offset ${element.at}`).description);
}

/** The raw text under a node (for formulas, emoji alternatives, code). */
export function rawText(nodes: readonly HtmlNode[]): string {
  return nodes
    .map((node) => (node.kind === 'text' ? node.text : node.name === 'br' ? '\n' : rawText(node.children)))
    .join('');
}

/** RichText of a list of inline nodes, blanks collapsed and trimmed at both ends. */
export function inlineText(nodes: readonly HtmlNode[], pre = false): RichText {
  const parts = convert(nodes, pre);
  if (!pre) trimEnds(parts);
  return simplify(parts);
}

function convert(nodes: readonly HtmlNode[], pre: boolean): RichText[] {
  const parts: RichText[] = [];
  for (const node of nodes) {
    if (node.kind === 'text') {
      const text = pre ? node.text : node.text.replace(/[ \t\r\n\f]+/g, ' ');
      const last = parts.at(-1);
      if (typeof last === 'string')
        parts[parts.length - 1] = last + (!pre && last.endsWith('\n') ? text.trimStart() : text);
      else if (text !== '') parts.push(text);
      continue;
    }
    const element = inlineElement(node, pre);
    const last = parts.at(-1);
    // A line break joins the text around it, without the blanks next to it.
    if (typeof element === 'string' && typeof last === 'string')
      parts[parts.length - 1] = (pre ? last : last.trimEnd()) + element;
    else if (element !== undefined) parts.push(element);
  }
  return parts;
}

function simplify(parts: RichText[]): RichText {
  const kept = parts.filter((part) => part !== '');
  if (kept.length === 1 && kept[0] !== undefined) return kept[0];
  return kept.length === 0 ? '' : kept;
}

function trimEnds(parts: RichText[]): void {
  const first = parts[0];
  if (typeof first === 'string') parts[0] = first.trimStart();
  const last = parts.at(-1);
  if (typeof last === 'string') parts[parts.length - 1] = last.trimEnd();
}

function inlineElement(element: HtmlElement, pre: boolean): RichText | undefined {
  const children = (): RichText => simplify(convert(element.children, pre));
  const simple = SIMPLE[element.name];
  if (simple !== undefined) return { type: simple, text: children() } as RichText;
  switch (element.name) {
    case 'br':
      return '\n';
    case 'cite':
      return children();
    case 'span':
      if (attr(element, 'class') !== 'tg-spoiler')
        throw unexpected(element, 'Tag "span" must have class "tg-spoiler"');
      return { type: 'spoiler', text: children() };
    case 'a':
      return link(element, children());
    case 'tg-reference':
      return { type: 'reference', text: children(), name: attr(element, 'name') };
    case 'tg-emoji':
      return {
        type: 'custom_emoji',
        custom_emoji_id: emojiId(element, attr(element, 'emoji-id')),
        alternative_text: rawText(element.children),
      };
    case 'img': {
      const emoji = /^tg:\/\/emoji\?id=(.*)$/.exec(attr(element, 'src'));
      if (emoji === null) throw unexpected(element, 'Media can be used only as a separate block');
      return {
        type: 'custom_emoji',
        custom_emoji_id: emojiId(element, emoji[1] ?? ''),
        alternative_text: attr(element, 'alt'),
      };
    }
    case 'tg-time': {
      const unix = Number(attr(element, 'unix'));
      const format = attr(element, 'format') || 'r';
      if (!Number.isInteger(unix) || !/^(?:r|w?[dD]?[tT]?)$/.test(format))
        throw unexpected(element, 'Invalid date and time specified');
      return { type: 'date_time', text: children(), unix_time: unix, date_time_format: format as 'r' };
    }
    case 'tg-math':
      return { type: 'mathematical_expression', expression: rawText(element.children) };
    case 'tg-button':
      return { type: 'button', button: htmlButton(element) };
    default:
      throw unexpected(element, `Unexpected block tag "${element.name}"`);
  }
}

function emojiId(element: HtmlElement, id: string): string {
  if (!/^[0-9]{1,19}$/.test(id)) throw unexpected(element, 'Invalid custom emoji identifier specified');
  return id;
}

/** `<a>`: an anchor, a link to an anchor, an e-mail, a phone number, a user mention or a URL. */
function link(element: HtmlElement, text: RichText): RichText {
  const href = element.attrs.get('href');
  if (typeof href !== 'string') {
    const name = attr(element, 'name');
    return name === '' ? text : simplify([{ type: 'anchor', name }, text]);
  }
  const url = href.trim();
  if (url.startsWith('#')) return { type: 'anchor_link', text, anchor_name: url.slice(1) };
  if (/^mailto:/i.test(url)) return { type: 'email_address', text, email_address: checkEmail(url.slice(7)) };
  if (/^tel:/i.test(url)) return { type: 'phone_number', text, phone_number: checkPhone(url.slice(4)) };
  const mention = /^tg:\/\/user\?id=([0-9]{1,15})$/i.exec(url);
  if (mention !== null)
    return { type: 'text_mention', text, user: { id: Number(mention[1]), is_bot: false, first_name: '' } };
  return { type: 'url', text, url: checkLinkUrl(url) };
}

/** `<tg-button type="…">` as a RichMessageButton. */
export function htmlButton(element: HtmlElement): RichMessageButton {
  const text = inlineText(element.children);
  const style = attr(element, 'style');
  const base = { text, ...(style === '' ? {} : { style }) };
  const flag = (name: string) => element.attrs.has(name) || undefined;
  const type = attr(element, 'type');
  const action: Record<string, unknown> = (() => {
    switch (type) {
      case 'url':
        return { url: attr(element, 'url') };
      case 'callback_data':
        return { callback_data: attr(element, 'data') };
      case 'web_app':
        return { web_app: { url: attr(element, 'url') } };
      case 'login_url':
        return {
          login_url: {
            url: attr(element, 'url'),
            forward_text: attr(element, 'forward-text') || undefined,
            request_write_access: flag('request-write-access'),
          },
        };
      case 'switch_inline_query':
      case 'switch_inline_query_current_chat':
        return { [type]: attr(element, 'query') };
      case 'switch_inline_query_chosen_chat':
        return {
          switch_inline_query_chosen_chat: {
            query: attr(element, 'query'),
            allow_user_chats: flag('allow-user-chats'),
            allow_bot_chats: flag('allow-bot-chats'),
            allow_group_chats: flag('allow-group-chats'),
            allow_channel_chats: flag('allow-channel-chats'),
          },
        };
      case 'copy_text':
        return { copy_text: { text: attr(element, 'text') } };
      case 'disabled':
        return { disabled: {} };
      default:
        throw unexpected(element, `Unsupported button type "${type}"`);
    }
  })();
  return checkRichButton(JSON.parse(JSON.stringify({ ...base, ...action })));
}
