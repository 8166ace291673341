/**
 * Sharing with a friend (issue 4), end to end through the webhook: the share menu from the
 * card, share links opened by friends (counted once per distinct friend, never the sharer,
 * never on a tampered payload), inline mode (the prefilled `#<id>` card carrying the sharer's
 * link, title search, latest, paging past 50), chosen results and `/shared`.
 */

import { publishArticle } from '../../../functions/core/publishing';
import { buttons, chatHelpers, plain } from '../../helpers/chat';
import { type Harness, samplePublication, seed, startHarness } from '../../helpers/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  // 60 articles, so inline mode has more than one page of 50.
  const { authors, articles } = samplePublication(60);
  await seed(h, authors, []);
  await Promise.all(articles.map((a) => publishArticle(h.app.store, a)));
});

afterAll(async () => {
  await h?.stop();
});

const { freshUser, last } = chatHelpers(() => h, 8000);
const article = async (id: string) => (await h.app.store.articles.getArticle(id))!;
const LINK = /https:\/\/t\.me\/HeraldTestBot\?start=s_([A-Za-z0-9]{10})/;

/** Opens an article and presses its share button; returns the share menu and the link's code. */
async function shareMenu(user: ReturnType<typeof freshUser>, id: string) {
  await user.send(`/start a_${id}`);
  await user.pressButton(last(user.user.id), '📤 Share with a friend');
  const menu = last(user.user.id);
  const code = LINK.exec(plain(menu.text))?.[1];
  if (!code) throw new Error(`no share link in ${JSON.stringify(plain(menu.text))}`);
  return { menu, code, link: `https://t.me/HeraldTestBot?start=s_${code}` };
}

describe('the share menu', () => {
  it('offers the inline card prefilled with #<id>, the share sheet, and the link to forward', async () => {
    // Prepare
    const ann = freshUser('Ann');

    // Act
    const { menu, link } = await shareMenu(ann, 'article-00');

    // Assess
    expect(plain(menu.text).split('\n')).toEqual([
      '📤 Share “Why <br> tags & "quotes" won\'t save the web 🚲”',
      '',
      'Pick a chat to send the card to, share the link through Telegram, or copy this link and forward it:',
      link,
      '',
      'Nobody has opened it yet. /shared shows all your shares.',
    ]);
    expect(buttons(menu)).toEqual([
      {
        text: '📨 Send the card to a chat',
        switch_inline_query_chosen_chat: {
          query: '#article-00',
          allow_user_chats: true,
          allow_group_chats: true,
        },
      },
      {
        text: '🔗 Share the link',
        url: `https://t.me/share/url?url=${encodeURIComponent(link)}&text=${encodeURIComponent(
          'Why <br> tags & "quotes" won\'t save the web 🚲',
        )}`,
      },
    ]);
  });

  it('reuses the same link when pressed twice and counts one share', async () => {
    // Prepare
    const ann = freshUser('Ann');
    const before = (await article('article-01')).shares;

    // Act
    const first = await shareMenu(ann, 'article-01');
    const second = await shareMenu(ann, 'article-01');

    // Assess
    expect(second.code).toBe(first.code);
    expect((await article('article-01')).shares).toBe(before + 1);
  });
});

