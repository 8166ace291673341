import { buttonTexts, chatHelpers, plain } from '../../helpers/chat';
import { type Harness, samplePublication, seed, startHarness } from '../../helpers/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  const { authors, articles } = samplePublication(6);
  await seed(
    h,
    [...authors, { handle: 'writer_a', fullName: 'Writer A', userSince: '2020-01-01' }],
    articles,
  );
});

afterAll(async () => {
  await h?.stop();
});

const { freshUser, last, toastFor } = chatHelpers(() => h, 9000);
const subscribers = async (handle: string) =>
  (await h.app.store.authors.getAuthor(handle))?.subscriberCount ?? 0;
const subscribed = (userId: number, handle: string) => h.app.store.subscriptions.isSubscribed(userId, handle);

describe('subscribing', () => {
  it('from a card: a toast, one more subscriber, the card’s text unchanged, and the latest three in one list', async () => {
    // Prepare
    const ann = freshUser();
    await ann.send('/start a_article-00');
    const card = last(ann.user.id);
    const cardText = plain(card.text);
    const before = await subscribers('jdoe');

    // Act
    await ann.pressButton(card, '🔔 Subscribe');

    // Assess
    expect(toastFor('1:s:jdoe')).toBe(
      '🔔 Subscribed to Dr. Jane Doe. You’ll get an alert when they publish.',
    );
    expect(await subscribers('jdoe')).toBe(before + 1);
    expect(await subscribed(ann.user.id, 'jdoe')).toBe(true);
    expect(plain(card.text)).toBe(cardText);
    // The card now shows the follow's mode beside 🔕 Unsubscribe.
    expect(buttonTexts(card)).toEqual(expect.arrayContaining(['🔕 Unsubscribe', '⚡']));
    // Issue 14, item 6: the author's latest three, as one message of open buttons.
    const [, offer] = h.standIn.messages(ann.user.id);
    expect(h.standIn.messages(ann.user.id)).toHaveLength(2);
    expect(plain(offer?.text ?? '')).toBe('Latest from Dr. Jane Doe:');
    expect(offer?.reply_markup?.inline_keyboard.flat().map((b) => b.callback_data)).toEqual([
      '1:o:article-00',
      '1:o:article-02',
      '1:o:article-03',
    ]);
  });

  it('from a profile: the button flips to Unsubscribe and back by editing the profile', async () => {
    // Prepare
    const ann = freshUser();
    await ann.send('/author ivanova');
    const profile = last(ann.user.id);
    const before = await subscribers('ivanova');

    // Act
    await ann.pressButton(profile, '🔔 Subscribe');
    const afterSubscribe = {
      buttons: buttonTexts(profile),
      text: plain(profile.text),
      count: await subscribers('ivanova'),
    };
    await ann.pressButton(profile, '🔕 Unsubscribe');

    // Assess
    expect(afterSubscribe.buttons.slice(-2)).toEqual(['🔕 Unsubscribe', '⚡ Instant']);
    expect(plain(afterSubscribe.text)).toContain(`Subscribers: ${before + 1}`);
    expect(afterSubscribe.count).toBe(before + 1);
    expect(toastFor('1:x:ivanova:p')).toBe('🔕 Unsubscribed.');
    expect(buttonTexts(profile).at(-1)).toBe('🔔 Subscribe');
    expect(plain(profile.text)).toContain(`Subscribers: ${before}`);
    expect(h.standIn.messages(ann.user.id)).toHaveLength(1);
    expect(last(ann.user.id).message_id).toBe(profile.message_id);
  });

  it('by command: /subscribe jdoe, again, then /unsubscribe jdoe', async () => {
    // Prepare
    const ann = freshUser();
    const before = await subscribers('jdoe');

    // Act
    await ann.send('/subscribe jdoe');
    await ann.send('/subscribe @JDoe');
    const afterTwo = await subscribers('jdoe');
    await ann.send('/unsubscribe jdoe');
    await ann.send('/unsubscribe jdoe');

    // Assess
    expect(h.standIn.messages(ann.user.id).map((m) => plain(m.text))).toEqual([
      '🔔 Subscribed to Dr. Jane Doe. You’ll get an alert when they publish.',
      'Latest from Dr. Jane Doe:',
      'You already follow Dr. Jane Doe.',
      // Named as "Subscribed to" names the author (issue 17, item 18).
      '🔕 Unsubscribed from Dr. Jane Doe.',
      'You were not subscribed to @jdoe.',
    ]);
    expect(afterTwo).toBe(before + 1);
    expect(await subscribers('jdoe')).toBe(before);
  });

  it('answers an unknown or missing handle clearly and subscribes to nothing', async () => {
    // Prepare
    const ann = freshUser();

    // Act
    await ann.send('/subscribe nobody');
    await ann.send('/subscribe');
    await ann.send('/subscribe not a handle!');
    await ann.send('/unsubscribe');

    // Assess
    expect(h.standIn.messages(ann.user.id).map((m) => plain(m.text))).toEqual([
      'I don’t know an author @nobody. See /authors.',
      'Usage: /subscribe <handle>, e.g. /subscribe jdoe. See /authors.',
      'Usage: /subscribe <handle>, e.g. /subscribe jdoe. See /authors.',
      'Usage: /unsubscribe <handle>. /subscriptions lists whom you follow.',
    ]);
    expect(await h.app.store.subscriptions.listForUser(ann.user.id)).toEqual([]);
  });

  it('counts a double tap (two presses at once) as one subscriber', async () => {
    // Prepare
    const ann = freshUser();
    await ann.send('/start a_article-02');
    const card = last(ann.user.id);
    const before = await subscribers('jdoe');

    // Act
    await Promise.all([ann.pressButton(card, '🔔 Subscribe'), ann.pressButton(card, '🔔 Subscribe')]);

    // Assess
    expect(await subscribers('jdoe')).toBe(before + 1);
    const toasts = h.standIn.callbackAnswers
      .filter((a) => a.data === '1:s:jdoe')
      .slice(-2)
      .map((a) => plain(a.text));
    expect(toasts.sort()).toEqual([
      'You already follow Dr. Jane Doe. /subscriptions to manage.',
      '🔔 Subscribed to Dr. Jane Doe. You’ll get an alert when they publish.',
    ]);
  });
});

