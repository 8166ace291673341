/**
 * Message texts (Telegram HTML parse mode) and their inline keyboards, in the reader's language.
 * Every word comes from the catalogues (functions/i18n/locales) through the update's translator,
 * which escapes and direction-isolates every value it is given; data shown outside a catalogue
 * message (summaries, bios) passes through `escapeHtml` here, so escaping cannot be forgotten in
 * a feature module. Values are shortened before they are passed, never the finished HTML.
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'telegraf/types';
import type { DeliveryMode } from '../core/delivery-mode';
import type { ArticleMeta, Author, Comment } from '../core/model';
import type { ArticleRow, CommentPage, OffsetPage } from '../core/ports';
import { escapeHtml as e, truncate } from '../core/text';
import {
  attr,
  DEFAULT_LOCALE,
  date,
  dateTime,
  type I18n,
  isSupportedLocale,
  ltr,
  type Translator,
} from '../i18n';
import { defineCallback } from './callback';
import { authorPayload, deepLinkUrl, openInBotButtons } from './deep-link';
import { fullTextButton, latestButton, openButton } from './features/articles-buttons';
import { authorArticlesButton, authorButton, authorsButton } from './features/authors-buttons';
import {
  commentsButton,
  deleteCommentButton,
  fullCommentButton,
  newerCommentsButton,
  olderCommentsButton,
  postCommentButton,
} from './features/comments-buttons';
import { searchPageButton } from './features/search-buttons';
import { modeButton, tagsButton } from './features/settings-buttons';
import { shareButton } from './features/share-buttons';
import { subscribeButton, unsubscribeButton } from './features/subscriptions-buttons';

export interface View {
  text: string;
  reply_markup?: InlineKeyboardMarkup;
}

export const PAGE_SIZE = 5;
const BUTTON_TITLE_CHARS = 48;

const cb = (text: string, data: string): InlineKeyboardButton => ({ text, callback_data: data });

/** `@handle` as a left-to-right value (isolated whole, `@` included, in right-to-left replies). */
export const handleArg = (handle: string) => ltr(`@${handle}`);

/** The "· 2 ·" between ◀ and ▶: pressing it only stops the button's spinner. */
export const pageNumberButton = defineCallback('n', {});

export function navRow(
  tr: Translator,
  page: number,
  hasMore: boolean,
  make: (page: number) => string | undefined,
): InlineKeyboardButton[] {
  const row: InlineKeyboardButton[] = [];
  const prev = page > 0 ? make(page - 1) : undefined;
  const next = hasMore ? make(page + 1) : undefined;
  if (prev) row.push(cb('◀', prev));
  if (prev || next)
    row.push(cb(tr.text('common-button-page', { page: page + 1 }), pageNumberButton.encode({})));
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
  /** A line above the card, already formatted (HTML from the catalogue: "New from …"). */
  heading?: string;
  /** The reader follows the author: the button offers 🔕 Unsubscribe instead of 🔔 Subscribe. */
  subscribed?: boolean;
  /** The reader's mode for the author, when known (they follow them): a button shows and switches it. */
  mode?: DeliveryMode;
  /**
   * Shown in a group (the bot's username): the buttons open the private chat instead of acting,
   * since everyone sees the message and a press would act for whoever pressed it.
   */
  inGroupOf?: string;
}

/** The subscribe or unsubscribe button for an author, as the reader's state wants. */
export function followButton(
  tr: Translator,
  handle: string,
  subscribed: boolean,
  from: 'card' | 'profile',
): InlineKeyboardButton {
  return subscribed
    ? cb(tr.text('authors-button-unsubscribe'), unsubscribeButton.encode({ handle, from }))
    : cb(tr.text('authors-button-subscribe'), subscribeButton.encode({ handle, from }));
}

