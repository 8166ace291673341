/**
 * Reads article Markdown back with a CommonMark parser (markdown-it's strict `commonmark`
 * preset), so conversion tests assert on the structure a reader gets, not on strings.
 */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt('commonmark');

type Token = ReturnType<typeof md.parse>[number];

export interface MarkdownShape {
  /** Block structure, one entry per opening token: "h2", "p", "blockquote", "ul", "ol", "li". */
  blocks: string[];
  links: string[];
  images: { src: string; alt: string }[];
  /** Inline formatting met: "em", "strong", "code". */
  marks: string[];
  /** Raw HTML, code blocks, fences or rules: none of these is in Herald's subset. */
  outsideSubset: string[];
  /** All text a reader sees, whitespace collapsed. */
  text: string;
  /** Deepest nesting of quotes and lists. */
  maxDepth: number;
}

export function shapeOf(markdown: string): MarkdownShape {
  const tokens = md.parse(markdown, {});
  const shape: MarkdownShape = {
    blocks: [],
    links: [],
    images: [],
    marks: [],
    outsideSubset: [],
    text: '',
    maxDepth: 0,
  };
  const texts: string[] = [];
  let depth = 0;
  const walk = (list: Token[]) => {
    for (const t of list) {
      switch (t.type) {
        case 'heading_open':
          shape.blocks.push(t.tag);
          break;
        case 'paragraph_open':
          shape.blocks.push('p');
          break;
        case 'blockquote_open':
        case 'bullet_list_open':
        case 'ordered_list_open':
          shape.blocks.push(t.type === 'blockquote_open' ? 'blockquote' : t.tag);
          depth++;
          shape.maxDepth = Math.max(shape.maxDepth, depth);
          break;
        case 'blockquote_close':
        case 'bullet_list_close':
        case 'ordered_list_close':
          depth--;
          break;
        case 'list_item_open':
          shape.blocks.push('li');
          break;
        case 'link_open':
          shape.links.push(String(t.attrGet('href') ?? ''));
          break;
        case 'image':
          shape.images.push({ src: String(t.attrGet('src') ?? ''), alt: t.content });
          break;
        case 'em_open':
        case 'strong_open':
          shape.marks.push(t.tag);
          break;
        case 'code_inline':
          shape.marks.push('code');
          texts.push(t.content);
          break;
        case 'text':
          texts.push(t.content);
          break;
        case 'softbreak':
          texts.push(' ');
          break;
        case 'html_block':
        case 'html_inline':
        case 'code_block':
        case 'fence':
        case 'hr':
          shape.outsideSubset.push(t.type);
          break;
        case 'inline':
          walk(t.children ?? []);
          texts.push(' ');
          break;
      }
    }
  };
  walk(tokens);
  shape.text = texts.join('').replace(/\s+/g, ' ').trim();
  return shape;
}
