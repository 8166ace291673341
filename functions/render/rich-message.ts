/**
 * An article as Telegram Rich Messages (`sendRichMessage`, Bot API 10.1): the title as a
 * heading, an author line, then the body's blocks, split at block boundaries into as many
 * parts as Telegram's limits need, each labelled "1/3", "2/3", "3/3".
 *
 * Content is sent in the `blocks` form: every string is literal text that Telegram never
 * parses as markup, so an author's `<`, `*` or `[` cannot change the message's structure and
 * needs no escaping; `skip_entity_detection` keeps a `/command`, `@name` or bare URL in the
 * text from turning into an entity. The only links are the body's own, each an http(s) URL
 * checked at publish and again here.
 *
 * Pure: no Telegraf, no network. The types come from @grammyjs/types (type-only).
 */
import type { InputRichBlock, InputRichBlockListItem, InputRichMessage, RichText } from '@grammyjs/types';
import { type Block, type Inline, isHttpUrl, isRightToLeft, plainText } from '../core/body/blocks';
import { isRightToLeftLanguage } from '../core/language';
import { splitForTelegram } from '../core/text';

type RichBlock = InputRichBlock<never>;
type RichItem = InputRichBlockListItem<never>;

/** Telegram's limits on one rich message (Bot API 10.1, "Rich Message Limits"). */
export const RICH_LIMITS = {
  /** Characters of text in the message. Counted here as UTF-8 bytes: see {@link richTextLength}. */
  maxChars: 32_768,
  /** Blocks, nested blocks and list items included. */
  maxBlocks: 500,
  /** Levels of nested blocks and formatting. */
  maxDepth: 16,
  maxMedia: 50,
} as const;

/**
 * What a rich message costs against {@link RICH_LIMITS}. `chars` counts UTF-8 bytes: Telegram
 * documents "UTF-8 characters" without saying whether it means bytes, code points or UTF-16
 * units, and the byte count is never smaller than either of the others, so a part measured
 * this way fits whichever Telegram means (at the price of Arabic and Urdu parts holding about
 * half as many letters). `depth` counts every block, list item, formatting node and text
 * array on the way down to a string, so it can only over-estimate Telegram's nesting.
 */
export interface RichSize {
  chars: number;
  blocks: number;
  media: number;
  depth: number;
}

/** {@link RichSize.chars} of one string. */
export function richTextLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

const ZERO: RichSize = { chars: 0, blocks: 0, media: 0, depth: 0 };

function textSize(t: RichText): { chars: number; depth: number } {
  if (typeof t === 'string') return { chars: richTextLength(t), depth: 0 };
  const children: RichText[] = Array.isArray(t) ? t : 'text' in t ? [t.text] : [];
  let chars = 0;
  let depth = 0;
  for (const c of children) {
    const s = textSize(c);
    chars += s.chars;
    depth = Math.max(depth, s.depth);
  }
  return { chars, depth: depth + 1 };
}

/** Measures rich blocks as {@link RICH_LIMITS} counts them (see {@link RichSize}). */
export function measureRichBlocks(blocks: readonly RichBlock[]): RichSize {
  let size = ZERO;
  for (const b of blocks) size = addSize(size, measureBlock(b));
  return size;
}

function measureBlock(b: RichBlock): RichSize {
  switch (b.type) {
    case 'paragraph':
    case 'heading':
    case 'footer': {
      const t = textSize(b.text);
      return { chars: t.chars, blocks: 1, media: 0, depth: t.depth + 1 };
    }
    case 'blockquote': {
      const inner = measureRichBlocks(b.blocks);
      return { ...inner, blocks: inner.blocks + 1, depth: inner.depth + 1 };
    }
    case 'list': {
      let size = ZERO;
      for (const item of b.items) size = addSize(size, itemSize(item));
      return wrapped(size, 1);
    }
    case 'photo': {
      const t = b.caption ? textSize(b.caption.text) : { chars: 0, depth: 0 };
      return { chars: t.chars, blocks: 1, media: 1, depth: t.depth + 2 };
    }
    default:
      // A divider (Herald sends no other block type).
      return { chars: 0, blocks: 1, media: 0, depth: 1 };
  }
}

function addSize(a: RichSize, b: RichSize): RichSize {
  return {
    chars: a.chars + b.chars,
    blocks: a.blocks + b.blocks,
    media: a.media + b.media,
    depth: Math.max(a.depth, b.depth),
  };
}

function fits(s: RichSize, budget: RichSize): boolean {
  return (
    s.chars <= budget.chars && s.blocks <= budget.blocks && s.media <= budget.media && s.depth <= budget.depth
  );
}