/** The button that opens an author's profile ("👤 name"). */
function authorProfileButton(tr: Translator, name: string, handle: string, chars: number) {
  return cb(
    tr.text('common-button-author', { name: truncate(name, chars) }),
    authorButton.encode({ handle }),
  );
}

/** The card's buttons below "Read the full article": subscribe and author, share and comments. */
export function articleButtons(
  tr: Translator,
  meta: ArticleMeta,
  subscribed: boolean,
  mode?: DeliveryMode,
): InlineKeyboardButton[][] {
  const follow = [followButton(tr, meta.authorHandle, subscribed, 'card')];
  if (subscribed && mode) follow.push(modeButton(tr, meta.authorHandle, mode, 'c'));
  const social = [
    cb(tr.text('articles-button-share'), shareButton.encode({ id: meta.id })),
    cb(
      tr.text('articles-button-comments', { count: meta.replies }),
      commentsButton.encode({ id: meta.id, page: 0, from: 'card' }),
    ),
  ];
  if (meta.tags && meta.tags.length > 0) social.push(tagsButton(tr, meta.id));
  return [[...follow, authorProfileButton(tr, meta.authorName, meta.authorHandle, 30)], social];
}

/**
 * The line under an article's title: "by Dr. Jane Doe (@jdoe) · 25 Nov 2026 · 7 min read".
 * HTML with `html` (the card), plain text otherwise (a rich message's byline).
 */
export function articleByline(tr: Translator, meta: ArticleMeta, html = true): string {
  const args = {
    author: meta.authorName,
    handle: handleArg(meta.authorHandle),
    date: date(meta.publishedAt),
    minutes: meta.readingMinutes,
  };
  const key = meta.readingMinutes > 0 ? 'articles-card-byline-reading' : 'articles-card-byline';
  return html ? tr.t(key, args) : tr.text(key, args);
}

/** The article card: title, author, date, reading time, summary, Views, Replies, and its buttons. */
export function articleCard(tr: Translator, meta: ArticleMeta, opts: CardOptions = {}): View {
  const lines: string[] = [];
  if (opts.heading) lines.push(`<i>${opts.heading}</i>`, '');
  lines.push(`<b>${e(meta.title)}</b>`);
  lines.push(articleByline(tr, meta));
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
  lines.push(tr.t('articles-card-counters', { views: meta.views, replies: meta.replies }));

  if (opts.inGroupOf !== undefined)
    return {
      text: lines.join('\n'),
      reply_markup: { inline_keyboard: openInBotButtons(tr, meta, opts.inGroupOf) },
    };
  const rows: InlineKeyboardButton[][] = [];
  const readFull = tr.text('articles-button-read-full');
  if (meta.url) rows.push([{ text: readFull, url: meta.url }]);
  else if (meta.wordCount > 0)
    rows.push([cb(readFull, fullTextButton.encode({ id: meta.id, page: 0, from: 'card' }))]);
  rows.push(...articleButtons(tr, meta, opts.subscribed === true, opts.mode));
  return { text: lines.join('\n'), reply_markup: { inline_keyboard: rows } };
}

/**
 * The alert a subscriber gets, in the subscriber's language: the article card under "New from
 * <author>". Its recipients are the author's subscribers by definition, so the card offers
 * 🔕 Unsubscribe (no read needed).
 */
export function alertView(tr: Translator, meta: ArticleMeta): View {
  return articleCard(tr, meta, {
    heading: tr.t('alerts-heading', { author: meta.authorName }),
    subscribed: true,
  });
}

/**
 * The sender's renderer: the alert in a subscriber's stored language (a language no longer
 * supported, or none, gets English).
 */
export function alertRenderer(i18n: I18n): (meta: ArticleMeta, locale: string | undefined) => View {
  return (meta, locale) =>
    alertView(i18n.translator(isSupportedLocale(locale) ? locale : DEFAULT_LOCALE), meta);
}

