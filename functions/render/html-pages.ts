/**
 * The fallback for chats or clients without Rich Messages: the body as pages of Telegram HTML
 * (parse mode HTML), each short enough for one text message, built from the same blocks as
 * the rich message. Headings are bold, quotes are `<blockquote>`, list items are lines with a
 * bullet or their number, images are a link with their caption.
 *
 * Every piece of text goes through `escapeHtml`, and a link is only written when its URL is
 * http(s) (else its text stands alone), so nothing from an author can add or break a tag.
 * Pure: no Telegraf.
 *
 * Direction: Telegram's HTML has no `dir` attribute or direction tag (its tags are b, i, u, s,
 * span/tg-spoiler, a, tg-emoji, code, pre and blockquote), and clients give each line the
 * direction of its first strong character. So a right-to-left article starts every line with a
 * RIGHT-TO-LEFT MARK (U+200F), after the line's opening tags: a list item's "1." or "•", a
 * number, or an English name at the start of an Arabic line then no longer turns it left to right.
 */
import { type Block, type Inline, isHttpUrl, isRightToLeftBody, plainText } from '../core/body/blocks';
import { escapeHtml as e, splitForTelegram } from '../core/text';

/**
 * Visible characters per page. Telegram allows 4,096 after entity parsing; the views add a
 * title of up to ~200 characters and a "Page k of n" footer around a page.
 */
export const HTML_PAGE_CHARS = 3500;

/**
 * Length of the text Telegram shows for HTML built here: tags gone, each entity one character.
 * Exact for this module's output (all text escaped, only its own tags), in UTF-16 code units as
 * Telegram counts the 4,096.
 */
const visibleLength = (html: string): number => html.replace(/<[^>]+>/g, '').replace(/&[a-z]+;/g, '_').length;

function inlineHtml(nodes: readonly Inline[], inBold: boolean): string {
  let out = '';
  for (const n of nodes) {
    switch (n.type) {
      case 'text':
        out += e(n.text);
        break;
      case 'code':
        out += `<code>${e(n.text)}</code>`;
        break;
      case 'bold':
        // A heading is already bold: its bold runs are written plainly rather than nested.
        out += inBold ? inlineHtml(n.children, true) : `<b>${inlineHtml(n.children, true)}</b>`;
        break;
      case 'italic':
        out += `<i>${inlineHtml(n.children, inBold)}</i>`;
        break;
      case 'link': {
        const inner = inlineHtml(n.children, inBold);
        out += isHttpUrl(n.url) ? `<a href="${e(n.url)}">${inner}</a>` : inner;
        break;
      }
    }
  }
  return out;
}

/** A block as HTML lines. `inQuote`: Telegram cannot nest quotes, so an inner one gets a bar. */
function blockHtml(b: Block, indent: string, inQuote: boolean): string {
  switch (b.type) {
    case 'paragraph':
      return indent + inlineHtml(b.children, false);
    case 'heading':
      return `${indent}<b>${inlineHtml(b.children, true)}</b>`;
    case 'quote': {
      const inner = b.children.map((c) => blockHtml(c, inQuote ? `${indent}│ ` : indent, true)).join('\n');
      return inQuote ? inner : `<blockquote>${inner}</blockquote>`;
    }
    case 'list':
      return b.items
        .map((item, i) =>
          item
            .map((c, j) =>
              j === 0
                ? indent + (b.ordered ? `${b.start + i}. ` : '• ') + blockHtml(c, '', inQuote)
                : blockHtml(c, `${indent}   `, inQuote),
            )
            .join('\n'),
        )
        .join('\n');
    case 'image': {
      const caption = e(b.caption === '' ? 'Image' : b.caption);
      return `${indent}🖼 ${isHttpUrl(b.url) ? `<a href="${e(b.url)}">${caption}</a>` : caption}`;
    }
    case 'rule':
      return `${indent}⁂`;
  }
}

/** Starts every non-empty line with U+200F RIGHT-TO-LEFT MARK, after the line's opening tags. */
const markRtl = (html: string): string => html.replace(/^((?:<[a-z][^>]*>)*)(?=[^\n])/gm, '$1\u200F');

/** HTML pieces of a block that each fit a page: the block, or its items/children, or plain text cut to size. */
function fitPieces(b: Block, maxChars: number, rtl: boolean): string[] {
  const html = blockHtml(b, '', false);
  const whole = rtl ? markRtl(html) : html;
  if (visibleLength(whole) <= maxChars) return [whole];
  if (b.type === 'list' && b.items.length > 1) {
    // Each item on its own keeps its number: `start` moves with the item.
    return b.items.flatMap((item, i) =>
      fitPieces({ ...b, start: b.start + i, items: [item] }, maxChars, rtl),
    );
  }
  if (b.type === 'quote' && b.children.length > 1) {
    return b.children.flatMap((c) => fitPieces({ type: 'quote', children: [c] }, maxChars, rtl));
  }
  // One block longer than a page: its text, cut at a paragraph, sentence or word boundary. A mark
  // per line adds at most one character per two, so right-to-left text is cut at half the size.
  const pieces = splitForTelegram(plainText([b]), rtl ? Math.floor(maxChars / 2) : maxChars).map(e);
  return rtl ? pieces.map(markRtl) : pieces;
}

/**
 * The body as pages of Telegram HTML, each at most `maxChars` visible characters
 * (default {@link HTML_PAGE_CHARS}), blocks separated by a blank line and never split unless
 * one alone is longer than a page: a long list or quote is then split between its items or
 * paragraphs (pieces that fit share a page again), and a long paragraph is cut as plain text
 * at a sentence or word. An empty body has no pages. `rtl` (by default: whether most of the
 * body's letters are right to left) marks every line right to left (see the module comment).
 */
export function renderHtmlPages(
  blocks: readonly Block[],
  maxChars = HTML_PAGE_CHARS,
  rtl = isRightToLeftBody(blocks),
): string[] {
  const pages: string[] = [];
  let page: string[] = [];
  let chars = 0;
  for (const b of blocks) {
    for (const html of fitPieces(b, maxChars, rtl)) {
      const length = visibleLength(html);
      const added = page.length === 0 ? length : chars + 2 + length;
      if (page.length > 0 && added > maxChars) {
        pages.push(page.join('\n\n'));
        page = [html];
        chars = length;
      } else {
        page.push(html);
        chars = added;
      }
    }
  }
  if (page.length > 0) pages.push(page.join('\n\n'));
  return pages;
}
