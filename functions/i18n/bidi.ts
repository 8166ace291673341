/**
 * Right-to-left correctness for Telegram messages.
 *
 * Telegram lays out each paragraph with the Unicode Bidirectional Algorithm. An Arabic sentence
 * that embeds `@jdoe`, a URL, a number or an English title can come out scrambled (the
 * neutral characters around the embedded run — brackets, dots, colons — attach to the wrong
 * side), and an Arabic title inside an English sentence scrambles the same way. Unicode
 * isolates fix that: the text between an isolate initiator and POP DIRECTIONAL ISOLATE is laid
 * out on its own and behaves as one neutral character towards its surroundings.
 *
 * - FSI (U+2068) — direction from the isolated text's first strong letter. Used for anything
 *   whose direction is unknown: titles, names, user text, dates and numbers in the locale's format.
 * - LRI (U+2066) — always left to right. Used for values that are LTR by nature: @handles,
 *   URLs shown as text, ids.
 * - PDI (U+2069) closes either.
 *
 * Where isolates must never go (see docs/i18n.md):
 * - inside an HTML attribute value (`href="…"`): the link would point to a different URL.
 *   Attribute values are passed with `attr()` and are escaped, never isolated;
 * - between the parts of something Telegram recognises in plain text: inside `@handle` (the
 *   isolate wraps the `@` too), inside a URL or a `/command`, inside an HTML entity or tag.
 *   Isolates only ever wrap a whole interpolated value, outside its escaping;
 * - inside `<code>`/`<pre>` content a reader copies (an id pasted back would carry them);
 * - in callback data, deep-link payloads, inline query text and `setMyCommands` command names:
 *   those are identifiers, not text.
 */

export const FSI = '\u2068';
export const LRI = '\u2066';
export const RLI = '\u2067';
export const PDI = '\u2069';
/** Zero-width strong marks that set a paragraph's direction without showing anything. */
export const LRM = '\u200E';
export const RLM = '\u200F';

/** Wraps text in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE. */
export function isolate(text: string): string {
  return `${FSI}${text}${PDI}`;
}

/** Wraps text in LEFT-TO-RIGHT ISOLATE … POP DIRECTIONAL ISOLATE (handles, URLs, ids). */
export function isolateLtr(text: string): string {
  return `${LRI}${text}${PDI}`;
}

/** Removes isolates and direction marks (for logs, comparisons and search). */
export function stripBidiControls(text: string): string {
  return text.replace(/[\u200E\u200F\u2066-\u2069]/g, '');
}

// Strong right-to-left scripts (bidi classes R and AL); other letters count as strong LTR.
const STRONG_RTL = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const LETTER = /\p{L}/u;

/**
 * The direction of the first strong letter of a paragraph as a Telegram client sees it: text
 * inside isolates is skipped (rule P2 of the bidi algorithm), and so are HTML tags and entities
 * when `html` is true (Telegram strips them before layout). Undefined when there is none.
 */
export function firstStrongDirection(paragraph: string, html: boolean): 'ltr' | 'rtl' | undefined {
  let depth = 0;
  let i = 0;
  while (i < paragraph.length) {
    const ch = paragraph[i] ?? '';
    if (ch === FSI || ch === LRI || ch === RLI) depth += 1;
    else if (ch === PDI) depth = Math.max(0, depth - 1);
    else if (html && ch === '<') {
      const end = paragraph.indexOf('>', i);
      if (end !== -1) {
        i = end + 1;
        continue;
      }
    } else if (html && ch === '&') {
      const end = paragraph.indexOf(';', i);
      if (end !== -1 && end - i <= 8) {
        i = end + 1;
        continue;
      }
    } else if (depth === 0) {
      if (ch === RLM) return 'rtl';
      if (ch === LRM) return 'ltr';
      const cp = paragraph.codePointAt(i) ?? 0;
      const char = String.fromCodePoint(cp);
      if (STRONG_RTL.test(char)) return 'rtl';
      if (LETTER.test(char)) return 'ltr';
      i += char.length;
      continue;
    }
    i += 1;
  }
  return undefined;
}

/**
 * Makes every paragraph (line) of a message take the locale's direction. A line of an Arabic
 * message that starts with an isolated value ("⁨1⁩. ⁨English title⁩") has no strong letter
 * outside its isolates, and clients would lay it out left to right: such a line gets a
 * RIGHT-TO-LEFT MARK in front (LEFT-TO-RIGHT MARK in an LTR locale). Lines that already start
 * the right way are left as they are.
 */
export function anchorParagraphs(text: string, direction: 'ltr' | 'rtl', html: boolean): string {
  const mark = direction === 'rtl' ? RLM : LRM;
  return text
    .split('\n')
    .map((line) => {
      if (line.trim() === '') return line;
      return firstStrongDirection(line, html) === direction ? line : mark + line;
    })
    .join('\n');
}

// A /command or @handle written in the catalogue text: at the start, or after a space or an
// opening punctuation mark (never after "<", so "</b>" is left alone, nor inside a word or URL).
const LITERAL_LTR_TOKEN = /(^|[\s(«“"'،؛:—–])([/@][A-Za-z0-9_]+)/g;

/**
 * Isolates the `/commands` and `@handles` a right-to-left catalogue writes inside its own
 * sentences ("أرسل /latest"): without it a client shows "latest/". Applied to catalogue
 * text only (Fluent's `transform`), never to arguments, which are isolated by kind.
 */
export function isolateLiteralLtrTokens(text: string): string {
  return text.replace(
    LITERAL_LTR_TOKEN,
    (_m, before: string, token: string) => `${before}${isolateLtr(token)}`,
  );
}
