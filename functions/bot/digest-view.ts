/**
 * The digest message: the articles waiting for a reader, grouped by author, each with its title,
 * one line of summary and a button that opens its card (as any list's buttons do). Long author
 * groups fold their tail into an expandable block quote; a digest too long for one message is
 * split into parts, each within Telegram's limits (4,096 characters, 100 buttons).
 */
import type { InlineKeyboardButton } from 'telegraf/types';
import type { DigestEntry } from '../core/delivery';
import { truncate } from '../core/text';
import { type I18n, negotiateLocale, type Translator } from '../i18n';
import { openButton } from './features/articles-buttons';
import type { View } from './views';

/** Characters of HTML per part: Telegram counts the text after parsing, which is never longer. */
const PART_CHARS = 3800;
/** Buttons per part (Telegram: at most 100 per keyboard). */
const PART_BUTTONS = 100;
/** Articles of one author shown before the rest folds into an expandable block quote. */
const SHOWN_PER_AUTHOR = 3;
/** Folded articles per block quote: six of the longest (200-character title, 160-character line) stay under a part. */
const FOLD_CHUNK = 6;
const BUTTON_TITLE_CHARS = 40;
const TITLE_CHARS = 200;

interface Block {
  html: string;
  buttons: InlineKeyboardButton[];
}

function headingKey(entries: readonly DigestEntry[]): string {
  if (entries.every((e) => e.reason === 'held')) return 'digest-heading-held';
  if (entries.some((e) => e.reason === 'weekly')) return 'digest-heading-weekly';
  return 'digest-heading-daily';
}

/** One author's group: a bold name, then numbered articles; after the third, folded. */
function authorBlocks(tr: Translator, group: readonly DigestEntry[], first: number): Block[] {
  const line = (e: DigestEntry, n: number) => {
    const summary = e.summary === '' ? '' : `\n${tr.t('digest-summary', { summary: e.summary })}`;
    return `${tr.t('digest-item', { n, title: truncate(e.title, TITLE_CHARS) })}${summary}`;
  };
  const button = (e: DigestEntry, n: number): InlineKeyboardButton => ({
    text: tr.text('digest-button-open', { n, title: truncate(e.title, BUTTON_TITLE_CHARS) }),
    callback_data: openButton.encode({ id: e.articleId }),
  });
  const name = group[0]?.authorName ?? '';
  const shown = group.slice(0, SHOWN_PER_AUTHOR);
  const folded = group.slice(SHOWN_PER_AUTHOR);
  const blocks: Block[] = [
    {
      html: [tr.t('digest-author', { name }), ...shown.map((e, i) => line(e, first + i))].join('\n'),
      buttons: shown.map((e, i) => button(e, first + i)),
    },
  ];
  if (folded.length > 0) {
    // Folded articles go in parts of their own size: a quote never straddles two messages.
    let chunk: DigestEntry[] = [];
    let start = first + shown.length;
    const flush = () => {
      if (chunk.length === 0) return;
      const lines = chunk.map((e, i) => line(e, start + i)).join('\n');
      blocks.push({
        html: `<blockquote expandable>${lines}</blockquote>`,
        buttons: chunk.map((e, i) => button(e, start + i)),
      });
      start += chunk.length;
      chunk = [];
    };
    for (const e of folded) {
      chunk.push(e);
      if (chunk.length >= FOLD_CHUNK) flush();
    }
    flush();
  }
  return blocks;
}

/**
 * The digest renderer the sender is given (alerts/digest-content.ts): the reader's language
 * negotiated from their `/language` choice and Telegram's code, from the process's catalogues.
 */
export function digestRenderer(
  i18n: I18n,
): (entries: readonly DigestEntry[], locale: { stored?: string; telegramLanguageCode?: string }) => View[] {
  return (entries, locale) => digestViews(i18n.translator(negotiateLocale(locale)), entries);
}

/**
 * The digest of `entries` (oldest queued first): one message, or several parts when it would
 * pass Telegram's limits. Every text is escaped by the translator.
 */
export function digestViews(tr: Translator, entries: readonly DigestEntry[]): View[] {
  const groups = new Map<string, DigestEntry[]>();
  for (const e of entries) {
    const g = groups.get(e.authorHandle);
    if (g) g.push(e);
    else groups.set(e.authorHandle, [e]);
  }
  const blocks: Block[] = [];
  let n = 1;
  for (const group of groups.values()) {
    blocks.push(...authorBlocks(tr, group, n));
    n += group.length;
  }
  const heading = tr.t(headingKey(entries), { count: entries.length });
  const parts: Block[] = [];
  let current: Block = { html: heading, buttons: [] };
  for (const b of blocks) {
    const fits =
      current.html.length + 2 + b.html.length <= PART_CHARS &&
      current.buttons.length + b.buttons.length <= PART_BUTTONS;
    if (!fits && current.buttons.length > 0) {
      parts.push(current);
      current = { html: '', buttons: [] };
    }
    current = {
      html: current.html === '' ? b.html : `${current.html}\n\n${b.html}`,
      buttons: [...current.buttons, ...b.buttons],
    };
  }
  parts.push(current);
  return parts.map((p, i) => {
    const footer = parts.length > 1 ? `\n\n${tr.t('digest-part', { part: i + 1, parts: parts.length })}` : '';
    return {
      text: `${p.html}${footer}`,
      reply_markup: { inline_keyboard: p.buttons.map((b) => [b]) },
    };
  });
}