describe('buttons drawn before they carried their screen', () => {
  it('an old profile button (no screen in its data) still unsubscribes with a toast, and leaves the message as it is', async () => {
    // Prepare
    const ann = freshUser();
    await ann.send('/subscribe ivanova');
    await ann.send('/author ivanova');
    const profile = last(ann.user.id);
    const text = plain(profile.text);
    const before = await subscribers('ivanova');

    // Act
    await ann.press(profile, '1:x:ivanova');

    // Assess
    expect(toastFor('1:x:ivanova')).toBe('🔕 Unsubscribed.');
    expect(await subscribers('ivanova')).toBe(before - 1);
    expect(plain(profile.text)).toBe(text);
    expect(h.standIn.messages(ann.user.id).filter((m) => m.message_id >= profile.message_id)).toHaveLength(1);
  });
});

describe('/subscriptions', () => {
  it('lists the authors with unsubscribe buttons; pressing one redraws the list', async () => {
    // Prepare
    const ann = freshUser();
    await ann.send('/subscribe jdoe');
    await ann.send('/subscribe ivanova');
    await ann.send('/subscriptions');
    const list = last(ann.user.id);
    const firstText = plain(list.text);
    const firstButtons = buttonTexts(list);
    const before = await subscribers('ivanova');

    // Act
    // The third button of each row: Анна Иванова's 🔕 first, then (after the redraw) Dr. Jane Doe's.
    await ann.pressButton(list, 3);
    const afterOne = { text: plain(list.text), buttons: buttonTexts(list) };
    await ann.pressButton(list, 3);

    // Assess
    expect(firstText).toBe(
      '🔔 Your subscriptions\n\n• Анна Иванова (@ivanova)\n• Dr. Jane Doe (@jdoe)\n\nYou get one alert when any of them publishes.\nTap ⚡ 📰 🗓 beside an author to switch between instant alerts, a daily and a weekly digest.',
    );
    expect(firstButtons).toEqual([
      '👤 Анна Иванова',
      '⚡',
      '🔕 Unsubscribe',
      '👤 Dr. Jane Doe',
      '⚡',
      '🔕 Unsubscribe',
    ]);
    expect(plain(afterOne.text)).toBe(
      '🔔 Your subscriptions\n\n• Dr. Jane Doe (@jdoe)\n\nYou get one alert when any of them publishes.\nTap ⚡ 📰 🗓 beside an author to switch between instant alerts, a daily and a weekly digest.',
    );
    expect(afterOne.buttons).toEqual(['👤 Dr. Jane Doe', '⚡', '🔕 Unsubscribe']);
    expect(await subscribers('ivanova')).toBe(before - 1);
    expect(h.standIn.callbackAnswers.slice(-2).map((a) => [a.data, plain(a.text)])).toEqual([
      ['1:x:ivanova:l', '🔕 Unsubscribed.'],
      ['1:x:jdoe:l', '🔕 Unsubscribed.'],
    ]);
    expect(plain(list.text)).toBe(
      'You do not follow anyone yet. Open an author from /authors and press 🔔 Subscribe.',
    );
    expect(buttonTexts(list)).toEqual(['✍️ Authors']);
    expect(h.standIn.messages(ann.user.id).filter((m) => m.message_id >= list.message_id)).toHaveLength(1);
  });
});

