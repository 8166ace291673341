/**
 * "Read the full article" as Rich Messages (issue 11) through the webhook, on DynamoDB Local and
 * the stand-in, which validates each rich message as Telegram does: every demo article, a
 * 60,000-character article in parts with the card's buttons on the last, the paged fallback
 * where rich messages are unavailable, hostile Markdown, the card that knows its reader, the
 * `r_` deep link, and bodies stored before there was a block model.
 */
import type { InputRichMessage } from '@grammyjs/types';
import { MAX_RICH_PARTS } from '../../../functions/bot/features/reading';
import type { ArticleInput } from '../../../functions/core/model';
import { publishArticle, ValidationError } from '../../../functions/core/publishing';
import { DEMO_ARTICLES, DEMO_AUTHORS } from '../../../functions/local/demo-content';
import type { StoredMessage } from '../../../functions/local/telegram-stand-in';
import { buttonTexts, chatHelpers } from '../../helpers/chat';
import { type Harness, seed, startHarness } from '../../helpers/harness';
import { longArticleMarkdown } from '../../helpers/long-article';
import { richViolations } from '../../helpers/rich-check';

let h: Harness;

const handle = DEMO_AUTHORS[0]?.handle ?? 'missing';
const article = (over: Partial<ArticleInput> & { id: string; body: string }): ArticleInput => ({
  title: `About ${over.id}`,
  authorHandle: handle,
  publishedAt: '2026-01-05T08:00:00Z',
  ...over,
});

/** 60,000 characters of structured Markdown: headings, lists, quotes, links, images. */
const LONG = article({ id: 'sixty-thousand', body: longArticleMarkdown(60_000) });

beforeAll(async () => {
  h = await startHarness();
  // The demo articles link to the publisher's site; without the URL their full text is read here.
  const inBot = DEMO_ARTICLES.map(({ url: _url, ...a }) => a);
  await seed(h, DEMO_AUTHORS, [...inBot, LONG]);
});

afterAll(async () => {
  await h?.stop();
});

const { freshUser, last } = chatHelpers(() => h, 12_000);

/** What the bot sent with sendRichMessage to a chat (params as sent), and whether Telegram took each. */
const richCalls = (chatId: number) =>
  h.standIn
    .callsTo('sendRichMessage')
    .filter((c) => c.params.chat_id === chatId || c.params.chat_id === String(chatId));

const CARD_BUTTONS = ['🔔 Subscribe', `👤 `, '📤 Share with a friend', '💬 Comments'];

function expectCardButtonsOnLastOnly(parts: StoredMessage[]): void {
  parts.forEach((p, i) => {
    if (i < parts.length - 1) expect(p.reply_markup).toBeUndefined();
  });
  const texts = buttonTexts(parts.at(-1));
  expect(texts).toHaveLength(4);
  expect(texts.map((t, i) => t.startsWith(CARD_BUTTONS[i] ?? '\u0000'))).toEqual([true, true, true, true]);
}

async function readFully(id: string) {
  const ann = freshUser();
  await ann.send(`/start a_${id}`);
  await ann.pressButton(last(ann.user.id), '📖 Read the full article');
  return ann;
}

