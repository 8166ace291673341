/**
 * The one way feed HTML is parsed: htmlparser2 (forgiving, as feed HTML needs) building a
 * domhandler tree, with element nesting bounded. htmlparser2 keeps its open elements in an
 * array it shifts and unshifts, so each level of nesting costs more than the last: 40,000
 * nested elements take seconds, and a hostile 5 MB item could hold a poll for hours. Real
 * articles nest a few dozen levels; past {@link MAX_HTML_NESTING} the HTML is refused.
 */
import { type Document, DomHandler } from 'domhandler';
import { Parser } from 'htmlparser2';

export const MAX_HTML_NESTING = 500;

/** The HTML nests deeper than {@link MAX_HTML_NESTING}: hostile or broken, not an article. */
export class HtmlTooDeepError extends Error {
  override name = 'HtmlTooDeepError';
  constructor() {
    super(`HTML nested more than ${MAX_HTML_NESTING} levels deep`);
  }
}

class BoundedHandler extends DomHandler {
  private depth = 0;

  override onopentag(name: string, attribs: { [key: string]: string }): void {
    super.onopentag(name, attribs);
    this.depth++;
    // Thrown out of Parser.write: parsing stops here, before the cost grows.
    if (this.depth > MAX_HTML_NESTING) throw new HtmlTooDeepError();
  }

  override onclosetag(): void {
    this.depth--;
    super.onclosetag();
  }
}

/** Parses HTML into a document; throws {@link HtmlTooDeepError} for absurd nesting. */
export function parseHtml(html: string): Document {
  const handler = new BoundedHandler();
  const parser = new Parser(handler, {
    decodeEntities: true,
    lowerCaseTags: true,
    lowerCaseAttributeNames: true,
  });
  parser.end(html);
  return handler.root;
}
