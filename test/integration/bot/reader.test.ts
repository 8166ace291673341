/**
 * The reader's experience (issue 3) through the webhook, on DynamoDB Local and the stand-in: the
 * latest list and its paging, article cards and views, the full text in pages, author
 * profiles and lists, search, comments (posting, limits, quota, admin delete), deep links,
 * stale or forged buttons, and counters under concurrency. Assertions are on what the user
 * sees in the stand-in's chat (texts, buttons, toasts) and on the stored counters.
 */

import type { ArticleInput, AuthorInput } from '../../../functions/core/model';
import type { StoredMessage } from '../../../functions/local/telegram-stand-in';
import { buttons, buttonTexts, chatHelpers, plain } from '../../helpers/chat';
import { type Harness, samplePublication, seed, startHarness } from '../../helpers/harness';

const ADMIN_ID = 4242;
/** The comment quota's clock; tests move it past the minute. */
let clock = Date.UTC(2026, 10, 25, 12, 0, 0);
let h: Harness;

const extraAuthors: AuthorInput[] = ['writer_a', 'writer_b', 'writer_c', 'writer_d'].map((handle, i) => ({
  handle,
  fullName: `Writer ${String.fromCharCode(65 + i)}`,
  userSince: '2020-01-0' + (i + 1),
}));

/** ~9,000 characters in 30 paragraphs: three pages of full text. */
const longBody = Array.from(
  { length: 30 },
  (_, i) =>
    `Paragraph ${i + 1}. Streets are where a city lives, and the way we share them says who we are. ` +
    `A street that serves people on foot, on bikes and on buses carries more of them than one built for cars. ` +
    `That is not an opinion but arithmetic; the opinion is what we do about it in paragraph ${i + 1}.`,
).join('\n\n');

const longRead: ArticleInput = {
  id: 'long-read',
  title: 'A long read about streets',
  authorHandle: 'jdoe',
  body: longBody,
  publishedAt: '2020-05-01T08:00:00Z',
};

beforeAll(async () => {
  h = await startHarness({
    adminIds: [ADMIN_ID],
    now: () => new Date(clock),
    env: { COMMENTS_PER_MINUTE: '2' },
  });
  const { authors, articles } = samplePublication(12);
  await seed(h, [...authors, ...extraAuthors], [...articles, longRead]);
});

afterAll(async () => {
  await h?.stop();
});

const { freshUser, last, toastFor } = chatHelpers(() => h, 5000);
const count = (chatId: number) => h.standIn.messages(chatId).length;
const article = (id: string) => h.app.store.articles.getArticle(id);

describe('latest articles', () => {
  it('shows the 5 newest with buttons and ▶; ▶ and ◀ edit the same message', async () => {
    // Prepare
    const ann = freshUser('Ann');
    await ann.send('/latest');
    const list = last(ann.user.id);
    const firstPage = plain(list.text);

    // Act
    await ann.pressButton(list, '▶');
    const secondPage = plain(last(ann.user.id).text);
    const countAfterNext = count(ann.user.id);
    await ann.pressButton(list, '◀');

    // Assess
    expect(firstPage.split('\n')).toEqual([
      '📰 Latest articles',
      '',
      '1. Why <br> tags & "quotes" won\'t save the web 🚲 — Dr. Jane Doe · 20 Nov 2026',
      '2. Город для людей — Анна Иванова · 19 Nov 2026',
      '3. Bikes and cities, part 2 — Dr. Jane Doe · 18 Nov 2026',
      '4. Bikes and cities, part 3 — Dr. Jane Doe · 17 Nov 2026',
      '5. Bikes and cities, part 4 — Анна Иванова · 16 Nov 2026',
    ]);
    expect(secondPage).toMatch(
      /^📰 Latest articles · page 2\n\n6\. Bikes and cities, part 5 — Dr\. Jane Doe/,
    );
    expect(countAfterNext).toBe(1);
    expect(count(ann.user.id)).toBe(1);
    expect(last(ann.user.id).message_id).toBe(list.message_id);
    expect(plain(last(ann.user.id).text)).toBe(firstPage);
    expect(buttonTexts(last(ann.user.id))).toEqual([
      '1. Why <br> tags & "quotes" won\'t save the web 🚲',
      '2. Город для людей',
      '3. Bikes and cities, part 2',
      '4. Bikes and cities, part 3',
      '5. Bikes and cities, part 4',
      '· 1 ·',
      '▶',
    ]);
  });

  it('ends with no ▶ on the last page', async () => {
    // Prepare: 13 articles → pages 1–3
    const ann = freshUser();
    await ann.send('/latest');
    const list = last(ann.user.id);

    // Act
    await ann.pressButton(list, '▶');
    await ann.pressButton(list, '▶');

    // Assess
    expect(plain(list.text)).toMatch(/^📰 Latest articles · page 3\n\n11\. /);
    expect(
      plain(list.text)
        .split('\n')
        .filter((l) => /^\d+\. /.test(l)),
    ).toHaveLength(3);
    expect(buttonTexts(list).slice(-2)).toEqual(['◀', '· 3 ·']);
  });
});

