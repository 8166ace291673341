/**
 * An independent check of a rich message against Telegram's documented limits, written apart
 * from functions/render/rich-message.ts so a test does not grade the renderer with its own
 * ruler. It counts conservatively, as the renderer promises to: characters as UTF-8 bytes of
 * every text string (≥ code points and ≥ UTF-16 units), every block and list item as a block,
 * every block, list item, formatting node and text array as a level of nesting.
 */
import type { InputRichBlock, InputRichMessage, RichText } from '@grammyjs/types';

export interface RichCount {
  chars: number;
  blocks: number;
  media: number;
  depth: number;
}

const LIMITS = { chars: 32_768, blocks: 500, media: 50, depth: 16 };

function countText(t: RichText, level: number, c: RichCount): void {
  if (typeof t === 'string') {
    c.chars += new TextEncoder().encode(t).length;
    c.depth = Math.max(c.depth, level);
    return;
  }
  if (Array.isArray(t)) {
    for (const x of t) countText(x, level + 1, c);
    return;
  }
  if ('text' in t) countText(t.text, level + 1, c);
}

function countBlocks(blocks: readonly InputRichBlock<never>[], level: number, c: RichCount): void {
  for (const b of blocks) {
    c.blocks++;
    c.depth = Math.max(c.depth, level);
    if ('text' in b && b.text !== undefined && b.type !== 'thinking') countText(b.text, level, c);
    if (b.type === 'blockquote') countBlocks(b.blocks, level + 1, c);
    if (b.type === 'list') {
      for (const item of b.items) {
        c.blocks++;
        c.depth = Math.max(c.depth, level + 1);
        countBlocks(item.blocks, level + 2, c);
      }
    }
    if (b.type === 'photo') {
      c.media++;
      if (b.caption) countText(b.caption.text, level + 1, c);
    }
  }
}

/** Counts a rich message as {@link LIMITS} are stated. */
export function countRich(message: InputRichMessage<never>): RichCount {
  const c: RichCount = { chars: 0, blocks: 0, media: 0, depth: 0 };
  countBlocks(message.blocks ?? [], 1, c);
  return c;
}

/** The limits a message breaks, by name (empty when it is valid). */
export function richViolations(message: InputRichMessage<never>): string[] {
  const c = countRich(message);
  const out: string[] = [];
  if (c.chars > LIMITS.chars) out.push(`chars ${c.chars}`);
  if (c.blocks > LIMITS.blocks) out.push(`blocks ${c.blocks}`);
  if (c.media > LIMITS.media) out.push(`media ${c.media}`);
  if (c.depth > LIMITS.depth) out.push(`depth ${c.depth}`);
  if (message.html !== undefined || message.markdown !== undefined) out.push('not in the blocks form');
  return out;
}
