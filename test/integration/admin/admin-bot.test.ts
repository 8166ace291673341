/**
 * The admin commands of the bot (/stats, /stats <id>, /delete_article <id> with its confirm
 * button) through the webhook, on DynamoDB Local and the Bot API stand-in — and the proof that for
 * anyone who is not an admin they are indistinguishable from unknown commands.
 */

import { statsMessage } from '../../../functions/bot/features/admin';
import type { StatsReport } from '../../../functions/core/stats';
import { chatHelpers } from '../../helpers/chat';
import { type Harness, samplePublication, seed, startHarness } from '../../helpers/harness';
import { freshViewer } from '../../helpers/viewers';

const ADMIN_ID = 4242;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ adminIds: [ADMIN_ID] });
  const { authors, articles } = samplePublication(12);
  await seed(h, authors, articles);
  // article-00 (title with <br>, & and quotes) is the most read, then article-05.
  for (let i = 0; i < 3; i++) await h.app.store.articles.openArticle('article-00', freshViewer());
  await h.app.store.articles.openArticle('article-05', freshViewer());
  await h.app.store.articles.addToCounter('article-05', 'shares', 1);
  await h.app.store.articles.addToCounter('article-05', 'alertsSent', 1);
  await h.app.store.articles.addToCounter('article-00', 'shares', 2);
  await h.app.store.articles.addToCounter('article-00', 'shareOpens', 4);
  await h.app.store.articles.addToCounter('article-00', 'alertsSent', 9);
  await h.app.store.subscriptions.subscribe(9001, 'jdoe');
});

afterAll(async () => {
  await h?.stop();
});

const { freshUser, last, toastFor } = chatHelpers(() => h, 7000);
const admin = () => h.user(ADMIN_ID, 'Admin');
const reader = () => freshUser('Reader');

describe('/stats', () => {
  it('shows an admin the totals and the top articles by views, escaped and within 4096 characters', async () => {
    // Act
    await admin().send('/stats');

    // Assess
    const m = last(ADMIN_ID);
    expect(m.text).toContain('Articles: 12 · Authors: 2');
    expect(m.text).toContain('Subscriptions: 1 · Comments: 0');
    expect(m.text).toContain('Views: 4 · Shares: 3 · Opens from shares: 4 · Alerts sent: 10');
    expect(m.text).toContain('Top articles by views');
    const rows = m.text.split('\n').filter((l) => /^\d+\. /.test(l));
    expect(rows).toHaveLength(10);
    expect(rows[0]).toBe('1. Why <br> tags & "quotes" won\'t save the web 🚲 (article-00)');
    expect(rows[1]).toMatch(/^2\. .* \(article-05\)$/);
    expect(m.text).toContain('👁 3 · 💬 0 · ↗️ 2 shares · 🔗 4 opens · 🔔 9 alerts');
    // Singulars are singular (issue 17, item 18: "1 alerts", "1 shares").
    expect(m.text).toContain('👁 1 · 💬 0 · ↗️ 1 share · 🔗 0 opens · 🔔 1 alert');
    expect(m.sentText).toContain('Why &lt;br&gt; tags &amp; &quot;quotes&quot;');
    expect(m.sentText.length).toBeLessThanOrEqual(4096);
  });

  it('shows one article’s counters with /stats <id>, and says so for an unknown id', async () => {
    // Act
    await admin().send('/stats article-00');
    const one = last(ADMIN_ID).text;
    await admin().send('/stats no-such-article');
    const unknown = last(ADMIN_ID).text;
    await admin().send('/stats <b>bad</b>');
    const malformed = last(ADMIN_ID);

    // Assess
    expect(one).toContain('Why <br> tags & "quotes" won\'t save the web 🚲');
    // The card's and the profile's date format (i18n/format.ts formatDate), in English.
    expect(one).toContain('by Dr. Jane Doe (@jdoe) · 20 Nov 2026');
    expect(one).toMatch(/Views: 3\nReplies: 0\nShares: 2\nOpens from shares: 4\nAlerts sent: 9/);
    expect(unknown).toBe('No article has the id no-such-article.');
    expect(malformed.text).toBe('No article has the id <b>bad</b>.');
    expect(malformed.sentText).toContain('&lt;b&gt;bad&lt;/b&gt;');
  });
});

