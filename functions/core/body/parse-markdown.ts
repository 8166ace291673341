/**
 * Article bodies are Markdown: a CommonMark subset, parsed once at publish time into the block
 * model of ./blocks.ts. Only the publishing paths (admin API, `herald import`, the demo seed)
 * import this module, so the readers' Lambda never carries the parser.
 *
 * The format (docs/admin-api.md shows it to a CMS):
 * - Paragraphs are separated by a blank line; a single line break inside one is a space, a line
 *   ending in two spaces or a backslash is a hard line break. A plain-text body is valid and
 *   reads as before.
 * - Headings `##`, `###` and `####` (or underlined with `---`). The title is the article's only
 *   top heading, so `#` reads as `##`, and `#####`/`######` as `####`.
 * - Block quotes (`>`), unordered (`-`, `*`, `+`) and ordered (`1.`, `1)`) lists, nested in
 *   one another at most {@link BODY_LIMITS.maxNesting} levels deep.
 * - `*italic*` / `_italic_`, `**bold**` / `__bold__`, `` `inline code` ``.
 * - Links `[text](https://…)`, `<https://…>` and reference links; the URL must be http(s).
 * - Images `![alt](https://… "Caption")`: an image stands as a block of its own (an image
 *   inside a paragraph splits it there). Its **caption is the title** in quotes after the URL,
 *   or the alt text when there is no title.
 * - `---` on its own line (after a blank line) is a scene break.
 * - Not in the subset, and never passed on as markup: raw HTML (`<b>` is shown as the text
 *   `<b>`); code blocks (their text is kept as a paragraph, line breaks and all); tables,
 *   strikethrough and footnotes (shown as the text written).
 *
 * The parser is markdown-it (CommonMark preset, HTML off), chosen over `marked` and
 * micromark because its time grows linearly with hostile input (nested emphasis, unclosed
 * brackets), where those take seconds to minutes on a few tens of kilobytes.
 */
import MarkdownIt from 'markdown-it';
import { type Block, BODY_LIMITS, type HeadingLevel, type Inline, isHttpUrl } from './blocks';

type Token = MarkdownIt.Token;

/** One problem with a body, at a 1-based line of the Markdown text. */
export interface BodyIssue {
  line: number;
  message: string;
}

export type ParseBodyResult = { ok: true; blocks: Block[] } | { ok: false; issues: BodyIssue[] };

/** Issues reported at most: the first few are enough to fix a body, and a hostile one has thousands. */
const MAX_ISSUES = 10;

// maxNesting is markdown-it's own guard on recursion; well above BODY_LIMITS.maxNesting so
// that a body nested too deep reaches the check below (and gets its line) instead of being
// silently flattened by the parser.
const md = new MarkdownIt('commonmark', { html: false, linkify: false, typographer: false, maxNesting: 64 });
// markdown-it leaves `javascript:` and other unsafe links as text; let every link through to
// the check below, which rejects each one that is not http(s) and names its line.
md.validateLink = () => true;

const quoted = (url: string) => JSON.stringify(url.length > 80 ? `${url.slice(0, 79)}…` : url);

/** Frames of inline formatting still open while an inline token stream is read. */
interface Frame {
  type: 'bold' | 'italic' | 'link';
  url: string;
  children: Inline[];
}

