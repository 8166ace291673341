/**
 * articlesFeature: the latest list, article cards (a view counted per open) and the full
 * text in pages for articles without a URL.
 */
import { Composer, type Context } from 'telegraf';
import type { ArticleMeta } from '../../core/model';
import { splitForTelegram } from '../../core/text';
import type { BotDeps } from '../deps';
import { answer, sendView, showView } from '../respond';
import { articleCard, fullTextPage, latestList, notFound, PAGE_SIZE } from '../views';
import { fullTextButton, latestButton, openButton } from './articles-buttons';
import { type Feature, onButton } from './types';

/** Opens an article for the current user: one UpdateItem reads the card and counts the view. */
export async function openArticle(ctx: Context, deps: BotDeps, id: string): Promise<boolean> {
  return showCard(ctx, await deps.store.articles.openArticle(id));
}

/** Shows an opened article's card, or says it is gone (with a way forward outside a button press). */
export async function showCard(
  ctx: Context,
  meta: ArticleMeta | undefined,
  heading?: string,
): Promise<boolean> {
  if (!meta) {
    await answer(ctx, 'This article is no longer available.');
    if (!ctx.callbackQuery)
      await sendView(ctx, notFound('That article could not be found. Here is what is new instead:'));
    return false;
  }
  await answer(ctx);
  await sendView(ctx, articleCard(meta, { heading }));
  return true;
}

export function articlesFeature(deps: BotDeps): Feature {
  const composer = new Composer<Context>();
  const showLatest = async (ctx: Context, page: number, edit: boolean) => {
    const result = await deps.store.articles.latest(page * PAGE_SIZE, PAGE_SIZE);
    await answer(ctx);
    await showView(ctx, latestList(result, page), edit);
  };
  composer.command('latest', (ctx) => showLatest(ctx, 0, false));

  return {
    composer,
    buttons: [
      onButton(latestButton, (ctx, { page }) => showLatest(ctx, page, true)),
      onButton(openButton, async (ctx, { id }) => {
        await openArticle(ctx, deps, id);
      }),
      onButton(fullTextButton, async (ctx, { id, page, from }) => {
        const [meta, body] = await Promise.all([
          deps.store.articles.getArticle(id),
          deps.store.articles.getBody(id),
        ]);
        if (!meta || body === undefined) return answer(ctx, 'This article is no longer available.');
        const pages = splitForTelegram(body);
        if (page >= pages.length) return answer(ctx, 'That page is gone; the article has changed.');
        await answer(ctx);
        await showView(ctx, fullTextPage(meta, pages, page), from === 'text');
      }),
    ],
  };
}