describe('the article card', () => {
  it('counts one view per reader per article a day, however often they open it', async () => {
    // Prepare
    const ann = freshUser();
    await ann.send('/latest');
    const viewsBefore = (await article('article-02'))?.views ?? 0;

    // Act: 20 opens in a row (the inflation), card button and deep link.
    for (let i = 0; i < 10; i++) await ann.send('/start a_article-02');
    for (let i = 0; i < 10; i++) await ann.press(last(ann.user.id), '1:o:article-02');

    // Assess
    expect((await article('article-02'))?.views).toBe(viewsBefore + 1);
    expect(plain(last(ann.user.id).text)).toContain(`👁 Views: ${viewsBefore + 1}`);
  });

  it('shows title, author, date, reading time, summary, Views, "No comments yet" and four buttons', async () => {
    // Prepare
    const ann = freshUser();
    await ann.send('/latest');
    const viewsBefore = (await article('article-00'))?.views ?? 0;

    // Act
    await ann.pressButton(last(ann.user.id), '1. Why <br> tags & "quotes" won\'t save the web 🚲');

    // Assess
    const card = last(ann.user.id);
    expect(count(ann.user.id)).toBe(2);
    const lines = plain(card.text).split('\n');
    expect(lines[0]).toBe('Why <br> tags & "quotes" won\'t save the web 🚲');
    expect(lines[1]).toBe('by Dr. Jane Doe (@jdoe) · 20 Nov 2026 · 1 min read');
    expect(lines[3]).toMatch(/Bikes and buses move more people than cars do\./);
    expect(lines.at(-1)).toBe(`👁 Views: ${viewsBefore + 1} · 💬 No comments yet`);
    expect(buttonTexts(card)).toEqual([
      '📖 Read the full article',
      '🔔 Subscribe',
      '👤 Dr. Jane Doe',
      '📤 Share with a friend',
      '💬 Comments',
    ]);
    expect(toastFor('1:o:article-00')).toBeUndefined();
  });

  it('counts exactly one view per open by another reader', async () => {
    // Prepare
    const ann = freshUser();
    const bob = freshUser();
    await ann.send('/latest');
    await bob.send('/latest');
    const before = (await article('article-04'))?.views ?? 0;

    // Act
    await ann.pressButton(last(ann.user.id), '5. Bikes and cities, part 4');
    const afterOne = (await article('article-04'))?.views;
    await bob.pressButton(last(bob.user.id), '5. Bikes and cities, part 4');

    // Assess
    expect(afterOne).toBe(before + 1);
    expect((await article('article-04'))?.views).toBe(before + 2);
    expect(plain(last(bob.user.id).text)).toContain(`👁 Views: ${before + 2} ·`);
  });

  it('gives a URL button when the article has a URL', async () => {
    // Prepare
    const ann = freshUser();

    // Act
    await ann.send('/start a_article-02');

    // Assess
    expect(buttons(last(ann.user.id))[0]).toEqual({
      text: '📖 Read the full article',
      url: 'https://example.org/voices/article-02',
    });
  });

  it('pages the full text where rich messages are unavailable: ▶ and ◀ edit the page, each within 4,096 characters', async () => {
    // Prepare
    const ann = freshUser();
    h.standIn.setRichMessagesAvailable(ann.user.id, false);
    await ann.send('/start a_long-read');
    await ann.pressButton(last(ann.user.id), '📖 Read the full article');
    const page = last(ann.user.id);
    const pages = [plain(page.text)];

    // Act
    await ann.pressButton(page, '▶');
    pages.push(plain(page.text));
    await ann.pressButton(page, '▶');
    pages.push(plain(page.text));
    const countAtEnd = count(ann.user.id);
    await ann.pressButton(page, '◀');

    // Assess
    expect(countAtEnd).toBe(2);
    expect(pages[0]).toMatch(/^A long read about streets\n\nParagraph 1\. /);
    expect(pages.map((p) => p.split('\n').at(-1))).toEqual(['Page 1 of 3', 'Page 2 of 3', 'Page 3 of 3']);
    for (const p of pages) expect(p.length).toBeLessThanOrEqual(4096);
    expect(pages.join('\n')).toContain('paragraph 30.');
    expect(plain(page.text)).toBe(pages[1]);
    expect(buttonTexts(page)).toEqual(['◀', '· 2 ·', '▶', '↩️ Back to the card']);
  });
});