describe('/delete_article', () => {
  it('asks to confirm with a button; "Keep it" keeps the article', async () => {
    // Prepare
    await admin().send('/delete_article article-03');
    const question = last(ADMIN_ID);
    const asked = question.text;

    // Act
    await admin().pressButton(question, 'Keep it');

    // Assess
    expect(asked).toMatch(/^Delete “Bikes and cities, part 3” by Dr\. Jane Doe \(@jdoe\)\?/);
    expect(toastFor('1:ad:article-03:n')).toBe('Kept.');
    expect(last(ADMIN_ID).text).toBe('Kept “Bikes and cities, part 3”.');
    expect(last(ADMIN_ID).reply_markup).toBeUndefined();
    expect(await h.app.store.articles.getArticle('article-03')).toBeDefined();
  });

  it('deletes the article after the confirm button, once', async () => {
    // Prepare
    await admin().send('/delete_article article-04');
    const question = last(ADMIN_ID);
    const asked = question.text;
    const countBefore = (await h.app.store.authors.getAuthor('ivanova'))?.articleCount;

    // Act
    await admin().pressButton(question, '🗑 Delete for good');
    await admin().press(question, '1:ad:article-04:y'); // a double tap that raced the edit

    // Assess
    expect(asked).toMatch(
      /^Delete “Bikes and cities, part 4” by Анна Иванова \(@ivanova\)\?\nIts 0 comments go with it/,
    );
    const toasts = h.standIn.callbackAnswers.filter((a) => a.data === '1:ad:article-04:y').map((a) => a.text);
    expect(toasts).toEqual(['🗑 Deleted.', 'It was already deleted.']);
    expect(await h.app.store.articles.getArticle('article-04')).toBeUndefined();
    expect((await h.app.store.authors.getAuthor('ivanova'))?.articleCount).toBe((countBefore ?? 0) - 1);
  });

  it('answers a missing or unknown id without asking anything', async () => {
    // Act
    await admin().send('/delete_article');
    const usage = last(ADMIN_ID).text;
    await admin().send('/delete_article article-04');
    const gone = last(ADMIN_ID);

    // Assess
    expect(usage).toMatch(/^Usage: \/delete_article <article-id>/);
    expect(gone.text).toBe('No article has the id article-04.');
    expect(gone.reply_markup).toBeUndefined();
  });
});

describe('for everyone else', () => {
  it('answers the admin commands exactly like an unknown command', async () => {
    // Prepare
    const ann = reader();
    await ann.send('/no_such_command');
    const unknownAnswer = last(ann.user.id).text;

    // Act
    const answers: string[] = [];
    for (const cmd of ['/stats', '/stats article-00', '/delete_article article-05']) {
      await ann.send(cmd);
      answers.push(last(ann.user.id).text);
    }

    // Assess
    expect(unknownAnswer).toMatch(/don’t know that command/);
    expect(answers).toEqual([unknownAnswer, unknownAnswer, unknownAnswer]);
    expect(await h.app.store.articles.getArticle('article-05')).toBeDefined();
  });

  it('treats a forged confirm button as out of date and deletes nothing', async () => {
    // Prepare
    const mallory = reader();
    await mallory.send('/latest');

    // Act
    await mallory.press(last(mallory.user.id), '1:ad:article-05:y');

    // Assess
    expect(toastFor('1:ad:article-05:y')).toBe('This button is out of date. Send /latest to start again.');
    expect(await h.app.store.articles.getArticle('article-05')).toBeDefined();
  });
});

describe('statsMessage', () => {
  it('stays within 4096 characters even when every top title is long and all markup', () => {
    // Prepare
    const row = (i: number) => ({
      id: `${'x'.repeat(44)}-${String(i).padStart(3, '0')}`,
      title: '<&>'.repeat(100),
      authorHandle: 'jdoe',
      authorName: 'Dr. Jane Doe',
      publishedAt: '2026-11-20T08:00:00Z',
      views: 1_000_000 - i,
      replies: 99_999,
      shares: 99_999,
      shareOpens: 99_999,
      alertsSent: 9_999_999,
    });
    const report: StatsReport = {
      totals: {
        articles: 20,
        authors: 1,
        subscriptions: 5,
        comments: 0,
        views: 0,
        shares: 0,
        shareOpens: 0,
        alertsSent: 0,
      },
      articles: Array.from({ length: 20 }, (_, i) => row(i)),
      truncated: true,
      generatedAt: '2026-11-25T00:00:00Z',
    };

    // Act
    const text = statsMessage(report);

    // Assess
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).not.toContain('<&>');
    expect(text).toContain('1. <b>&lt;&amp;&gt;');
    expect(text).toContain('Counters cover the newest 20 articles.');
  });
});

describe('/ban and /unban', () => {
  it('bans a reader from commenting and lifts it; readers cannot use the commands', async () => {
    // Prepare
    const reader = h.user(7_777, 'Spammer');

    // Act
    await admin().send('/ban 7777 spam links');
    const banned = last(ADMIN_ID).text;
    await admin().send('/ban 7777');
    const again = last(ADMIN_ID).text;
    const ban = await h.app.store.moderation.getBan(7_777);
    await reader.send('/ban 4242');
    const readerAnswer = last(7_777).text;
    await admin().send('/unban 7777');
    const lifted = last(ADMIN_ID).text;
    await admin().send('/ban nobody');
    const usage = last(ADMIN_ID).text;

    // Assess
    expect(banned).toMatch(/^🚫 7777 can no longer post comments\./);
    expect(again).toBe('7777 was already banned.');
    expect(ban).toMatchObject({ userId: 7_777, by: `telegram:${ADMIN_ID}`, reason: 'spam links' });
    expect(readerAnswer).not.toMatch(/banned|🚫/);
    expect(await h.app.store.moderation.getBan(4242)).toBeUndefined();
    expect(lifted).toBe('✅ 7777 may comment again.');
    expect(await h.app.store.moderation.getBan(7_777)).toBeUndefined();
    expect(usage).toMatch(/^Usage: \/ban <Telegram user id> \[reason\]/);
  });
});
