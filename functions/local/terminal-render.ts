/**
 * What the offline chat prints for a bot message: Telegram's formatting made readable in a
 * terminal. Headings and bold are emphasised (ANSI when the output is a terminal, Markdown-like
 * marks otherwise), quotes get a bar, lists their bullets and numbers, links show their URL,
 * media a `[image: caption]` placeholder. Right-to-left lines are wrapped in Unicode isolates
 * (U+2067 … U+2069) and never reversed: a terminal with bidi support then lays them out right,
 * and one without shows the characters in their logical order. A line counts as right to left
 * when a Telegram client would lay it out so: its first strong letter outside isolates, or the
 * RLM the translator puts in front of an Arabic or Urdu line that opens with an isolated value.
 */
import type { MessageEntity, RichBlock, RichMessage, RichText } from '@grammyjs/types';
import { firstStrongDirection } from '../i18n/bidi';

export interface RenderOptions {
  /** Output is a terminal: use ANSI bold, italic and underline. */
  tty: boolean;
}

const RLI = '\u2067';
const PDI = '\u2069';
const ANSI = /\x1b\[[0-9;]*m/g;

/** True when the text's paragraph direction is right to left (bidi rules P2–P3; ANSI styling ignored). */
export function startsRightToLeft(text: string): boolean {
  return firstStrongDirection(text.replace(ANSI, ''), false) === 'rtl';
}

function isolate(line: string, rtl: boolean): string {
  return (rtl || startsRightToLeft(line)) && line.trim() !== '' ? `${RLI}${line}${PDI}` : line;
}

const ansi = (tty: boolean, on: string, off: string) => (text: string) =>
  tty ? `\x1b[${on}m${text}\x1b[${off}m` : text;

// ----- text messages --------------------------------------------------------------------------

/** A text message with its entities: emphasis, links with their URL, quotes with a bar. */
export function renderTextMessage(
  text: string,
  entities: readonly MessageEntity[] | undefined,
  options: RenderOptions,
): string {
  const bold = ansi(options.tty, '1', '22');
  const italic = ansi(options.tty, '3', '23');
  const underline = ansi(options.tty, '4', '24');
  // Insertions before (opening) and after (closing) UTF-16 offsets; quotes are marked for later.
  const before = new Map<number, string[]>();
  const after = new Map<number, string[]>();
  const add = (map: Map<number, string[]>, at: number, value: string) =>
    map.set(at, [...(map.get(at) ?? []), value]);
  const QUOTE_START = '\u0000';
  const QUOTE_END = '\u0001';
  for (const entity of entities ?? []) {
    const end = entity.offset + entity.length;
    const wrap = (styled: (s: string) => string) => {
      const [open, close] = styled('\u0002').split('\u0002');
      if (open) add(before, entity.offset, open);
      if (close) add(after, end, close);
    };
    if (entity.type === 'bold') wrap(bold);
    else if (entity.type === 'italic') wrap(italic);
    else if (entity.type === 'underline') wrap(underline);
    else if (entity.type === 'text_link') add(after, end, ` (${entity.url})`);
    else if (entity.type === 'blockquote' || entity.type === 'expandable_blockquote') {
      add(before, entity.offset, QUOTE_START);
      add(
        after,
        end,
        entity.type === 'expandable_blockquote' ? ` [expandable quote]${QUOTE_END}` : QUOTE_END,
      );
    }
  }
  let out = '';
  for (let i = 0; i <= text.length; i += 1) {
    out += (after.get(i) ?? []).reverse().join('') + (before.get(i) ?? []).join('');
    if (i < text.length) out += text[i];
  }
  // Quote bars go on every line between the marks.
  let quoting = false;
  const lines = out.split('\n').map((line) => {
    const starts = quoting || line.includes(QUOTE_START);
    const clean = line.replaceAll(QUOTE_START, '').replaceAll(QUOTE_END, '');
    const shown = starts ? `│ ${isolate(clean, false)}` : isolate(clean, false);
    if (line.includes(QUOTE_START)) quoting = true;
    if (line.includes(QUOTE_END)) quoting = false;
    return shown;
  });
  return lines.join('\n');
}

// ----- rich messages --------------------------------------------------------------------------

/** A rich message as terminal lines, blocks separated by blank lines. */
export function renderRichMessage(message: RichMessage, options: RenderOptions): string {
  const rtl = message.is_rtl === true;
  return message.blocks
    .map((block) => renderBlock(block, options, rtl).join('\n'))
    .filter((text) => text !== '')
    .join('\n\n');
}

/** Inline rich text: emphasis, links as text plus URL, custom emoji as their emoji. */
export function renderRichText(text: RichText | undefined, options: RenderOptions): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return text;
  if (Array.isArray(text)) return text.map((part) => renderRichText(part, options)).join('');
  const inner = (value: RichText) => renderRichText(value, options);
  switch (text.type) {
    case 'bold':
      return ansi(options.tty, '1', '22')(inner(text.text));
    case 'italic':
      return ansi(options.tty, '3', '23')(inner(text.text));
    case 'underline':
      return ansi(options.tty, '4', '24')(inner(text.text));
    case 'strikethrough':
      return ansi(options.tty, '9', '29')(inner(text.text));
    case 'code':
      return `\`${inner(text.text)}\``;
    case 'spoiler':
      return `||${inner(text.text)}||`;
    case 'url': {
      const shown = inner(text.text);
      return shown === text.url ? shown : `${shown} (${text.url})`;
    }
    case 'custom_emoji':
      return text.alternative_text;
    case 'mathematical_expression':
      return `$${text.expression}$`;
    case 'anchor':
      return '';
    case 'button':
      return `[${inner(text.button.text)}]`;
    default:
      return inner(text.text);
  }
}