describe('authors', () => {
  it('/author jdoe shows the profile: name, handle, user since, voices, subscribers, latest articles', async () => {
    // Prepare
    const ann = freshUser();

    // Act
    await ann.send('/author @JDoe');

    // Assess
    const profile = last(ann.user.id);
    expect(plain(profile.text).split('\n').slice(0, 3)).toEqual([
      'Dr. Jane Doe (@jdoe)',
      'User since: 15 Mar 2008',
      expect.stringMatching(/^Voices: 9 · Subscribers: \d+$/),
    ]);
    expect(plain(profile.text)).toContain('Writes about <cities> & "bikes".');
    expect(buttonTexts(profile)).toEqual([
      '📄 Why <br> tags & "quotes" won\'t save the web 🚲',
      '📄 Bikes and cities, part 2',
      '📄 Bikes and cities, part 3',
      '📄 Bikes and cities, part 5',
      '📄 Bikes and cities, part 6',
      '📚 All articles',
      '🔔 Subscribe',
    ]);
  });

  it('opens the profile from a card, and an article from the profile', async () => {
    // Prepare
    const ann = freshUser();
    await ann.send('/start a_article-01');

    // Act
    await ann.pressButton(last(ann.user.id), '👤 Анна Иванова');
    const profile = last(ann.user.id);
    await ann.pressButton(profile, '📄 Город для людей');

    // Assess
    expect(plain(profile.text).split('\n').slice(0, 2)).toEqual([
      'Анна Иванова (@ivanova)',
      'User since: 2 Jan 2015',
    ]);
    expect(plain(last(ann.user.id).text).split('\n')[0]).toBe('Город для людей');
    expect(count(ann.user.id)).toBe(3);
  });

  it('/authors lists the authors a page at a time, and an author’s articles page with ▶ ◀', async () => {
    // Prepare
    const ann = freshUser();
    await ann.send('/authors');
    const list = last(ann.user.id);
    const firstPage = plain(list.text);

    // Act
    await ann.pressButton(list, '▶');
    const secondPage = plain(list.text);
    await ann.pressButton(list, '◀');
    await ann.pressButton(list, '👤 Dr. Jane Doe');
    await ann.pressButton(last(ann.user.id), '📚 All articles');
    const articles = last(ann.user.id);
    const articlesFirst = plain(articles.text);
    const countBeforeNext = count(ann.user.id);
    await ann.pressButton(articles, '▶');

    // Assess
    expect(firstPage.split('\n')).toEqual([
      '✍️ Authors',
      '',
      'Анна Иванова (@ivanova) · 4 voices',
      'Dr. Jane Doe (@jdoe) · 9 voices',
      'Writer A (@writer_a) · 0 voices',
      'Writer B (@writer_b) · 0 voices',
      'Writer C (@writer_c) · 0 voices',
    ]);
    expect(secondPage).toBe('✍️ Authors · page 2\n\nWriter D (@writer_d) · 0 voices');
    expect(articlesFirst.split('\n').filter((l) => /^\d+\. /.test(l))).toHaveLength(5);
    expect(plain(articles.text)).toMatch(/^Articles by Dr\. Jane Doe · page 2\n\n6\. /);
    expect(plain(articles.text)).toContain('9. A long read about streets');
    expect(buttonTexts(articles).slice(-4)).toEqual([
      '9. A long read about streets',
      '◀',
      '· 2 ·',
      '👤 Dr. Jane Doe',
    ]);
    expect(count(ann.user.id)).toBe(countBeforeNext);
    expect(last(ann.user.id).message_id).toBe(articles.message_id);
  });

  it('answers an unknown or malformed handle clearly', async () => {
    // Prepare
    const ann = freshUser();

    // Act
    await ann.send('/author nobody');
    await ann.send('/author not a handle!');

    // Assess
    const [unknown, malformed] = h.standIn.messages(ann.user.id);
    expect(plain(unknown?.text)).toBe('🤷 I don’t know an author @nobody. Here are the ones I know:');
    expect(buttonTexts(unknown)).toEqual(['📰 Latest articles', '✍️ Authors']);
    expect(plain(malformed?.text)).toBe(
      'Author handles look like @jdoe (letters, digits and _). Try /authors to see them all.',
    );
  });
});