/**
 * One page of the full text in the paged fallback (no Rich Messages in this chat). `htmlPages`
 * are Telegram HTML from functions/render/html-pages.ts, escaped there: they go out as they are.
 */
export function fullTextPage(
  tr: Translator,
  meta: ArticleMeta,
  htmlPages: readonly string[],
  page: number,
): View {
  const body = htmlPages[page] ?? '';
  // A page is up to 3,500 visible characters; a 300-character title and the footer on top would
  // pass Telegram's 4,096, so the heading is shortened (the card above shows the whole title).
  const header = page === 0 ? `<b>${e(truncate(meta.title, 200))}</b>\n\n` : '';
  const footer =
    htmlPages.length > 1
      ? `\n\n${tr.t('articles-full-page-footer', { page: page + 1, pages: htmlPages.length })}`
      : '';
  const rows: InlineKeyboardButton[][] = [];
  const nav = navRow(tr, page, page + 1 < htmlPages.length, (p) =>
    fullTextButton.encode({ id: meta.id, page: p, from: 'text' }),
  );
  if (nav.length > 0) rows.push(nav);
  rows.push([cb(tr.text('articles-button-back-to-card'), openButton.encode({ id: meta.id }))]);
  return { text: `${header}${body}${footer}`, reply_markup: { inline_keyboard: rows } };
}

function articleList(
  tr: Translator,
  title: string,
  page: OffsetPage<ArticleRow>,
  pageNo: number,
  make: (page: number) => string | undefined,
  empty: string,
  showAuthor = true,
): View {
  if (page.items.length === 0) {
    const rows = pageNo > 0 ? [navRow(tr, pageNo, false, make)] : [];
    return {
      text: `${title}\n\n${pageNo > 0 ? tr.t('articles-list-no-more') : empty}`,
      reply_markup: { inline_keyboard: rows },
    };
  }
  const lines = [title, ''];
  const rows: InlineKeyboardButton[][] = [];
  page.items.forEach((row, i) => {
    const n = pageNo * PAGE_SIZE + i + 1;
    lines.push(
      showAuthor
        ? tr.t('articles-list-item', {
            n,
            title: row.title,
            author: row.authorName,
            date: date(row.publishedAt),
          })
        : tr.t('articles-list-item-no-author', { n, title: row.title, date: date(row.publishedAt) }),
    );
    rows.push([
      cb(
        tr.text('articles-list-button', { n, title: truncate(row.title, BUTTON_TITLE_CHARS) }),
        openButton.encode({ id: row.id }),
      ),
    ]);
  });
  const nav = navRow(tr, pageNo, page.hasMore, make);
  if (nav.length > 0) rows.push(nav);
  return { text: lines.join('\n'), reply_markup: { inline_keyboard: rows } };
}

export function latestList(tr: Translator, page: OffsetPage<ArticleRow>, pageNo: number): View {
  return articleList(
    tr,
    tr.t('articles-latest-title', { page: pageNo + 1 }),
    page,
    pageNo,
    (p) => latestButton.encode({ page: p }),
    tr.t('articles-latest-empty'),
  );
}

export function authorArticlesList(
  tr: Translator,
  author: Author,
  page: OffsetPage<ArticleRow>,
  pageNo: number,
): View {
  const view = articleList(
    tr,
    tr.t('articles-by-author-title', { author: author.fullName, page: pageNo + 1 }),
    page,
    pageNo,
    (p) => authorArticlesButton.encode({ handle: author.handle, page: p }),
    tr.t('articles-by-author-empty'),
    false,
  );
  view.reply_markup?.inline_keyboard.push([authorProfileButton(tr, author.fullName, author.handle, 30)]);
  return view;
}

export function searchResults(
  tr: Translator,
  query: string,
  page: OffsetPage<ArticleRow>,
  pageNo: number,
): View {
  return articleList(
    tr,
    tr.t('search-results-title', { query: truncate(query, 60), page: pageNo + 1 }),
    page,
    pageNo,
    (p) => searchPageButton.tryEncode({ page: p, query }),
    tr.t('search-results-empty'),
  );
}

