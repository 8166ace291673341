/**
 * Every view the bot can render must pass Telegram's HTML parser (the stand-in's copy of it)
 * and stay within 4,096 characters after parsing, whatever authors, admins and users typed;
 * every button must carry ≤ 64 bytes of callback data even with the longest ids and handles.
 */
import type { InlineKeyboardButton } from 'telegraf/types';
import {
  articleCard,
  authorArticlesList,
  authorProfile,
  authorsList,
  commentsView,
  fullTextPage,
  latestList,
  notFound,
  searchResults,
  type View,
  welcome,
} from '../../../functions/bot/views';
import { blocksFromPlainText } from '../../../functions/core/body/blocks';
import type { ArticleMeta, Author, Comment } from '../../../functions/core/model';
import type { ArticleRow } from '../../../functions/core/ports';
import { telegramLength } from '../../../functions/core/text';
import { createTranslator, stripBidiControls, type Translator } from '../../../functions/i18n';
import { parseTelegramHtml, trimFormattedText } from '../../../functions/local/telegram-html';
import { renderHtmlPages } from '../../../functions/render/html-pages';

/** Markup-looking text, entities, quotes, emoji (with ZWJ), RTL and CJK. */
const NASTY = `<b>"Tom & Jerry"</b> <script>x</script> &amp; &lt; </i> 🚲👩‍👩‍👧 Город 北京 עברית`;
/** Exactly `n` UTF-16 code units of the characters that need escaping (and emoji). */
const nasty = (n: number): string => '<&">🚲 x'.repeat(Math.ceil(n / 8)).slice(0, n);
const MAX_ID = `a${'-b'.repeat(19)}x`; // 40 characters, the longest id allowed
const MAX_HANDLE = 'h'.repeat(32);
/** The longest comment id the callback format accepts. */
const MAX_COMMENT_ID = 'z'.repeat(18); // the longest commentIdFor() can build

/** The buttons, their labels without direction marks (the words are what these tests check). */
function buttonsOf(view: View | { reply_markup?: View['reply_markup'] }): InlineKeyboardButton[] {
  return (view.reply_markup?.inline_keyboard.flat() ?? []).map((b) => ({
    ...b,
    text: stripBidiControls(b.text),
  }));
}

/** Parses like the Bot API, checks the limits, and returns the text the reader sees. */
function sendable(view: View): string {
  const parsed = trimFormattedText(parseTelegramHtml(view.text));
  expect(telegramLength(parsed.text)).toBeGreaterThan(0);
  expect(telegramLength(parsed.text)).toBeLessThanOrEqual(4096);
  for (const b of buttonsOf(view)) {
    expect(b.text.length).toBeGreaterThan(0);
    if ('callback_data' in b) expect(Buffer.byteLength(b.callback_data, 'utf8')).toBeLessThanOrEqual(64);
  }
  // Isolates are checked where they go (test/integration/bot/languages.test.ts); here, the words.
  return stripBidiControls(parsed.text);
}

const en = createTranslator('en');

function meta(over: Partial<ArticleMeta> = {}): ArticleMeta {
  return {
    id: 'article-00',
    title: NASTY,
    authorHandle: 'jdoe',
    authorName: NASTY,
    publishedAt: '2026-11-20T08:00:00Z',
    summary: nasty(1000),
    readingMinutes: 12,
    wordCount: 2700,
    views: 1234567,
    replies: 0,
    shares: 0,
    shareOpens: 0,
    alertsSent: 0,
    ...over,
  };
}

function row(i: number, over: Partial<ArticleRow> = {}): ArticleRow {
  return {
    id: `${MAX_ID.slice(0, 46)}${String(i).padStart(2, '0')}`,
    title: nasty(300),
    authorHandle: MAX_HANDLE,
    authorName: nasty(128),
    publishedAt: '2026-11-20T08:00:00Z',
    ...over,
  };
}

function author(over: Partial<Author> = {}): Author {
  return {
    handle: MAX_HANDLE,
    fullName: nasty(128),
    userSince: '2008-03-15',
    bio: nasty(1000),
    siteUrl: 'https://example.org/voices?a=1&b="2"',
    articleCount: 1_000,
    subscriberCount: 25_000,
    ...over,
  };
}