// ---- blocks to rich blocks -----------------------------------------------------------------

function richInline(node: Inline): RichText {
  switch (node.type) {
    case 'text':
      return node.text;
    case 'code':
      return { type: 'code', text: node.text };
    case 'bold':
      return { type: 'bold', text: richInlines(node.children) };
    case 'italic':
      return { type: 'italic', text: richInlines(node.children) };
    case 'link': {
      const text = richInlines(node.children);
      // Checked at publish; checked again so a bad stored URL can never reach Telegram.
      return isHttpUrl(node.url) ? { type: 'url', text, url: node.url } : text;
    }
  }
}

/** One node stays itself (no needless array level); several become an array. */
function richInlines(nodes: readonly Inline[]): RichText {
  const first = nodes[0];
  if (nodes.length === 1 && first !== undefined) return richInline(first);
  return nodes.map(richInline);
}

const HEADING_SIZE = { 2: 2, 3: 3, 4: 4 } as const;

function richBlock(b: Block): RichBlock {
  switch (b.type) {
    case 'paragraph':
      return { type: 'paragraph', text: richInlines(b.children) };
    case 'heading':
      return { type: 'heading', size: HEADING_SIZE[b.level], text: richInlines(b.children) };
    case 'quote':
      return { type: 'blockquote', blocks: b.children.map(richBlock) };
    case 'list':
      return { type: 'list', items: b.items.map((item, i) => richItem(b, item, i)) };
    case 'image':
      if (!isHttpUrl(b.url)) return { type: 'paragraph', text: b.caption === '' ? '[image]' : b.caption };
      return {
        type: 'photo',
        photo: { type: 'photo', media: b.url },
        ...(b.caption === '' ? {} : { caption: { text: b.caption } }),
      };
    case 'rule':
      return { type: 'divider' };
  }
}

function richItem(list: Extract<Block, { type: 'list' }>, blocks: readonly Block[], index: number): RichItem {
  // An ordered list's numbers are explicit, so a list split over two messages keeps counting.
  return list.ordered
    ? { blocks: blocks.map(richBlock), value: list.start + index, type: '1' }
    : { blocks: blocks.map(richBlock) };
}

/** A rendered piece of the body that fits one message on its own, with its cost. */
interface Unit {
  block: RichBlock;
  size: RichSize;
}

const unit = (block: RichBlock): Unit => ({ block, size: measureBlock(block) });

/**
 * What content of size `s` costs wrapped in `levels` containers (a quote is one; a list item
 * and its list are one each).
 */
const wrapped = (s: RichSize, levels: number): RichSize => ({
  ...s,
  blocks: s.blocks + levels,
  depth: s.depth + levels,
});

/** The container's own cost taken off a budget, for what goes inside it. */
const inside = (budget: RichSize, levels: number): RichSize => ({
  ...budget,
  blocks: budget.blocks - levels,
  depth: budget.depth - levels,
});

/**
 * Greedily groups consecutive pieces into containers (`make`) that each fit `budget`; a
 * container costs its pieces plus one level. A piece that does not fit even alone is passed
 * to `alone`, which returns units of its own.
 */
function group<T>(
  pieces: readonly T[],
  sizeOf: (piece: T) => RichSize,
  make: (pieces: T[]) => RichBlock,
  budget: RichSize,
  alone: (piece: T, index: number) => Unit[],
): Unit[] {
  const out: Unit[] = [];
  let run: T[] = [];
  let runSize = ZERO;
  const flush = () => {
    if (run.length > 0) out.push(unit(make(run)));
    run = [];
    runSize = ZERO;
  };
  for (const [index, piece] of pieces.entries()) {
    const size = sizeOf(piece);
    if (!fits(wrapped(size, 1), budget)) {
      flush();
      out.push(...alone(piece, index));
      continue;
    }
    const next = addSize(runSize, size);
    if (!fits(wrapped(next, 1), budget)) flush();
    run.push(piece);
    runSize = addSize(runSize, size);
  }
  flush();
  return out;
}

const itemSize = (item: RichItem): RichSize => wrapped(measureRichBlocks(item.blocks), 1);

/**
 * Pieces of a block that each fit `budget`: the block itself when it fits; else a quote or a
 * list split between its children or items; a paragraph or heading too long for a whole
 * message becomes plain paragraphs cut at sentence or word boundaries.
 */