describe('search', () => {
  const resultTitles = (m: StoredMessage) =>
    plain(m.text)
      .split('\n')
      .filter((l) => /^\d+\. /.test(l))
      .map((l) => l.replace(/^\d+\. /, '').replace(/ — .*$/, ''));

  it('finds titles case-insensitively, in any script, with a partial last word, and pages them', async () => {
    // Prepare
    const ann = freshUser();

    // Act
    await ann.send('/search BIKES');
    const bikes = last(ann.user.id);
    const bikesFirst = resultTitles(bikes);
    await ann.pressButton(bikes, '▶');
    await ann.send('/search ГОРОД');
    const cyrillic = last(ann.user.id);
    await ann.send('/search cities, par');
    const partial = last(ann.user.id);

    // Assess
    expect(bikesFirst).toEqual([2, 3, 4, 5, 6].map((n) => `Bikes and cities, part ${n}`));
    expect(plain(bikes.text).split('\n')[0]).toBe('🔎 Titles with “BIKES” · page 2');
    expect(resultTitles(bikes)).toEqual([7, 8, 9, 10, 11].map((n) => `Bikes and cities, part ${n}`));
    expect(resultTitles(cyrillic)).toEqual(['Город для людей']);
    expect(resultTitles(partial)).toHaveLength(5);
    expect(count(ann.user.id)).toBe(3);
  });

  it('says when nothing matches, and how to search when no words are given', async () => {
    // Prepare
    const ann = freshUser();

    // Act
    await ann.send('/search zebra crossings');
    await ann.send('/search');

    // Assess
    const [none, usage] = h.standIn.messages(ann.user.id);
    expect(plain(none?.text)).toBe(
      '🔎 Titles with “zebra crossings”\n\nNo article title matches. Try fewer or shorter words, or /latest.',
    );
    expect(plain(usage?.text)).toMatch(/^Usage: \/search <words>/);
  });

  it('searches plain text sent in a private chat', async () => {
    // Prepare
    const ann = freshUser();

    // Act
    await ann.send('город');

    // Assess
    expect(resultTitles(last(ann.user.id))).toEqual(['Город для людей']);
  });
});

