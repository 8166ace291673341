/**
 * languageFeature: `/language` shows every language as a button, each named in its own script
 * (a reader who cannot read the current language still finds theirs); a press stores the choice
 * (profile and subscriptions) and answers in the new language at once. Loaded on demand
 * (bot/on-demand/language.ts): readers change it rarely.
 */
import { Composer, type Context } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { chooseLanguage } from '../../core/use-cases/choose-language';
import { isSupportedLocale, LOCALE_NAMES, type Locale, SUPPORTED_LOCALES } from '../../i18n/locales';
import { defineCallback, type Field } from '../callback';
import type { BotDeps } from '../deps';
import { setTranslator, tr } from '../locale';
import { answer, replyHtml, sender, showView } from '../respond';
import { type Feature, onButton } from './types';

const localeField: Field<Locale> = {
  format: (v) => v,
  parse: (s) => (isSupportedLocale(s) ? s : undefined),
};

/** Choose a language: `1:lg:ar`. */
export const languageButton = defineCallback('lg', { locale: localeField });

/** Two languages a row; the current one ticked. */
function languageKeyboard(current: Locale): InlineKeyboardMarkup {
  const buttons = SUPPORTED_LOCALES.map((locale) => ({
    text: `${locale === current ? '✓ ' : ''}${LOCALE_NAMES[locale]}`,
    callback_data: languageButton.encode({ locale }),
  }));
  const rows = [];
  for (let i = 0; i < buttons.length; i += 2) rows.push(buttons.slice(i, i + 2));
  return { inline_keyboard: rows };
}

export function languageFeature(deps: BotDeps): Feature {
  const composer = new Composer<Context>();
  composer.command('language', (ctx) => {
    const t = tr(ctx);
    return replyHtml(ctx, t.t('language-prompt'), languageKeyboard(t.locale));
  });
  return {
    composer,
    buttons: [
      onButton(languageButton, async (ctx, { locale }) => {
        await chooseLanguage(deps.store, sender(ctx).id, locale);
        const t = deps.i18n.translator(locale);
        // Whatever this update still says is said in the new language.
        setTranslator(ctx, t);
        await answer(ctx, t.text('language-changed-toast'));
        await showView(ctx, { text: t.t('language-changed'), reply_markup: languageKeyboard(locale) }, true);
      }),
    ],
  };
}
