/**
 * Message texts (Telegram HTML parse mode) and their inline keyboards. Every string that
 * came from an author, an admin or a user passes through `escapeHtml` here — the only place
 * that builds HTML — so escaping cannot be forgotten in a feature module.
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'telegraf/types';
import type { ArticleMeta, Author, Comment } from '../core/model';
import type { ArticleRow, OffsetPage } from '../core/ports';
import { escapeHtml as e, truncate } from '../core/text';
import { defineCallback } from './callback';
import { fullTextButton, latestButton, openButton } from './features/articles-buttons';
import { authorArticlesButton, authorButton, authorsButton } from './features/authors-buttons';
import { commentsButton, deleteCommentButton, postCommentButton } from './features/comments-buttons';
import { searchPageButton } from './features/search-buttons';
import { shareButton } from './features/share-buttons';
import { subscribeButton, unsubscribeButton } from './features/subscriptions-buttons';

export interface View {
  text: string;
  reply_markup?: InlineKeyboardMarkup;
}

export const PAGE_SIZE = 5;
const BUTTON_TITLE_CHARS = 48;

const dateFmt = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "25 Nov 2026" (UTC). */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateFmt.format(d);
}

/** "15/Mar/2008", as the publisher's site shows "User since". */
export function formatUserSince(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) return isoDate;
  return `${m[3]}/${MONTHS[Number(m[2]) - 1] ?? m[2]}/${m[1]}`;
}

const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

const cb = (text: string, data: string): InlineKeyboardButton => ({ text, callback_data: data });

/** The "· 2 ·" between ◀ and ▶: pressing it only stops the button's spinner. */
export const pageNumberButton = defineCallback('n', {});

function navRow(
  page: number,
  hasMore: boolean,
  make: (page: number) => string | undefined,
): InlineKeyboardButton[] {
  const row: InlineKeyboardButton[] = [];
  const prev = page > 0 ? make(page - 1) : undefined;
  const next = hasMore ? make(page + 1) : undefined;
  if (prev) row.push(cb('◀', prev));
  if (prev || next) row.push(cb(`· ${page + 1} ·`, pageNumberButton.encode({})));
  if (next) row.push(cb('▶', next));
  return row;
}

/**
 * Summaries longer than this are shown as an expandable block quote: the card stays short in
 * the chat, and the whole summary is a tap away.
 */
const EXPANDABLE_SUMMARY_CHARS = 300;

/** What the card knows about the person it is shown to. */
export interface CardOptions {
  heading?: string;
  /** The reader follows the author: the button offers 🔕 Unsubscribe instead of 🔔 Subscribe. */
  subscribed?: boolean;
}

/** The subscribe or unsubscribe button for an author, as the reader's state wants. */
export function followButton(
  handle: string,
  subscribed: boolean,
  from: 'card' | 'profile',
): InlineKeyboardButton {
  return subscribed
    ? cb('🔕 Unsubscribe', unsubscribeButton.encode({ handle, from }))
    : cb('🔔 Subscribe', subscribeButton.encode({ handle, from }));
}

/** The card's buttons below "Read the full article": subscribe and author, share and comments. */
export function articleButtons(meta: ArticleMeta, subscribed: boolean): InlineKeyboardButton[][] {
  return [
    [
      followButton(meta.authorHandle, subscribed, 'card'),
      cb(`👤 ${truncate(meta.authorName, 30)}`, authorButton.encode({ handle: meta.authorHandle })),
    ],
    [
      cb('📤 Share with a friend', shareButton.encode({ id: meta.id })),
      cb(
        meta.replies > 0 ? `💬 Comments (${count(meta.replies)})` : '💬 Comments',
        commentsButton.encode({ id: meta.id, page: 0, from: 'card' }),
      ),
    ],
  ];
}

/** "25 Nov 2026 · 7 min read". */
export function articleDetails(meta: ArticleMeta): string {
  const reading = meta.readingMinutes > 0 ? ` · ${meta.readingMinutes} min read` : '';
  return `${formatDate(meta.publishedAt)}${reading}`;
}

