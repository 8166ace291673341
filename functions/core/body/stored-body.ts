/**
 * How a body's block model is stored: one JSON string beside the Markdown source, written once
 * at publish and read on every "Read the full article". The store keeps it as an opaque string
 * (see `ArticleDerived.bodyBlocks`); the version lets a later model change tell old from new.
 *
 * On the readers' path: no dependencies beyond ./blocks.
 */
import { type Block, blocksFromPlainText } from './blocks';

/** Version of the stored form; {@link decodeBlocks} reads this version only. */
export const STORED_BLOCKS_VERSION = 1;

/** Serialises a parsed body for storage. */
export function encodeBlocks(blocks: readonly Block[]): string {
  return JSON.stringify({ v: STORED_BLOCKS_VERSION, blocks });
}

/**
 * The stored block model, or undefined when `stored` is missing, not JSON or of another
 * version. The shape is trusted as `encodeBlocks` wrote it at publish (a full check would cost
 * the readers' bundle more than it protects); what matters for safety is checked where it is
 * used: every renderer checks each link and image URL again before it reaches Telegram.
 */
export function decodeBlocks(stored: string | undefined): Block[] | undefined {
  if (stored === undefined || stored === '') return undefined;
  try {
    const data: { v?: unknown; blocks?: unknown } | null = JSON.parse(stored);
    return data?.v === STORED_BLOCKS_VERSION && Array.isArray(data.blocks)
      ? (data.blocks as Block[])
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The blocks to show for a stored article: its stored block model when there is a readable
 * one, else its body read as plain text (bodies stored before they were Markdown had no block
 * model, and were plain paragraphs; they read exactly as before).
 */
export function readBodyBlocks(stored: { body: string; blocks?: string }): Block[] {
  return decodeBlocks(stored.blocks) ?? blocksFromPlainText(stored.body);
}
