import { Composer, type Context } from 'telegraf';
import type { DeliveryMode } from '../../core/delivery-mode';
import type { ArticleMeta } from '../../core/model';
import { viewBy } from '../../core/use-cases/views';
import type { BotDeps } from '../deps';
import { tr } from '../locale';
import { answer, sender, sendView, showView } from '../respond';
import { articleCard, latestList, notFound, PAGE_SIZE } from '../views';
import { latestButton, openButton } from './articles-buttons';
import { type Feature, onButton } from './types';

/**
 * The reader's mode for the article's author, undefined when they do not follow them (or the
 * update has no sender). Read once the view is counted: a failed read then shows 🔔 Subscribe (a
 * tap says "You already follow") instead of failing the update, whose redelivery would count the
 * view a second time. Logged, not swallowed.
 */
export async function readerModeAfterView(
  ctx: Context,
  deps: BotDeps,
  handle: string,
): Promise<DeliveryMode | undefined> {
  try {
    return ctx.from && (await deps.store.subscriptions.subscriptionMode(ctx.from.id, handle));
  } catch (err) {
    deps.logger.warn('subscription state unreadable; the card offers Subscribe', { error: err as Error });
    return undefined;
  }
}

/**
 * Opens an article for the current user: one UpdateItem reads the card and counts the view,
 * one GetItem tells whether the reader follows its author (the card's subscribe button).
 */
export async function openArticle(ctx: Context, deps: BotDeps, id: string): Promise<boolean> {
  return showCard(ctx, deps, await deps.store.articles.openArticle(id, viewBy(sender(ctx).id, deps.now())));
}

/** Shows an opened article's card, or says it is gone (with a way forward outside a button press). */
export async function showCard(
  ctx: Context,
  deps: BotDeps,
  meta: ArticleMeta | undefined,
  heading?: string,
): Promise<boolean> {
  const t = tr(ctx);
  if (!meta) {
    await answer(ctx, t.text('articles-unavailable-toast'));
    if (!ctx.callbackQuery) await sendView(ctx, notFound(t, t.t('articles-not-found')));
    return false;
  }
  if (ctx.chat !== undefined && ctx.chat.type !== 'private') {
    // In a group the card's buttons open the private chat: no reader state to read.
    await answer(ctx);
    await sendView(ctx, articleCard(t, meta, { heading, inGroupOf: ctx.me }));
    return true;
  }
  const mode = await readerModeAfterView(ctx, deps, meta.authorHandle);
  await answer(ctx);
  await sendView(ctx, articleCard(t, meta, { heading, subscribed: mode !== undefined, mode }));
  return true;
}

export function articlesFeature(deps: BotDeps): Feature {
  const composer = new Composer<Context>();
  const showLatest = async (ctx: Context, page: number, edit: boolean) => {
    const result = await deps.store.articles.latest(page * PAGE_SIZE, PAGE_SIZE);
    await answer(ctx);
    await showView(ctx, latestList(tr(ctx), result, page), edit);
  };
  composer.command('latest', (ctx) => showLatest(ctx, 0, false));

  return {
    composer,
    buttons: [
      onButton(latestButton, (ctx, { page }) => showLatest(ctx, page, true)),
      onButton(openButton, async (ctx, { id }) => {
        await openArticle(ctx, deps, id);
      }),
    ],
  };
}
