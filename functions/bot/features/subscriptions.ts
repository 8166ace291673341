/**
 * subscriptionsFeature: subscribe/unsubscribe (buttons and commands), /subscriptions, and
 * my_chat_member: a user who blocks the bot is left out of alerts until they unblock it.
 */
import { Composer, type Context, TelegramError } from 'telegraf';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'telegraf/types';
import { truncate } from '../../core/text';
import { subscribe } from '../../core/use-cases/subscribe';
import type { Translator } from '../../i18n';
import type { BotDeps } from '../deps';
import { tr } from '../locale';
import { answer, replyHtml, sender, sendView, showView } from '../respond';
import { followButton, handleArg, LATEST_ON_FOLLOW, latestOnFollow, navRow, type View } from '../views';
import { parseHandle, profileView } from './authors';
import { authorButton, authorsButton } from './authors-buttons';
import { modeButton, settingsButton } from './settings-buttons';
import { subscribeButton, subscriptionsPageButton, unsubscribeButton } from './subscriptions-buttons';
import { type Feature, onButton } from './types';

/**
 * Follows on one page of /subscriptions: a page stays far below Telegram's 4,096 characters with
 * the longest names (issue 17, item 12: a single message broke past ~25–80 follows).
 */
export const SUBSCRIPTIONS_PAGE = 10;

async function subscriptionsView(t: Translator, deps: BotDeps, userId: number, page: number): Promise<View> {
  const all = await deps.store.subscriptions.listModesForUser(userId);
  if (all.length === 0) {
    return {
      text: t.t('subscriptions-empty'),
      reply_markup: {
        inline_keyboard: [
          [{ text: t.text('start-button-authors'), callback_data: authorsButton.encode({ page: 0 }) }],
        ],
      },
    };
  }
  // A page past the end (the list shrank) shows the last one.
  const last = Math.ceil(all.length / SUBSCRIPTIONS_PAGE) - 1;
  const shown = Math.min(page, last);
  const subs = all.slice(shown * SUBSCRIPTIONS_PAGE, (shown + 1) * SUBSCRIPTIONS_PAGE);
  const authors = await Promise.all(subs.map((s) => deps.store.authors.getAuthor(s.handle)));
  const lines = [t.t('subscriptions-title'), ''];
  const rows: InlineKeyboardButton[][] = [];
  subs.forEach(({ handle: h, mode }, i) => {
    const name = truncate(authors[i]?.fullName ?? h, 64);
    lines.push(t.t('subscriptions-item', { name, handle: handleArg(h) }));
    rows.push([
      {
        text: t.text('common-button-author', { name: truncate(name, 28) }),
        callback_data: authorButton.encode({ handle: h }),
      },
      modeButton(t, h, mode, 'l'),
      {
        text: t.text('authors-button-unsubscribe'),
        callback_data: unsubscribeButton.encode({ handle: h, from: 'list' }),
      },
    ]);
  });
  const nav = navRow(t, shown, shown < last, (p) => subscriptionsPageButton.encode({ page: p }));
  if (nav.length > 0) rows.push(nav);
  lines.push('', t.t('subscriptions-footer'), t.t('subscriptions-mode-legend'));
  return { text: lines.join('\n'), reply_markup: { inline_keyboard: rows } };
}

/** After a new subscription: the author's latest articles as one list message, if they have any. */
async function offerLatest(ctx: Context, deps: BotDeps, handle: string, name: string): Promise<void> {
  const t = tr(ctx);
  const latest = await deps.store.articles.byAuthor(handle, 0, LATEST_ON_FOLLOW);
  const view = latestOnFollow(t, t.t('subscriptions-latest', { name }), latest.items);
  if (view) await sendView(ctx, view);
}

