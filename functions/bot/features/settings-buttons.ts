/**
 * The buttons settingsFeature answers (bot/on-demand/settings.ts loads it on the first press). The
 * always-loaded views draw some of them — a follow's mode on a card, a profile or /subscriptions,
 * a card's 🏷 Tags — so their definitions live here, apart from the feature's code.
 */
import type { InlineKeyboardButton } from 'telegraf/types';
import type { DeliveryMode } from '../../core/delivery-mode';
import type { Translator } from '../../i18n';
import { defineCallback, type Field, field } from '../callback';

/**
 * What a press changes. Settings: `m` default mode, `h` hour, `w` weekday, `q` quiet hours, `z`
 * zone (redraws /settings), `y` zone from the one-time question. Follows: `a` an author and `t`
 * the n-th followed tag from /settings; `c`, `l`, `p` an author's mode from a card, the
 * subscriptions list, a profile (the button changes in place). Tags: `g` opens an article's tags
 * (value: article id), `k` follows or unfollows its n-th tag (`<id>:<n>`), `f` a tag of /tags (by
 * {@link tagHash}: a tag can pass 64 bytes in UTF-8).
 */
export type What = 'm' | 'h' | 'w' | 'q' | 'z' | 'y' | 'a' | 't' | 'c' | 'l' | 'p' | 'g' | 'k' | 'f';
const WHATS: readonly string[] = ['m', 'h', 'w', 'q', 'z', 'y', 'a', 't', 'c', 'l', 'p', 'g', 'k', 'f'];
const whatField: Field<What> = {
  format: (v) => v,
  parse: (s) => (WHATS.includes(s) ? (s as What) : undefined),
};

/** `1:st:<what>:<value>`. */
export const settingsButton = defineCallback('st', { what: whatField, value: field.text });

export const MODE_ICON: Record<DeliveryMode, string> = { instant: '⚡', daily: '📰', weekly: '🗓' };

/**
 * The button showing the reader's mode for an author they follow; a press switches it to the next
 * mode. Its icon alone on a card and in the list (their rows are full), icon and name on a profile.
 */
export function modeButton(
  tr: Translator,
  handle: string,
  mode: DeliveryMode,
  from: 'c' | 'l' | 'p',
): InlineKeyboardButton {
  return {
    text: from === 'p' ? tr.text(`settings-button-mode-${mode}`) : MODE_ICON[mode],
    callback_data: settingsButton.encode({ what: from, value: handle }),
  };
}

/** The card's 🏷 Tags button (only for an article with tags): opens its tags to follow. */
export function tagsButton(tr: Translator, articleId: string): InlineKeyboardButton {
  return {
    text: tr.text('articles-button-tags'),
    callback_data: settingsButton.encode({ what: 'g', value: articleId }),
  };
}