describe('Read the full article as Rich Messages', () => {
  it.each(DEMO_ARTICLES.filter((a) => a.body.trim() !== '').map((a) => [a.id]))(
    '%s is accepted by Telegram, in valid parts',
    async (id) => {
      // Act
      const ann = await readFully(id);

      // Assess
      const calls = richCalls(ann.user.id);
      expect(calls.length).toBeGreaterThan(0);
      for (const c of calls) {
        expect(c.description).toBeUndefined();
        expect(c.ok).toBe(true);
        expect(richViolations(c.params.rich_message as InputRichMessage<never>)).toEqual([]);
      }
      const parts = h.standIn.richMessages(ann.user.id);
      expect(parts).toHaveLength(calls.length);
      const title = DEMO_ARTICLES.find((a) => a.id === id)?.title;
      expect(parts[0]?.rich_message?.blocks[0]).toMatchObject({ type: 'heading', text: title });
      expectCardButtonsOnLastOnly(parts);
    },
  );

  it('sends Arabic and Urdu demo articles right to left', async () => {
    // Prepare
    const rtl = DEMO_ARTICLES.filter((a) => /[\u0600-\u06ff]/.test(a.title));
    expect(rtl.length).toBeGreaterThanOrEqual(2);

    for (const a of rtl) {
      // Act
      const ann = await readFully(a.id);

      // Assess
      for (const p of h.standIn.richMessages(ann.user.id)) expect(p.rich_message?.is_rtl).toBe(true);
    }
  });

  it("sets is_rtl from the article's declared language, over what its letters suggest", async () => {
    // Prepare: an Urdu article that quotes English at length, and an English one quoting Urdu.
    const quoted = 'The committee said the routes would stay open through the winter and beyond.';
    await seed(
      h,
      [],
      [
        article({ id: 'ur-quoting-en', language: 'ur', body: `${quoted}\n\n${quoted}\n\nشہر کی بسیں۔` }),
        article({
          id: 'en-quoting-ur',
          language: 'en',
          body: 'شہر کی گلیاں ہماری مشترکہ بیٹھک ہیں، اور بسیں ان کو جوڑتی ہیں۔',
        }),
      ],
    );

    // Act
    const urdu = await readFully('ur-quoting-en');
    const english = await readFully('en-quoting-ur');

    // Assess: the stand-in keeps is_rtl only when it is true, as Telegram reports it.
    const rtl = (userId: number) =>
      h.standIn.richMessages(userId).map((p) => p.rich_message?.is_rtl === true);
    expect(rtl(urdu.user.id)).toEqual([true]);
    expect(rtl(english.user.id)).toEqual([false]);
  });

  it('sends a 60,000-character article as labelled parts, each valid, buttons on the last; no view counted', async () => {
    // Prepare
    const ann = freshUser();
    await ann.send(`/start a_${LONG.id}`);
    const views = (await h.app.store.articles.getArticle(LONG.id))?.views;

    // Act
    await ann.pressButton(last(ann.user.id), '📖 Read the full article');

    // Assess
    const parts = h.standIn.richMessages(ann.user.id);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(parts.length).toBeLessThanOrEqual(MAX_RICH_PARTS);
    for (const c of richCalls(ann.user.id)) {
      expect(c.ok).toBe(true);
      expect(richViolations(c.params.rich_message as InputRichMessage<never>)).toEqual([]);
    }
    expect(parts.map((p) => p.rich_message?.blocks.at(-1))).toEqual(
      parts.map((_, i) => ({ type: 'footer', text: `${i + 1}/${parts.length}` })),
    );
    expectCardButtonsOnLastOnly(parts);
    const text = parts.map((p) => p.text).join('\n');
    expect(text).toContain('Part 1: what the numbers say');
    expect((await h.app.store.articles.getArticle(LONG.id))?.views).toBe(views);
  });

  it('falls back to the paged HTML from the same blocks where rich messages are unavailable', async () => {
    // Prepare
    const ann = freshUser();
    h.standIn.setRichMessagesAvailable(ann.user.id, false);
    await ann.send(`/start a_${LONG.id}`);

    // Act
    await ann.pressButton(last(ann.user.id), '📖 Read the full article');
    const page = last(ann.user.id);
    const first = page.text;
    await ann.pressButton(page, '▶');

    // Assess: refused once, then one text message of pages, edited in place
    expect(richCalls(ann.user.id).map((c) => c.ok)).toEqual([false]);
    expect(h.standIn.richMessages(ann.user.id)).toEqual([]);
    expect(first).toMatch(/^About sixty-thousand\n\nPart 1: what the numbers say\n/);
    expect(first).toMatch(/\nPage 1 of \d+$/);
    expect(page.text).toMatch(/\nPage 2 of \d+$/);
    expect(page.entities?.some((e) => e.type === 'blockquote')).toBe(true);
    expect(buttonTexts(page)).toEqual(['◀', '· 2 ·', '▶', '↩️ Back to the card']);
  });

  it(`uses the paged text directly for an article of more than ${MAX_RICH_PARTS} parts`, async () => {
    // Prepare: 150,000 Cyrillic characters, ~300 KB of UTF-8: ten parts' worth
    const paragraph = 'Город для людей, а не для машин: улицы должны служить тем, кто на них живёт. '.repeat(
      13,
    );
    const body = Array.from({ length: 150 }, () => paragraph).join('\n\n');
    await publishArticle(h.app.store, article({ id: 'too-many-parts', body }));
    const ann = freshUser();

    // Act
    await ann.send('/start r_too-many-parts');

    // Assess
    expect(richCalls(ann.user.id)).toEqual([]);
    expect(last(ann.user.id).text).toMatch(/\nPage 1 of \d+$/);
  });
});

