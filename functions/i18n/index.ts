/**
 * Herald's languages: catalogues, the translator, locale negotiation, formatting, bidi helpers
 * and the per-language command menu. Pure TypeScript over Node built-ins and Fluent: no
 * telegraf, no AWS SDK.
 */
export {
  anchorParagraphs,
  FSI,
  firstStrongDirection,
  isolate,
  isolateLtr,
  LRI,
  PDI,
  RLM,
  stripBidiControls,
} from './bidi';
export { type BotCommand, type CommandMenu, commandMenus, commandsFor, MENU_COMMANDS } from './commands';
export { formatDate, formatDateTime, formatNumber } from './format';
export {
  DEFAULT_LOCALE,
  type Direction,
  directionOf,
  isSupportedLocale,
  LOCALE_NAMES,
  type Locale,
  SUPPORTED_LOCALES,
} from './locales';
export { type LocaleHints, matchLanguageTag, negotiateLocale } from './negotiate';
export { findUntranslatedWords, pseudoLocalize } from './pseudo';
export {
  attr,
  createI18n,
  createTranslator,
  date,
  dateTime,
  type I18n,
  type I18nLogger,
  type I18nOptions,
  ltr,
  type MessageArg,
  type MessageArgs,
  MessageValue,
  type Translator,
} from './translator';
