/**
 * Small helpers shared by feature modules: send a view, edit the pressed message in place
 * (◀ ▶ paging), answer a callback query without ever letting that answer fail the update.
 */
import type { Context } from 'telegraf';
import { TelegramError } from 'telegraf';
import type { ForceReply, InlineKeyboardMarkup, User } from 'telegraf/types';
import { tr } from './locale';
import type { View } from './views';

const HTML = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } } as const;

/** Sends a view as a new message in the current chat. */
export async function sendView(ctx: Context, view: View): Promise<void> {
  await ctx.reply(view.text, { ...HTML, reply_markup: view.reply_markup });
}

/** Replies with a catalogue message (HTML), optionally with a keyboard or a force-reply prompt. */
export async function replyHtml(
  ctx: Context,
  html: string,
  reply_markup?: InlineKeyboardMarkup | ForceReply,
): Promise<void> {
  await ctx.reply(html, { ...HTML, ...(reply_markup ? { reply_markup } : {}) });
}

/** {@link replyHtml}, answering the sent message's id (a prompt the next message must follow). */
export async function replyHtmlWithId(
  ctx: Context,
  html: string,
  reply_markup?: InlineKeyboardMarkup | ForceReply,
): Promise<number> {
  return (await ctx.reply(html, { ...HTML, ...(reply_markup ? { reply_markup } : {}) })).message_id;
}

/**
 * Shows a view in reply to a button press: edits the pressed message when `edit` is true
 * (paging keeps one message), otherwise sends a new one. "Message is not modified" (a double
 * tap) is not an error.
 */
export async function showView(ctx: Context, view: View, edit: boolean): Promise<void> {
  if (edit && ctx.callbackQuery?.message) {
    try {
      await ctx.editMessageText(view.text, { ...HTML, reply_markup: view.reply_markup });
      return;
    } catch (err) {
      if (err instanceof TelegramError && /message is not modified/.test(err.description)) return;
      // The message may be too old to edit (or deleted): fall back to a new message.
      if (err instanceof TelegramError && err.code === 400) {
        await sendView(ctx, view);
        return;
      }
      throw err;
    }
  }
  await sendView(ctx, view);
}

/** Updates whose callback query was answered: Telegram takes one answer per query. */
const answered = new WeakSet<object>();

/**
 * Answers the pending callback query (if any); the notice is shown as a toast. Only the first
 * answer of an update counts (later ones are no-ops), so a handler can say "Deleted" and then
 * redraw through code that also answers.
 */
export async function answer(ctx: Context, text?: string, showAlert = false): Promise<void> {
  if (!ctx.callbackQuery || answered.has(ctx.update)) return;
  answered.add(ctx.update);
  try {
    await ctx.answerCbQuery(text, { show_alert: showAlert });
  } catch (err) {
    // An expired query id (user waited > 15 min) must not fail the update.
    if (err instanceof TelegramError && err.code === 400) return;
    throw err;
  }
}

/** The answer to a button that no feature answers any more (or that only admins may press). */
export function answerOutOfDate(ctx: Context): Promise<void> {
  return answer(ctx, tr(ctx).text('common-button-out-of-date-toast'));
}

/**
 * The person behind an update that always has one (a message, a button press, an inline query):
 * Telegram sends `from` with each of them, so its absence is a bug, not a user's doing.
 */
export function sender(ctx: Context): User {
  if (ctx.from === undefined)
    throw new Error(`update ${ctx.update.update_id} (${ctx.updateType}) has no sender`);
  return ctx.from;
}