describe('comments', () => {
  /** Opens the comments of an article and presses "Post a comment"; returns the prompt. */
  async function startComment(user: ReturnType<typeof freshUser>, id: string): Promise<StoredMessage> {
    await user.send(`/start a_${id}`);
    await user.pressButton(
      last(user.user.id),
      buttonTexts(last(user.user.id)).find((t) => t.startsWith('💬'))!,
    );
    await user.pressButton(last(user.user.id), '✍️ Post a comment');
    return last(user.user.id);
  }
  const replies = async (id: string) => (await article(id))?.replies ?? 0;

  it('posts a comment through the button: one more reply, shown newest first', async () => {
    // Prepare
    const ann = freshUser('Ann');
    const bob = freshUser('Bob');
    const before = await replies('article-05');

    // Act
    const prompt = await startComment(ann, 'article-05');
    await ann.reply(prompt, 'Great piece & <3 "really"');
    const afterOne = await replies('article-05');
    await startComment(bob, 'article-05');
    await bob.send('Second!');
    await bob.pressButton(last(bob.user.id), '💬 See comments');

    // Assess
    expect(plain(prompt.text)).toBe(
      '✍️ Write your comment on “Bikes and cities, part 5” (1–1,000 characters) and send it. /cancel to stop.',
    );
    const promptCall = h.standIn
      .callsTo('sendMessage')
      .find((c) => Number(c.params.chat_id) === ann.user.id && c.params.text === prompt.sentText);
    expect(promptCall?.params.reply_markup).toMatchObject({ force_reply: true });
    expect(plain(h.standIn.messages(ann.user.id).at(-1)?.text)).toBe('✅ Your comment is posted.');
    expect(afterOne).toBe(before + 1);
    expect(await replies('article-05')).toBe(before + 2);
    const list = plain(last(bob.user.id).text);
    expect(list).toMatch(/^💬 Comments on “Bikes and cities, part 5”/);
    expect(list.indexOf('Second!')).toBeGreaterThan(0);
    expect(list.indexOf('Second!')).toBeLessThan(list.indexOf('Great piece & <3 "really"'));
    expect(list).toMatch(/Bob · \d+ \w+, \d\d:\d\d UTC\nSecond!/);
    expect(buttonTexts(last(bob.user.id))).not.toContainEqual(expect.stringMatching(/^🗑/));
  });

  it('turns comment pages with cursors ▶ and ◀; a forged deep cursor reads one page, not 10,000', async () => {
    // Prepare: 12 comments by six readers on one article (within the per-minute quota).
    const readers = Array.from({ length: 6 }, (_, i) => freshUser(`R${i}`));
    for (let i = 0; i < 12; i++) {
      const r = readers[i % 6]!;
      await startComment(r, 'article-07');
      await r.send(`Comment number ${i}`);
    }
    const ann = freshUser('Ann');
    await ann.send('/start a_article-07');
    await ann.pressButton(last(ann.user.id), buttonTexts(last(ann.user.id)).find((t) => t.startsWith('💬'))!);
    const view = last(ann.user.id);

    // Act
    await ann.pressButton(view, '▶');
    const second = last(ann.user.id).text;
    await ann.pressButton(view, '▶');
    const third = last(ann.user.id).text;
    const thirdButtons = buttonTexts(last(ann.user.id));
    await ann.pressButton(view, '◀');
    const backToSecond = last(ann.user.id).text;
    const forged = '1:co:article-07:0';
    await ann.press(view, forged);

    // Assess
    expect(second).toContain('Comment number 6');
    expect(second).not.toContain('Comment number 7');
    expect(third).toContain('Comment number 0');
    expect(thirdButtons).not.toContain('▶');
    expect(backToSecond).toBe(second);
    expect(last(ann.user.id).text).toContain('No more comments.');
    expect(toastFor(forged)).toBeUndefined();
  });

  it('refuses an empty or 1,001-character comment with a clear message and writes nothing', async () => {
    // Prepare
    const ann = freshUser();
    const before = await replies('article-08');
    await startComment(ann, 'article-08');

    // Act
    await ann.send('x'.repeat(1001));
    const tooLong = plain(last(ann.user.id).text);
    await ann.send('   ');
    const empty = plain(last(ann.user.id).text);
    const repliesAfterRefusals = await replies('article-08');
    await ann.send('y'.repeat(1000));

    // Assess
    expect(tooLong).toBe(
      'A comment must be 1–1,000 characters; yours has 1,001 characters. Please send a shorter one, or /cancel.',
    );
    expect(empty).toBe(
      'A comment must be 1–1,000 characters; yours has 0 characters. Please send a shorter one, or /cancel.',
    );
    expect(repliesAfterRefusals).toBe(before);
    expect(plain(last(ann.user.id).text)).toBe('✅ Your comment is posted.');
    expect(await replies('article-08')).toBe(before + 1);
  });

  it('refuses the comment over the per-minute quota, and takes it once the minute has passed', async () => {
    // Prepare: COMMENTS_PER_MINUTE is 2 in this harness
    const ann = freshUser();
    const before = await replies('article-09');
    for (const text of ['one', 'two']) {
      await startComment(ann, 'article-09');
      await ann.send(text);
    }
    await startComment(ann, 'article-09');

    // Act
    await ann.send('three');
    const refused = plain(last(ann.user.id).text);
    const afterRefusal = await replies('article-09');
    clock += 60_000;
    await ann.send('three');

    // Assess
    expect(refused).toBe('You are commenting quickly — please wait a minute and send it again.');
    expect(afterRefusal).toBe(before + 2);
    expect(plain(last(ann.user.id).text)).toBe('✅ Your comment is posted.');
    expect(await replies('article-09')).toBe(before + 3);
  });

  it.each([
    ['a command', (u: ReturnType<typeof freshUser>) => u.send('/latest')],
    [
      'a button that answers',
      (u: ReturnType<typeof freshUser>) => u.press(last(u.user.id), '1:o:article-03'),
    ],
  ])(
    '%s after "Post a comment" cancels it: the next text is a search, not a comment',
    async (_what, between) => {
      // Prepare
      const ann = freshUser();
      const before = await replies('article-09');
      await startComment(ann, 'article-09');

      // Act: the newcomer's path (issue 17, item 14): something else, then "bikes".
      await between(ann);
      await ann.send('bikes');

      // Assess
      expect(await replies('article-09')).toBe(before);
      expect(plain(last(ann.user.id).text)).toMatch(/^🔎 Titles with “bikes”/);
    },
  );

  it('a comment cut to fit the page opens in full from its 📖 button', async () => {
    // Prepare: five 1,000-character comments (over the page's text budget, so each is cut).
    const writers = Array.from({ length: 5 }, (_, i) => freshUser(`Long${i}`));
    for (const [i, w] of writers.entries()) {
      await startComment(w, 'article-08');
      await w.send(`${i}:${'word '.repeat(199)}END`);
    }
    const ann = freshUser();
    await ann.send('/start a_article-08');
    await ann.pressButton(last(ann.user.id), buttonTexts(last(ann.user.id)).find((t) => t.startsWith('💬'))!);
    const view = last(ann.user.id);

    // Act
    const full = buttonTexts(view).filter((t) => t.startsWith('📖'));
    await ann.pressButton(view, full[0]!);

    // Assess
    expect(plain(view.text)).not.toContain('END');
    expect(full).toHaveLength(5);
    const shown = plain(last(ann.user.id).text);
    expect(shown).toMatch(/^Long4 · /);
    expect(shown).toContain(`4:${'word '.repeat(199)}END`);
  });

  it('a reply to the prompt is still the comment, even with other messages in between', async () => {
    // Prepare
    const ann = freshUser();
    const before = await replies('article-09');
    const prompt = await startComment(ann, 'article-09');

    // Act
    await ann.send('/help');
    await ann.reply(prompt, 'Replying to the prompt itself');

    // Assess
    expect(await replies('article-09')).toBe(before + 1);
    expect(plain(last(ann.user.id).text)).toBe('✅ Your comment is posted.');
  });

  it('/cancel stops the comment: the next text is a search, not a comment', async () => {
    // Prepare
    const ann = freshUser();
    const before = await replies('article-10');
    await startComment(ann, 'article-10');

    // Act
    await ann.send('/cancel');
    const cancelled = plain(last(ann.user.id).text);
    await ann.send('город');
    await ann.send('/cancel');

    // Assess
    expect(cancelled).toBe('Cancelled: no comment was posted.');
    expect(plain(h.standIn.messages(ann.user.id).at(-2)?.text)).toMatch(/^🔎 Titles with “город”/);
    expect(plain(last(ann.user.id).text)).toBe('Nothing to cancel.');
    expect(await replies('article-10')).toBe(before);
  });

  it('lets an admin delete a comment (replies −1) and tells anyone else "Only admins…"', async () => {
    // Prepare
    const ann = freshUser('Ann');
    await startComment(ann, 'article-11');
    await ann.send('Delete me, please');
    const [posted] = (await h.app.store.comments.commentsPage('article-11', undefined, 5)).items;
    const admin = h.user(ADMIN_ID, 'Admin');
    await admin.send('/start a_article-11');
    await admin.pressButton(last(ADMIN_ID), '💬 Comments (1)');
    const view = last(ADMIN_ID);
    const deleteButton = buttons(view).find((b) => plain(b.text).startsWith('🗑'));
    const forged = `1:dc:article-11:${posted?.commentId}`;

    // Act
    await ann.press(last(ann.user.id), forged);
    const afterForgery = await replies('article-11');
    await admin.pressButton(view, deleteButton!.text);

    // Assess
    expect(deleteButton).toEqual({ text: '🗑 Delete: Ann — Delete me, please', callback_data: forged });
    expect(h.standIn.callbackAnswers.find((a) => a.data === forged)?.text).toBe(
      'Only admins can delete comments.',
    );
    expect(afterForgery).toBe(1);
    expect(toastFor(forged)).toBe('🗑 Comment deleted.');
    expect(await replies('article-11')).toBe(0);
    expect(plain(view.text)).toContain('No replies/comments found for this voice. Be the first!');
    expect(last(ADMIN_ID).message_id).toBe(view.message_id);
  });
});