/** Articles offered right after a follow: how many, in one list message (never one message each). */
export const LATEST_ON_FOLLOW = 3;

/**
 * The latest articles of what the reader just followed, as one message of open buttons under
 * `heading` (HTML from the catalogue); undefined when there are none.
 */
export function latestOnFollow(
  tr: Translator,
  heading: string,
  rows: readonly ArticleRow[],
): View | undefined {
  if (rows.length === 0) return undefined;
  return {
    text: heading,
    reply_markup: {
      inline_keyboard: rows.map((row) => [
        cb(
          tr.text('common-button-article', { title: truncate(row.title, BUTTON_TITLE_CHARS) }),
          openButton.encode({ id: row.id }),
        ),
      ]),
    },
  };
}

/** The author profile: full name, handle, user since, voices, subscribers, latest articles. */
export function authorProfile(
  tr: Translator,
  author: Author,
  latest: ArticleRow[],
  subscribed: boolean | undefined,
  mode?: DeliveryMode,
  /** Shown in a group (the bot's username): subscribing opens the private chat (see CardOptions). */
  inGroupOf?: string,
): View {
  const lines = [
    tr.t('authors-profile-heading', { name: author.fullName, handle: handleArg(author.handle) }),
    tr.t('authors-profile-since', { date: date(author.userSince) }),
    tr.t('authors-profile-counters', { articles: author.articleCount, subscribers: author.subscriberCount }),
  ];
  if (author.bio) lines.push('', e(truncate(author.bio, 1000)));
  if (author.siteUrl)
    lines.push(
      '',
      tr.t('authors-profile-site', { url: attr(author.siteUrl), label: ltr(truncate(author.siteUrl, 100)) }),
    );
  lines.push('', latest.length > 0 ? tr.t('authors-profile-latest') : tr.t('authors-profile-no-articles'));
  const rows: InlineKeyboardButton[][] = latest.map((row) => [
    cb(
      tr.text('common-button-article', { title: truncate(row.title, BUTTON_TITLE_CHARS) }),
      openButton.encode({ id: row.id }),
    ),
  ]);
  if (author.articleCount > latest.length) {
    rows.push([
      cb(
        tr.text('authors-button-all-articles'),
        authorArticlesButton.encode({ handle: author.handle, page: 0 }),
      ),
    ]);
  }
  if (inGroupOf !== undefined) {
    const url = deepLinkUrl(inGroupOf, authorPayload(author.handle));
    rows.push([{ text: tr.text('channels-button-subscribe'), url }]);
    return { text: lines.join('\n'), reply_markup: { inline_keyboard: rows } };
  }
  const follow = [followButton(tr, author.handle, subscribed === true, 'profile')];
  if (subscribed && mode) follow.push(modeButton(tr, author.handle, mode, 'p'));
  rows.push(follow);
  return { text: lines.join('\n'), reply_markup: { inline_keyboard: rows } };
}

export function authorsList(tr: Translator, page: OffsetPage<Author>, pageNo: number): View {
  if (page.items.length === 0) return { text: tr.t('authors-list-empty') };
  const lines = [tr.t('authors-list-title', { page: pageNo + 1 }), ''];
  const rows: InlineKeyboardButton[][] = [];
  for (const a of page.items) {
    lines.push(
      tr.t('authors-list-item', { name: a.fullName, handle: handleArg(a.handle), count: a.articleCount }),
    );
    rows.push([authorProfileButton(tr, a.fullName, a.handle, BUTTON_TITLE_CHARS)]);
  }
  const nav = navRow(tr, pageNo, page.hasMore, (p) => authorsButton.encode({ page: p }));
  if (nav.length > 0) rows.push(nav);
  return { text: lines.join('\n'), reply_markup: { inline_keyboard: rows } };
}

