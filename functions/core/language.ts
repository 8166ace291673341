/**
 * An article's language: BCP 47 tags checked and put in canonical form with the runtime's own
 * `Intl` (no tables shipped), a guess from the script when the publisher declares none, and
 * whether a language is written right to left. Pure TypeScript: no Telegram, no AWS.
 */

/** RFC 5646 §4.4.1: tags up to 35 characters must be supported; longer ones are not worth storing. */
const MAX_TAG = 35;

/**
 * The canonical form of a BCP 47 language tag (`EN-us` → `en-US`, `iw` → `he`), or undefined
 * when `tag` is not one. Feeds often write `en_US`: the underscore is read as a hyphen. The
 * language itself must be an ISO 639 code of 2–3 letters: BCP 47's syntax also allows 5–8
 * (none is registered), which would let `english` through.
 */
export function canonicalLanguage(tag: string): string | undefined {
  const t = tag.trim().replace(/_/g, '-');
  if (t.length > MAX_TAG || !/^[a-z]{2,3}(?:-|$)/i.test(t)) return undefined;
  try {
    return Intl.getCanonicalLocales(t)[0];
  } catch {
    return undefined;
  }
}

// CLDR's likely script of a language (`ur` → Arab) comes from `Intl.Locale#maximize`.
const RTL_SCRIPT = /^(?:Arab|Hebr|Syrc|Thaa|Nkoo|Adlm|Rohg|Mand|Samr)$/;

/**
 * True when `tag` is written right to left: its script, given or CLDR's likely one, is
 * Arabic (`ar`, `ur`, `fa`, `ps`…), Hebrew (`he`, `yi`), Syriac, Thaana, N'Ko, Adlam,
 * Hanifi Rohingya, Mandaic or Samaritan. `ar-Latn` is left to right; an invalid tag is too.
 */
export function isRightToLeftLanguage(tag: string): boolean {
  try {
    return RTL_SCRIPT.test(new Intl.Locale(tag).maximize().script ?? '');
  } catch {
    return false;
  }
}

const ARABIC_LETTER = /\p{Script=Arabic}/u;
const CYRILLIC_LETTER = /\p{Script=Cyrillic}/u;
/** Letters of Urdu's alphabet that Arabic does not use (ی and ہ are Persian's too). */
const URDU_LETTER = /[ےںٹڈڑہھی]/u;
/** Enough letters to tell the script of any article; the rest of a long body adds nothing. */
const SAMPLE_LETTERS = 2000;

/**
 * A guess at the language of `text` from its **script** alone, for articles whose publisher
 * declared none: mostly Arabic-script letters → `ur` when at least 2% of them are Urdu's own
 * letters (ے ں ٹ ڈ ڑ ہ ھ ی), else `ar`; mostly Cyrillic → `ru`; anything else → `en`. It reads
 * no words, so Persian reads as Urdu (it shares ی), Ukrainian as Russian and French as English:
 * a publisher who writes those declares `language`.
 */
export function detectLanguage(text: string): 'ar' | 'ur' | 'ru' | 'en' {
  let letters = 0;
  let arabic = 0;
  let urdu = 0;
  let cyrillic = 0;
  for (const [c] of text.matchAll(/\p{L}/gu)) {
    if (ARABIC_LETTER.test(c)) {
      arabic++;
      if (URDU_LETTER.test(c)) urdu++;
    } else if (CYRILLIC_LETTER.test(c)) cyrillic++;
    if (++letters === SAMPLE_LETTERS) break;
  }
  if (arabic * 2 > letters) return urdu * 50 >= arabic ? 'ur' : 'ar';
  return cyrillic * 2 > letters ? 'ru' : 'en';
}