/** Every `url` and `media` value anywhere in a sent rich message. */
function urlsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(urlsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    (k === 'url' || k === 'media') && typeof v === 'string' ? [v] : urlsIn(v),
  );
}

describe('hostile Markdown', () => {
  const nested = (depth: number) => `${'> '.repeat(depth)}deep`;
  const hostile: Array<[string, string]> = [
    ['quotes nested 20 deep', nested(20)],
    [
      'lists nested 20 deep',
      Array.from({ length: 20 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n'),
    ],
    ['600 list items', Array.from({ length: 600 }, (_, i) => `- item ${i}`).join('\n')],
    ['a javascript: link', 'Click [here](javascript:alert(1)) now.'],
    ['a data: image', '![x](data:text/html,<script>alert(1)</script>)'],
    ['raw HTML', '<script>alert(1)</script>\n\n<b onclick="x">bold</b> <a href="javascript:x">a</a>'],
    ['markup-looking text', '**unclosed *mixed_ `code [link](http://x" onmouseover="y) &amp; </i>'],
  ];

  it.each(hostile)(
    '%s is rejected at publish or rendered safely, never refused by Telegram',
    async (name, body) => {
      // Prepare
      const id = `hostile-${name.replace(/[^a-z0-9]+/g, '-')}`.slice(0, 40).replace(/-$/, '');
      let published = true;
      try {
        await publishArticle(h.app.store, article({ id, body: `A first line.\n\n${body}` }));
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError);
        published = false;
      }
      if (!published) {
        expect(await h.app.store.articles.getArticle(id)).toBeUndefined();
        return;
      }
      const ann = freshUser();

      // Act
      await ann.send(`/start r_${id}`);

      // Assess
      const calls = richCalls(ann.user.id);
      expect(calls.length).toBeGreaterThan(0);
      for (const c of calls) {
        expect(c.ok).toBe(true);
        // Text is literal in the blocks form; only a link or a photo could carry a URL.
        for (const url of urlsIn(c.params.rich_message)) expect(url).toMatch(/^https?:\/\//);
      }
    },
  );
});

describe('the card knows its reader', () => {
  it('offers 🔕 Unsubscribe to a subscriber, on the card and on the full article; it works', async () => {
    // Prepare
    const ann = freshUser();
    await ann.send(`/subscribe ${handle}`);
    await ann.send(`/start a_${LONG.id}`);
    const card = last(ann.user.id);

    // Act
    const before = buttonTexts(card);
    await ann.pressButton(card, '🔕 Unsubscribe');
    const afterUnsub = buttonTexts(card);
    const subscribed = await h.app.store.subscriptions.isSubscribed(ann.user.id, handle);
    await ann.pressButton(card, '🔔 Subscribe');

    // Assess
    expect(before).toContain('🔕 Unsubscribe');
    expect(before).not.toContain('🔔 Subscribe');
    expect(subscribed).toBe(false);
    expect(afterUnsub).toContain('🔔 Subscribe');
    expect(buttonTexts(card)).toContain('🔕 Unsubscribe');
    expect(await h.app.store.subscriptions.isSubscribed(ann.user.id, handle)).toBe(true);
    await ann.pressButton(card, '📖 Read the full article');
    expect(buttonTexts(h.standIn.richMessages(ann.user.id).at(-1))).toContain('🔕 Unsubscribe');
  });

  it('shows a long summary as an expandable block quote and a short one as text, link previews off', async () => {
    // Prepare
    const metas = await h.app.store.articles.getArticles(DEMO_ARTICLES.map((a) => a.id));
    const long = metas.find((m) => m.summary.length > 320);
    const short = metas.find((m) => m.summary.length > 0 && m.summary.length < 280);
    const ann = freshUser();

    // Act
    await ann.send(`/start a_${long?.id}`);
    const longCard = last(ann.user.id);
    await ann.send(`/start a_${short?.id}`);
    const shortCard = last(ann.user.id);

    // Assess
    expect(longCard.entities?.filter((e) => e.type === 'expandable_blockquote')).toHaveLength(1);
    expect(longCard.text).toContain(long?.summary);
    expect(shortCard.entities?.some((e) => e.type.endsWith('blockquote')) ?? false).toBe(false);
    for (const card of [longCard, shortCard])
      expect(card.link_preview_options).toEqual({ is_disabled: true });
  });
});

describe('deep links', () => {
  it('r_<id> opens the full article directly and counts the view; a_<id> still opens the card (not a second view that day)', async () => {
    // Prepare
    const id = DEMO_ARTICLES[1]?.id ?? '';
    const views = (await h.app.store.articles.getArticle(id))?.views ?? 0;
    const ann = freshUser();

    // Act
    await ann.send(`/start r_${id}`);
    const rich = h.standIn.richMessages(ann.user.id).length;
    await ann.send(`/start a_${id}`);

    // Assess
    expect(rich).toBeGreaterThan(0);
    expect(h.standIn.messages(ann.user.id)).toHaveLength(rich + 1);
    expect(last(ann.user.id).rich_message).toBeUndefined();
    expect(buttonTexts(last(ann.user.id))[0]).toBe('📖 Read the full article');
    // One reader, one day: one view (issue 17, item 5).
    expect((await h.app.store.articles.getArticle(id))?.views).toBe(views + 1);
  });

  it('r_ of a missing article says so', async () => {
    const ann = freshUser();
    await ann.send('/start r_no-such-article');
    expect(last(ann.user.id).text).toMatch(/could not be found/);
  });
});

describe('bodies stored before the block model', () => {
  it('still render, as plain paragraphs; re-publishing writes the model', async () => {
    // Prepare: stored as the code before the block model stored it (body only, its own hash)
    const old = article({ id: 'old-body', body: 'First *old* paragraph.\n\nSecond paragraph.' });
    await h.app.store.articles.putArticle(
      old,
      { summary: 'First old paragraph.', readingMinutes: 1, wordCount: 5 },
      DEMO_AUTHORS[0]?.fullName ?? '',
    );
    const ann = freshUser();

    // Act
    await ann.send(`/start r_${old.id}`);
    const before = await h.app.store.articles.getBodyDocument(old.id);
    const republished = await publishArticle(h.app.store, old);

    // Assess
    const blocks = h.standIn.richMessages(ann.user.id)[0]?.rich_message?.blocks ?? [];
    expect(blocks.slice(2)).toMatchObject([
      { type: 'paragraph', text: 'First *old* paragraph.' },
      { type: 'paragraph', text: 'Second paragraph.' },
    ]);
    expect(before?.blocks).toBeUndefined();
    expect(republished.result).toBe('updated');
    expect((await h.app.store.articles.getBodyDocument(old.id))?.blocks).toMatch(/^\{"v":1/);
  });
});