describe('a share link', () => {
  it('lands a new friend on the card "… shared this with you", counted once however often they open it', async () => {
    // Prepare
    const ann = freshUser('Ann');
    const { code } = await shareMenu(ann, 'article-02');
    const friend = freshUser('Bob');
    const before = (await article('article-02')).shareOpens;

    // Act
    for (let i = 0; i < 3; i++) await friend.send(`/start s_${code}`);
    await ann.send('/shared');

    // Assess
    const cards = h.standIn.messages(friend.user.id);
    expect(cards).toHaveLength(3);
    for (const card of cards) {
      expect(plain(card.text).split('\n').slice(0, 3)).toEqual([
        'Ann shared this with you',
        '',
        'Bikes and cities, part 2',
      ]);
      expect(buttons(card).map((b) => plain(b.text))).toContain('📤 Share with a friend');
    }
    expect((await article('article-02')).shareOpens).toBe(before + 1);
    expect(plain(last(ann.user.id).text)).toBe(
      '📤 What you shared\n\n• Bikes and cities, part 2 — 1 friend opened it',
    );
    expect(buttons(last(ann.user.id)).map((b) => ({ ...b, text: plain(b.text) }))).toEqual([
      { text: '📄 Bikes and cities, part 2', callback_data: '1:o:article-02' },
    ]);
  });

  it('counts ten friends opening it at once as ten', async () => {
    // Prepare
    const ann = freshUser('Ann');
    const { code } = await shareMenu(ann, 'article-03');
    const friends = Array.from({ length: 10 }, (_, i) => freshUser(`Friend ${i}`));
    const before = (await article('article-03')).shareOpens;

    // Act
    await Promise.all(friends.map((f) => f.send(`/start s_${code}`)));
    await ann.send('/shared');

    // Assess
    expect((await article('article-03')).shareOpens).toBe(before + 10);
    expect(plain(last(ann.user.id).text)).toContain('Bikes and cities, part 3 — 10 friends opened it');
  });

  it('does not count the sharer opening their own link', async () => {
    // Prepare
    const ann = freshUser('Ann');
    const { code } = await shareMenu(ann, 'article-04');
    const before = (await article('article-04')).shareOpens;

    // Act
    await ann.send(`/start s_${code}`);
    await ann.send('/shared');

    // Assess
    expect(plain(h.standIn.messages(ann.user.id).at(-2)?.text).split('\n')[0]).toBe(
      'Bikes and cities, part 4',
    );
    expect((await article('article-04')).shareOpens).toBe(before);
    expect(plain(last(ann.user.id).text)).toContain('Bikes and cities, part 4 — nobody has opened it yet');
  });

  it('gets "not found" for a tampered payload and credits no one', async () => {
    // Prepare
    const ann = freshUser('Ann');
    const { code } = await shareMenu(ann, 'article-05');
    const flip = (c: string) => (c === 'A' ? 'B' : 'A');
    const tampered = [
      `s_${flip(code[0]!)}${code.slice(1)}`,
      `s_${code.slice(0, -1)}${flip(code.at(-1)!)}`,
      `s_${code.slice(0, -1)}`,
      `s_${code}X`,
      `s_${code.slice(0, 7)}`,
      `S_${code}`,
      `a_${code}`,
      `u_${code}`,
      `s-${code}`,
    ];
    const friend = freshUser('Mallory');
    const before = (await article('article-05')).shareOpens;

    // Act
    for (const payload of tampered) await friend.send(`/start ${payload}`);
    await ann.send('/shared');

    // Assess
    const answers = h.standIn.messages(friend.user.id);
    expect(answers).toHaveLength(tampered.length);
    for (const a of answers) {
      expect(plain(a.text)).toMatch(/^🤷 /);
      expect(buttons(a).map((b) => plain(b.text))).toEqual(['📰 Latest articles', '✍️ Authors']);
    }
    expect((await article('article-05')).shareOpens).toBe(before);
    expect(plain(last(ann.user.id).text)).toContain('Bikes and cities, part 5 — nobody has opened it yet');
  });
});