function comment(i: number, over: Partial<Comment> = {}): Comment {
  return {
    articleId: MAX_ID,
    commentId: `${MAX_COMMENT_ID.slice(0, 16)}${String(i).padStart(2, '0')}`,
    userId: 1000 + i,
    userName: nasty(64),
    text: nasty(1000),
    createdAt: '2026-11-20T08:00:00Z',
    ...over,
  };
}

describe('articleCard', () => {
  it('escapes every stored string: the reader sees the title and author exactly as written', () => {
    // Prepare
    const m = meta({ summary: `Summary with ${NASTY}.` });

    // Act
    const text = sendable(articleCard(en, m, { heading: en.t('share-heading', { name: NASTY }) }));

    // Assess
    expect(text).toContain(`${NASTY} shared this with you`);
    expect(text.split('\n')).toContain(NASTY);
    expect(text).toContain(`by ${NASTY} (@jdoe) · 20 Nov 2026 · 12 min read`);
    expect(text).toContain(`Summary with ${NASTY}.`);
    expect(text).toContain('👁 Views: 1,234,567 · 💬 No comments yet');
  });

  it('stays within the limits with a 300-character title, the longest names and ids, and a long summary', () => {
    // Prepare
    const m = meta({
      id: MAX_ID,
      title: nasty(300),
      authorName: nasty(128),
      authorHandle: MAX_HANDLE,
      replies: 5,
    });

    // Act
    const view = articleCard(en, m, { heading: en.t('share-heading', { name: nasty(64) }) });

    // Assess
    const text = sendable(view);
    expect(text).toContain(nasty(300));
    expect(text).toContain('💬 Replies: 5');
    expect(buttonsOf(view).map((b) => b.text)).toEqual([
      '📖 Read the full article',
      '🔔 Subscribe',
      expect.stringMatching(/^👤 /),
      '📤 Share with a friend',
      '💬 Comments (5)',
    ]);
  });

  it('gives a URL button when the article has a URL, and still renders a title-only article', () => {
    // Prepare
    const withUrl = meta({ url: 'https://example.org/a?x=1&y=2' });
    const titleOnly = meta({ summary: '', wordCount: 0, readingMinutes: 0 });

    // Act
    const a = articleCard(en, withUrl);
    const b = articleCard(en, titleOnly);

    // Assess
    sendable(a);
    expect(buttonsOf(a)[0]).toEqual({
      text: '📖 Read the full article',
      url: 'https://example.org/a?x=1&y=2',
    });
    expect(sendable(b)).toContain('👁 Views');
    expect(buttonsOf(b).map((x) => x.text)).not.toContain('📖 Read the full article');
  });
});

describe('fullTextPage', () => {
  it('keeps every page of a long article with a 300-character title within 4,096 characters, escaped once', () => {
    // Prepare: words of characters that need escaping, so each page is ~3,500 characters of text
    const paragraphs = Array.from({ length: 4 }, () =>
      Array.from({ length: 900 }, () => '<a&b> "c"').join(' '),
    );
    const body = paragraphs.join('\n\n');
    const pages = renderHtmlPages(blocksFromPlainText(body));
    const m = meta({ id: MAX_ID, title: nasty(300) });

    // Act
    const views = pages.map((_, i) => fullTextPage(en, m, pages, i));

    // Assess: the reader sees the author's characters, not `&amp;lt;`
    expect(pages.length).toBeGreaterThan(2);
    expect(views.map(sendable).join('\n')).not.toContain('&amp;');
    views.forEach((v, i) => {
      const text = sendable(v);
      expect(text).toContain('<a&b> "c" <a&b>');
      expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
    });
    const nav = (i: number) => buttonsOf(views[i]!).map((b) => b.text);
    expect(nav(0)).toEqual(['· 1 ·', '▶', '↩️ Back to the card']);
    expect(nav(1)).toEqual(['◀', '· 2 ·', '▶', '↩️ Back to the card']);
    expect(nav(pages.length - 1)).toEqual(['◀', `· ${pages.length} ·`, '↩️ Back to the card']);
  });
});

