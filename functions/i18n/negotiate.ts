/**
 * Which locale a reader gets: their own `/language` choice (stored on the profile) first, then
 * Telegram's `language_code` (an IETF tag such as `ur-PK`, matched exactly, then by its primary
 * language subtag), then English.
 */
import { DEFAULT_LOCALE, isSupportedLocale, type Locale } from './locales';

export interface LocaleHints {
  /** The locale the reader chose with `/language`; wins when it is still supported. */
  readonly stored?: string | undefined;
  /** `from.language_code` of the update (the reader's Telegram interface language). */
  readonly telegramLanguageCode?: string | undefined;
}

/** Maps an IETF language tag to a supported locale: `ur-PK` → `ur`, `RU` → `ru`, `pt-BR` → undefined. */
export function matchLanguageTag(tag: string | undefined): Locale | undefined {
  if (tag === undefined) return undefined;
  const normalized = tag.trim().toLowerCase().replace(/_/g, '-');
  if (isSupportedLocale(normalized)) return normalized;
  const primary = normalized.split('-')[0];
  return isSupportedLocale(primary) ? primary : undefined;
}

/** The reader's locale: stored choice → Telegram's language_code (prefix match) → English. */
export function negotiateLocale(hints: LocaleHints): Locale {
  return matchLanguageTag(hints.stored) ?? matchLanguageTag(hints.telegramLanguageCode) ?? DEFAULT_LOCALE;
}