function fitUnits(b: Block, budget: RichSize): Unit[] {
  const whole = unit(richBlock(b));
  if (fits(whole.size, budget)) return [whole];
  switch (b.type) {
    case 'quote': {
      const children = b.children.flatMap((c) => fitUnits(c, inside(budget, 1)));
      return group(
        children,
        (u) => u.size,
        (run) => ({ type: 'blockquote', blocks: run.map((u) => u.block) }),
        budget,
        (u) => [u],
      );
    }
    case 'list':
      return group(
        b.items.map((item, index) => richItem(b, item, index)),
        itemSize,
        (items) => ({ type: 'list', items }),
        budget,
        // An item too big for a whole message leaves the list: its blocks go on their own.
        (_, index) => (b.items[index] ?? []).flatMap((c) => fitUnits(c, budget)),
      );
    default: {
      // Text longer than a whole message (an old plain-text body with no paragraph breaks):
      // cut it into plain paragraphs. A UTF-16 unit is at most 3 UTF-8 bytes.
      return splitForTelegram(plainText([b]), Math.floor(budget.chars / 3)).map((t) =>
        unit({ type: 'paragraph', text: t }),
      );
    }
  }
}

// ---- the message ---------------------------------------------------------------------------

/** The article being shown. */
export interface RichArticle {
  title: string;
  authorName: string;
  authorHandle: string;
  /** Shown after the author on the byline, e.g. "25 Nov 2026 · 7 min read". */
  details?: string;
  /** The whole line under the title in the reader's language; replaces the English one built from the fields above. */
  byline?: string;
  blocks: readonly Block[];
  /** The article's BCP 47 language: sets `is_rtl` for one written right to left (ar, ur, fa, he…). */
  language?: string;
  /**
   * Right to left, overriding `language`; when both are omitted (an article stored before
   * articles had a language), detected from the title and body ({@link isRightToLeft}).
   */
  rtl?: boolean;
}

function header(article: RichArticle, part: number): RichBlock[] {
  if (part > 1) return [{ type: 'heading', size: 3, text: article.title }];
  const byline =
    article.byline ??
    `by ${article.authorName} (@${article.authorHandle})${article.details ? ` · ${article.details}` : ''}`;
  return [
    { type: 'heading', size: 1, text: article.title },
    { type: 'paragraph', text: { type: 'italic', text: byline } },
  ];
}

const label = (part: number, parts: number): RichBlock => ({ type: 'footer', text: `${part}/${parts}` });

/**
 * The article as one or more rich messages to send in order, each within {@link RICH_LIMITS}:
 * the first opens with the title (heading) and the author line, later ones with the title
 * again (smaller); when there are several, each ends with its label "k/n". The body is split
 * only between blocks — between list items and between a quote's paragraphs when one list or
 * quote alone is too big — except a paragraph longer than a whole message, which is cut at a
 * sentence or word. Every part has `is_rtl` set alike.
 */
export function renderRichMessages(article: RichArticle): InputRichMessage<never>[] {
  // The first part's header (title and author line) costs at least what a later part's (the
  // title alone) does; the label is reserved in full even when there turns out to be one part.
  const reserve = addSize(measureRichBlocks(header(article, 1)), measureBlock(label(999, 999)));
  const budget: RichSize = {
    chars: RICH_LIMITS.maxChars - reserve.chars,
    blocks: RICH_LIMITS.maxBlocks - reserve.blocks,
    media: RICH_LIMITS.maxMedia,
    depth: RICH_LIMITS.maxDepth,
  };

  const parts: RichBlock[][] = [];
  let current: RichBlock[] = [];
  let used = ZERO;
  for (const b of article.blocks) {
    for (const u of fitUnits(b, budget)) {
      const next = addSize(used, u.size);
      if (current.length > 0 && !fits(next, budget)) {
        parts.push(current);
        current = [];
        used = u.size;
      } else used = next;
      current.push(u.block);
    }
  }
  if (current.length > 0 || parts.length === 0) parts.push(current);

  const rtl =
    article.rtl ??
    (article.language !== undefined
      ? isRightToLeftLanguage(article.language)
      : isRightToLeft(`${article.title}\n${plainText(article.blocks)}`));
  return parts.map((blocks, i) => ({
    blocks: [...header(article, i + 1), ...blocks, ...(parts.length > 1 ? [label(i + 1, parts.length)] : [])],
    is_rtl: rtl,
    skip_entity_detection: true,
  }));
}

/** Plain text of a rich text (for tests and the offline chat's rendering). */
export function richPlainText(t: RichText): string {
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.map(richPlainText).join('');
  return 'text' in t ? richPlainText(t.text) : '';
}