/**
 * Characters of comment text one comments page may show (Telegram's limit is 4,096 in all). The
 * headings around it carry direction isolates (two per value) and, in Russian, longer words: the
 * limit test renders the longest page in every locale.
 */
const COMMENTS_TEXT_BUDGET = 3200;

/** An article's comments, newest first, with post (and, for admins, delete) buttons. */
export function commentsView(
  tr: Translator,
  meta: ArticleMeta,
  page: CommentPage,
  paged: boolean,
  isAdmin: boolean,
): View {
  const lines = [tr.t('comments-title', { title: truncate(meta.title, 120) }), ''];
  const rows: InlineKeyboardButton[][] = [];
  if (page.items.length === 0) lines.push(tr.t(paged ? 'comments-no-more' : 'comments-none'));
  // Five comments of 1,000 characters would pass Telegram's 4,096 limit. Shorten the texts
  // before escaping: cutting the finished HTML could split a tag or an entity (`&am…`).
  const total = page.items.reduce((n, c) => n + c.text.length, 0);
  const perComment =
    total > COMMENTS_TEXT_BUDGET ? Math.floor(COMMENTS_TEXT_BUDGET / page.items.length) : total;
  for (const c of page.items) {
    lines.push(
      tr.t('comments-item-heading', { name: truncate(c.userName, 64), time: dateTime(c.createdAt) }),
      e(truncate(c.text, perComment)),
      '',
    );
    // A comment cut to fit gets a button that shows it whole (issue 17, item 16).
    if (c.text.length > perComment) {
      rows.push([
        cb(
          tr.text('comments-button-full', { name: truncate(c.userName, 20), start: truncate(c.text, 20) }),
          fullCommentButton.encode({ id: meta.id, commentId: c.commentId }),
        ),
      ]);
    }
    // Admin-only (left in English, docs/i18n.md). Article ids are capped at 40 characters
    // (core/ids.ts) so this button always fits 64 bytes.
    if (isAdmin) {
      rows.push([
        cb(
          `🗑 Delete: ${truncate(c.userName, 16)} — ${truncate(c.text, 24)}`,
          deleteCommentButton.encode({ id: meta.id, commentId: c.commentId }),
        ),
      ]);
    }
  }
  const nav: InlineKeyboardButton[] = [];
  if (page.newer !== undefined)
    nav.push(cb('◀', newerCommentsButton.encode({ id: meta.id, cursor: page.newer })));
  if (page.older !== undefined)
    nav.push(cb('▶', olderCommentsButton.encode({ id: meta.id, cursor: page.older })));
  if (nav.length > 0) rows.push(nav);
  rows.push([
    cb(tr.text('comments-button-post'), postCommentButton.encode({ id: meta.id })),
    cb(tr.text('comments-button-article'), openButton.encode({ id: meta.id })),
  ]);
  return { text: lines.join('\n').trimEnd(), reply_markup: { inline_keyboard: rows } };
}

export function welcome(tr: Translator, firstName: string): View {
  return { text: tr.t('start-welcome', { name: firstName }), reply_markup: startKeyboard(tr) };
}

export function startKeyboard(tr: Translator): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      [
        cb(tr.text('start-button-latest'), latestButton.encode({ page: 0 })),
        cb(tr.text('start-button-authors'), authorsButton.encode({ page: 0 })),
      ],
    ],
  };
}

/** "Not found" (a catalogue message, HTML) with a way forward. */
export function notFound(tr: Translator, html: string): View {
  return { text: html, reply_markup: startKeyboard(tr) };
}

/** One comment in full (opened from a comments page where it was cut to fit). */
export function fullCommentView(tr: Translator, c: Comment): View {
  return {
    text: [
      tr.t('comments-item-heading', { name: truncate(c.userName, 64), time: dateTime(c.createdAt) }),
      e(c.text),
    ].join('\n'),
  };
}