describe('/subscriptions with many follows', () => {
  it('pages 10 a page with ◀ ▶ in one message, each page within Telegram’s limit (was "message is too long")', async () => {
    // Prepare: 95 authors with the longest names, followed by one reader.
    const ann = freshUser();
    const handles = Array.from({ length: 95 }, (_, i) => `many_${String(i).padStart(2, '0')}`);
    for (const handle of handles) {
      await h.app.store.authors.putAuthor({
        handle,
        fullName: `${'Ж'.repeat(120)} ${handle}`,
        userSince: '2020-01-01',
      });
      await h.app.store.subscriptions.subscribe(ann.user.id, handle);
    }

    // Act
    await ann.send('/subscriptions');
    const list = last(ann.user.id);
    const first = plain(list.text);
    await ann.pressButton(list, '▶');
    const second = plain(list.text);
    for (let i = 0; i < 8; i++) await ann.pressButton(list, '▶');
    const lastPage = { text: plain(list.text), buttons: buttonTexts(list) };
    await ann.pressButton(list, '◀');

    // Assess
    expect(h.standIn.calls.filter((c) => !c.ok && Number(c.params.chat_id) === ann.user.id)).toEqual([]);
    expect(first).toContain('@many_00');
    expect(first).toContain('@many_09');
    expect(first).not.toContain('@many_10');
    expect(second).toContain('@many_10');
    expect(lastPage.text).toContain('@many_94');
    expect(lastPage.buttons).not.toContain('▶');
    expect(lastPage.buttons).toContain('· 10 ·');
    expect(plain(list.text)).toContain('@many_80');
    expect(h.standIn.messages(ann.user.id).filter((m) => m.message_id >= list.message_id)).toHaveLength(1);
  });
});

describe('blocking the bot', () => {
  it('takes the user out of the alert list; unblocking brings them back with the subscription intact', async () => {
    // Prepare
    const ann = freshUser();
    await ann.send('/subscribe writer_a');
    const page = async () =>
      (await h.app.store.subscriptions.subscribersPage('writer_a', undefined, 100)).userIds;
    const listed = await page();

    // Act
    await ann.block();
    const whileBlocked = await page();
    const stillSubscribed = await subscribed(ann.user.id, 'writer_a');
    await ann.unblock();

    // Assess
    expect(listed).toContain(ann.user.id);
    expect(whileBlocked).not.toContain(ann.user.id);
    expect(stillSubscribed).toBe(true);
    expect(await page()).toContain(ann.user.id);
    expect(await h.app.store.subscriptions.listForUser(ann.user.id)).toEqual(['writer_a']);
    expect(await subscribers('writer_a')).toBe(1);
    expect(h.statuses.slice(-2)).toEqual([200, 200]);
  });
});
