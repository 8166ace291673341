/**
 * Feed HTML to Herald's article Markdown: the CommonMark subset of structured bodies
 * (paragraphs, headings `##`–`####`, block quotes, ordered and unordered lists, emphasis,
 * links, inline code, images with captions). htmlparser2 parses (it is forgiving, as feed
 * HTML needs); this module walks its DOM and writes only what the subset has:
 * - scripts, styles, iframes, forms, embeds, hidden elements, share/subscribe widgets and
 *   tracking pixels are dropped;
 * - links and images keep only http(s) URLs, resolved against the item's link; anything else
 *   (`javascript:`, `data:`, a relative URL with no base) keeps its text and loses the URL;
 * - everything that is not in the subset is flattened to paragraphs (`<pre>` lines become
 *   inline code, table rows become "a | b" paragraphs, `<br>` splits a paragraph);
 * - text is escaped so that nothing in it reads as Markdown syntax.
 *
 * Output is bounded: nesting of quotes and lists by {@link MAX_NESTING}, DOM recursion by
 * {@link MAX_DOM_DEPTH} (deeper content is kept as text), length by `maxLength` (cut at a
 * block boundary).
 */
import { type ChildNode, type Element, isTag, isText } from 'domhandler';

import { parseHtml } from './html-dom';
import { resolveHttpUrl } from './urls';

/** Quote/list levels kept; deeper ones are flattened into their parent (Rich Messages allow 16 levels in all). */
export const MAX_NESTING = 6;
/** DOM depth walked structurally; below it an element contributes only its text. */
export const MAX_DOM_DEPTH = 120;

export interface MarkdownOptions {
  /** Base for relative links and images: the item's link (or the feed's). */
  baseUrl?: string;
  /** Longest output; whole blocks past it are dropped and `truncated` is set. */
  maxLength?: number;
  /** A leading heading whose text equals this (the article's title, shown anyway) is dropped. */
  title?: string;
}

export interface MarkdownResult {
  markdown: string;
  /** http(s) URLs of the images kept, in order (the first can illustrate a card). */
  images: string[];
  truncated: boolean;
}

