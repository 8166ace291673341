/** searchFeature: /search words, and plain text in a private chat searches titles too. */
import { Composer, type Context } from 'telegraf';
import { MAX_QUERY_CHARS, searchTitlesFor } from '../../core/use-cases/search';
import type { BotDeps } from '../deps';
import { tr } from '../locale';
import { answer, replyHtml, sender, showView } from '../respond';
import { PAGE_SIZE, searchResults } from '../views';
import { searchPageButton } from './search-buttons';
import { type Feature, onButton } from './types';

export function searchFeature(deps: BotDeps): Feature {
  const composer = new Composer<Context>();
  const search = async (ctx: Context, query: string, page: number, edit: boolean) => {
    const q = query.trim().slice(0, MAX_QUERY_CHARS);
    const result = await searchTitlesFor(deps.store, sender(ctx).id, q, {
      offset: page * PAGE_SIZE,
      limit: PAGE_SIZE,
      now: deps.now(),
    });
    if (result.status !== 'found') {
      const key = result.status === 'limited' ? 'search-too-fast' : 'search-too-short';
      if (edit) return answer(ctx, tr(ctx).text(key));
      await replyHtml(ctx, tr(ctx).t(key));
      return;
    }
    await answer(ctx);
    await showView(ctx, searchResults(tr(ctx), q, result.page, page), edit);
  };
  composer.command('search', async (ctx) => {
    if (ctx.payload.trim() === '') {
      await replyHtml(ctx, tr(ctx).t('search-usage'));
      return;
    }
    await search(ctx, ctx.payload, 0, false);
  });
  // Reached only when no pending comment took the text (commentsFeature runs first).
  composer.on('text', async (ctx, next) => {
    if (ctx.chat.type !== 'private' || ctx.message.text.startsWith('/')) return next();
    await search(ctx, ctx.message.text, 0, false);
  });
  return {
    composer,
    buttons: [onButton(searchPageButton, (ctx, { query, page }) => search(ctx, query, page, true))],
  };
}