describe('deep links', () => {
  it('a_<id> opens the card for a brand-new user; u_<handle> opens the profile', async () => {
    // Prepare
    const newcomer = freshUser('Newcomer');
    const other = freshUser();

    // Act
    await newcomer.send('/start a_article-03');
    await other.send('/start u_ivanova');

    // Assess
    expect(h.standIn.messages(newcomer.user.id).map((m) => plain(m.text).split('\n')[0])).toEqual([
      'Bikes and cities, part 3',
    ]);
    expect(plain(last(other.user.id).text).split('\n')[0]).toBe('Анна Иванова (@ivanova)');
  });

  it.each([
    ['/start %%%', '🤷 That link does not lead anywhere I know. Here is what is new instead:'],
    [
      `/start a_${'x'.repeat(63)}`,
      '🤷 That link does not lead anywhere I know. Here is what is new instead:',
    ],
    ['/start a_UPPER', '🤷 That link does not lead anywhere I know. Here is what is new instead:'],
    ['/start a_no-such-article', '🤷 That article could not be found. Here is what is new instead:'],
    ['/start u_nobody', '🤷 I don’t know an author @nobody. Here are the ones I know:'],
    ['/start s_ZZZZZZZZZZ', '🤷 That shared link is not valid (any more). Here is what is new instead:'],
  ])('%p gets a friendly not-found with a way forward', async (command, expected) => {
    // Prepare
    const ann = freshUser();

    // Act
    await ann.send(command);

    // Assess
    expect(h.standIn.messages(ann.user.id)).toHaveLength(1);
    expect(plain(last(ann.user.id).text)).toBe(expected);
    expect(buttonTexts(last(ann.user.id))).toEqual(['📰 Latest articles', '✍️ Authors']);
  });

  it('a link to a deleted article gets the same friendly not-found', async () => {
    // Prepare
    await seed(
      h,
      [],
      [{ ...longRead, id: 'gone-soon', title: 'Gone soon', publishedAt: '2019-01-01T00:00:00Z' }],
    );
    await h.app.store.articles.deleteArticle('gone-soon');
    const ann = freshUser();

    // Act
    await ann.send('/start a_gone-soon');

    // Assess
    expect(plain(last(ann.user.id).text)).toBe(
      '🤷 That article could not be found. Here is what is new instead:',
    );
  });
});

