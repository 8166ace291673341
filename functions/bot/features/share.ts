/**
 * shareFeature: the three ways to share an article with a friend, and their analytics.
 * 1. Inline mode — a `switch_inline_query_chosen_chat` button prefilled with `#<id>`; the user
 *    picks a chat and Herald's answerInlineQuery posts the card there. `@bot words` anywhere
 *    lists matching articles (latest when empty), 50 per page with next_offset.
 * 2. A share link `t.me/<bot>?start=s_<code>` carrying who shared it (see share-repository.ts).
 * 3. Telegram's share sheet `t.me/share/url?url=<link>&text=<title>` as a URL button.
 * `/shared` shows what a user shared and how many friends opened each.
 */
import { Composer, type Context, TelegramError } from 'telegraf';
import type { InlineKeyboardButton, InlineQueryResultArticle } from 'telegraf/types';
import { ARTICLE_ID_PATTERN } from '../../core/ids';
import type { ArticleMeta } from '../../core/model';
import type { ArticleRow, OffsetPage, ShareRepositoryPort } from '../../core/ports';
import { truncate } from '../../core/text';
import { openShare as openSharedArticle } from '../../core/use-cases/open-share';
import { searchTitlesFor } from '../../core/use-cases/search';
import { attr, ltr, type Translator } from '../../i18n';
import { articlePayload, deepLinkUrl, sharePayload } from '../deep-link';
import type { BotDeps } from '../deps';
import { tr } from '../locale';
import { answer, replyHtml, sender, sendView } from '../respond';
import { articleCard, type View } from '../views';
import { showCard } from './articles';
import { openButton } from './articles-buttons';
import { shareButton } from './share-buttons';
import { type Feature, onButton } from './types';

export const INLINE_PAGE = 50;
/** Search results are the same for everyone: let Telegram cache them briefly. */
const INLINE_CACHE_SECONDS = 60;
const SHARE_QUERY = /^#([a-z0-9][a-z0-9-]{0,47})$/;

function sharerName(from: { first_name: string; last_name?: string }): string {
  return truncate([from.first_name, from.last_name].filter(Boolean).join(' ') || 'a friend', 64);
}

/**
 * The card as it appears in someone else's chat: URL buttons only (no callbacks there). Written
 * in the sharer's language (the friends' is unknown until they open it).
 */
function inlineResult(t: Translator, meta: ArticleMeta, openUrl: string): InlineQueryResultArticle {
  const card = articleCard(t, meta);
  const buttons: InlineKeyboardButton[][] = [[{ text: t.text('share-button-open-in-bot'), url: openUrl }]];
  if (meta.url) buttons.push([{ text: t.text('share-button-read-on-site'), url: meta.url }]);
  return {
    type: 'article',
    id: meta.id,
    title: truncate(meta.title, 120),
    description: meta.summary
      ? truncate(meta.summary, 200)
      : t.text('share-inline-description', { author: truncate(meta.authorName, 150) }),
    input_message_content: {
      message_text: card.text,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    },
    reply_markup: { inline_keyboard: buttons },
  };
}

/** Opens a share link for a friend; false when the code is unknown. */
export type ShareOpener = (ctx: Context, code: string) => Promise<boolean>;

/**
 * `shares` is built by the on-demand module (bot/on-demand/share.ts): the share repository is not
 * part of the webhook's main bundle.
 */