/** The article card: title, author, date, reading time, summary, Views, Replies, and its buttons. */
export function articleCard(meta: ArticleMeta, opts: CardOptions = {}): View {
  const lines: string[] = [];
  if (opts.heading) lines.push(`<i>${e(opts.heading)}</i>`, '');
  lines.push(`<b>${e(meta.title)}</b>`);
  lines.push(`by ${e(meta.authorName)} (@${e(meta.authorHandle)}) · ${e(articleDetails(meta))}`);
  const summary = truncate(meta.summary, 900);
  if (summary.trim() !== '') {
    lines.push(
      '',
      summary.length > EXPANDABLE_SUMMARY_CHARS
        ? `<blockquote expandable>${e(summary)}</blockquote>`
        : e(summary),
    );
  }
  lines.push('');
  const replies = meta.replies > 0 ? `💬 Replies: ${count(meta.replies)}` : '💬 No comments yet';
  lines.push(`👁 Views: ${count(meta.views)} · ${replies}`);

  const rows: InlineKeyboardButton[][] = [];
  if (meta.url) rows.push([{ text: '📖 Read the full article', url: meta.url }]);
  else if (meta.wordCount > 0)
    rows.push([
      cb('📖 Read the full article', fullTextButton.encode({ id: meta.id, page: 0, from: 'card' })),
    ]);
  rows.push(...articleButtons(meta, opts.subscribed === true));
  return { text: lines.join('\n'), reply_markup: { inline_keyboard: rows } };
}

/**
 * The alert a subscriber gets: the article card under "New from <author>". Its recipients are
 * the author's subscribers by definition, so the card offers 🔕 Unsubscribe (no read needed).
 */
export function alertView(meta: ArticleMeta): View {
  return articleCard(meta, { heading: `New from ${meta.authorName}`, subscribed: true });
}

/**
 * One page of the full text in the paged fallback (no Rich Messages in this chat). `htmlPages`
 * are Telegram HTML from functions/render/html-pages.ts, escaped there: they go out as they are.
 */
export function fullTextPage(meta: ArticleMeta, htmlPages: readonly string[], page: number): View {
  const body = htmlPages[page] ?? '';
  // A page is up to 3,500 visible characters; a 300-character title and the footer on top would
  // pass Telegram's 4,096, so the heading is shortened (the card above shows the whole title).
  const header = page === 0 ? `<b>${e(truncate(meta.title, 200))}</b>\n\n` : '';
  const footer = htmlPages.length > 1 ? `\n\n<i>Page ${page + 1} of ${htmlPages.length}</i>` : '';
  const rows: InlineKeyboardButton[][] = [];
  const nav = navRow(page, page + 1 < htmlPages.length, (p) =>
    fullTextButton.encode({ id: meta.id, page: p, from: 'text' }),
  );
  if (nav.length > 0) rows.push(nav);
  rows.push([cb('↩️ Back to the card', openButton.encode({ id: meta.id }))]);
  return { text: `${header}${body}${footer}`, reply_markup: { inline_keyboard: rows } };
}

function articleList(
  title: string,
  page: OffsetPage<ArticleRow>,
  pageNo: number,
  make: (page: number) => string | undefined,
  empty: string,
  showAuthor = true,
): View {
  if (page.items.length === 0) {
    const rows = pageNo > 0 ? [navRow(pageNo, false, make)] : [];
    return {
      text: `<b>${e(title)}</b>\n\n${e(pageNo > 0 ? 'No more articles.' : empty)}`,
      reply_markup: { inline_keyboard: rows },
    };
  }
  const lines = [`<b>${e(title)}</b>${pageNo > 0 ? ` · page ${pageNo + 1}` : ''}`, ''];
  const rows: InlineKeyboardButton[][] = [];
  page.items.forEach((row, i) => {
    const n = pageNo * PAGE_SIZE + i + 1;
    const by = showAuthor ? ` — ${e(row.authorName)}` : '';
    lines.push(`${n}. <b>${e(row.title)}</b>${by} · ${e(formatDate(row.publishedAt))}`);
    rows.push([cb(`${n}. ${truncate(row.title, BUTTON_TITLE_CHARS)}`, openButton.encode({ id: row.id }))]);
  });
  const nav = navRow(pageNo, page.hasMore, make);
  if (nav.length > 0) rows.push(nav);
  return { text: lines.join('\n'), reply_markup: { inline_keyboard: rows } };
}

