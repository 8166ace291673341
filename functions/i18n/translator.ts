/**
 * Message catalogues (Fluent `.ftl`, one file per locale) and the translator the bot formats
 * every reply with.
 *
 * Catalogues are plain files read from disk, not inlined into the bundle: `locales/` sits
 * beside this module in the repository and beside the bundle once deployed, and a locale is
 * read and parsed the first time a reader of that locale needs it (English always, as the
 * fallback). The webhook bundle therefore carries only Fluent's runtime, whatever the number
 * of locales.
 *
 * Arguments are escaped and isolated here, in one place (see bidi.ts for where isolates go):
 * - a string is free text (title, name, user text): HTML-escaped by `t`, wrapped in FSI…PDI;
 * - a number is formatted for the locale and selects plural variants through CLDR rules;
 * - a Date (or `date(iso)`) uses the one date format, `dateTime(…)` the date-and-time format;
 * - `ltr(…)` is a value that is left to right by nature (@handle, URL shown as text, id);
 * - `attr(…)` is an HTML attribute value (an `href`): escaped, never isolated.
 * Numbers, dates and `ltr` values are isolated in right-to-left locales only; free text in all
 * (an Arabic title inside an English sentence scrambles too).
 *
 * A key missing from a locale falls back to English and is logged once per process; a key
 * missing everywhere shows the key itself. Nothing here throws for a message.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  FluentBundle,
  FluentNumber,
  type FluentResource,
  type FluentVariable,
  type Scope,
} from '@fluent/bundle';
import { escapeHtml } from '../core/text';
import { anchorParagraphs, isolate, isolateLiteralLtrTokens, isolateLtr } from './bidi';
import { formatDate, formatDateTime, formatNumber, toDate } from './format';
import { DEFAULT_LOCALE, type Direction, directionOf, INTL_LOCALE, type Locale } from './locales';

type ArgKind = 'ltr' | 'attr' | 'date' | 'dateTime';

/** A value with an explicit kind; build one with {@link ltr}, {@link attr}, {@link date} or {@link dateTime}. */
export class MessageValue {
  constructor(
    readonly kind: ArgKind,
    readonly value: string | Date,
  ) {}
}

/** A left-to-right value (an `@handle`, a URL shown as text, an id): isolated with LRI in RTL locales. */
export function ltr(value: string): MessageValue {
  return new MessageValue('ltr', value);
}

/** An HTML attribute value (an `href`): escaped, never isolated (an isolate would change the URL). */
export function attr(value: string): MessageValue {
  return new MessageValue('attr', value);
}

/** A date (ISO timestamp or `YYYY-MM-DD`) in the one date format. */
export function date(value: Date | string): MessageValue {
  return new MessageValue('date', value);
}

/** A timestamp as day, month and time of day (comments). */
export function dateTime(value: Date | string): MessageValue {
  return new MessageValue('dateTime', value);
}

export type MessageArg = string | number | Date | MessageValue;
export type MessageArgs = Readonly<Record<string, MessageArg>>;

/** Formats a message of the reader's locale. */
export interface Translator {
  readonly locale: Locale;
  readonly direction: Direction;
  /** A message for Telegram's HTML parse mode: string arguments are escaped. */
  t(key: string, args?: MessageArgs): string;
  /** A plain-text message (button label, toast, placeholder, command description): nothing escaped. */
  text(key: string, args?: MessageArgs): string;
  /** A count in the locale's format (not isolated: for contexts that are not messages). */
  number(n: number): string;
  /** A date in the one date format (not isolated). */
  date(value: Date | string): string;
}

/** Where missing keys and formatting errors are reported (the Powertools logger fits). */
export interface I18nLogger {
  warn(message: string, extra: Record<string, unknown>): void;
}

export interface I18nOptions {
  /** Folder holding `<locale>.ftl`; defaults to `locales/` beside this module (beside the bundle once deployed). */
  readonly dir?: string;
  /** Reads one catalogue's source; tests pass catalogues in with it. Defaults to reading `<dir>/<locale>.ftl`. */
  readonly readSource?: (locale: Locale) => string;
  readonly logger?: I18nLogger;
  /**
   * Rewrites every piece of catalogue text (Fluent's `transform`), never arguments. Tests use
   * it with `pseudoLocalize`; by default right-to-left catalogues isolate their literal
   * /commands and @handles.
   */
  readonly transformText?: (text: string) => string;
}

/** The loaded catalogues of one process: translators share them and their "logged once" memory. */
export interface I18n {
  translator(locale: Locale): Translator;
}

/** Keeps a number's plural behaviour and wraps its formatted text in FSI…PDI. */
class IsolatedNumber extends FluentNumber {
  override toString(scope: Scope): string {
    return isolate(super.toString(scope));
  }
}

const consoleLogger: I18nLogger = {
  warn: (message, extra) => console.warn(JSON.stringify({ level: 'WARN', message, ...extra })),
};

/**
 * Fluent's parser, loaded only where catalogues are parsed at run time. The literal path is kept
 * external in Lambda bundles (lib/constructs/herald-function.ts), which read parsed catalogues.
 */