type Block =
  | { kind: 'p'; md: string }
  | { kind: 'h'; level: 2 | 3 | 4; md: string }
  | { kind: 'quote'; blocks: Block[] }
  | { kind: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { kind: 'img'; src: string; caption: string };

const DROPPED = new Set([
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'noscript',
  'object',
  'embed',
  'applet',
  'form',
  'input',
  'button',
  'select',
  'textarea',
  'option',
  'svg',
  'math',
  'canvas',
  'template',
  'video',
  'audio',
  'source',
  'track',
  'map',
  'head',
  'title',
  'meta',
  'link',
  'base',
  'dialog',
]);

/** Class or id tokens of share bars, subscribe prompts and "related posts" that blogs append. */
const WIDGET_TOKEN =
  /(^|[-_])(share|sharing|sharedaddy|social|feedflare|jp-relatedposts|related-posts)([-_]|$)/i;
const WIDGET_TOKENS = new Set([
  'subscription-widget-wrap',
  'subscription-widget',
  'button-wrapper',
  'captioned-button-wrap',
  'jp-post-flair',
]);

/** Hosts and paths of the tracking pixels blog platforms put in feeds. */
const TRACKER = [
  /^https?:\/\/(pixel\.wp\.com|stats\.wp\.com|stats\.wordpress\.com|eotrx\.substackcdn\.com|www\.google-analytics\.com)\//i,
  /^https?:\/\/(feeds\.feedburner\.com|feedproxy\.google\.com)\/~(r|ff)\//i,
  /^https?:\/\/medium\.com\/_\/stat/i,
];

/** Converts an HTML fragment to the article Markdown subset; throws html-dom's `HtmlTooDeepError` for absurd nesting. */
export function htmlToMarkdown(html: string, opts: MarkdownOptions = {}): MarkdownResult {
  const doc = parseHtml(html);
  const conv = new Converter(opts.baseUrl);
  const root = new Sink();
  conv.blocks(doc.children, root, 0, 0);
  conv.finish(root);
  let blocks = root.blocks;
  const first = blocks[0];
  if (first?.kind === 'h' && opts.title !== undefined && sameText(unescapeMarkdown(first.md), opts.title)) {
    blocks = blocks.slice(1);
  }
  return render(blocks, opts.maxLength ?? Number.POSITIVE_INFINITY, conv.images);
}

/** Plain text (a JSON Feed's `content_text`, an Atom `type="text"` construct) to Markdown paragraphs. */
export function textToMarkdown(text: string, maxLength = Number.POSITIVE_INFINITY): MarkdownResult {
  const blocks: Block[] = text
    .split(/\n\s*\n/)
    .map((p) => collapse(p).trim())
    .filter((p) => p !== '')
    .map((p) => ({ kind: 'p', md: escapeMarkdown(p) }));
  return render(blocks, maxLength, []);
}

/** Collects blocks, and the inline Markdown of the paragraph being built. */
class Sink {
  readonly blocks: Block[] = [];
  private inline = '';

  text(md: string): void {
    this.inline += md;
  }

  flush(): void {
    const md = this.inline.replace(/ {2,}/g, ' ').trim();
    this.inline = '';
    if (md !== '') this.blocks.push({ kind: 'p', md });
  }

  push(block: Block): void {
    this.flush();
    this.blocks.push(block);
  }
}

class Converter {
  readonly images: string[] = [];
  /** Images met inside inline content; emitted as blocks after the paragraph that held them. */
  private hoisted: Block[] = [];

  constructor(private readonly baseUrl: string | undefined) {}

  /** Walks nodes in block context. `nesting` counts quote/list levels, `depth` DOM levels. */
  blocks(nodes: readonly ChildNode[], sink: Sink, nesting: number, depth: number): void {
    for (const node of nodes) {
      if (isText(node)) {
        sink.text(escapeMarkdown(collapse(node.data)));
        continue;
      }
      if (!isTag(node) || this.dropped(node)) continue;
      if (depth >= MAX_DOM_DEPTH) {
        sink.text(` ${escapeMarkdown(collapse(textContent(node)))} `);
        continue;
      }
      this.block(node, sink, nesting, depth + 1);
      if (this.hoisted.length > 0 && !isInline(node.name)) this.emitHoisted(sink);
    }
  }

  /** Ends the document: the last paragraph, then any image it held. */
  finish(sink: Sink): void {
    sink.flush();
    this.emitHoisted(sink);
  }

  private emitHoisted(sink: Sink): void {
    sink.flush();
    for (const b of this.hoisted) sink.push(b);
    this.hoisted = [];
  }

  private block(el: Element, sink: Sink, nesting: number, depth: number): void {
    const name = el.name;
    if (isInline(name)) {
      sink.text(this.inline(el, depth, { link: false, em: false, strong: false }));
      return;
    }
    switch (name) {
      case 'br':
      case 'hr':
        sink.flush();
        this.emitHoisted(sink);
        return;
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6': {
        sink.flush();
        const md = this.inlineChildren(el, depth, { link: false, em: false, strong: false })
          .replace(/ {2,}/g, ' ')
          .trim()
          // A trailing run of # would read as the heading's closing sequence.
          .replace(/#+$/, (run) => run.replace(/#/g, '\\#'));
        const level = name === 'h1' || name === 'h2' ? 2 : name === 'h3' ? 3 : 4;
        if (md !== '') sink.push({ kind: 'h', level, md });
        this.emitHoisted(sink);
        return;
      }
      case 'blockquote': {
        sink.flush();
        if (nesting >= MAX_NESTING) {
          this.blocks(el.children, sink, nesting, depth);
          sink.flush();
          return;
        }
        const inner = new Sink();
        this.blocks(el.children, inner, nesting + 1, depth);
        inner.flush();
        this.emitHoisted(inner);
        if (inner.blocks.length > 0) sink.push({ kind: 'quote', blocks: inner.blocks });
        return;
      }
      case 'ul':
      case 'ol':
        this.list(el, sink, nesting, depth);
        return;
      case 'img':
        sink.flush();
        this.image(el, '');
        this.emitHoisted(sink);
        return;
      case 'figure':
        this.figure(el, sink, nesting, depth);
        return;
      case 'pre':
        sink.flush();
        for (const line of textContent(el).split('\n')) {
          const code = codeSpan(line.trim());
          if (code !== '') sink.push({ kind: 'p', md: code });
        }
        return;
      case 'table':
        this.table(el, sink, depth);
        return;
      case 'li':
        // A list item outside a list: its content as blocks.
        sink.flush();
        this.blocks(el.children, sink, nesting, depth);
        sink.flush();
        return;
      default:
        // Block containers and unknown elements alike: their content, as its own blocks.
        sink.flush();
        this.blocks(el.children, sink, nesting, depth);
        sink.flush();
    }
  }

  private list(el: Element, sink: Sink, nesting: number, depth: number): void {
    sink.flush();
    const ordered = el.name === 'ol';
    if (nesting >= MAX_NESTING) {
      this.blocks(el.children, sink, nesting, depth);
      sink.flush();
      return;
    }
    const startAttr = Number.parseInt(el.attribs['start'] ?? '1', 10);
    const start = Number.isFinite(startAttr) && startAttr >= 0 && startAttr < 1e9 ? startAttr : 1;
    const items: Block[][] = [];
    for (const c of el.children) {
      if (isText(c)) {
        if (c.data.trim() !== '') items.push([{ kind: 'p', md: escapeMarkdown(collapse(c.data).trim()) }]);
        continue;
      }
      if (!isTag(c) || this.dropped(c)) continue;
      const inner = new Sink();
      if (c.name === 'li') this.blocks(c.children, inner, nesting + 1, depth + 1);
      else this.blocks([c], inner, nesting + 1, depth + 1);
      inner.flush();
      this.emitHoisted(inner);
      if (inner.blocks.length > 0) items.push(inner.blocks);
    }
    if (items.length > 0) sink.push({ kind: 'list', ordered, start, items });
  }

  private figure(el: Element, sink: Sink, nesting: number, depth: number): void {
    sink.flush();
    const img = findImage(el);
    const captionEl = findChild(el, 'figcaption');
    if (!img) {
      this.blocks(el.children, sink, nesting, depth);
      sink.flush();
      return;
    }
    const caption = captionEl ? collapse(textContent(captionEl)).trim() : '';
    this.image(img, caption);
    this.emitHoisted(sink);
    // Whatever else the figure holds (a pull quote's blockquote, say), minus the picture and caption.
    const rest = el.children.filter((c) => !(isTag(c) && (c.name === 'figcaption' || containsNode(c, img))));
    this.blocks(rest, sink, nesting, depth);
    sink.flush();
  }

  private table(el: Element, sink: Sink, depth: number): void {
    sink.flush();
    for (const row of findAll(el, 'tr')) {
      const cells = row.children
        .filter((c): c is Element => isTag(c) && (c.name === 'td' || c.name === 'th'))
        .map((c) => this.inlineChildren(c, depth, { link: false, em: false, strong: false }).trim())
        .filter((c) => c !== '');
      if (cells.length > 0) sink.push({ kind: 'p', md: cells.join(' | ') });
    }
    this.emitHoisted(sink);
  }

  /** Records an image block (hoisted until the current paragraph ends) if its URL is usable. */
  private image(el: Element, caption: string): void {
    const src = imageSource(el, this.baseUrl);
    if (!src || isTracker(el, src)) return;
    const alt = collapse(el.attribs['alt'] ?? el.attribs['title'] ?? '').trim();
    this.images.push(src);
    this.hoisted.push({ kind: 'img', src, caption: caption !== '' ? caption : alt });
  }

  private inlineChildren(el: Element, depth: number, ctx: InlineContext): string {
    let s = '';
    for (const c of el.children) {
      if (isText(c)) s += escapeMarkdown(collapse(c.data));
      else if (isTag(c) && !this.dropped(c)) s += this.inline(c, depth + 1, ctx);
    }
    return s;
  }

  /** Inline Markdown for an element met in running text. */
  private inline(el: Element, depth: number, ctx: InlineContext): string {
    if (depth >= MAX_DOM_DEPTH) return escapeMarkdown(collapse(textContent(el)));
    switch (el.name) {
      case 'br':
        return ' ';
      case 'img':
        this.image(el, '');
        return '';
      case 'a': {
        const inner = this.inlineChildren(el, depth, { ...ctx, link: true });
        const href = ctx.link ? undefined : resolveHttpUrl(el.attribs['href'], this.baseUrl);
        if (!href || inner.trim() === '') return inner;
        return wrapSpaces(inner, (core) => `[${core}](${linkDestination(href)})`);
      }
      case 'em':
      case 'i':
      case 'cite':
      case 'dfn':
      case 'var': {
        const inner = this.inlineChildren(el, depth, { ...ctx, em: true });
        return ctx.em ? inner : wrapSpaces(inner, (core) => `*${core}*`);
      }
      case 'strong':
      case 'b': {
        const inner = this.inlineChildren(el, depth, { ...ctx, strong: true });
        return ctx.strong ? inner : wrapSpaces(inner, (core) => `**${core}**`);
      }
      case 'code':
      case 'kbd':
      case 'samp':
      case 'tt': {
        return codeSpan(collapse(textContent(el)).trim());
      }
      default: {
        const inner = this.inlineChildren(el, depth, ctx);
        return isInline(el.name) ? inner : ` ${inner} `;
      }
    }
  }

  private dropped(el: Element): boolean {
    if (DROPPED.has(el.name)) return true;
    const a = el.attribs;
    if (a['hidden'] !== undefined || a['aria-hidden'] === 'true') return true;
    if (/display\s*:\s*none|visibility\s*:\s*hidden/i.test(a['style'] ?? '')) return true;
    const tokens = `${a['class'] ?? ''} ${a['id'] ?? ''}`.split(/\s+/).filter((t) => t !== '');
    return tokens.some((t) => WIDGET_TOKENS.has(t.toLowerCase()) || WIDGET_TOKEN.test(t));
  }
}

interface InlineContext {
  link: boolean;
  em: boolean;
  strong: boolean;
}

const INLINE = new Set([
  'a',
  'abbr',
  'b',
  'bdi',
  'bdo',
  'big',
  'cite',
  'code',
  'data',
  'del',
  'dfn',
  'em',
  'font',
  'i',
  'ins',
  'kbd',
  'label',
  'mark',
  'q',
  'ruby',
  'rt',
  'rp',
  's',
  'samp',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'sup',
  'time',
  'tt',
  'u',
  'var',
  'wbr',
]);
const isInline = (name: string) => INLINE.has(name);

/** Applies `wrap` to the content without its surrounding spaces (`* a *` is not emphasis). */
function wrapSpaces(inner: string, wrap: (core: string) => string): string {
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner);
  const core = m?.[2] ?? '';
  if (core === '') return inner;
  return `${m?.[1] ?? ''}${wrap(core)}${m?.[3] ?? ''}`;
}

