/**
 * The reader's translator for one update. A middleware resolves the locale once per update
 * (the stored `/language` choice, else Telegram's `language_code`, else English) and keeps the
 * translator on `ctx.state`; views and features take it with {@link tr}. `ctx.state` (not a
 * module-level map) so an on-demand side file, which bundles its own copy of this module, sees
 * the same translator.
 */
import type { Context, MiddlewareFn } from 'telegraf';
import { negotiateLocale } from '../i18n/negotiate';
import type { I18n, Translator } from '../i18n/translator';
import type { BotDeps } from './deps';

const TRANSLATOR = Symbol.for('herald.translator');

/** The update's translator (set by {@link localeMiddleware}, or by /language after a change). */
export function setTranslator(ctx: Context, translator: Translator): void {
  (ctx.state as Record<symbol, unknown>)[TRANSLATOR] = translator;
}

/**
 * The translator from Telegram's `language_code` alone: for updates whose locale is not worth a
 * read (inline queries, where the answer must be quick), and when the read itself failed.
 */
export function telegramTranslator(ctx: Context, i18n: I18n): Translator {
  return i18n.translator(negotiateLocale({ telegramLanguageCode: ctx.from?.language_code }));
}

/** The reader's translator for this update. */
export function tr(ctx: Context): Translator {
  const translator = (ctx.state as Record<symbol, unknown>)[TRANSLATOR];
  // Every update passes localeMiddleware before any feature: its absence is a wiring bug.
  if (translator === undefined) throw new Error('no translator on this update (localeMiddleware not run)');
  return translator as Translator;
}

/** The translator if one was set (the error handler must answer even when the read failed). */
export function trIfSet(ctx: Context): Translator | undefined {
  return (ctx.state as Record<symbol, unknown>)[TRANSLATOR] as Translator | undefined;
}

/**
 * Resolves the reader's locale. Messages and button presses read the stored choice (one
 * GetItem of the profile's `language`); inline queries, chosen inline results and membership
 * changes use `language_code` only: they answer in milliseconds or not at all.
 */
export function localeMiddleware(deps: Pick<BotDeps, 'store' | 'i18n'>): MiddlewareFn<Context> {
  return async (ctx, next) => {
    const from = ctx.from;
    const stored =
      from !== undefined && (ctx.message !== undefined || ctx.callbackQuery !== undefined)
        ? await deps.store.sessions.getLanguage(from.id)
        : undefined;
    setTranslator(
      ctx,
      deps.i18n.translator(negotiateLocale({ stored, telegramLanguageCode: from?.language_code })),
    );
    return next();
  };
}