export function subscriptionsFeature(deps: BotDeps): Feature {
  const composer = new Composer<Context>();
  const { subscriptions } = deps.store;

  composer.command('subscriptions', async (ctx) =>
    showView(ctx, await subscriptionsView(tr(ctx), deps, ctx.from.id, 0), false),
  );
  composer.command('subscribe', async (ctx) => {
    const t = tr(ctx);
    const handle = parseHandle(ctx.payload);
    if (!handle) return replyHtml(ctx, t.t('subscriptions-subscribe-usage'));
    const r = await subscribe(deps.store, ctx.from.id, handle, t.locale);
    if (r.status === 'unknown-author')
      return replyHtml(ctx, t.t('subscriptions-unknown-author', { handle: handleArg(handle) }));
    await replyHtml(
      ctx,
      t.t(r.status === 'subscribed' ? 'subscriptions-subscribed' : 'subscriptions-already', {
        name: r.authorName,
      }),
    );
    if (r.status === 'subscribed') await offerLatest(ctx, deps, handle, r.authorName);
  });
  composer.command('unsubscribe', async (ctx) => {
    const t = tr(ctx);
    const handle = parseHandle(ctx.payload);
    if (!handle) return replyHtml(ctx, t.t('subscriptions-unsubscribe-usage'));
    // The author's name, as "Subscribed to <name>" says it (read alongside, not after).
    const [removed, author] = await Promise.all([
      subscriptions.unsubscribe(ctx.from.id, handle),
      deps.store.authors.getAuthor(handle),
    ]);
    await replyHtml(
      ctx,
      removed
        ? t.t('subscriptions-unsubscribed', { name: author?.fullName ?? handleArg(handle) })
        : t.t('subscriptions-not-subscribed', { handle: handleArg(handle) }),
    );
  });

  composer.on('my_chat_member', async (ctx) => {
    const update = ctx.myChatMember;
    if (update.chat.type !== 'private') return;
    const status = update.new_chat_member.status;
    if (status === 'kicked') await subscriptions.setUserActive(update.from.id, false);
    else if (status === 'member') await subscriptions.setUserActive(update.from.id, true);
  });

  /**
   * The pressed message's keyboard with the author's subscribe button turned into what the
   * reader's state now wants. No store read: the press itself just set that state.
   */
  const swapSubscribeButton = async (ctx: Context, handle: string, subscribed: boolean) => {
    const msg = ctx.callbackQuery?.message;
    const markup =
      msg && 'reply_markup' in msg ? (msg.reply_markup as InlineKeyboardMarkup | undefined) : undefined;
    if (!markup) return;
    const toSub = subscribeButton.encode({ handle, from: 'card' });
    const toUnsub = unsubscribeButton.encode({ handle, from: 'card' });
    const t = tr(ctx);
    // The follow's mode button goes with 🔕 Unsubscribe: read for a new follow, dropped with one.
    const mode = subscribed
      ? await deps.store.subscriptions.subscriptionMode(sender(ctx).id, handle)
      : undefined;
    const toMode = settingsButton.encode({ what: 'c', value: handle });
    const rows = markup.inline_keyboard.map((row) =>
      row.flatMap((b) => {
        if (!('callback_data' in b)) return [b];
        if (b.callback_data === toMode) return [];
        if (b.callback_data !== toSub && b.callback_data !== toUnsub) return [b];
        const follow = followButton(t, handle, subscribed, 'card');
        return mode ? [follow, modeButton(t, handle, mode, 'c')] : [follow];
      }),
    );
    // A stale or forged press can ask for what the button already shows: Telegram would refuse
    // an edit that changes nothing.
    if (JSON.stringify(rows) === JSON.stringify(markup.inline_keyboard)) return;
    try {
      await ctx.editMessageReplyMarkup({ inline_keyboard: rows });
    } catch (err) {
      // A double tap finds the button already swapped; an old message may not be editable.
      if (err instanceof TelegramError && err.code === 400) return;
      throw err;
    }
  };

  /**
   * After a change: a card, an alert or a full article's last part swaps its button in place
   * (its text stays); a profile or the subscriptions list is redrawn.
   */
  const redraw = async (
    ctx: Context,
    handle: string,
    from: 'card' | 'profile' | 'list',
    subscribed: boolean,
  ) => {
    const userId = sender(ctx).id;
    if (from === 'card') {
      await swapSubscribeButton(ctx, handle, subscribed);
    } else if (from === 'list') {
      await showView(ctx, await subscriptionsView(tr(ctx), deps, userId, 0), true);
    } else {
      const view = await profileView(tr(ctx), deps, handle, userId);
      if (view) await showView(ctx, view, true);
    }
  };

  return {
    composer,
    buttons: [
      onButton(subscriptionsPageButton, async (ctx, { page }) => {
        await answer(ctx);
        await showView(ctx, await subscriptionsView(tr(ctx), deps, sender(ctx).id, page), true);
      }),
      onButton(subscribeButton, async (ctx, { handle, from }) => {
        const t = tr(ctx);
        const r = await subscribe(deps.store, sender(ctx).id, handle, t.locale);
        if (r.status === 'unknown-author') return answer(ctx, t.text('authors-unavailable-toast'));
        await answer(
          ctx,
          t.text(
            r.status === 'subscribed' ? 'subscriptions-subscribed-toast' : 'subscriptions-already-toast',
            {
              name: truncate(r.authorName, 64),
            },
          ),
        );
        await redraw(ctx, handle, from, true);
        // A profile lists the latest articles already. "Already subscribed" gets them too: it is
        // also what a redelivery sees when the first attempt's subscription was written and a
        // later call failed (503), and the reader must still get the list once.
        if (from !== 'profile') await offerLatest(ctx, deps, handle, r.authorName);
      }),
      onButton(unsubscribeButton, async (ctx, { handle, from }) => {
        const removed = await subscriptions.unsubscribe(sender(ctx).id, handle);
        await answer(
          ctx,
          tr(ctx).text(removed ? 'subscriptions-unsubscribed-toast' : 'subscriptions-not-subscribed-toast'),
        );
        await redraw(ctx, handle, from, false);
      }),
    ],
  };
}