const MEDIA_NAMES: Readonly<Record<string, string>> = {
  photo: 'image',
  video: 'video',
  animation: 'animation',
  audio: 'audio',
  document: 'document',
  voice_note: 'voice note',
};

function renderBlock(block: RichBlock, options: RenderOptions, rtl: boolean): string[] {
  const text = (value: RichText | undefined) =>
    renderRichText(value, options)
      .split('\n')
      .map((line) => isolate(line, rtl));
  const children = (blocks: readonly RichBlock[]) =>
    blocks.flatMap((child, index) => [...(index > 0 ? [''] : []), ...renderBlock(child, options, rtl)]);
  const bar = (lines: string[]) => lines.map((line) => (line === '' ? '│' : `│ ${line}`));
  const credit = (value: RichText | undefined) => (value === undefined ? [] : text([' — ', value]));
  switch (block.type) {
    case 'heading': {
      const marks = '#'.repeat(block.size);
      return text(block.text).map((line) => ansi(options.tty, '1', '22')(`${marks} ${line}`));
    }
    case 'paragraph':
      return text(block.text);
    case 'footer':
      return text(block.text).map((line) => ansi(options.tty, '2', '22')(line));
    case 'pre':
      return renderRichText(block.text, options)
        .split('\n')
        .map((line) => `    ${line}`);
    case 'divider':
      return ['────────'];
    case 'mathematical_expression':
      return [`$$ ${block.expression} $$`];
    case 'anchor':
      return [];
    case 'list':
      return block.items.flatMap((item) => {
        const box = item.has_checkbox === true ? (item.is_checked === true ? '[x] ' : '[ ] ') : '';
        const [first = '', ...rest] = children(item.blocks);
        const indent = ' '.repeat(item.label.length + 1);
        return [`${item.label} ${box}${first}`, ...rest.map((line) => (line === '' ? '' : indent + line))];
      });
    case 'blockquote':
      return bar([...children(block.blocks), ...credit(block.credit)]);
    case 'expandable_blockquote':
      return bar([...text(block.text), ...credit(block.credit), '[expandable quote]']);
    case 'pullquote':
      return [...text(['❝ ', block.text, ' ❞']), ...credit(block.credit)];
    case 'details':
      return [
        ...text([block.is_open === true ? '▾ ' : '▸ ', block.summary]),
        ...children(block.blocks).map((line) => (line === '' ? '' : `  ${line}`)),
      ];
    case 'collage':
    case 'slideshow':
      return [...children(block.blocks), ...(block.caption === undefined ? [] : text(block.caption.text))];
    case 'table':
      return [
        ...(block.caption === undefined ? [] : text(block.caption)),
        ...block.cells.map((row) =>
          row
            .map((cell) => {
              const shown = renderRichText(cell.text, options);
              return cell.is_header === true ? ansi(options.tty, '1', '22')(shown) : shown;
            })
            .join(' | '),
        ),
      ];
    case 'buttons':
      return [block.buttons.map((button) => `[${renderRichText(button.text, options)}]`).join(' ')];
    case 'map':
      return [`[map: ${block.location.latitude}, ${block.location.longitude}]`];
    case 'thinking':
      return text(block.text);
    default: {
      const name = MEDIA_NAMES[block.type] ?? block.type;
      const caption = block.caption === undefined ? '' : renderRichText(block.caption.text, options);
      return [isolate(caption === '' ? `[${name}]` : `[${name}: ${caption}]`, rtl)];
    }
  }
}
