/**
 * The `markdown` form of a rich message. Telegram's rich Markdown is "compatible with GitHub
 * Flavored Markdown where possible and can contain arbitrary HTML", whose supported tags are
 * read as rich HTML. The stand-in renders the Markdown to HTML with markdown-it (CommonMark plus
 * GFM tables and strikethrough) and reads that HTML with the rich HTML parser, so both forms
 * meet the same tag list, link checks and limits.
 *
 * Not implemented (Telegram has them): ==marked==, ||spoiler||, $formulas$, footnotes, task
 * lists, and Markdown inside <details>; such text stays literal. Raw HTML with a tag Telegram
 * does not support is refused, which is stricter than a GFM renderer and is what catches a
 * bot that forgot to escape an author's `<`. Byte offsets in parse errors point into the
 * rendered HTML, not into the Markdown.
 */
import MarkdownIt from 'markdown-it';

const markdown = new MarkdownIt('default', { html: true, linkify: false, typographer: false });
// markdown-it leaves `javascript:` and similar links as literal text; the stand-in wants them
// to reach the link check and be refused, as the bot's mistake they are.
markdown.validateLink = () => true;

/** Markdown rendered as the HTML the rich HTML parser reads. */
export function markdownToHtml(source: string): string {
  return markdown.render(source);
}
