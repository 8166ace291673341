/**
 * The `blocks` form of a rich message: InputRichBlock objects checked field by field and turned
 * into the RichBlock objects Telegram returns (media become file objects, list items get labels).
 */
import type { RichBlock, RichBlockCaption, RichBlockListItem, RichBlockTableCell } from '@grammyjs/types';
import { badRequest } from '../errors';
import { isRecord } from '../params';
import { listLabel } from './labels';
import { MEDIA_KINDS, type MediaKind, mediaBlock, resolveMediaSource } from './media';
import { CTOR_NOT_ALLOWED, cantParse, MAP_INVALID } from './rich-errors';
import { checkRichButton, checkRichText } from './rich-text';

type Json = Record<string, unknown>;

const object = (value: unknown, name: string): Json => {
  if (!isRecord(value)) throw cantParse(name, `${name} must be an Object`);
  return value;
};
const array = (value: unknown, name: string, field: string): unknown[] => {
  if (!Array.isArray(value)) throw cantParse(name, `Field "${field}" must be of type Array`);
  return value;
};
const optionalText = (value: unknown) => (value === undefined ? undefined : checkRichText(value));
const flag = (value: unknown): true | undefined => (value === true ? true : undefined);

function caption(value: unknown): RichBlockCaption | undefined {
  if (value === undefined) return undefined;
  const raw = object(value, 'RichBlockCaption');
  const credit = optionalText(raw.credit);
  return { text: checkRichText(raw.text), ...(credit === undefined ? {} : { credit }) };
}

/** Checks a list of InputRichBlock; `media` maps the message's media ids to their URLs. */
export function checkInputBlocks(raw: unknown, media: ReadonlyMap<string, string>): RichBlock[] {
  return array(raw, 'InputRichMessage', 'blocks').map((block) => checkInputBlock(block, media));
}

function checkInputBlock(raw: unknown, media: ReadonlyMap<string, string>): RichBlock {
  const block = object(raw, 'InputRichBlock');
  const type = block.type;
  if (typeof type !== 'string') throw cantParse('InputRichBlock', 'Field "type" must be of type String');
  const children = (field: string) => checkInputBlocksField(block[field], media, field);
  switch (type) {
    case 'paragraph':
    case 'footer':
      return { type, text: checkRichText(block.text) };
    case 'heading': {
      const size = block.size;
      if (size !== 1 && size !== 2 && size !== 3 && size !== 4 && size !== 5 && size !== 6)
        throw cantParse('InputRichBlockSectionHeading', 'Field "size" must be an Integer from 1 to 6');
      return { type, text: checkRichText(block.text), size };
    }
    case 'pre':
      return {
        type,
        text: checkRichText(block.text),
        ...(typeof block.language === 'string' ? { language: block.language } : {}),
      };
    case 'divider':
      return { type };
    case 'mathematical_expression':
    case 'anchor': {
      const field = type === 'anchor' ? 'name' : 'expression';
      const value = block[field];
      if (typeof value !== 'string')
        throw cantParse('InputRichBlock', `Field "${field}" must be of type String`);
      return type === 'anchor' ? { type, name: value } : { type, expression: value };
    }
    case 'list':
      return { type, items: listItems(array(block.items, 'InputRichBlockList', 'items'), media) };
    case 'blockquote': {
      const credit = optionalText(block.credit);
      return { type, blocks: children('blocks'), ...(credit === undefined ? {} : { credit }) };
    }
    case 'expandable_blockquote':
    case 'pullquote': {
      const credit = optionalText(block.credit);
      return { type, text: checkRichText(block.text), ...(credit === undefined ? {} : { credit }) };
    }
    case 'collage':
    case 'slideshow': {
      const captionValue = caption(block.caption);
      return {
        type,
        blocks: children('blocks'),
        ...(captionValue === undefined ? {} : { caption: captionValue }),
      };
    }
    case 'table':
      return table(block);
    case 'details':
      return {
        type,
        summary: checkRichText(block.summary),
        blocks: children('blocks'),
        ...(block.is_open === true ? { is_open: true as const } : {}),
      };
    case 'map':
      return map(block);
    case 'buttons': {
      const buttons = array(block.buttons, 'InputRichBlockButtons', 'buttons');
      if (buttons.length < 1 || buttons.length > 8) throw badRequest('RICH_MESSAGE_BUTTONS_INVALID');
      const align = block.align;
      return {
        type,
        buttons: buttons.map(checkRichButton),
        ...(align === 'left' || align === 'center' || align === 'right' ? { align } : {}),
      };
    }
    case 'thinking':
      // Only sendRichMessageDraft may show a "Thinking…" block.
      throw badRequest(CTOR_NOT_ALLOWED);
    default: {
      if (!MEDIA_KINDS.includes(type as MediaKind))
        throw cantParse('InputRichBlock', `Unsupported type "${type}"`);
      const kind = type as MediaKind;
      const input = object(block[kind], `InputMedia`);
      return mediaBlock(
        kind,
        resolveMediaSource(input.media, media),
        caption(block.caption),
        input.has_spoiler === true,
      );
    }
  }
}