describe('inline mode', () => {
  type Result = {
    id: string;
    title: string;
    input_message_content: { message_text: string; parse_mode: string };
    reply_markup?: { inline_keyboard: Array<Array<{ text: string; url?: string }>> };
  };
  const lastResults = () => (h.standIn.lastInlineAnswer()?.results ?? []) as unknown as Result[];
  const lastAnswerCall = () => h.standIn.callsTo('answerInlineQuery').at(-1);

  it('answers #<id> with one card that passes the checks and carries the sharer’s own link', async () => {
    // Prepare
    const ann = freshUser('Ann');
    const { link } = await shareMenu(ann, 'article-00');
    const shares = (await article('article-00')).shares;

    // Act
    await ann.inlineQuery('#article-00');

    // Assess
    expect(lastAnswerCall()?.ok).toBe(true);
    const answer = h.standIn.lastInlineAnswer();
    expect(answer).toMatchObject({ cache_time: 0, is_personal: true });
    const results = lastResults();
    expect(results).toHaveLength(1);
    expect(results[0]?.id).toBe('article-00');
    expect(results[0]?.input_message_content.message_text).toContain(
      'Why &lt;br&gt; tags &amp; &quot;quotes&quot;',
    );
    expect(results[0]?.reply_markup?.inline_keyboard).toEqual([[{ text: '📖 Open in Herald', url: link }]]);
    expect((await article('article-00')).shares).toBe(shares);
  });

  it('creates the link (one share) when #<id> comes before any press of the share button', async () => {
    // Prepare
    const ann = freshUser('Ann');
    const before = (await article('article-06')).shares;

    // Act
    await ann.inlineQuery('#article-06');
    const url = lastResults()[0]?.reply_markup?.inline_keyboard[0]?.[0]?.url ?? '';
    const { link } = await shareMenu(ann, 'article-06');

    // Assess
    expect(url).toBe(link);
    expect((await article('article-06')).shares).toBe(before + 1);
  });

  it('lists matching articles for words, and the latest for an empty query', async () => {
    // Prepare
    const ann = freshUser('Ann');

    // Act
    await ann.inlineQuery('город');
    const cyrillic = lastResults();
    await ann.inlineQuery('');
    const latest = lastResults();
    const latestAnswer = h.standIn.lastInlineAnswer();

    // Assess
    expect(cyrillic.map((r) => r.id)).toEqual(['article-01']);
    expect(cyrillic[0]?.reply_markup?.inline_keyboard[0]?.[0]).toEqual({
      text: '📖 Open in Herald',
      url: 'https://t.me/HeraldTestBot?start=a_article-01',
    });
    expect(latest.slice(0, 3).map((r) => r.id)).toEqual(['article-00', 'article-01', 'article-02']);
    expect(latestAnswer?.cache_time).toBe(60);
    expect(lastAnswerCall()?.ok).toBe(true);
  });

  it('pages past 50 results with next_offset', async () => {
    // Prepare
    const ann = freshUser('Ann');

    // Act
    await ann.inlineQuery('', '');
    const first = h.standIn.lastInlineAnswer();
    await ann.inlineQuery('', first?.next_offset ?? 'missing');
    const second = h.standIn.lastInlineAnswer();
    await ann.inlineQuery('bikes cit', '');
    const bikes = h.standIn.lastInlineAnswer();
    await ann.inlineQuery('bikes cit', bikes?.next_offset ?? 'missing');
    const bikesSecond = h.standIn.lastInlineAnswer();

    // Assess
    expect(first?.results).toHaveLength(50);
    expect(first?.next_offset).toBe('50');
    expect(second?.results).toHaveLength(10);
    expect(second?.next_offset).toBe('');
    const ids = [...(first?.results ?? []), ...(second?.results ?? [])].map((r) => r.id);
    expect(new Set(ids).size).toBe(60);
    expect(bikes?.results).toHaveLength(50);
    expect(bikesSecond?.results).toHaveLength(8);
    expect(bikesSecond?.next_offset).toBe('');
  });

  it('counts a share when a search result is chosen, but not again for the #<id> card', async () => {
    // Prepare
    const ann = freshUser('Ann');
    await ann.inlineQuery('part 7');
    await ann.inlineQuery('#article-08');
    const before7 = (await article('article-07')).shares;
    const before8 = (await article('article-08')).shares;

    // Act
    await ann.chooseInlineResult('article-07', 'part 7');
    await ann.chooseInlineResult('article-08', '#article-08');

    // Assess
    expect((await article('article-07')).shares).toBe(before7 + 1);
    expect((await article('article-08')).shares).toBe(before8);
  });

  it('/search c says single letters are not searched (not "Try fewer or shorter words"), and costs no search', async () => {
    // Prepare
    const ann = freshUser('Ann');

    // Act
    await ann.send('/search c');
    const reply = plain(last(ann.user.id).text);
    await ann.inlineQuery('a 5');

    // Assess
    expect(reply).toBe('Type at least two letters of a word: single letters and digits are not searched.');
    expect(lastResults()).toEqual([]);
  });

  it('rate-limits one reader’s searches, inline keystrokes included: 30 a minute, then empty answers', async () => {
    // Prepare
    const ann = freshUser('Ann');
    const bob = freshUser('Bob');

    // Act: 31 keystrokes within one clock minute (not near its end), then a /search, then another reader.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 45_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
    const answers: number[] = [];
    for (let i = 1; i <= 31; i++) {
      await ann.inlineQuery(`bikes ${'and cities'.slice(0, i % 10)}`);
      answers.push(lastResults().length);
    }
    const limited = lastResults();
    await ann.send('/search bikes');
    const searchReply = plain(last(ann.user.id).text);
    await bob.inlineQuery('bikes');

    // Assess
    expect(answers.slice(0, 30).every((n) => n > 0)).toBe(true);
    expect(limited).toEqual([]);
    expect(h.standIn.lastInlineAnswer()?.results.length).toBeGreaterThan(0);
    expect(searchReply).toBe('You are searching quickly — please wait a minute and try again.');
  });

  it('counts a share once per sharer and article, however many cards are posted', async () => {
    // Prepare
    const ann = freshUser('Ann');
    await ann.inlineQuery('part 9');
    const before = (await article('article-09')).shares;

    // Act: the inflation (50 posts), then a share link for the same article.
    for (let i = 0; i < 50; i++) await ann.chooseInlineResult('article-09', 'part 9');
    await ann.inlineQuery('#article-09');

    // Assess
    expect((await article('article-09')).shares).toBe(before + 1);
  });
});

describe('/shared', () => {
  it('says so when nothing was shared yet', async () => {
    // Prepare
    const ann = freshUser('Ann');

    // Act
    await ann.send('/shared');

    // Assess
    expect(plain(last(ann.user.id).text)).toBe(
      'You have not shared anything yet. Open an article and press 📤 Share with a friend.',
    );
  });

  it('stays within Telegram’s limit for twenty shares of 300-character titles', async () => {
    // Prepare
    const title = (i: number) => `${i} ${'A title that goes on & on <and> on. '.repeat(9)}`.slice(0, 300);
    const ids = Array.from({ length: 20 }, (_, i) => `long-title-${i}`);
    await seed(
      h,
      [],
      ids.map((id, i) => ({
        id,
        title: title(i),
        authorHandle: 'jdoe',
        body: 'Short.',
        publishedAt: '2019-01-01T00:00:00Z',
      })),
    );
    const ann = freshUser('Ann');
    for (const id of ids) {
      await ann.send(`/start a_${id}`);
      await ann.pressButton(last(ann.user.id), '📤 Share with a friend');
    }

    // Act
    await ann.send('/shared');

    // Assess
    const list = last(ann.user.id);
    expect(plain(list.text)).toMatch(/^📤 What you shared/);
    expect(
      plain(list.text)
        .split('\n')
        .filter((l) => l.startsWith('• ')),
    ).toHaveLength(20);
    expect(plain(list.text).length).toBeLessThanOrEqual(4096);
  });
});
