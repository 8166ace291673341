/**
 * subscriptionsFeature: subscribe/unsubscribe (buttons and commands), /subscriptions, and
 * my_chat_member: a user who blocks the bot is left out of alerts until they unblock it.
 */
import { Composer, type Context, TelegramError } from 'telegraf';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'telegraf/types';
import { escapeHtml as e, truncate } from '../../core/text';
import { subscribe } from '../../core/use-cases/subscribe';
import type { BotDeps } from '../deps';
import { answer, sender, showView } from '../respond';
import { followButton, type View } from '../views';
import { parseHandle, profileView } from './authors';
import { authorButton, authorsButton } from './authors-buttons';
import { subscribeButton, unsubscribeButton } from './subscriptions-buttons';
import { type Feature, onButton } from './types';

async function subscriptionsView(deps: BotDeps, userId: number): Promise<View> {
  const handles = await deps.store.subscriptions.listForUser(userId);
  if (handles.length === 0) {
    return {
      text: 'You do not follow anyone yet. Open an author from /authors and press 🔔 Subscribe.',
      reply_markup: {
        inline_keyboard: [[{ text: '✍️ Authors', callback_data: authorsButton.encode({ page: 0 }) }]],
      },
    };
  }
  const authors = await Promise.all(handles.map((h) => deps.store.authors.getAuthor(h)));
  const lines = ['<b>🔔 Your subscriptions</b>', ''];
  const rows: InlineKeyboardButton[][] = [];
  handles.forEach((h, i) => {
    const name = authors[i]?.fullName ?? h;
    lines.push(`• ${e(name)} (@${e(h)})`);
    rows.push([
      { text: `👤 ${truncate(name, 28)}`, callback_data: authorButton.encode({ handle: h }) },
      { text: '🔕 Unsubscribe', callback_data: unsubscribeButton.encode({ handle: h, from: 'list' }) },
    ]);
  });
  lines.push('', 'You get one alert when any of them publishes.');
  return { text: lines.join('\n'), reply_markup: { inline_keyboard: rows } };
}

export function subscriptionsFeature(deps: BotDeps): Feature {
  const composer = new Composer<Context>();
  const { subscriptions } = deps.store;

  composer.command('subscriptions', async (ctx) =>
    showView(ctx, await subscriptionsView(deps, ctx.from.id), false),
  );
  composer.command('subscribe', async (ctx) => {
    const handle = parseHandle(ctx.payload);
    if (!handle)
      return void (await ctx.reply('Usage: /subscribe <handle>, e.g. /subscribe jdoe. See /authors.'));
    const r = await subscribe(deps.store, ctx.from.id, handle);
    if (r.status === 'unknown-author')
      return void (await ctx.reply(`I don't know an author @${handle}. See /authors.`));
    await ctx.reply(
      r.status === 'subscribed'
        ? `🔔 Subscribed to ${r.authorName}. You'll get an alert when they publish.`
        : `You already follow ${r.authorName}.`,
    );
  });
  composer.command('unsubscribe', async (ctx) => {
    const handle = parseHandle(ctx.payload);
    if (!handle)
      return void (await ctx.reply('Usage: /unsubscribe <handle>. /subscriptions lists whom you follow.'));
    const removed = await subscriptions.unsubscribe(ctx.from.id, handle);
    await ctx.reply(removed ? `🔕 Unsubscribed from @${handle}.` : `You were not subscribed to @${handle}.`);
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
    const rows = markup.inline_keyboard.map((row) =>
      row.map((b) =>
        'callback_data' in b && (b.callback_data === toSub || b.callback_data === toUnsub)
          ? followButton(handle, subscribed, 'card')
          : b,
      ),
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
      await showView(ctx, await subscriptionsView(deps, userId), true);
    } else {
      const view = await profileView(deps, handle, userId);
      if (view) await showView(ctx, view, true);
    }
  };

  return {
    composer,
    buttons: [
      onButton(subscribeButton, async (ctx, { handle, from }) => {
        const r = await subscribe(deps.store, sender(ctx).id, handle);
        if (r.status === 'unknown-author') return answer(ctx, 'This author is no longer available.');
        await answer(
          ctx,
          r.status === 'subscribed'
            ? `🔔 Subscribed to ${r.authorName}. You'll get an alert when they publish.`
            : `You already follow ${r.authorName}. /subscriptions to manage.`,
        );
        await redraw(ctx, handle, from, true);
      }),
      onButton(unsubscribeButton, async (ctx, { handle, from }) => {
        const removed = await subscriptions.unsubscribe(sender(ctx).id, handle);
        await answer(ctx, removed ? '🔕 Unsubscribed.' : 'You were not subscribed.');
        await redraw(ctx, handle, from, false);
      }),
    ],
  };
}
