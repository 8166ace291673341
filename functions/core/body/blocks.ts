/**
 * The block model of an article body: what the Markdown of a body is parsed into once, at
 * publish time (./parse-markdown.ts), stored with the article (./stored-body.ts) and rendered
 * on the readers' path (functions/render/). Small and serialisable on purpose: plain objects,
 * no parser types, so the readers' Lambda never needs the Markdown parser.
 *
 * This module is on the readers' path: it must stay free of dependencies.
 */

/** Inline content of a paragraph, a heading or a list item's paragraph. */
export type Inline =
  /** Plain text; `\n` is a hard line break (and a line of a code block). */
  | { type: 'text'; text: string }
  | { type: 'bold'; children: Inline[] }
  | { type: 'italic'; children: Inline[] }
  | { type: 'code'; text: string }
  /** `url` is an absolute http(s) URL, checked at publish and again before it is sent. */
  | { type: 'link'; url: string; children: Inline[] };

/** Heading levels of a body: the title is the only level-1 heading of an article. */
export type HeadingLevel = 2 | 3 | 4;

export type Block =
  | { type: 'heading'; level: HeadingLevel; children: Inline[] }
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'quote'; children: Block[] }
  /** `start` is the first number of an ordered list (CommonMark keeps `3.` as 3). */
  | { type: 'list'; ordered: boolean; start: number; items: Block[][] }
  /** `url` is an absolute http(s) URL; `caption` is plain text, possibly empty. */
  | { type: 'image'; url: string; caption: string }
  /** A thematic break (`---`, `***`): a scene change in prose. */
  | { type: 'rule' };

/**
 * Limits every published body is held to (./parse-markdown.ts rejects a body over one, naming
 * the line). They keep hostile input cheap to store and render, and keep the rendered Rich
 * Message within Telegram's 16 levels of nesting (functions/render/rich-message.ts).
 */
export const BODY_LIMITS = {
  /**
   * Block quotes and lists inside one another: as deep as the feed importer writes
   * (functions/ingest/html-to-markdown.ts, `MAX_NESTING`). A Rich Message holds 16 levels in
   * all; the renderer flattens the outer lists of the rare body that would pass them.
   */
  maxNesting: 6,
  /** Items of one list: Telegram counts each as a block, and a message holds 500. */
  maxListItems: 500,
  /**
   * Blocks in all (paragraphs, headings, quotes, lists, list items, images, rules): enough for
   * any 200,000-character body of paragraphs averaging 20 characters, few enough to bound the
   * stored model and the number of messages a body becomes.
   */
  maxBlocks: 10_000,
  maxImages: 100,
  /** Characters of an image caption. */
  maxCaption: 1024,
  /** Characters of a link or image URL. */
  maxUrl: 2048,
} as const;

// Kept apart from BODY_LIMITS so that the readers' bundle, which checks URLs, does not carry
// the whole table.
const MAX_URL: typeof BODY_LIMITS.maxUrl = 2048;

/** Plain text of inline content: formatting dropped, links as their text. */
export function inlineText(inlines: readonly Inline[]): string {
  let out = '';
  for (const node of inlines) {
    out += node.type === 'text' || node.type === 'code' ? node.text : inlineText(node.children);
  }
  return out;
}

function collectText(blocks: readonly Block[], out: string[]): void {
  for (const b of blocks) {
    if (b.type === 'paragraph' || b.type === 'heading') out.push(inlineText(b.children));
    else if (b.type === 'quote') collectText(b.children, out);
    else if (b.type === 'list') for (const item of b.items) collectText(item, out);
    else if (b.type === 'image') out.push(b.caption);
  }
}

const joinParagraphs = (texts: string[]): string => texts.filter((t) => t.trim() !== '').join('\n\n');

/**
 * The whole text of a body, without markup: one paragraph per block (headings, list items,
 * quoted paragraphs and image captions included), separated by blank lines. Word count and
 * reading time are computed from it.
 */
export function plainText(blocks: readonly Block[]): string {
  const out: string[] = [];
  collectText(blocks, out);
  return joinParagraphs(out);
}

/**
 * The author's own running prose: the top-level paragraphs only, separated by blank lines.
 * A summary is drawn from these, so a card never opens with a heading, a list fragment, a
 * caption or somebody else's quoted words. Falls back to {@link plainText} when a body has
 * no top-level paragraph (a body that is one list, say).
 */
export function proseText(blocks: readonly Block[]): string {
  const prose = joinParagraphs(
    blocks.flatMap((b) => (b.type === 'paragraph' ? [inlineText(b.children)] : [])),
  );
  return prose !== '' ? prose : plainText(blocks);
}

/**
 * The blocks of a body stored as plain text (every body published before bodies were
 * Markdown): one paragraph per run of text between blank lines, its single line breaks kept
 * as line breaks. This is how those bodies were always shown, so they read as before.
 */
export function blocksFromPlainText(text: string): Block[] {
  const blocks: Block[] = [];
  for (const chunk of text.replace(/\r\n?/g, '\n').split(/\n[^\S\n]*\n/)) {
    const p = chunk.trim();
    if (p !== '') blocks.push({ type: 'paragraph', children: [{ type: 'text', text: p }] });
  }
  return blocks;
}

// Letters of the scripts written right to left (Arabic covers Urdu, Persian and Pashto).
const RTL_LETTER = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const LETTER = /\p{L}/gu;

/**
 * True when most letters of `text` belong to a right-to-left script (Arabic, which Urdu and
 * Persian are written in, Hebrew, Syriac, Thaana, N'Ko). Digits, punctuation and spaces do not
 * count either way, so an Urdu article quoting a few English words is still right to left.
 */
export function isRightToLeft(text: string): boolean {
  let rtl = 0;
  let all = 0;
  for (const [letter] of text.matchAll(LETTER)) {
    all++;
    if (RTL_LETTER.test(letter)) rtl++;
  }
  return rtl * 2 > all;
}

/** {@link isRightToLeft} over a body's whole text. */
export function isRightToLeftBody(blocks: readonly Block[]): boolean {
  return isRightToLeft(plainText(blocks));
}

/** True for an absolute `http:` or `https:` URL with a host, at most {@link BODY_LIMITS.maxUrl} long. */
export function isHttpUrl(url: string): boolean {
  if (url.length > MAX_URL) return false;
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}
