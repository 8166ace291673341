/**
 * Article tags (topics): one normal form for every way a tag comes in — the admin API, the
 * import tool, feed categories and a reader typing `/tag <name>` — so "Climate ", "climate"
 * and "CLIMATE" are one tag, one subscriber list and one key.
 */

/** At most this many tags per article; extra ones are dropped (feeds) or refused (admin API). */
export const MAX_TAGS = 10;
/** A tag's length in characters (code points) after normalising; longer ones are cut. */
export const MAX_TAG_LENGTH = 32;

/**
 * The normal form of one tag: Unicode NFKC, case-folded (locale-independent lower case),
 * inner whitespace collapsed to one space, trimmed, cut to {@link MAX_TAG_LENGTH} code
 * points. `#` is dropped: readers type `#climate` as often as `climate`, and keys are safer
 * without it. Empty when nothing is left.
 */
export function normaliseTag(raw: string): string {
  const folded = raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/#/g, '')
    // Control and format characters (zero-width joiners aside) have no place in a topic name.
    .replace(/[\p{Cc}\p{Cf}]/gu, (c) => (c === '\u200d' || c === '\u200c' ? c : ' '))
    .replace(/\s+/gu, ' ')
    .trim();
  return Array.from(folded).slice(0, MAX_TAG_LENGTH).join('').trim();
}

/**
 * Normalises a list of tags: each by {@link normaliseTag}, empty ones and repeats (after
 * normalising) dropped, the first `max` kept in their order.
 */
export function normaliseTags(raw: readonly string[], max = MAX_TAGS): string[] {
  const out: string[] = [];
  for (const r of raw) {
    const tag = normaliseTag(r);
    if (tag === '' || out.includes(tag)) continue;
    out.push(tag);
    if (out.length === max) break;
  }
  return out;
}
