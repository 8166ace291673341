/**
 * The locales Herald speaks, their writing direction and the `Intl` locale each one formats
 * numbers, dates and plurals with.
 */

/** Every locale with a complete catalogue in `locales/<locale>.ftl`; English first (the fallback). */
export const SUPPORTED_LOCALES = ['en', 'ar', 'ur', 'ru'] as const;

export type Locale = (typeof SUPPORTED_LOCALES)[number];

/** The fallback: every key exists in English, and a missing translation shows the English text. */
export const DEFAULT_LOCALE: Locale = 'en';

/** Locales written right to left. */
const RTL_LOCALES: ReadonlySet<Locale> = new Set<Locale>(['ar', 'ur']);

/** Writing direction of a locale's messages. */
export type Direction = 'ltr' | 'rtl';

/** `rtl` for Arabic and Urdu, `ltr` otherwise. */
export function directionOf(locale: Locale): Direction {
  return RTL_LOCALES.has(locale) ? 'rtl' : 'ltr';
}

/**
 * The `Intl` locale behind each catalogue. English formats as en-GB so dates keep the day-first
 * "25 Nov 2026" Herald has always shown (the publisher's readers are in South Asia and the
 * Middle East); plural rules are the same for every English region.
 *
 * Arabic and Urdu are pinned to Latin digits ("25 نوفمبر 2026", "1,234"): it is what current
 * CLDR gives `ar` and `ur` without a region, and pinning keeps every date and count identical
 * whichever ICU the runtime carries (Node here and on Lambda), and alike the Latin digits of the
 * ids, handles, times and links in the same messages. A region's Arabic-Indic digits (`ar-EG`)
 * would need a locale of their own.
 */
export const INTL_LOCALE: Readonly<Record<Locale, string>> = {
  en: 'en-GB',
  ar: 'ar-u-nu-latn',
  ur: 'ur-u-nu-latn',
  ru: 'ru',
};

/**
 * Each language's name in itself, for the `/language` buttons: a reader who cannot read the
 * current language must still find their own, so these names are never translated.
 */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = {
  en: 'English',
  ar: 'العربية',
  ur: 'اردو',
  ru: 'Русский',
};

/** Narrows any string (a stored choice, a callback payload) to a supported locale. */
export function isSupportedLocale(value: string | undefined): value is Locale {
  return value !== undefined && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}