describe('stale or forged buttons', () => {
  it.each([
    ['1:o:nope', 'This article is no longer available.'],
    ['1:f:nope:0', 'This article is no longer available.'],
    ['1:f:article-00:99', 'That page is gone; the article has changed.'],
    ['1:c:nope:0', 'This article is no longer available.'],
    ['1:pc:nope', 'This article is no longer available.'],
    ['1:sh:nope', 'This article is no longer available.'],
    ['1:u:nobody', 'This author is no longer available.'],
    ['1:ua:nobody:0', 'This author is no longer available.'],
    ['1:s:nobody', 'This author is no longer available.'],
    ['9:o:x', 'This button is out of date. Send /latest to start again.'],
    ['garbage', 'This button is out of date. Send /latest to start again.'],
    [`1:o:${'a'.repeat(61)}`, 'This button is out of date. Send /latest to start again.'],
    ['1:l:9999', 'This button is out of date. Send /latest to start again.'],
    ['1:c:article-00:9999', 'This button is out of date. Send /latest to start again.'],
  ])('%p gets a short toast and no message', async (data, toast) => {
    // Prepare
    const ann = freshUser();
    await ann.send('/start a_article-00');
    const card = last(ann.user.id);
    const cardText = plain(card.text);

    // Act
    await ann.press(card, data);

    // Assess
    expect(toastFor(data)).toBe(toast);
    expect(h.statuses.at(-1)).toBe(200);
    expect(count(ann.user.id)).toBe(1);
    expect(plain(card.text)).toBe(cardText);
  });
});

