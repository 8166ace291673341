/**
 * articlesFeature: the latest list, article cards (a view counted per open) and "Read the full
 * article" for articles without a URL: the body as Rich Messages, or as pages of HTML where a
 * chat or client cannot show them.
 */
import type { ApiMethods, InlineKeyboardMarkup as RichKeyboard } from '@grammyjs/types';
import { Composer, type Context, TelegramError } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { readBodyBlocks } from '../../core/body/stored-body';
import type { ArticleMeta } from '../../core/model';
import type { BodyDocument } from '../../core/ports';
import { renderHtmlPages } from '../../render/html-pages';
import { renderRichMessages } from '../../render/rich-message';
import type { BotDeps } from '../deps';
import { tr } from '../locale';
import { answer, sendView, showView } from '../respond';
import {
  articleButtons,
  articleByline,
  articleCard,
  fullTextPage,
  latestList,
  notFound,
  PAGE_SIZE,
} from '../views';
import { fullTextButton, latestButton, openButton } from './articles-buttons';
import { type Feature, onButton } from './types';

/** Whether the reader follows the article's author (false for an update without a sender). */
async function readerSubscribed(ctx: Context, deps: BotDeps, handle: string): Promise<boolean> {
  return ctx.from === undefined ? false : deps.store.subscriptions.isSubscribed(ctx.from.id, handle);
}

/**
 * {@link readerSubscribed} once the view is counted: a failed read then shows 🔔 Subscribe (a tap
 * says "You already follow") instead of failing the update, whose redelivery would count the view
 * a second time. Logged, not swallowed.
 */
async function readerSubscribedAfterView(ctx: Context, deps: BotDeps, handle: string): Promise<boolean> {
  try {
    return await readerSubscribed(ctx, deps, handle);
  } catch (err) {
    deps.logger.warn('subscription state unreadable; the card offers Subscribe', { error: err as Error });
    return false;
  }
}

/**
 * Opens an article for the current user: one UpdateItem reads the card and counts the view,
 * one GetItem tells whether the reader follows its author (the card's subscribe button).
 */
export async function openArticle(ctx: Context, deps: BotDeps, id: string): Promise<boolean> {
  return showCard(ctx, deps, await deps.store.articles.openArticle(id));
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
  const subscribed = await readerSubscribedAfterView(ctx, deps, meta.authorHandle);
  await answer(ctx);
  await sendView(ctx, articleCard(t, meta, { heading, subscribed }));
  return true;
}

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
      const subscribed = await readerSubscribedAfterView(ctx, deps, meta.authorHandle);
      // telegraf's and @grammyjs/types' keyboards are the same JSON under different names.
      const markup: InlineKeyboardMarkup = { inline_keyboard: articleButtons(t, meta, subscribed) };
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
    deps.store.articles.openArticle(id),
    deps.store.articles.getBodyDocument(id),
  ]);
  const t = tr(ctx);
  if (!meta || body === undefined) {
    await sendView(ctx, notFound(t, t.t('articles-not-found')));
    return;
  }
  if (meta.url !== undefined || meta.wordCount === 0) {
    // Its full text is on the publisher's site (or it has none): the card links there.
    await sendView(
      ctx,
      articleCard(t, meta, { subscribed: await readerSubscribedAfterView(ctx, deps, meta.authorHandle) }),
    );
    return;
  }
  await sendFullArticle(ctx, deps, meta, body);
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
