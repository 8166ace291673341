/**
 * Issue 17, item 2: /privacy says what Herald stores and links the publisher's policy; /forget_me
 * erases the reader after a confirmation, through the webhook and the stand-in.
 */
import { forgetButton } from '../../../functions/bot/features/privacy';
import { buttonTexts, chatHelpers, plain } from '../../helpers/chat';
import { type Harness, samplePublication, seed, startHarness } from '../../helpers/harness';

let h: Harness;
let plainHarness: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { PRIVACY_POLICY_URL: 'https://example.org/privacy?a=1&b=2' } });
  const { authors, articles } = samplePublication(4);
  await seed(h, authors, articles);
  plainHarness = await startHarness();
});

afterAll(async () => {
  await h?.stop();
  await plainHarness?.stop();
});

const { freshUser, last } = chatHelpers(() => h, 12_000);

describe('/privacy', () => {
  it('says what is stored and why, and links the configured policy', async () => {
    // Prepare
    const ann = freshUser();

    // Act
    await ann.send('/privacy');

    // Assess
    const m = last(ann.user.id);
    expect(plain(m.text)).toMatch(/^🔒 Your data in Herald/);
    expect(plain(m.text)).toContain('the authors and tags you follow — to send you alerts and digests');
    expect(plain(m.text)).toContain('your delivery settings: time zone, digest time and day, quiet hours');
    expect(plain(m.text)).toContain(
      'articles waiting for your next digest — until it goes out (at most 60 days)',
    );
    expect(plain(m.text)).toContain('/forget_me erases all of it');
    expect(m.sentText).toContain('<a href="https://example.org/privacy?a=1&amp;b=2">');
  });

  it('without a configured policy says this is all of it', async () => {
    // Prepare
    const bob = plainHarness.user(12_500, 'Bob');

    // Act
    await bob.send('/privacy');

    // Assess
    expect(plain(plainHarness.standIn.lastMessage(12_500)?.text)).toContain(
      'This is all of it: the publisher has not linked a separate policy.',
    );
  });

  it('answers in the reader’s language', async () => {
    // Prepare
    const ru = h.standIn.user({ id: 12_600, first_name: 'Иван', language_code: 'ru' });

    // Act
    await ru.send('/privacy');

    // Assess
    expect(plain(last(12_600).text)).toMatch(/^🔒 Ваши данные в Herald/);
  });
});

describe('/forget_me', () => {
  it('asks first; "Keep it" erases nothing; "Erase my data" erases it all, counts corrected', async () => {
    // Prepare: a reader with a profile, a subscription, a tag follow and a comment.
    const ann = freshUser('Ann');
    await ann.send('/start');
    await ann.send('/subscribe jdoe');
    await ann.send('/tag forgetting');
    await ann.send('/start a_article-00');
    await ann.pressButton(
      last(ann.user.id),
      buttonTexts(last(ann.user.id)).find((t) => t.startsWith('💬')) ?? '💬',
    );
    await ann.pressButton(last(ann.user.id), '✍️ Post a comment');
    await ann.send('Please forget this.');
    const subscribers = (await h.app.store.authors.getAuthor('jdoe'))?.subscriberCount ?? 0;
    const followsBefore = await h.app.store.subscriptions.listFollows(ann.user.id);
    const replies = (await h.app.store.articles.getArticle('article-00'))?.replies ?? 0;

    // Act
    await ann.send('/forget_me');
    const question = last(ann.user.id);
    await ann.pressButton(question, 'Keep it');
    const kept = plain(question.text);
    const stillSubscribed = await h.app.store.subscriptions.isSubscribed(ann.user.id, 'jdoe');
    await ann.send('/forget_me');
    const again = last(ann.user.id);
    await ann.pressButton(again, '🗑 Erase my data');

    // Assess
    expect(plain(question.text)).toBe('Nothing was erased.');
    expect(kept).toBe('Nothing was erased.');
    expect(stillSubscribed).toBe(true);
    expect(plain(again.text)).toBe(
      '✅ Done: Herald no longer stores anything about you. Send /start to use it again.',
    );
    expect(buttonTexts(again)).toEqual([]);
    expect(await h.app.store.subscriptions.isSubscribed(ann.user.id, 'jdoe')).toBe(false);
    expect(followsBefore.map((f) => f.target)).toEqual([
      { kind: 'author', handle: 'jdoe' },
      { kind: 'tag', tag: 'forgetting' },
    ]);
    expect(await h.app.store.subscriptions.listFollows(ann.user.id)).toEqual([]);
    expect((await h.app.store.authors.getAuthor('jdoe'))?.subscriberCount).toBe(subscribers - 1);
    expect((await h.app.store.articles.getArticle('article-00'))?.replies).toBe(replies - 1);
    expect(await h.app.store.sessions.getLanguage(ann.user.id)).toBeUndefined();
    expect(forgetButton.encode({ confirm: true })).toBe('1:fm:y');
  });
});