export function latestList(page: OffsetPage<ArticleRow>, pageNo: number): View {
  return articleList(
    '📰 Latest articles',
    page,
    pageNo,
    (p) => latestButton.encode({ page: p }),
    'Nothing published yet.',
  );
}

export function authorArticlesList(author: Author, page: OffsetPage<ArticleRow>, pageNo: number): View {
  const view = articleList(
    `Articles by ${author.fullName}`,
    page,
    pageNo,
    (p) => authorArticlesButton.encode({ handle: author.handle, page: p }),
    'No articles yet.',
    false,
  );
  view.reply_markup?.inline_keyboard.push([
    cb(`👤 ${truncate(author.fullName, 30)}`, authorButton.encode({ handle: author.handle })),
  ]);
  return view;
}

export function searchResults(query: string, page: OffsetPage<ArticleRow>, pageNo: number): View {
  return articleList(
    `🔎 Titles with “${truncate(query, 60)}”`,
    page,
    pageNo,
    (p) => searchPageButton.tryEncode({ page: p, query }),
    'No article title matches. Try fewer or shorter words, or /latest.',
  );
}

/** The author profile: full name, handle, user since, voices, subscribers, latest articles. */
export function authorProfile(author: Author, latest: ArticleRow[], subscribed: boolean | undefined): View {
  const lines = [
    `<b>${e(author.fullName)}</b> (@${e(author.handle)})`,
    `User since: ${e(formatUserSince(author.userSince))}`,
    `Voices: ${count(author.articleCount)} · Subscribers: ${count(author.subscriberCount)}`,
  ];
  if (author.bio) lines.push('', e(truncate(author.bio, 1000)));
  if (author.siteUrl)
    lines.push('', `<a href="${e(author.siteUrl)}">${e(truncate(author.siteUrl, 100))}</a>`);
  lines.push('', latest.length > 0 ? '<b>Latest articles</b>' : '<i>No articles yet.</i>');
  const rows: InlineKeyboardButton[][] = latest.map((row) => [
    cb(`📄 ${truncate(row.title, BUTTON_TITLE_CHARS)}`, openButton.encode({ id: row.id })),
  ]);
  if (author.articleCount > latest.length) {
    rows.push([cb('📚 All articles', authorArticlesButton.encode({ handle: author.handle, page: 0 }))]);
  }
  rows.push([followButton(author.handle, subscribed === true, 'profile')]);
  return { text: lines.join('\n'), reply_markup: { inline_keyboard: rows } };
}

export function authorsList(page: OffsetPage<Author>, pageNo: number): View {
  if (page.items.length === 0) return { text: '<b>Authors</b>\n\nNo authors yet.' };
  const lines = ['<b>✍️ Authors</b>' + (pageNo > 0 ? ` · page ${pageNo + 1}` : ''), ''];
  const rows: InlineKeyboardButton[][] = [];
  for (const a of page.items) {
    lines.push(`<b>${e(a.fullName)}</b> (@${e(a.handle)}) · ${plural(a.articleCount, 'voice', 'voices')}`);
    rows.push([
      cb(`👤 ${truncate(a.fullName, BUTTON_TITLE_CHARS)}`, authorButton.encode({ handle: a.handle })),
    ]);
  }
  const nav = navRow(pageNo, page.hasMore, (p) => authorsButton.encode({ page: p }));
  if (nav.length > 0) rows.push(nav);
  return { text: lines.join('\n'), reply_markup: { inline_keyboard: rows } };
}