function checkInputBlocksField(
  value: unknown,
  media: ReadonlyMap<string, string>,
  field: string,
): RichBlock[] {
  return array(value, 'InputRichBlock', field).map((block) => checkInputBlock(block, media));
}

function listItems(items: unknown[], media: ReadonlyMap<string, string>): RichBlockListItem[] {
  return items.map((raw, index) => {
    const item = object(raw, 'InputRichBlockListItem');
    const value = typeof item.value === 'number' ? item.value : undefined;
    const labelType = item.type;
    const ordered = value !== undefined || labelType !== undefined;
    const kind =
      labelType === 'a' || labelType === 'A' || labelType === 'i' || labelType === 'I' ? labelType : '1';
    const result: RichBlockListItem = {
      label: ordered ? listLabel(value ?? index + 1, kind) : '•',
      blocks: checkInputBlocksField(item.blocks, media, 'blocks'),
    };
    if (flag(item.has_checkbox)) result.has_checkbox = true;
    if (flag(item.is_checked)) result.is_checked = true;
    if (value !== undefined) result.value = value;
    if (ordered) result.type = kind;
    return result;
  });
}

function table(block: Json): RichBlock {
  const rows = array(block.cells, 'InputRichBlockTable', 'cells').map((row) =>
    array(row, 'InputRichBlockTable', 'cells').map((raw): RichBlockTableCell => {
      const cell = object(raw, 'RichBlockTableCell');
      const align = cell.align === 'center' || cell.align === 'right' ? cell.align : 'left';
      const valign = cell.valign === 'middle' || cell.valign === 'bottom' ? cell.valign : 'top';
      const result: RichBlockTableCell = { align, valign };
      if (cell.text !== undefined) result.text = checkRichText(cell.text);
      if (cell.is_header === true) result.is_header = true;
      if (typeof cell.colspan === 'number' && cell.colspan > 1) result.colspan = cell.colspan;
      if (typeof cell.rowspan === 'number' && cell.rowspan > 1) result.rowspan = cell.rowspan;
      return result;
    }),
  );
  const tableCaption = optionalText(block.caption);
  return {
    type: 'table',
    cells: rows,
    ...(block.is_bordered === true ? { is_bordered: true as const } : {}),
    ...(block.is_striped === true ? { is_striped: true as const } : {}),
    ...(block.is_compact === true ? { is_compact: true as const } : {}),
    ...(tableCaption === undefined ? {} : { caption: tableCaption }),
  };
}

/** "The map's width and height must not exceed 10000 in total. The width and height ratio must be at most 20." */
function map(block: Json): RichBlock {
  const location = object(block.location, 'Location');
  const { latitude, longitude } = location;
  const { zoom, width, height } = block;
  const valid =
    typeof latitude === 'number' &&
    typeof longitude === 'number' &&
    Math.abs(latitude) <= 90 &&
    Math.abs(longitude) <= 180 &&
    typeof zoom === 'number' &&
    zoom >= 0 &&
    zoom <= 24 &&
    typeof width === 'number' &&
    typeof height === 'number' &&
    width > 0 &&
    height > 0 &&
    width + height <= 10_000 &&
    Math.max(width / height, height / width) <= 20;
  if (!valid) throw badRequest(MAP_INVALID);
  const captionValue = caption(block.caption);
  // Telegram shows zoom levels 13–20 only.
  const shown = Math.min(20, Math.max(13, Math.round(zoom))) as 13;
  return {
    type: 'map',
    location: { latitude, longitude },
    zoom: shown,
    width,
    height,
    ...(captionValue === undefined ? {} : { caption: captionValue }),
  };
}
