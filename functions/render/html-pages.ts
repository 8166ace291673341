/**
 * The fallback for chats or clients without Rich Messages: the body as pages of Telegram HTML
 * (parse mode HTML), each short enough for one text message, built from the same blocks as
 * the rich message. Headings are bold, quotes are `<blockquote>`, list items are lines with a
 * bullet or their number, images are a link with their caption.
 *
 * Every piece of text goes through `escapeHtml`, and a link is only written when its URL is
 * http(s) (else its text stands alone), so nothing from an author can add or break a tag.
 * Pure: no Telegraf.
 */
import { type Block, type Inline, isHttpUrl, plainText } from '../core/body/blocks';
import { escapeHtml as e, splitForTelegram } from '../core/text';

/**
 * Visible characters per page. Telegram allows 4,096 after entity parsing; the views add a
 * title of up to ~200 characters and a "Page k of n" footer around a page.
 */
export const HTML_PAGE_CHARS = 3500;

/** A rendered block: its HTML and the length of the text Telegram shows for it. */
interface Piece {
  html: string;
  /** UTF-16 length of the visible text (how Telegram counts the 4,096). */
  chars: number;
}

const piece = (html: string, text: string): Piece => ({ html, chars: text.length });

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

function inlinePlain(nodes: readonly Inline[]): string {
  return plainText([{ type: 'paragraph', children: nodes.slice() }]);
}

/** Lines of a block: HTML and visible text side by side. `inQuote`: Telegram cannot nest quotes. */
function render(b: Block, indent: string, inQuote: boolean): { html: string; text: string } {
  switch (b.type) {
    case 'paragraph':
      return { html: indent + inlineHtml(b.children, false), text: indent + inlinePlain(b.children) };
    case 'heading':
      return {
        html: `${indent}<b>${inlineHtml(b.children, true)}</b>`,
        text: indent + inlinePlain(b.children),
      };
    case 'quote': {
      const inner = b.children.map((c) => render(c, inQuote ? `${indent}│ ` : indent, true));
      const html = inner.map((r) => r.html).join('\n');
      const text = inner.map((r) => r.text).join('\n');
      return inQuote ? { html, text } : { html: `<blockquote>${html}</blockquote>`, text };
    }
    case 'list': {
      const lines = b.items.map((item, i) => {
        const marker = b.ordered ? `${b.start + i}. ` : '• ';
        const rendered = item.map((c, j) => render(c, j === 0 ? '' : `${indent}   `, inQuote));
        const first = rendered[0] ?? { html: '', text: '' };
        return {
          html: [indent + marker + first.html, ...rendered.slice(1).map((r) => r.html)].join('\n'),
          text: [indent + marker + first.text, ...rendered.slice(1).map((r) => r.text)].join('\n'),
        };
      });
      return { html: lines.map((l) => l.html).join('\n'), text: lines.map((l) => l.text).join('\n') };
    }
    case 'image': {
      const caption = b.caption === '' ? 'Image' : b.caption;
      const text = `${indent}🖼 ${caption}`;
      if (!isHttpUrl(b.url)) return { html: e(text), text };
      return { html: `${indent}🖼 <a href="${e(b.url)}">${e(caption)}</a>`, text };
    }
    case 'rule':
      return { html: `${indent}⁂`, text: `${indent}⁂` };
  }
}

/** Pieces of a block that each fit a page: the block, or its items/children, or plain text cut to size. */
function fitPieces(b: Block, maxChars: number): Piece[] {
  const whole = render(b, '', false);
  if (whole.text.length <= maxChars) return [piece(whole.html, whole.text)];
  if (b.type === 'list' && b.items.length > 1) {
    // Each item on its own keeps its number: `start` moves with the item.
    return b.items.flatMap((item, i) => fitPieces({ ...b, start: b.start + i, items: [item] }, maxChars));
  }
  if (b.type === 'quote' && b.children.length > 1) {
    return b.children.flatMap((c) => fitPieces({ type: 'quote', children: [c] }, maxChars));
  }
  // One block longer than a page: its text, cut at a paragraph, sentence or word boundary.
  return splitForTelegram(whole.text, maxChars).map((t) => piece(e(t), t));
}

/**
 * The body as pages of Telegram HTML, each at most `maxChars` visible characters
 * (default {@link HTML_PAGE_CHARS}), blocks separated by a blank line and never split unless
 * one alone is longer than a page: a long list or quote is then split between its items or
 * paragraphs (pieces that fit share a page again), and a long paragraph is cut as plain text
 * at a sentence or word. An empty body has no pages.
 */
export function renderHtmlPages(blocks: readonly Block[], maxChars = HTML_PAGE_CHARS): string[] {
  const pages: string[] = [];
  let html: string[] = [];
  let chars = 0;
  for (const b of blocks) {
    for (const p of fitPieces(b, maxChars)) {
      const added = html.length === 0 ? p.chars : chars + 2 + p.chars;
      if (html.length > 0 && added > maxChars) {
        pages.push(html.join('\n\n'));
        html = [p.html];
        chars = p.chars;
      } else {
        html.push(p.html);
        chars = added;
      }
    }
  }
  if (html.length > 0) pages.push(html.join('\n\n'));
  return pages;
}