class BodyBuilder {
  readonly issues: BodyIssue[] = [];
  private blockCount = 0;
  private imageCount = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly lineOffset: number,
  ) {}

  issue(line: number, message: string): void {
    if (this.issues.length < MAX_ISSUES) this.issues.push({ line: line + this.lineOffset, message });
  }

  /** 1-based line of a block token (its map is 0-based and absolute). */
  private lineOf(token: Token | undefined): number {
    return (token?.map?.[0] ?? 0) + 1;
  }

  private countBlock(line: number): void {
    this.blockCount++;
    if (this.blockCount === BODY_LIMITS.maxBlocks + 1) {
      this.issue(
        line,
        `the body has more than ${BODY_LIMITS.maxBlocks.toLocaleString('en')} blocks (paragraphs, headings, list items, quotes, images); split it into several articles`,
      );
    }
  }

  /**
   * Reads blocks from `i` until a token of type `close` (or the end); returns the blocks and
   * the index after the closing token. `depth` is how many quotes and lists enclose them.
   */
  readBlocks(i: number, close: string | undefined, depth: number): { blocks: Block[]; next: number } {
    const blocks: Block[] = [];
    const { tokens } = this;
    while (i < tokens.length) {
      const t = tokens[i];
      if (t === undefined || t.type === close) return { blocks, next: i + 1 };
      const line = this.lineOf(t);
      switch (t.type) {
        case 'paragraph_open': {
          const inline = tokens[i + 1];
          if (inline?.type === 'inline') this.readInline(inline, blocks, undefined);
          i += 3;
          break;
        }
        case 'heading_open': {
          const inline = tokens[i + 1];
          const n = Number(t.tag.slice(1));
          const level: HeadingLevel = n <= 2 ? 2 : n === 3 ? 3 : 4;
          if (inline?.type === 'inline') this.readInline(inline, blocks, level);
          i += 3;
          break;
        }
        case 'blockquote_open': {
          this.checkDepth(depth + 1, line);
          const inner = this.readBlocks(i + 1, 'blockquote_close', depth + 1);
          this.countBlock(line);
          if (inner.blocks.length > 0) blocks.push({ type: 'quote', children: inner.blocks });
          i = inner.next;
          break;
        }
        case 'bullet_list_open':
        case 'ordered_list_open': {
          const ordered = t.type === 'ordered_list_open';
          this.checkDepth(depth + 1, line);
          const start = Number(t.attrGet('start') ?? 1);
          const items: Block[][] = [];
          const close = ordered ? 'ordered_list_close' : 'bullet_list_close';
          i++;
          while (i < tokens.length && tokens[i]?.type === 'list_item_open') {
            const item = this.readBlocks(i + 1, 'list_item_close', depth + 1);
            this.countBlock(this.lineOf(tokens[i]));
            if (item.blocks.length > 0) items.push(item.blocks);
            i = item.next;
          }
          if (tokens[i]?.type === close) i++;
          this.countBlock(line);
          if (items.length > BODY_LIMITS.maxListItems) {
            this.issue(
              line,
              `this list has ${items.length} items; at most ${BODY_LIMITS.maxListItems} are allowed`,
            );
          }
          if (items.length > 0) {
            blocks.push({ type: 'list', ordered, start: Number.isSafeInteger(start) ? start : 1, items });
          }
          break;
        }
        case 'fence':
        case 'code_block': {
          // Code blocks are not part of the format: keep their text, line breaks and all.
          const text = t.content.replace(/\n$/, '');
          this.countBlock(line);
          if (text.trim() !== '') {
            const node: Inline = t.type === 'fence' ? { type: 'code', text } : { type: 'text', text };
            blocks.push({ type: 'paragraph', children: [node] });
          }
          i++;
          break;
        }
        case 'hr':
          this.countBlock(line);
          blocks.push({ type: 'rule' });
          i++;
          break;
        default:
          // Nothing else is produced with HTML off; skip anything new rather than guess.
          i++;
      }
    }
    return { blocks, next: i };
  }

  private checkDepth(depth: number, line: number): void {
    if (depth === BODY_LIMITS.maxNesting + 1) {
      this.issue(
        line,
        `block quotes and lists are nested more than ${BODY_LIMITS.maxNesting} levels deep here; flatten them`,
      );
    }
  }

  /**
   * Turns one inline token into paragraphs (or a heading) and image blocks, appended to `out`:
   * an image always stands alone, so a paragraph with an image inside is split around it.
   */
  private readInline(inline: Token, out: Block[], heading: HeadingLevel | undefined): void {
    const children = inline.children ?? [];
    let line = this.lineOf(inline);
    let stack: Frame[] = [];
    let root: Inline[] = [];
    const target = (): Inline[] => stack[stack.length - 1]?.children ?? root;
    const pushText = (text: string) => {
      const list = target();
      const last = list[list.length - 1];
      if (last?.type === 'text') last.text += text;
      else if (text !== '') list.push({ type: 'text', text });
    };
    /** Closes the innermost frame into its parent (a link without text shows its URL). */
    const closeFrame = () => {
      const frame = stack.pop();
      if (frame === undefined) return;
      const parent = target();
      if (frame.type === 'link') {
        parent.push({
          type: 'link',
          url: frame.url,
          children: frame.children.length > 0 ? frame.children : [{ type: 'text', text: frame.url }],
        });
      } else if (frame.children.length > 0) parent.push({ type: frame.type, children: frame.children });
    };
    // Open frames of each type, so that a close knows in O(1) whether an outer one is open
    // (a hostile body nests tens of thousands of them).
    const opened = { bold: 0, italic: 0, link: 0 };
    const open = (type: Frame['type'], url = '') => {
      stack.push({ type, url, children: [] });
      opened[type]++;
    };
    const close = (type: Frame['type']) => {
      const frame = stack[stack.length - 1];
      if (frame === undefined) return;
      opened[frame.type]--;
      // Bold inside bold (or italic inside italic) changes nothing: the inner frame hands its
      // children to its parent, which keeps the tree as shallow as the formatting it shows.
      if (type !== 'link' && opened[type] > 0) {
        stack.pop();
        appendInlines(target(), frame.children);
        return;
      }
      closeFrame();
    };

    /** Ends the current paragraph (closing what is open) and returns the frames to reopen. */
    const flush = (): Frame[] => {
      const reopen = stack.map((f) => ({ ...f, children: [] }));
      for (let top = stack[stack.length - 1]; top !== undefined; top = stack[stack.length - 1])
        close(top.type);
      const content = trimInlines(root);
      if (content.length > 0) {
        this.countBlock(line);
        out.push(
          heading === undefined
            ? { type: 'paragraph', children: content }
            : { type: 'heading', level: heading, children: content },
        );
      }
      root = [];
      return reopen;
    };

    for (const c of children) {
      switch (c.type) {
        case 'text':
          pushText(c.content);
          break;
        case 'softbreak':
          pushText(' ');
          line++;
          break;
        case 'hardbreak':
          pushText('\n');
          line++;
          break;
        case 'code_inline':
          target().push({ type: 'code', text: c.content });
          break;
        case 'strong_open':
          open('bold');
          break;
        case 'em_open':
          open('italic');
          break;
        case 'strong_close':
          close('bold');
          break;
        case 'em_close':
          close('italic');
          break;
        case 'link_open': {
          const href = String(c.attrGet('href') ?? '');
          if (!isHttpUrl(href)) {
            this.issue(line, `a link must go to an http(s) URL; ${quoted(href)} does not`);
          }
          open('link', href);
          break;
        }
        case 'link_close':
          close('link');
          break;
        case 'image': {
          const src = String(c.attrGet('src') ?? '');
          const title = String(c.attrGet('title') ?? '');
          const caption = (title !== '' ? title : c.content).trim();
          if (!isHttpUrl(src)) {
            this.issue(line, `an image must have an http(s) URL; ${quoted(src)} is not one`);
          }
          if (caption.length > BODY_LIMITS.maxCaption) {
            this.issue(line, `an image caption must be at most ${BODY_LIMITS.maxCaption} characters`);
          }
          this.imageCount++;
          if (this.imageCount === BODY_LIMITS.maxImages + 1) {
            this.issue(line, `the body has more than ${BODY_LIMITS.maxImages} images`);
          }
          // Past the limit the body is rejected anyway: skip the work of splitting around it.
          if (this.imageCount > BODY_LIMITS.maxImages) break;
          const reopen = flush();
          this.countBlock(line);
          out.push({ type: 'image', url: src, caption });
          stack = reopen;
          for (const f of reopen) opened[f.type]++;
          break;
        }
        default:
          // html_inline never appears with HTML off; any other token keeps its text.
          pushText(c.content);
      }
    }
    flush();
  }
}