describe('lists', () => {
  const fullPage = { items: [0, 1, 2, 3, 4].map((i) => row(i)), hasMore: true };

  it('latest, an author’s articles and search results stay within the limits on a far page', () => {
    // Prepare
    const views = [
      latestList(en, fullPage, 1998),
      authorArticlesList(en, author(), fullPage, 1998),
      searchResults(en, nasty(100), fullPage, 1998),
    ];

    // Act
    const texts = views.map(sendable);

    // Assess
    for (const t of texts) expect(t).toContain(nasty(300));
    expect(buttonsOf(views[0]!).map((b) => ('callback_data' in b ? b.callback_data : ''))).toContain(
      '1:l:1999',
    );
    expect(buttonsOf(views[1]!).map((b) => ('callback_data' in b ? b.callback_data : ''))).toContain(
      `1:ua:${MAX_HANDLE}:1999`,
    );
  });

  it('drops the search ▶ when the query does not fit in a button, instead of failing', () => {
    // Prepare
    const query = 'ж'.repeat(60);

    // Act
    const view = searchResults(en, query, fullPage, 0);

    // Assess
    sendable(view);
    expect(buttonsOf(view).map((b) => b.text)).not.toContain('▶');
  });

  it('the authors list and an author profile stay within the limits', () => {
    // Prepare
    const authors = { items: [0, 1, 2, 3, 4].map(() => author()), hasMore: true };
    const latest = [0, 1, 2, 3, 4].map((i) => row(i));

    // Act
    const list = sendable(authorsList(en, authors, 1998));
    const profile = authorProfile(en, author(), latest, true);
    const profileText = sendable(profile);

    // Assess
    expect(list).toContain(`${nasty(128)} (@${MAX_HANDLE}) · 1,000 voices`);
    expect(profileText).toContain('User since: 15 Mar 2008');
    expect(profileText).toContain('Voices: 1,000 · Subscribers: 25,000');
    expect(profileText).toContain(nasty(1000));
    expect(buttonsOf(profile).at(-1)?.text).toBe('🔕 Unsubscribe');
  });
});

describe('commentsView', () => {
  it('shows five 1,000-character comments of markup-like text as valid HTML within 4,096 characters', () => {
    // Prepare
    const page = { items: [0, 1, 2, 3, 4].map((i) => comment(i)), newer: '0000000a', older: '0000000b' };

    // Act
    const view = commentsView(en, meta({ id: 'article-00', title: nasty(300) }), page, false, false);

    // Assess
    const text = sendable(view);
    expect(text).toContain(nasty(64));
    const texts = buttonsOf(view).map((b) => b.text);
    // Each comment was cut to fit: each gets its 📖 button to read it whole.
    expect(texts.filter((t) => t.startsWith('📖'))).toHaveLength(5);
    expect(texts.filter((t) => !t.startsWith('📖'))).toEqual(['◀', '▶', '✍️ Post a comment', '↩️ Article']);
  });

  it('stays valid HTML for five long comments of ordinary prose with quotes, whatever their length', () => {
    // Prepare: lengths that used to put a cut inside a <b> name or an &quot; entity
    const prose = (n: number) => 'Cities are for "people", not cars. '.repeat(40).slice(0, n);
    const pages = [700, 735, 763, 798, 833, 868, 903, 1000].map((n) => ({
      items: [0, 1, 2, 3, 4].map((i) => comment(i, { userName: `Reader Number ${i}`, text: prose(n) })),
    }));
    const ampersands = {
      items: [0, 1, 2, 3, 4].map((i) => comment(i, { text: '&'.repeat(1000) })),
    };

    // Act
    const views = [...pages, ampersands].map((p) => commentsView(en, meta(), p, false, false));

    // Assess
    for (const v of views) sendable(v);
    expect(sendable(views[0]!)).toContain(`Reader Number 4`);
  });

  it('shows short comments in full, newest first as given', () => {
    // Prepare
    const page = {
      items: [
        comment(1, { userName: 'Ann', text: 'Second <3 & "more"' }),
        comment(0, { userName: 'Bob', text: 'First' }),
      ],
    };

    // Act
    const text = sendable(commentsView(en, meta(), page, false, false));

    // Assess
    expect(text.indexOf('Second <3 & "more"')).toBeGreaterThan(-1);
    expect(text.indexOf('Second <3 & "more"')).toBeLessThan(text.indexOf('First'));
    expect(text).toContain('Ann · 20 Nov, 08:00 UTC');
  });

  it('never produces an oversized delete button for an admin, even with the longest ids', () => {
    // Prepare
    const page = { items: [0, 1, 2, 3, 4].map((i) => comment(i)), newer: '0000000a', older: '0000000b' };

    // Act
    const render = () => commentsView(en, meta({ id: MAX_ID }), page, true, true);

    // Assess
    expect(render).not.toThrow();
    sendable(render());
  });

  it('gives an admin a delete button per comment for ordinary ids', () => {
    // Prepare: a comment id as the bot builds it (7 + 6 base-36 digits)
    const page = {
      items: [comment(0, { commentId: '0tt5k3w8ac7lt', userName: 'Ann', text: 'Hi' })],
    };

    // Act
    const view = commentsView(en, meta({ id: 'bikes-and-cities-part-two-a-longer-slug' }), page, false, true);

    // Assess
    sendable(view);
    expect(buttonsOf(view)[0]).toEqual({
      text: '🗑 Delete: Ann — Hi',
      callback_data: '1:dc:bikes-and-cities-part-two-a-longer-slug:0tt5k3w8ac7lt',
    });
  });

  it('says so when there are no comments', () => {
    // Prepare
    const empty = { items: [] };

    // Act
    const text = sendable(commentsView(en, meta(), empty, false, false));

    // Assess
    expect(text).toContain('No replies/comments found for this voice. Be the first!');
  });
});