export function shareFeature(
  deps: BotDeps,
  shares: ShareRepositoryPort,
): Feature & { openShare: ShareOpener } {
  const composer = new Composer<Context>();
  const { articles } = deps.store;
  const bot = deps.config.botUsername;

  /** Friend side of a share link: count a distinct friend once, then show the card. */
  const openShare: ShareOpener = async (ctx, code) => {
    const r = await openSharedArticle({ articles, shares }, code, sender(ctx).id, deps.now());
    if (r.status === 'not-found') return false;
    if (r.status === 'article-missing') await showCard(ctx, deps, undefined);
    else {
      const t = tr(ctx);
      // The stored name is the sharer's (or "a friend" when they had none, saved with the data).
      await showCard(
        ctx,
        deps,
        r.article,
        r.sharedBy ? t.t('share-heading', { name: r.sharedBy }) : undefined,
      );
    }
    return true;
  };

  /**
   * Answers the inline query. Telegram forgets a query after a few seconds (or a newer
   * keystroke replaces it): "query is too old" then only means nobody waits for this answer
   * any more, so it is a warning, not a failed update.
   */
  const answerInline = async (
    ctx: Context,
    results: InlineQueryResultArticle[],
    extra: Parameters<Context['answerInlineQuery']>[1],
  ): Promise<void> => {
    try {
      await ctx.answerInlineQuery(results, extra);
    } catch (err) {
      const expired =
        err instanceof TelegramError &&
        err.code === 400 &&
        /query is too old|QUERY_ID_INVALID/i.test(err.description);
      if (!expired) throw err;
      deps.logger.warn('inline query expired before it was answered', {
        updateId: ctx.update.update_id,
        userId: ctx.from?.id,
      });
    }
  };

  composer.on('inline_query', async (ctx) => {
    const query = ctx.inlineQuery.query.trim();
    const offset = /^\d{1,4}$/.test(ctx.inlineQuery.offset) ? Number(ctx.inlineQuery.offset) : 0;
    const shareMatch = SHARE_QUERY.exec(query);
    if (shareMatch?.[1]) {
      // The prefilled query from the Share button: one card carrying this user's share link.
      const meta = await articles.getArticle(shareMatch[1]);
      if (!meta) return answerInline(ctx, [], { cache_time: 0, is_personal: true });
      const { share, created } = await shares.getOrCreateShare({
        articleId: meta.id,
        title: meta.title,
        sharerId: ctx.from.id,
        sharerName: sharerName(ctx.from),
      });
      if (created) await articles.addToCounter(meta.id, 'shares', 1);
      await answerInline(ctx, [inlineResult(tr(ctx), meta, deepLinkUrl(bot, sharePayload(share.code)))], {
        cache_time: 0,
        is_personal: true,
      });
      return;
    }
    let page: OffsetPage<ArticleRow>;
    if (query === '') page = await articles.latest(offset, INLINE_PAGE);
    else {
      // Every keystroke is a query: the reader's search allowance covers inline mode too.
      const found = await searchTitlesFor(deps.store, ctx.from.id, query, {
        offset,
        limit: INLINE_PAGE,
        now: deps.now(),
      });
      if (found.status !== 'found') return answerInline(ctx, [], { cache_time: 0, is_personal: true });
      page = found.page;
    }
    const metas = await articles.getArticles(page.items.map((r) => r.id));
    await answerInline(
      ctx,
      metas.map((m) => inlineResult(tr(ctx), m, deepLinkUrl(bot, articlePayload(m.id)))),
      { cache_time: INLINE_CACHE_SECONDS, next_offset: page.hasMore ? String(offset + INLINE_PAGE) : '' },
    );
  });

  // Arrives when inline feedback is on (@BotFather /setinlinefeedback): a card was posted.
  composer.on('chosen_inline_result', async (ctx) => {
    const id = ctx.chosenInlineResult.result_id;
    // The share-button path already counted its link; count the search path's posts here.
    // A share counts once per sharer and article, however many cards they post.
    if (ARTICLE_ID_PATTERN.test(id) && !SHARE_QUERY.test(ctx.chosenInlineResult.query.trim())) {
      if (await shares.countShare(ctx.from.id, id)) await articles.addToCounter(id, 'shares', 1);
    }
  });

  composer.command('shared', async (ctx) => {
    const page = await shares.listByUser(ctx.from.id, 0, 20);
    const t = tr(ctx);
    if (page.items.length === 0) {
      await replyHtml(ctx, t.t('shared-empty'));
      return;
    }
    const lines = [t.t('shared-title'), ''];
    // Twenty 300-character titles would pass Telegram's 4,096 limit: shorten each.
    for (const s of page.items)
      lines.push(t.t('shared-item', { title: truncate(s.title, 120), opens: s.opens }));
    const rows = page.items.slice(0, 10).map((s) => [
      {
        text: t.text('common-button-article', { title: truncate(s.title, 48) }),
        callback_data: openButton.encode({ id: s.articleId }),
      },
    ]);
    await sendView(ctx, { text: lines.join('\n'), reply_markup: { inline_keyboard: rows } });
  });

  return {
    composer,
    openShare,
    buttons: [
      onButton(shareButton, async (ctx, { id }) => {
        const meta = await articles.getArticle(id);
        const t = tr(ctx);
        if (!meta) return answer(ctx, t.text('articles-unavailable-toast'));
        const { share, created } = await shares.getOrCreateShare({
          articleId: id,
          title: meta.title,
          sharerId: sender(ctx).id,
          sharerName: sharerName(sender(ctx)),
        });
        if (created) await articles.addToCounter(id, 'shares', 1);
        const link = deepLinkUrl(bot, sharePayload(share.code));
        const sheet = `https://t.me/share/url?url=${encodeURIComponent(link)}&text=${encodeURIComponent(truncate(meta.title, 200))}`;
        const view: View = {
          text: t.t('share-message', {
            title: truncate(meta.title, 120),
            url: attr(link),
            link: ltr(link),
            opens: share.opens,
          }),
          reply_markup: {
            inline_keyboard: [
              [
                {
                  text: t.text('share-button-send-card'),
                  switch_inline_query_chosen_chat: {
                    query: `#${id}`,
                    allow_user_chats: true,
                    allow_group_chats: true,
                  },
                },
              ],
              [{ text: t.text('share-button-share-link'), url: sheet }],
            ],
          },
        };
        await answer(ctx);
        await sendView(ctx, view);
      }),
    ],
  };
}
