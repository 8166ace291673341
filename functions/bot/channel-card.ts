/**
 * The card Herald posts in a publisher's channel: title, author, summary, and buttons that
 * deep-link into the bot (read the full article, subscribe to the author, comments), so every
 * reader action happens in a private chat, tied to one person. A channel has no reader language:
 * the card is drawn in the default locale (DEFAULT_LOCALE).
 *
 * Kept out of views.ts so the webhook bundle does not carry it: the channel poster draws it.
 */
import type { InlineKeyboardButton } from 'telegraf/types';
import type { ArticleMeta } from '../core/model';
import { escapeHtml as e, truncate } from '../core/text';
import { DEFAULT_LOCALE, type I18n, type Translator } from '../i18n';
import { openInBotButtons } from './deep-link';

/** A message as the poster sends it: Telegram HTML and its inline keyboard. */
interface ChannelView {
  text: string;
  reply_markup?: { inline_keyboard: InlineKeyboardButton[][] };
}

/** A summary longer than this is cut: a channel card should read at a glance. */
const SUMMARY_CHARS = 600;

/** The channel card of an article. Every article, author and feed string is escaped here or by `t`. */
export function channelPostView(meta: ArticleMeta, botUsername: string, t: Translator): ChannelView {
  const lines = [
    `<b>${e(meta.title)}</b>`,
    t.t('articles-card-byline', {
      author: meta.authorName,
      handle: `@${meta.authorHandle}`,
      date: t.date(meta.publishedAt),
    }),
  ];
  const summary = truncate(meta.summary, SUMMARY_CHARS);
  if (summary.trim() !== '') lines.push('', e(summary));
  return {
    text: lines.join('\n'),
    reply_markup: { inline_keyboard: openInBotButtons(t, meta, botUsername) },
  };
}

/** What a post becomes when its article was deleted and Telegram no longer lets the bot delete it. */
export function channelRemovedView(title: string, t: Translator): ChannelView {
  return { text: `<s>${e(title)}</s>\n\n${t.t('channels-post-removed')}` };
}

/**
 * A group's alert: the channel card under the alert's heading. Its buttons open the bot, so a
 * member's press acts in their private chat, never on the group's message for everyone. A group
 * has no stored language: the default locale, as for channels.
 */
export function groupAlertRenderer(i18n: I18n, botUsername: string): (meta: ArticleMeta) => ChannelView {
  const t = i18n.translator(DEFAULT_LOCALE);
  return (meta) => {
    const card = channelPostView(meta, botUsername, t);
    return { ...card, text: `<i>${t.t('alerts-heading', { author: meta.authorName })}</i>\n\n${card.text}` };
  };
}