/** Appends inline nodes, merging a text node into a text node before it. */
function appendInlines(list: Inline[], nodes: readonly Inline[]): void {
  for (const node of nodes) {
    const last = list[list.length - 1];
    if (node.type === 'text' && last?.type === 'text')
      list[list.length - 1] = { type: 'text', text: last.text + node.text };
    else list.push(node);
  }
}

/**
 * Drops whitespace at the start (`end` false) or end of inline content, inside formatting too
 * (left there by an image split, say); formatting left empty goes, a link keeps its URL as text.
 */
function trimEdge(nodes: readonly Inline[], end: boolean): Inline[] {
  const out = nodes.slice();
  const i = end ? out.length - 1 : 0;
  const node = out[i];
  if (node === undefined) return out;
  if (node.type === 'text') {
    const text = end ? node.text.replace(/\s+$/, '') : node.text.replace(/^\s+/, '');
    if (text === '') return trimEdge(end ? out.slice(0, -1) : out.slice(1), end);
    out[i] = { type: 'text', text };
  } else if (node.type !== 'code') {
    const children = trimEdge(node.children, end);
    if (node.type === 'link') {
      out[i] = { ...node, children: children.length > 0 ? children : [{ type: 'text', text: node.url }] };
    } else if (children.length > 0) out[i] = { ...node, children };
    else return trimEdge(end ? out.slice(0, -1) : out.slice(1), end);
  }
  return out;
}

const trimInlines = (nodes: readonly Inline[]): Inline[] => trimEdge(trimEdge(nodes, false), true);

/**
 * Parses a Markdown body into blocks and validates it against the format above and
 * {@link BODY_LIMITS}: a link or image whose URL is not http(s), nesting deeper than allowed,
 * too many list items, blocks or images are issues naming their 1-based line. `firstLine`
 * is the line of the body's first line in a larger file (a Markdown file's front matter comes
 * before it), so that lines are reported as the author sees them.
 */
export function parseMarkdownBody(markdown: string, opts: { firstLine?: number } = {}): ParseBodyResult {
  const tokens = md.parse(markdown, {});
  const builder = new BodyBuilder(tokens, (opts.firstLine ?? 1) - 1);
  const { blocks } = builder.readBlocks(0, undefined, 0);
  if (builder.issues.length > 0) return { ok: false, issues: builder.issues };
  return { ok: true, blocks };
}
