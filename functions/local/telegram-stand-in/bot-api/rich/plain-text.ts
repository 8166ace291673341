/**
 * The plain text of rich blocks, one block per line: what the stand-in keeps as a rich
 * message's `text` so tests can search it, and what the empty-message check reads.
 */
import type { RichBlock } from '@grammyjs/types';
import { richTextPlain } from './rich-text';

export function blocksText(blocks: readonly RichBlock[]): string {
  return blocks.flatMap(blockLines).join('\n');
}

function blockLines(block: RichBlock): string[] {
  switch (block.type) {
    case 'paragraph':
    case 'heading':
    case 'pre':
    case 'footer':
    case 'thinking':
      return [richTextPlain(block.text)];
    case 'expandable_blockquote':
    case 'pullquote':
      return [richTextPlain(block.text), richTextPlain(block.credit)].filter((line) => line !== '');
    case 'mathematical_expression':
      return [block.expression];
    case 'list':
      return block.items.flatMap((item) => {
        const [first = '', ...rest] = item.blocks.flatMap(blockLines);
        return [`${item.label} ${first}`, ...rest];
      });
    case 'blockquote':
      return [...block.blocks.flatMap(blockLines), richTextPlain(block.credit)].filter((line) => line !== '');
    case 'details':
      return [richTextPlain(block.summary), ...block.blocks.flatMap(blockLines)];
    case 'collage':
    case 'slideshow':
      return [...block.blocks.flatMap(blockLines), richTextPlain(block.caption?.text)].filter(
        (line) => line !== '',
      );
    case 'table':
      return [
        richTextPlain(block.caption),
        ...block.cells.map((row) => row.map((cell) => richTextPlain(cell.text)).join(' | ')),
      ].filter((line) => line !== '');
    case 'buttons':
      return [block.buttons.map((button) => richTextPlain(button.text)).join(' ')];
    case 'photo':
    case 'video':
    case 'animation':
    case 'audio':
    case 'document':
    case 'voice_note':
    case 'map':
      return block.caption === undefined ? [] : [richTextPlain(block.caption.text)];
    default:
      return [];
  }
}