const parse = (source: string): FluentResource =>
  (require('./catalogue-parser') as typeof import('./catalogue-parser')).parseCatalogue(source);

/** `<dir>/<locale>.json` (parsed at synth time, in Lambda bundles) or else `<dir>/<locale>.ftl`. */
function readCatalogue(dir: string, locale: Locale): FluentResource {
  const parsed = path.join(dir, `${locale}.json`);
  if (existsSync(parsed)) return JSON.parse(readFileSync(parsed, 'utf8')) as FluentResource;
  return parse(readFileSync(path.join(dir, `${locale}.ftl`), 'utf8'));
}

export function createI18n(options: I18nOptions = {}): I18n {
  const dir = options.dir ?? path.join(__dirname, 'locales');
  const { readSource } = options;
  const read = (locale: Locale): FluentResource =>
    readSource ? parse(readSource(locale)) : readCatalogue(dir, locale);
  const logger = options.logger ?? consoleLogger;
  const bundles = new Map<Locale, FluentBundle>();
  const reported = new Set<string>();
  const translators = new Map<Locale, Translator>();

  const warnOnce = (problem: string, extra: Record<string, unknown>) => {
    const id = `${problem}|${JSON.stringify(extra)}`;
    if (reported.has(id)) return;
    reported.add(id);
    logger.warn(problem, extra);
  };

  const bundleFor = (locale: Locale): FluentBundle => {
    let bundle = bundles.get(locale);
    if (bundle !== undefined) return bundle;
    // Isolation is done per argument kind below, not by Fluent around every placeable: Fluent's
    // own would also isolate `href` values and ids inside <code>.
    bundle = new FluentBundle(INTL_LOCALE[locale], {
      useIsolating: false,
      transform:
        options.transformText ??
        (directionOf(locale) === 'rtl' ? isolateLiteralLtrTokens : (text: string) => text),
    });
    let resource: FluentResource;
    try {
      resource = read(locale);
    } catch (err) {
      // English is the fallback: without it no message can be shown, so that is a packaging bug.
      if (locale === DEFAULT_LOCALE) throw err;
      warnOnce('catalogue could not be read; using English', { locale, error: String(err) });
      resource = { body: [] };
    }
    const errors = bundle.addResource(resource);
    for (const error of errors) warnOnce('catalogue entry ignored', { locale, error: error.message });
    bundles.set(locale, bundle);
    return bundle;
  };

  const toFluent = (locale: Locale, value: MessageArg, html: boolean): FluentVariable => {
    const rtl = directionOf(locale) === 'rtl';
    const esc = (s: string) => (html ? escapeHtml(s) : s);
    if (typeof value === 'string') return isolate(esc(value));
    if (typeof value === 'number') return rtl ? new IsolatedNumber(value) : new FluentNumber(value);
    if (value instanceof Date) {
      const s = formatDate(locale, value);
      return rtl ? isolate(s) : s;
    }
    switch (value.kind) {
      case 'attr':
        return esc(String(value.value));
      case 'ltr': {
        const s = esc(String(value.value));
        return rtl ? isolateLtr(s) : s;
      }
      case 'date':
      case 'dateTime': {
        const d = toDate(value.value);
        const s =
          d === undefined
            ? esc(String(value.value))
            : value.kind === 'date'
              ? formatDate(locale, d)
              : formatDateTime(locale, d);
        return rtl || d === undefined ? isolate(s) : s;
      }
    }
  };

  const format = (locale: Locale, key: string, args: MessageArgs | undefined, html: boolean): string => {
    const bundle = bundleFor(locale);
    const message = bundle.getMessage(key);
    if (message?.value == null) {
      if (locale !== DEFAULT_LOCALE) {
        warnOnce('message missing; shown in English', { locale, key });
        return format(DEFAULT_LOCALE, key, args, html);
      }
      warnOnce('message missing from every catalogue', { key });
      return key;
    }
    const fluentArgs: Record<string, FluentVariable> = {};
    for (const [name, value] of Object.entries(args ?? {})) fluentArgs[name] = toFluent(locale, value, html);
    const errors: Error[] = [];
    const out = bundle.formatPattern(message.value, fluentArgs, errors);
    for (const error of errors)
      warnOnce('message formatted with an error', { locale, key, error: error.message });
    return anchorParagraphs(out, directionOf(locale), html);
  };

  return {
    translator(locale) {
      let translator = translators.get(locale);
      if (translator === undefined) {
        translator = {
          locale,
          direction: directionOf(locale),
          t: (key, args) => format(locale, key, args, true),
          text: (key, args) => format(locale, key, args, false),
          number: (n) => formatNumber(locale, n),
          date: (value) => formatDate(locale, value),
        };
        translators.set(locale, translator);
      }
      return translator;
    },
  };
}

let processI18n: I18n | undefined;

/**
 * The translator for a locale from the process's catalogues (read from `locales/` on first
 * use). Pass an {@link I18n} from {@link createI18n} to use another folder or logger.
 */
export function createTranslator(locale: Locale, i18n?: I18n): Translator {
  if (i18n !== undefined) return i18n.translator(locale);
  processI18n ??= createI18n();
  return processI18n.translator(locale);
}
