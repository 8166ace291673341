/**
 * `/start` payloads (deep links `t.me/<bot>?start=<payload>`): at most 64 characters of
 * `[A-Za-z0-9_-]`, as Telegram allows. `a_<id>` opens an article's card, `r_<id>` its full text (for a channel post or
 * an alert to link to), `u_<handle>` an author,
 * `s_<code>` a share link, `c_<id>` the comment prompt (a group's "post a comment" opens the private chat). Anything else parses to `{ kind: 'invalid' }`.
 */
import type { InlineKeyboardButton } from 'telegraf/types';
import { ARTICLE_ID_PATTERN, HANDLE_PATTERN } from '../core/ids';
import type { Translator } from '../i18n';

export type DeepLink =
  | { kind: 'none' }
  | { kind: 'article'; id: string }
  | { kind: 'read'; id: string }
  | { kind: 'comment'; id: string }
  | { kind: 'author'; handle: string }
  | { kind: 'share'; code: string }
  | { kind: 'invalid' };

const PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/;
export const SHARE_CODE_PATTERN = /^[A-Za-z0-9]{8,16}$/;

/** Parses a start payload (already stripped of `/start `). */
export function parseDeepLink(payload: string | undefined): DeepLink {
  const p = (payload ?? '').trim();
  if (p === '') return { kind: 'none' };
  if (!PAYLOAD.test(p)) return { kind: 'invalid' };
  const rest = p.slice(2);
  if (p.startsWith('a_') && ARTICLE_ID_PATTERN.test(rest)) return { kind: 'article', id: rest };
  if (p.startsWith('r_') && ARTICLE_ID_PATTERN.test(rest)) return { kind: 'read', id: rest };
  if (p.startsWith('c_') && ARTICLE_ID_PATTERN.test(rest)) return { kind: 'comment', id: rest };
  if (p.startsWith('u_') && HANDLE_PATTERN.test(rest)) return { kind: 'author', handle: rest };
  if (p.startsWith('s_') && SHARE_CODE_PATTERN.test(rest)) return { kind: 'share', code: rest };
  return { kind: 'invalid' };
}

/** Builds `https://t.me/<bot>?start=<payload>`. */
export function deepLinkUrl(botUsername: string, payload: string): string {
  return `https://t.me/${botUsername}?start=${payload}`;
}

export const articlePayload = (id: string) => `a_${id}`;
export const authorPayload = (handle: string) => `u_${handle}`;
export const sharePayload = (code: string) => `s_${code}`;

/**
 * An article's buttons where a press must not act for whoever pressed it on a shared message (a
 * channel post, a group's alert or card): each opens the bot's private chat — the whole article,
 * the author's profile (to subscribe), the card with its comments.
 */
export function openInBotButtons(
  t: Translator,
  meta: { id: string; authorHandle: string },
  botUsername: string,
): InlineKeyboardButton[][] {
  const link = (payload: string) => deepLinkUrl(botUsername, payload);
  return [
    [{ text: t.text('channels-button-read'), url: link(`r_${meta.id}`) }],
    [
      { text: t.text('channels-button-subscribe'), url: link(authorPayload(meta.authorHandle)) },
      // The card in the bot carries the comments and the way to post one.
      { text: t.text('channels-button-comments'), url: link(articlePayload(meta.id)) },
    ],
  ];
}
