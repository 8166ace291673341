/**
 * Rich HTML turned into blocks: headings, paragraphs, lists, quotes, media, figures, maps,
 * collages, tables, details, formulas and button rows, following the tag list of the Bot API's
 * "Rich HTML style". Loose inline content between blocks becomes a paragraph.
 */
import type { RichBlock, RichBlockCaption, RichBlockListItem, RichText } from '@grammyjs/types';
import { badRequest } from '../errors';
import { htmlButton, inlineText, isInlineTag, rawText, unexpected } from './html-inline';
import { table } from './html-table';
import { type LabelType, listLabel } from './labels';
import { type MediaKind, mediaBlock, mediaKindOf, resolveMediaSource } from './media';
import { CTOR_NOT_ALLOWED, MAP_INVALID } from './rich-errors';
import { attr, type HtmlElement, type HtmlNode } from './rich-html';

const MEDIA_TAGS = new Set(['img', 'video', 'audio', 'tg-document']);

type Media = ReadonlyMap<string, string>;

const isBlank = (node: HtmlNode): boolean => node.kind === 'text' && node.text.trim() === '';
const elements = (nodes: readonly HtmlNode[]): HtmlElement[] =>
  nodes.filter((node): node is HtmlElement => node.kind === 'element');
const withCredit = (credit: RichText | undefined) =>
  credit === undefined || credit === '' ? {} : { credit };

/** The blocks of a list of nodes (the document, or the inside of a quote, item or details). */
export function htmlBlocks(nodes: readonly HtmlNode[], media: Media): RichBlock[] {
  const blocks: RichBlock[] = [];
  let run: HtmlNode[] = [];
  const flush = (): void => {
    const anchors = elements(run);
    if (
      run.every(
        (node) =>
          isBlank(node) ||
          (node.kind === 'element' &&
            node.name === 'a' &&
            node.attrs.has('name') &&
            node.children.length === 0),
      )
    ) {
      // An empty <a name> on its own is an anchor block.
      for (const anchor of anchors) blocks.push({ type: 'anchor', name: attr(anchor, 'name') });
    } else {
      blocks.push({ type: 'paragraph', text: inlineText(run) });
    }
    run = [];
  };
  for (const node of nodes) {
    if (node.kind === 'text' || isInlineTag(node.name)) {
      if (!(node.kind === 'element' && node.name === 'img')) {
        run.push(node);
        continue;
      }
      // A custom emoji <img> is inline; any other image is a block of its own.
      if (/^tg:\/\/emoji\?/.test(attr(node, 'src'))) {
        run.push(node);
        continue;
      }
    }
    flush();
    blocks.push(block(node as HtmlElement, media));
  }
  flush();
  return blocks;
}

function block(element: HtmlElement, media: Media): RichBlock {
  const children = element.children;
  const heading = /^h([1-6])$/.exec(element.name);
  if (heading !== null) return { type: 'heading', text: inlineText(children), size: Number(heading[1]) as 1 };
  if (MEDIA_TAGS.has(element.name)) return mediaElement(element, media, undefined);
  switch (element.name) {
    case 'p': {
      const content = children.filter((node) => !isBlank(node));
      const only = content[0];
      // Markdown puts a lone image in a paragraph: it is the image's own block.
      if (content.length === 1 && only?.kind === 'element' && MEDIA_TAGS.has(only.name)) {
        if (!(only.name === 'img' && /^tg:\/\/emoji\?/.test(attr(only, 'src'))))
          return mediaElement(only, media, undefined);
      }
      return { type: 'paragraph', text: inlineText(children) };
    }
    case 'footer':
      return { type: 'footer', text: inlineText(children) };
    case 'pre': {
      const code = elements(children).find((child) => child.name === 'code');
      const language = code === undefined ? '' : attr(code, 'class').replace(/^language-/, '');
      const text = inlineText(
        code !== undefined && elements(children).length === 1 ? code.children : children,
        true,
      );
      return {
        type: 'pre',
        text: typeof text === 'string' ? text.replace(/\n$/, '') : text,
        ...(language === '' ? {} : { language }),
      };
    }
    case 'hr':
      return { type: 'divider' };
    case 'ul':
    case 'ol':
      return { type: 'list', items: listItems(element, media) };
    case 'blockquote': {
      const cite = elements(children).find((child) => child.name === 'cite');
      const content = children.filter((child) => child !== cite);
      const credit = cite === undefined ? undefined : inlineText(cite.children);
      if (element.attrs.has('expandable'))
        return { type: 'expandable_blockquote', text: inlineText(content), ...withCredit(credit) };
      return { type: 'blockquote', blocks: htmlBlocks(content, media), ...withCredit(credit) };
    }
    case 'aside': {
      const cite = elements(children).find((child) => child.name === 'cite');
      const credit = cite === undefined ? undefined : inlineText(cite.children);
      return {
        type: 'pullquote',
        text: inlineText(children.filter((child) => child !== cite)),
        ...withCredit(credit),
      };
    }
    case 'figure': {
      const caption = figcaption(element);
      const content = elements(children).filter((child) => child.name !== 'figcaption');
      const inner = content[0];
      if (content.length !== 1 || inner === undefined)
        throw unexpected(element, 'Tag "figure" must contain one media element');
      if (inner.name === 'tg-map') return map(inner, caption);
      if (!MEDIA_TAGS.has(inner.name)) throw unexpected(inner, `Unexpected tag "${inner.name}" in "figure"`);
      return mediaElement(inner, media, caption);
    }
    case 'tg-map':
      return map(element, undefined);
    case 'tg-collage':
    case 'tg-slideshow': {
      const caption = figcaption(element);
      const blocks = elements(children)
        .filter((child) => child.name !== 'figcaption')
        .map((child) => block(child, media));
      const type = element.name === 'tg-collage' ? 'collage' : 'slideshow';
      return { type, blocks, ...(caption === undefined ? {} : { caption }) };
    }
    case 'table':
      return table(element);
    case 'details': {
      const summary = elements(children).find((child) => child.name === 'summary');
      return {
        type: 'details',
        summary: summary === undefined ? '' : inlineText(summary.children),
        blocks: htmlBlocks(
          children.filter((child) => child !== summary),
          media,
        ),
        ...(element.attrs.has('open') ? { is_open: true as const } : {}),
      };
    }
    case 'tg-math-block':
      return { type: 'mathematical_expression', expression: rawText(children).trim() };
    case 'tg-button-row': {
      const align = attr(element, 'align');
      return {
        type: 'buttons',
        buttons: elements(children).map(htmlButton),
        ...(align === 'left' || align === 'center' || align === 'right' ? { align } : {}),
      };
    }
    case 'tg-thinking':
      throw badRequest(CTOR_NOT_ALLOWED);
    default:
      throw unexpected(element, `Unexpected tag "${element.name}"`);
  }
}