describe('counters under concurrency', () => {
  it('50 readers opening one article at once add exactly 50 views', async () => {
    // Prepare
    const readers = Array.from({ length: 50 }, () => freshUser());
    await Promise.all(readers.map((r) => r.send('/latest')));
    const before = (await article('article-03'))?.views ?? 0;

    // Act
    await Promise.all(readers.map((r) => r.pressButton(last(r.user.id), '4. Bikes and cities, part 3')));

    // Assess
    expect((await article('article-03'))?.views).toBe(before + 50);
    for (const r of readers)
      expect(plain(last(r.user.id).text).split('\n')[0]).toBe('Bikes and cities, part 3');
  });

  it('20 readers posting a comment at once add exactly 20 replies', async () => {
    // Prepare
    const readers = Array.from({ length: 20 }, (_, i) => freshUser(`Reader ${i}`));
    await Promise.all(
      readers.map(async (r) => {
        await r.send('/start a_article-06');
        await r.pressButton(last(r.user.id), '💬 Comments');
        await r.pressButton(last(r.user.id), '✍️ Post a comment');
      }),
    );
    const before = (await article('article-06'))?.replies ?? 0;

    // Act
    await Promise.all(readers.map((r, i) => r.send(`Comment number ${i}`)));

    // Assess
    expect((await article('article-06'))?.replies).toBe(before + 20);
    const stored = await h.app.store.comments.commentsPage('article-06', undefined, 50);
    expect(stored.items).toHaveLength(before + 20);
    for (const r of readers) expect(plain(last(r.user.id).text)).toBe('✅ Your comment is posted.');
  });
});