describe('fixed texts', () => {
  it('welcome, help and not-found pass the parser with hostile names', () => {
    // Prepare
    const name = nasty(64);

    // Act
    const texts = [
      sendable(welcome(en, name)),
      sendable({ text: en.t('help-text') }),
      sendable(notFound(en, en.t('authors-not-found', { handle: `@${NASTY}` }))),
    ];

    // Assess
    expect(texts[0]).toContain(`Welcome, ${name}!`);
    expect(texts[1]).toContain('/author <handle>');
    expect(texts[2]).toContain(NASTY);
  });

  it('formats dates as the publisher does (one format, also for "User since")', () => {
    // Act
    const shown = [en.date('2008-03-15'), en.date('2026-11-25T23:30:00-02:00')];

    // Assess
    expect(shown).toEqual(['15 Mar 2008', '26 Nov 2026']);
  });
});

/**
 * Issue 13: every message in every locale at its longest realistic values stays within Telegram's
 * limits — 4,096 characters of text after parsing, 64 bytes of callback data — and still says
 * what the reader needs (the longest values survive whole where the view shows them whole).
 */
describe.each(['en', 'ar', 'ur', 'ru'] as const)('every view in %s at its longest', (locale) => {
  const t: Translator = createTranslator(locale);
  const fullPage = { items: [0, 1, 2, 3, 4].map((i) => row(i)), hasMore: true };
  const longest = meta({
    id: MAX_ID,
    title: nasty(300),
    authorName: nasty(128),
    authorHandle: MAX_HANDLE,
    replies: 123_456_789,
    views: 987_654_321,
  });

  it('cards, alerts and full-text pages', () => {
    const pages = renderHtmlPages(
      blocksFromPlainText(Array.from({ length: 4 }, () => '<a&b> "c" '.repeat(900)).join('\n\n')),
    );
    const views = [
      articleCard(t, longest, { heading: t.t('share-heading', { name: nasty(64) }), subscribed: true }),
      articleCard(t, longest, { heading: t.t('alerts-heading', { author: nasty(128) }) }),
      ...pages.map((_, i) => fullTextPage(t, longest, pages, i)),
    ];
    for (const v of views) sendable(v);
    expect(sendable(views[0] as View)).toContain(nasty(300));
  });

  it('lists, profiles and comments on the deepest page', () => {
    const views = [
      latestList(t, fullPage, 1998),
      authorArticlesList(t, author(), fullPage, 1998),
      searchResults(t, nasty(100), fullPage, 1998),
      authorsList(t, { items: [0, 1, 2, 3, 4].map(() => author()), hasMore: true }, 1998),
      authorProfile(
        t,
        author(),
        [0, 1, 2, 3, 4].map((i) => row(i)),
        false,
      ),
      commentsView(
        t,
        longest,
        { items: [0, 1, 2, 3, 4].map((i) => comment(i)), newer: 'z'.repeat(18), older: 'z'.repeat(18) },
        true,
        true,
      ),
      welcome(t, nasty(64)),
      { text: t.t('help-text') },
    ];
    for (const v of views) expect(sendable(v)).not.toBe('');
  });
});