const timeFmt = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});

/** Characters of comment text one comments page may show (Telegram's limit is 4,096 in all). */
const COMMENTS_TEXT_BUDGET = 3200;

/** An article's comments, newest first, with post (and, for admins, delete) buttons. */
export function commentsView(
  meta: ArticleMeta,
  page: OffsetPage<Comment>,
  pageNo: number,
  isAdmin: boolean,
): View {
  const lines = [`💬 <b>Comments on “${e(truncate(meta.title, 120))}”</b>`, ''];
  const rows: InlineKeyboardButton[][] = [];
  if (page.items.length === 0) {
    lines.push(pageNo > 0 ? 'No more comments.' : 'No replies/comments found for this voice. Be the first!');
  }
  // Five comments of 1,000 characters would pass Telegram's 4,096 limit. Shorten the texts
  // before escaping: cutting the finished HTML could split a tag or an entity (`&am…`).
  const total = page.items.reduce((n, c) => n + c.text.length, 0);
  const perComment =
    total > COMMENTS_TEXT_BUDGET ? Math.floor(COMMENTS_TEXT_BUDGET / page.items.length) : total;
  for (const c of page.items) {
    lines.push(
      `<b>${e(truncate(c.userName, 64))}</b> · ${e(timeFmt.format(new Date(c.createdAt)))} UTC`,
      e(truncate(c.text, perComment)),
      '',
    );
    // Article ids are capped at 40 characters (core/ids.ts) so this button always fits 64 bytes.
    if (isAdmin) {
      rows.push([
        cb(
          `🗑 Delete: ${truncate(c.userName, 16)} — ${truncate(c.text, 24)}`,
          deleteCommentButton.encode({ id: meta.id, commentId: c.commentId }),
        ),
      ]);
    }
  }
  const nav = navRow(pageNo, page.hasMore, (p) =>
    commentsButton.encode({ id: meta.id, page: p, from: 'comments' }),
  );
  if (nav.length > 0) rows.push(nav);
  rows.push([
    cb('✍️ Post a comment', postCommentButton.encode({ id: meta.id })),
    cb('↩️ Article', openButton.encode({ id: meta.id })),
  ]);
  return { text: lines.join('\n').trimEnd(), reply_markup: { inline_keyboard: rows } };
}

export const HELP_TEXT = [
  '<b>Herald</b> brings our articles to Telegram.',
  '',
  '/latest — the latest articles',
  '/authors — all authors',
  '/author &lt;handle&gt; — an author’s profile',
  '/search &lt;words&gt; — find articles by words in the title',
  '/subscribe &lt;handle&gt; — get an alert when an author publishes',
  '/unsubscribe &lt;handle&gt; — stop those alerts',
  '/subscriptions — the authors you follow',
  '/shared — what you shared and how many friends opened it',
  '/cancel — stop writing a comment',
  '/help — this list',
  '',
  'You can also type words to search titles, or use me inline in any chat: type @ and my name, then words.',
].join('\n');

export function welcome(firstName: string): string {
  return [
    `👋 Welcome, ${e(firstName)}!`,
    '',
    'I bring you summaries of our latest articles, let you follow your favourite authors and tell you when they publish, and help you share articles with friends.',
    '',
    'Try /latest or /authors — or /help for everything I can do.',
  ].join('\n');
}

export const startKeyboard: InlineKeyboardMarkup = {
  inline_keyboard: [
    [
      cb('📰 Latest articles', latestButton.encode({ page: 0 })),
      cb('✍️ Authors', authorsButton.encode({ page: 0 })),
    ],
  ],
};

/** "Not found" with a way forward. */
export function notFound(what: string): View {
  return { text: `🤷 ${e(what)}`, reply_markup: startKeyboard };
}