function figcaption(element: HtmlElement): RichBlockCaption | undefined {
  const caption = elements(element.children).find((child) => child.name === 'figcaption');
  if (caption === undefined) return undefined;
  const cite = elements(caption.children).find((child) => child.name === 'cite');
  const credit = cite === undefined ? undefined : inlineText(cite.children);
  return { text: inlineText(caption.children.filter((child) => child !== cite)), ...withCredit(credit) };
}

function mediaElement(element: HtmlElement, media: Media, caption: RichBlockCaption | undefined): RichBlock {
  const url = resolveMediaSource(attr(element, 'src'), media);
  const byUrl = mediaKindOf(url);
  const kind: MediaKind =
    element.name === 'img'
      ? // Markdown images of any kind arrive as <img>; Telegram tells media apart by URL.
        byUrl === 'document'
        ? 'photo'
        : byUrl
      : element.name === 'video'
        ? byUrl === 'animation'
          ? 'animation'
          : 'video'
        : element.name === 'audio'
          ? byUrl === 'voice_note'
            ? 'voice_note'
            : 'audio'
          : 'document';
  // Markdown's image title is the caption ("![](url "Caption")").
  const title = attr(element, 'title');
  const shown = caption ?? (title === '' ? undefined : { text: title });
  return mediaBlock(kind, url, shown, element.attrs.has('tg-spoiler'));
}

function map(element: HtmlElement, caption: RichBlockCaption | undefined): RichBlock {
  const latitude = Number(attr(element, 'lat'));
  const longitude = Number(attr(element, 'long'));
  const zoom = Number(attr(element, 'zoom') || '15');
  if (
    !Number.isFinite(latitude) ||
    !Number.isFinite(longitude) ||
    Math.abs(latitude) > 90 ||
    Math.abs(longitude) > 180 ||
    !(zoom >= 0 && zoom <= 24)
  ) {
    throw badRequest(MAP_INVALID);
  }
  // The HTML form gives no size: the stand-in reports a landscape default.
  return {
    type: 'map',
    location: { latitude, longitude },
    zoom: Math.min(20, Math.max(13, Math.round(zoom))) as 13,
    width: 600,
    height: 300,
    ...(caption === undefined ? {} : { caption }),
  };
}

function listItems(list: HtmlElement, media: Media): RichBlockListItem[] {
  const ordered = list.name === 'ol';
  const typeAttr = attr(list, 'type');
  const type: LabelType =
    typeAttr === 'a' || typeAttr === 'A' || typeAttr === 'i' || typeAttr === 'I' ? typeAttr : '1';
  const items = elements(list.children);
  const reversed = list.attrs.has('reversed');
  const start = Number.parseInt(attr(list, 'start'), 10);
  let next = Number.isFinite(start) ? start : reversed ? items.length : 1;
  return items.map((li) => {
    if (li.name !== 'li') throw unexpected(li, `Unexpected tag "${li.name}" in "${list.name}"`);
    const box = elements(li.children).find(
      (child) => child.name === 'input' && attr(child, 'type') === 'checkbox',
    );
    const explicit = Number.parseInt(attr(li, 'value'), 10);
    const value = Number.isFinite(explicit) ? explicit : next;
    next = reversed ? value - 1 : value + 1;
    const liType = attr(li, 'type');
    const itemType: LabelType =
      liType === 'a' || liType === 'A' || liType === 'i' || liType === 'I' || liType === '1' ? liType : type;
    const item: RichBlockListItem = {
      label: ordered ? listLabel(value, itemType) : '•',
      blocks: htmlBlocks(
        li.children.filter((child) => child !== box),
        media,
      ),
    };
    if (box !== undefined) item.has_checkbox = true;
    if (box?.attrs.has('checked') === true) item.is_checked = true;
    if (ordered) {
      item.value = value;
      item.type = itemType;
    }
    return item;
  });
}
