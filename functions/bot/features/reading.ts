/**
 * readingFeature: "Read the full article" for articles without a URL — the body as Rich Messages,
 * or as pages of HTML where a chat or client cannot show them — and the `r_<id>` deep link.
 * Loaded on demand (bot/on-demand.ts): the renderers stay out of the webhook's cold start until a
 * reader first asks for a whole article.
 */
import type { ApiMethods, InlineKeyboardMarkup as RichKeyboard } from '@grammyjs/types';
import { Composer, type Context, TelegramError } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { readBodyBlocks } from '../../core/body/stored-body';
import type { ArticleMeta } from '../../core/model';
import type { BodyDocument } from '../../core/ports';
import { viewBy } from '../../core/use-cases/views';
import { renderHtmlPages } from '../../render/html-pages';
import { renderRichMessages } from '../../render/rich-message';
import type { BotDeps } from '../deps';
import { tr } from '../locale';
import { answer, sender, sendView, showView } from '../respond';
import { articleButtons, articleByline, articleCard, fullTextPage, notFound } from '../views';
import { readerModeAfterView } from './articles';
import { fullTextButton } from './articles-buttons';
import { type Feature, onButton } from './types';

/**
 * More parts than this and the article goes out as the paged HTML instead: seven or more
 * messages of up to 32,768 characters each flood the chat (a reader cannot page back through
 * them, and each costs a send against the chat's rate limit), while the pages are one message
 * edited in place with ◀ ▶. The demo's longest read is 3 parts.
 */
export const MAX_RICH_PARTS = 6;

type SendRichMessageParams = Parameters<ApiMethods<never>['sendRichMessage']>[0];

/**
 * `sendRichMessage` (Bot API 10.1) through Telegraf's `callApi`: Telegraf 4.16 knows Bot API 7.1
 * only, so the method's parameters are typed by @grammyjs/types here instead.
 */
async function sendRichMessage(ctx: Context, params: SendRichMessageParams): Promise<void> {
  const telegram = ctx.telegram as unknown as {
    callApi(method: 'sendRichMessage', payload: SendRichMessageParams): Promise<unknown>;
  };
  await telegram.callApi('sendRichMessage', params);
}

/**
 * Telegram's refusal when a chat or client cannot show rich messages. The Bot API documents no
 * text for it; it passes the server's error name through after "Bad Request: ".
 */
const RICH_UNAVAILABLE =
  /RICH_MESSAGE_UNSUPPORTED|rich messages? (?:are |is )?(?:not supported|unavailable)/i;

const isRichUnavailable = (err: unknown): boolean =>
  err instanceof TelegramError && err.code === 400 && RICH_UNAVAILABLE.test(err.description);

/**
 * Sends the full article: as Rich Messages (the card's buttons on the last part) when it takes at
 * most {@link MAX_RICH_PARTS} and the chat accepts them, otherwise as the first HTML page.
 */
async function sendFullArticle(ctx: Context, deps: BotDeps, meta: ArticleMeta, body: BodyDocument) {
  const chat = ctx.chat;
  const t = tr(ctx);
  const blocks = readBodyBlocks(body);
  if (chat !== undefined) {
    const parts = renderRichMessages({
      title: meta.title,
      authorName: meta.authorName,
      authorHandle: meta.authorHandle,
      byline: articleByline(t, meta, false),
      blocks,
      language: meta.language,
    });
    if (parts.length <= MAX_RICH_PARTS) {
      const mode = await readerModeAfterView(ctx, deps, meta.authorHandle);
      // telegraf's and @grammyjs/types' keyboards are the same JSON under different names.
      const markup: InlineKeyboardMarkup = {
        inline_keyboard: articleButtons(t, meta, mode !== undefined, mode),
      };
      try {
        for (const [i, rich_message] of parts.entries()) {
          await sendRichMessage(ctx, {
            chat_id: chat.id,
            rich_message,
            ...(i === parts.length - 1 ? { reply_markup: markup as RichKeyboard } : {}),
          });
        }
        return;
      } catch (err) {
        if (!isRichUnavailable(err)) throw err;
        deps.logger.info('rich messages unavailable; sending the paged text', { chatId: chat.id });
      }
    }
  }
  await sendView(ctx, fullTextPage(t, meta, renderHtmlPages(blocks), 0));
}

/**
 * `r_<id>`: opens the full article directly. It is an open (a channel post or an alert links
 * here instead of the card), so it counts the view: UpdateItem and GetItem of the body together,
 * then the subscription for the last part's button.
 */
export async function readArticle(ctx: Context, deps: BotDeps, id: string): Promise<void> {
  const [meta, body] = await Promise.all([
    deps.store.articles.openArticle(id, viewBy(sender(ctx).id, deps.now())),
    deps.store.articles.getBodyDocument(id),
  ]);
  const t = tr(ctx);
  if (!meta || body === undefined) {
    await sendView(ctx, notFound(t, t.t('articles-not-found')));
    return;
  }
  if (meta.url !== undefined || meta.wordCount === 0) {
    // Its full text is on the publisher's site (or it has none): the card links there.
    const mode = await readerModeAfterView(ctx, deps, meta.authorHandle);
    await sendView(ctx, articleCard(t, meta, { subscribed: mode !== undefined, mode }));
    return;
  }
  await sendFullArticle(ctx, deps, meta, body);
}

/** The full-text button's feature, and the deep link's reader for the start feature. */
export function readingFeature(deps: BotDeps): Feature {
  return {
    composer: new Composer<Context>(),
    buttons: [
      onButton(fullTextButton, async (ctx, { id, page, from }) => {
        // One BatchGetItem reads the card and the body (no view: the card's open counted it).
        const found = await deps.store.articles.getArticleWithBody(id);
        if (!found) return answer(ctx, tr(ctx).text('articles-unavailable-toast'));
        const { meta, body } = found;
        // ◀ ▶ on a page of the paged text (not the card's button, which asks for page 0): that
        // text, edited in place.
        if (from !== 'text' && page === 0) {
          await answer(ctx);
          return sendFullArticle(ctx, deps, meta, body);
        }
        const pages = renderHtmlPages(readBodyBlocks(body));
        if (page >= pages.length) return answer(ctx, tr(ctx).text('articles-page-gone-toast'));
        await answer(ctx);
        await showView(ctx, fullTextPage(tr(ctx), meta, pages, page), from === 'text');
      }),
    ],
  };
}
