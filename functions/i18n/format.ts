/**
 * Numbers and dates for a locale, through `Intl`. One date format serves the article card, the
 * author profile and the stats ("25 Nov 2026", "25 نوفمبر 2026", "25 нояб. 2026 г."); one
 * date-and-time format serves comments. Always UTC, so every reader sees the same date the
 * publisher set.
 */
import { INTL_LOCALE, type Locale } from './locales';

const numberFormats = new Map<Locale, Intl.NumberFormat>();
const dateFormats = new Map<Locale, Intl.DateTimeFormat>();
const dateTimeFormats = new Map<Locale, Intl.DateTimeFormat>();

function memo<T>(cache: Map<Locale, T>, locale: Locale, make: (intlLocale: string) => T): T {
  let value = cache.get(locale);
  if (value === undefined) {
    value = make(INTL_LOCALE[locale]);
    cache.set(locale, value);
  }
  return value;
}

/** A count with the locale's digits and grouping: "1,234", "1 234" (ru). */
export function formatNumber(locale: Locale, n: number): string {
  return memo(numberFormats, locale, (l) => new Intl.NumberFormat(l)).format(n);
}

/**
 * Accepts a Date, an ISO timestamp or a `YYYY-MM-DD` date (author "user since"); undefined
 * when it is none of those.
 */
export function toDate(value: Date | string): Date | undefined {
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** The one date format: day, short month, year (UTC). An unparseable input is returned as it is. */
export function formatDate(locale: Locale, value: Date | string): string {
  const d = toDate(value);
  if (d === undefined) return String(value);
  return memo(
    dateFormats,
    locale,
    (l) => new Intl.DateTimeFormat(l, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }),
  ).format(d);
}

/** Day, short month and time of day (UTC), for comments. An unparseable input is returned as it is. */
export function formatDateTime(locale: Locale, value: Date | string): string {
  const d = toDate(value);
  if (d === undefined) return String(value);
  return memo(
    dateTimeFormats,
    locale,
    (l) =>
      new Intl.DateTimeFormat(l, {
        day: 'numeric',
        month: 'short',
        hour: '2-digit',
        minute: '2-digit',
        timeZone: 'UTC',
      }),
  ).format(d);
}
