/**
 * The command menu per language: what `setMyCommands` is called with on deploy and in
 * `npm start`, one call per entry. The entry without `language_code` is the default every
 * other interface language sees (English); the others are shown to readers whose Telegram
 * is set to that language.
 */

import { DEFAULT_LOCALE, type Locale, SUPPORTED_LOCALES } from './locales';
import { createTranslator, type I18n } from './translator';

/** Commands in the menu, in display order; each has `commands-<name>-description` in the catalogue. */
export const MENU_COMMANDS = [
  'start',
  'help',
  'latest',
  'authors',
  'author',
  'search',
  'subscriptions',
  'settings',
  'tag',
  'tags',
  'shared',
  'language',
  'privacy',
] as const;

export interface BotCommand {
  readonly command: string;
  readonly description: string;
}

/** The parameters of one `setMyCommands` call. */
export interface CommandMenu {
  /** Absent for the default menu (English). */
  readonly language_code?: Locale;
  readonly commands: readonly BotCommand[];
}

/** The menu in one locale. */
export function commandsFor(locale: Locale, i18n?: I18n): BotCommand[] {
  const tr = createTranslator(locale, i18n);
  return MENU_COMMANDS.map((command) => ({
    command,
    description: tr.text(`commands-${command}-description`),
  }));
}

/** Every `setMyCommands` call to make: the default (English) menu, then one per other locale. */
export function commandMenus(i18n?: I18n): CommandMenu[] {
  return SUPPORTED_LOCALES.map((locale) =>
    locale === DEFAULT_LOCALE
      ? { commands: commandsFor(locale, i18n) }
      : { language_code: locale, commands: commandsFor(locale, i18n) },
  );
}
