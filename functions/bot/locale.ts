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

/** How long a process trusts a reader's stored choice it has read (or written) itself. */
export const CHOICE_CACHE_MS = 60_000;
/** Readers remembered per process; the oldest is forgotten first. */
const CHOICE_CACHE_SIZE = 5_000;

/**
 * Resolves the reader's locale. Messages and button presses need the stored choice (one
 * GetItem of the profile's `language`); inline queries, chosen inline results and membership
 * changes use `language_code` only: they answer in milliseconds or not at all.
 *
 * A reader's updates come in runs (/start, /latest, ▶, open, subscribe), so the process keeps
 * what it read for {@link CHOICE_CACHE_MS}: one read per reader per minute instead of one per
 * update. A choice made here (/language sets a new translator) is remembered at once; one made
 * in another Lambda instance reaches this one within that minute.
 */
export function localeMiddleware(deps: Pick<BotDeps, 'store' | 'i18n' | 'now'>): MiddlewareFn<Context> {
  const choices = new Map<number, { stored: string | undefined; at: number }>();
  const remember = (userId: number, stored: string | undefined) => {
    choices.delete(userId);
    choices.set(userId, { stored, at: deps.now().getTime() });
    if (choices.size > CHOICE_CACHE_SIZE) {
      const oldest = choices.keys().next();
      if (!oldest.done) choices.delete(oldest.value);
    }
  };
  const storedChoice = async (userId: number): Promise<string | undefined> => {
    const known = choices.get(userId);
    if (known !== undefined && deps.now().getTime() - known.at < CHOICE_CACHE_MS) return known.stored;
    const stored = await deps.store.sessions.getLanguage(userId);
    remember(userId, stored);
    return stored;
  };
  return async (ctx, next) => {
    const from = ctx.from;
    const reads = from !== undefined && (ctx.message !== undefined || ctx.callbackQuery !== undefined);
    const stored = reads ? await storedChoice(from.id) : undefined;
    const translator = deps.i18n.translator(
      negotiateLocale({ stored, telegramLanguageCode: from?.language_code }),
    );
    setTranslator(ctx, translator);
    await next();
    // /language replaced the translator: that is the reader's stored choice from now on.
    const after = trIfSet(ctx);
    if (reads && after !== undefined && after !== translator) remember(from.id, after.locale);
  };
}