/** HTML whitespace collapsed to single spaces (no-break spaces included). */
function collapse(s: string): string {
  return s.replace(/[\s\u00a0]+/g, ' ');
}

/**
 * Escapes text so no character in it acts as Markdown: the inline punctuation everywhere,
 * and an `&` that would read as an entity. Line-start markers are handled per block.
 */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_[\]<>~]/g, (c) => `\\${c}`).replace(/&(?=#?[a-z0-9]+;)/gi, '\\&');
}

function unescapeMarkdown(md: string): string {
  return md.replace(/\\(.)/g, '$1');
}

function sameText(a: string, b: string): boolean {
  const norm = (s: string) => collapse(s).trim().toLowerCase();
  return norm(a) === norm(b);
}

/** A code span whose fence is longer than any run of backticks inside. */
function codeSpan(text: string): string {
  if (text === '') return '';
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Parentheses and spaces would end a Markdown link destination early. */
function linkDestination(href: string): string {
  return href.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/ /g, '%20');
}

/** The text inside a node, without scripts or styles; iterative so depth cannot overflow the stack. */
export function textContent(node: ChildNode): string {
  let s = '';
  const stack: ChildNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop();
    if (!n) break;
    if (isText(n)) s += n.data;
    else if (isTag(n) && n.name !== 'script' && n.name !== 'style') {
      if (n.name === 'br') s += '\n';
      for (let i = n.children.length - 1; i >= 0; i--) {
        const c = n.children[i];
        if (c) stack.push(c);
      }
    }
  }
  return s;
}

