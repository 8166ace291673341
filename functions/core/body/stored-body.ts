/**
 * How a body's block model is stored: one JSON string beside the Markdown source, written once
 * at publish and read on every "Read the full article". The store keeps it as an opaque string
 * (see `ArticleDerived.bodyBlocks`); the version lets a later model change tell old from new.
 *
 * On the readers' path: no dependencies beyond ./blocks.
 */
import { type Block, BODY_LIMITS, blocksFromPlainText, type Inline, isHttpUrl } from './blocks';

/** Version of the stored form; {@link decodeBlocks} reads this version only. */
export const STORED_BLOCKS_VERSION = 1;

/** Serialises a parsed body for storage. */
export function encodeBlocks(blocks: readonly Block[]): string {
  return JSON.stringify({ v: STORED_BLOCKS_VERSION, blocks });
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks stored data before it is trusted: a shape error anywhere rejects the whole body. */
function toInlines(v: unknown): Inline[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: Inline[] = [];
  for (const n of v) {
    if (!isObject(n)) return undefined;
    if ((n.type === 'text' || n.type === 'code') && typeof n.text === 'string') {
      out.push({ type: n.type, text: n.text });
      continue;
    }
    const children = toInlines(n.children);
    if (children === undefined) return undefined;
    if (n.type === 'bold' || n.type === 'italic') out.push({ type: n.type, children });
    else if (n.type === 'link' && typeof n.url === 'string' && isHttpUrl(n.url))
      out.push({ type: 'link', url: n.url, children });
    else return undefined;
  }
  return out;
}

function toBlocks(v: unknown, depth: number): Block[] | undefined {
  if (!Array.isArray(v) || depth > BODY_LIMITS.maxNesting) return undefined;
  const out: Block[] = [];
  for (const b of v) {
    if (!isObject(b)) return undefined;
    if (b.type === 'paragraph' || b.type === 'heading') {
      const children = toInlines(b.children);
      if (children === undefined) return undefined;
      if (b.type === 'paragraph') out.push({ type: 'paragraph', children });
      else if (b.level === 2 || b.level === 3 || b.level === 4)
        out.push({ type: 'heading', level: b.level, children });
      else return undefined;
    } else if (b.type === 'quote') {
      const children = toBlocks(b.children, depth + 1);
      if (children === undefined) return undefined;
      out.push({ type: 'quote', children });
    } else if (b.type === 'list' && typeof b.ordered === 'boolean' && Number.isSafeInteger(b.start)) {
      if (!Array.isArray(b.items)) return undefined;
      const items: Block[][] = [];
      for (const item of b.items) {
        const blocks = toBlocks(item, depth + 1);
        if (blocks === undefined) return undefined;
        items.push(blocks);
      }
      out.push({ type: 'list', ordered: b.ordered, start: Number(b.start), items });
    } else if (b.type === 'image' && typeof b.url === 'string' && typeof b.caption === 'string') {
      if (!isHttpUrl(b.url)) return undefined;
      out.push({ type: 'image', url: b.url, caption: b.caption });
    } else if (b.type === 'rule') out.push({ type: 'rule' });
    else return undefined;
  }
  return out;
}

/**
 * The stored block model, or undefined when `stored` is missing, of another version or not
 * the shape {@link encodeBlocks} writes (links and images with a non-http(s) URL included).
 */
export function decodeBlocks(stored: string | undefined): Block[] | undefined {
  if (stored === undefined || stored === '') return undefined;
  let data: unknown;
  try {
    data = JSON.parse(stored);
  } catch {
    return undefined;
  }
  if (!isObject(data) || data.v !== STORED_BLOCKS_VERSION) return undefined;
  return toBlocks(data.blocks, 0);
}

/**
 * The blocks to show for a stored article: its stored block model when there is a readable
 * one, else its body read as plain text (bodies stored before they were Markdown had no block
 * model, and were plain paragraphs; they read exactly as before).
 */
export function readBodyBlocks(stored: { body: string; blocks?: string }): Block[] {
  return decodeBlocks(stored.blocks) ?? blocksFromPlainText(stored.body);
}
