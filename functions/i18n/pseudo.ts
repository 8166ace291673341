/**
 * A pseudo-locale for tests: the English catalogue with every letter replaced by an accented
 * lookalike ("Latest articles" → "Ļáţéšţ áŕţíçļéš"), tags, entities, /commands and @handles
 * kept. A reply that still shows plain English words under it was not built from the
 * catalogue: {@link findUntranslatedWords} lists them.
 */
import { FSI, LRI, PDI, RLI } from './bidi';

const LOOKALIKES: Readonly<Record<string, string>> = Object.fromEntries(
  [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((c, i) => [
    c,
    [...'áƀçđéƒğĥíĵķļɱñóþʠŕšţúʋŵхýžÁƁÇĐÉƑĞĤÍĴĶĻƜÑÓÞǪŔŠŢÚƲŴХÝŽ'][i] ?? c,
  ]),
);

// Kept as they are: tags, entities, /commands, @handles, URLs.
const KEEP = /<[^>]*>|&[a-z#0-9]+;|(?<![\p{L}\d])[/@][A-Za-z0-9_]+|https?:\/\/\S+/gu;

/** Replaces the letters of catalogue text, leaving markup, commands and handles intact. */
export function pseudoLocalize(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(KEEP)) {
    out += [...text.slice(last, m.index)].map((c) => LOOKALIKES[c] ?? c).join('') + m[0];
    last = m.index + m[0].length;
  }
  return out + [...text.slice(last)].map((c) => LOOKALIKES[c] ?? c).join('');
}

/**
 * Words of two or more ASCII letters in a reply formatted under the pseudo-locale, outside
 * isolated arguments (titles, names: data, not interface text), tags, entities, /commands,
 * @handles and URLs. "UTC" and the product name may be allowed by the caller.
 */
export function findUntranslatedWords(
  reply: string,
  allowed: readonly string[] = ['UTC', 'Herald'],
): string[] {
  let text = '';
  let depth = 0;
  for (const ch of reply) {
    if (ch === FSI || ch === LRI || ch === RLI) depth += 1;
    else if (ch === PDI) depth = Math.max(0, depth - 1);
    else if (depth === 0) text += ch;
  }
  const words = text.replace(KEEP, ' ').match(/[A-Za-z]{2,}/g) ?? [];
  return words.filter((w) => !allowed.includes(w));
}