function findAll(el: Element, name: string): Element[] {
  const out: Element[] = [];
  const stack: Element[] = [el];
  while (stack.length > 0) {
    const n = stack.pop();
    if (!n) break;
    for (let i = n.children.length - 1; i >= 0; i--) {
      const c = n.children[i];
      if (c && isTag(c)) {
        if (c.name === name) out.push(c);
        else stack.push(c);
      }
    }
  }
  return out.reverse();
}

function findImage(el: Element): Element | undefined {
  return findAll(el, 'img')[0];
}

function findChild(el: Element, name: string): Element | undefined {
  return el.children.find((c): c is Element => isTag(c) && c.name === name);
}

function containsNode(root: ChildNode, target: Element): boolean {
  const stack: ChildNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop();
    if (n === target) return true;
    if (n && isTag(n)) stack.push(...n.children);
  }
  return false;
}

/** The image's URL: `src`, or the lazy-loading attributes and `srcset` when `src` is a placeholder. */
function imageSource(el: Element, base: string | undefined): string | undefined {
  const a = el.attribs;
  for (const candidate of [a['src'], a['data-src'], a['data-lazy-src'], a['data-original']]) {
    const url = resolveHttpUrl(candidate, base);
    if (url) return url;
  }
  return resolveHttpUrl(largestSrcset(a['srcset'] ?? a['data-srcset']), base);
}

