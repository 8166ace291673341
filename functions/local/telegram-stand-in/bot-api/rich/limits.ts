/**
 * Telegram's limits on a rich message (Bot API 10.1, InputRichMessage): characters, blocks,
 * nesting, media and table columns, measured over the parsed blocks whichever form
 * (markdown, html, blocks) the bot sent.
 */
import type { RichBlock, RichText } from '@grammyjs/types';
import { badRequest } from '../errors';
import {
  BLOCKS_TOO_MUCH,
  MEDIA_TOO_MUCH,
  NESTING_TOO_DEEP,
  TABLE_COLUMNS_TOO_MUCH,
  TOO_LONG,
} from './rich-errors';

export const RICH_MESSAGE_LIMITS = {
  /** "UTF-8 characters" in Telegram's words: counted here as Unicode code points. */
  characters: 32_768,
  /** Every block at any depth, plus every list item and every table row. */
  blocks: 500,
  /** Nested blocks and formatting together; a top-level paragraph of plain text is level 1. */
  nesting: 16,
  media: 50,
  tableColumns: 20,
} as const;

const MEDIA_TYPES = new Set(['photo', 'video', 'animation', 'audio', 'document', 'voice_note']);

export interface RichMeasure {
  characters: number;
  blocks: number;
  depth: number;
  media: number;
  tableColumns: number;
}

/** Counts what the limits count. */
export function measureBlocks(blocks: readonly RichBlock[]): RichMeasure {
  const measure: RichMeasure = { characters: 0, blocks: 0, depth: 0, media: 0, tableColumns: 0 };
  const text = (value: RichText | undefined, level: number): void => {
    if (value === undefined) return;
    if (typeof value === 'string') {
      measure.characters += [...value].length;
      measure.depth = Math.max(measure.depth, level);
      return;
    }
    if (Array.isArray(value)) {
      for (const part of value) text(part, level);
      return;
    }
    // A formatting wrapper is one more level around its text.
    const inner = level + 1;
    measure.depth = Math.max(measure.depth, inner);
    switch (value.type) {
      case 'custom_emoji':
        measure.characters += [...value.alternative_text].length;
        return;
      case 'mathematical_expression':
        measure.characters += [...value.expression].length;
        return;
      case 'anchor':
        return;
      case 'button':
        text(value.button.text, inner);
        return;
      default:
        text(value.text, inner);
    }
  };
  const walk = (list: readonly RichBlock[], level: number): void => {
    for (const block of list) {
      measure.blocks += 1;
      measure.depth = Math.max(measure.depth, level);
      if (MEDIA_TYPES.has(block.type)) measure.media += 1;
      switch (block.type) {
        case 'paragraph':
        case 'heading':
        case 'pre':
        case 'footer':
        case 'thinking':
          text(block.text, level);
          break;
        case 'expandable_blockquote':
        case 'pullquote':
          text(block.text, level);
          text(block.credit, level);
          break;
        case 'mathematical_expression':
          measure.characters += [...block.expression].length;
          break;
        case 'list':
          for (const item of block.items) {
            measure.blocks += 1;
            walk(item.blocks, level + 1);
          }
          break;
        case 'blockquote':
          walk(block.blocks, level + 1);
          text(block.credit, level);
          break;
        case 'details':
          text(block.summary, level);
          walk(block.blocks, level + 1);
          break;
        case 'collage':
        case 'slideshow':
          walk(block.blocks, level + 1);
          text(block.caption?.text, level);
          text(block.caption?.credit, level);
          break;
        case 'table':
          text(block.caption, level);
          for (const row of block.cells) {
            measure.blocks += 1;
            const columns = row.reduce((sum, cell) => sum + (cell.colspan ?? 1), 0);
            measure.tableColumns = Math.max(measure.tableColumns, columns);
            for (const cell of row) text(cell.text, level);
          }
          break;
        case 'buttons':
          for (const button of block.buttons) text(button.text, level);
          break;
        case 'photo':
        case 'video':
        case 'animation':
        case 'audio':
        case 'document':
        case 'voice_note':
        case 'map':
          text(block.caption?.text, level);
          text(block.caption?.credit, level);
          break;
        default:
          break;
      }
    }
  };
  walk(blocks, 1);
  return measure;
}

/** Throws Telegram's 400 for the first limit a message breaks. */
export function checkLimits(measure: RichMeasure): void {
  if (measure.characters > RICH_MESSAGE_LIMITS.characters) throw badRequest(TOO_LONG);
  if (measure.blocks > RICH_MESSAGE_LIMITS.blocks) throw badRequest(BLOCKS_TOO_MUCH);
  if (measure.depth > RICH_MESSAGE_LIMITS.nesting) throw badRequest(NESTING_TOO_DEEP);
  if (measure.media > RICH_MESSAGE_LIMITS.media) throw badRequest(MEDIA_TOO_MUCH);
  if (measure.tableColumns > RICH_MESSAGE_LIMITS.tableColumns) throw badRequest(TABLE_COLUMNS_TOO_MUCH);
}