/** The widest candidate of a `srcset` ("a.jpg 300w, b.jpg 1024w"). */
function largestSrcset(srcset: string | undefined): string | undefined {
  if (!srcset) return undefined;
  let best: { url: string; w: number } | undefined;
  for (const part of srcset.split(/,\s+/)) {
    const [url, size] = part.trim().split(/\s+/);
    if (!url) continue;
    const w = Number.parseFloat(size ?? '1');
    if (!best || w > best.w) best = { url, w: Number.isFinite(w) ? w : 1 };
  }
  return best?.url;
}

function isTracker(el: Element, src: string): boolean {
  const w = Number.parseInt(el.attribs['width'] ?? '', 10);
  const h = Number.parseInt(el.attribs['height'] ?? '', 10);
  if ((Number.isFinite(w) && w <= 2) || (Number.isFinite(h) && h <= 2)) return true;
  return TRACKER.some((re) => re.test(src));
}

/** A paragraph that starts like a heading, list item, quote or rule is escaped at its start. */
function escapeLineStart(md: string): string {
  return md.replace(/^([-+=#])/, '\\$1').replace(/^(\d{1,9})([.)])/, '$1\\$2');
}

function renderBlock(b: Block): string {
  switch (b.kind) {
    case 'p':
      return escapeLineStart(b.md);
    case 'h':
      return `${'#'.repeat(b.level)} ${b.md}`;
    case 'img':
      return `![${escapeMarkdown(collapse(b.caption).trim())}](${linkDestination(b.src)})`;
    case 'quote':
      return b.blocks
        .map(renderBlock)
        .join('\n\n')
        .split('\n')
        .map((l) => (l === '' ? '>' : `> ${l}`))
        .join('\n');
    case 'list':
      return b.items
        .map((item, i) => {
          const marker = b.ordered ? `${b.start + i}. ` : '- ';
          const indent = ' '.repeat(marker.length);
          const body = item.map(renderBlock).join('\n\n');
          return body
            .split('\n')
            .map((l, j) => (j === 0 ? marker + l : l === '' ? '' : indent + l))
            .join('\n');
        })
        .join('\n');
  }
}

function render(blocks: Block[], maxLength: number, images: string[]): MarkdownResult {
  const parts: string[] = [];
  let length = 0;
  let truncated = false;
  for (const b of blocks) {
    const md = renderBlock(b);
    const added = md.length + (parts.length > 0 ? 2 : 0);
    if (length + added > maxLength) {
      truncated = true;
      if (parts.length === 0 && b.kind === 'p') parts.push(cutAtSpace(md, maxLength));
      break;
    }
    parts.push(md);
    length += added;
  }
  const markdown = parts.join('\n\n');
  const kept = images.filter((src) => markdown.includes(linkDestination(src)));
  return { markdown, images: kept, truncated };
}

/** A single over-long paragraph is cut at the last space before the limit (never inside an escape). */
function cutAtSpace(md: string, max: number): string {
  let cut = md.slice(0, max);
  const space = cut.lastIndexOf(' ');
  if (space > max / 2) cut = cut.slice(0, space);
  return cut.replace(/\\$/, '');
}
