/**
 * `/settings` and `/tag` through the webhook handler and the stand-in: the settings screen with a
 * line per choice, changed by buttons (the message is edited in place), a time zone typed as a
 * city or offset (and a wrong one refused in a sentence), and a tag followed and unfollowed.
 */
import { tagHash } from '../../../functions/bot/features/settings';
import { ReaderSettingsRepository } from '../../../functions/store/reader-settings-repository';
import { SubscriptionRepository } from '../../../functions/store/subscription-repository';
import { buttonTexts, chatHelpers, plain } from '../../helpers/chat';
import { type Harness, seed, startHarness } from '../../helpers/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await seed(
    h,
    [{ handle: 'tagged_writer', fullName: 'Tagged Writer', userSince: '2020-01-01' }],
    [
      {
        id: 'tagged-01',
        title: 'Rain in the old city',
        authorHandle: 'tagged_writer',
        body: 'Rain came to the old city. People walked. Streets shone.',
        publishedAt: '2026-11-20T08:00:00.000Z',
        // The third is 32 Arabic letters and spaces: ~60 bytes of UTF-8, too long for button data.
        tags: ['Climate', ' WATER ', 'زراعة مستدامة في المدن العربية ك'],
      },
    ],
  );
});

afterAll(async () => {
  await h?.stop();
});

const { freshUser, last, toastFor } = chatHelpers(() => h, 9500);
const settingsOf = (userId: number) =>
  new ReaderSettingsRepository(h.app.doc, h.config.tableName).getSettings(userId);

describe('/settings', () => {
  it('explains every choice in one line and changes them with buttons', async () => {
    // Prepare
    const ann = freshUser();
    await ann.send('/settings');
    const screen = last(ann.user.id);
    const before = plain(screen.text);

    // Act
    await ann.pressButton(screen, '📰 Daily');
    await ann.pressButton(screen, '🌙 22–07 hold');
    await ann.pressButton(screen, '09:00 ▶');
    const after = plain(screen.text);

    // Assess
    expect(before).toContain('New follows: ⚡ Instant — how articles');
    expect(before).toContain('Time zone: UTC — digests and quiet hours');
    expect(before).toContain('Digest time: 08:00 — when your daily and weekly digests arrive.');
    expect(before).toContain('Weekly digest: Monday — the day your weekly digest comes.');
    expect(before).toContain('Quiet hours: off — alerts in this window');
    expect(after).toContain('New follows: 📰 Daily');
    expect(after).toContain('Quiet hours: 22:00–07:00, held until they end');
    expect(after).toContain('Digest time: 09:00');
    expect(buttonTexts(screen)).toContain('✓ 📰 Daily');
    // The screen is edited in place; the one other message is the time zone question (below).
    expect(h.standIn.messages(ann.user.id)).toHaveLength(2);
    expect(await settingsOf(ann.user.id)).toMatchObject({
      defaultMode: 'daily',
      digestHour: 9,
      quiet: { start: 1320, end: 420, action: 'hold' },
    });
  });

  it('takes a time zone typed as a city or an offset, and refuses one it does not know', async () => {
    // Prepare
    const bo = freshUser();

    // Act
    await bo.send('/settings europe/london');
    const set = plain(last(bo.user.id).text);
    await bo.send('/settings Mars/Olympus');
    const refused = plain(last(bo.user.id).text);
    await bo.send('/settings +5:30');

    // Assess
    expect(set).toContain('Time zone: Europe/London');
    expect(refused).toContain('I don’t know the time zone “Mars/Olympus”.');
    expect((await settingsOf(bo.user.id)).timeZone).toBe('+05:30');
  });
});

describe('each follow’s mode from /settings', () => {
  it('lists what the reader follows and switches one follow between instant, daily and weekly', async () => {
    // Prepare
    const di = freshUser();
    await h.app.store.authors.putAuthor({
      handle: 'mode_writer',
      fullName: 'Mode Writer',
      userSince: '2020-01-01',
    });
    await h.app.store.subscriptions.subscribe(di.user.id, 'mode_writer');
    await di.send('/tag water');
    await di.send('/settings');
    const screen = last(di.user.id);
    const follows = new SubscriptionRepository(h.app.doc, h.config.tableName);

    // Act
    await di.pressButton(screen, '⚡ @mode_writer');
    await di.pressButton(screen, '⚡ #water');
    await di.pressButton(screen, '📰 #water');

    // Assess
    expect(plain(screen.text)).toContain('What you follow — tap one to switch it');
    expect(buttonTexts(screen)).toEqual(expect.arrayContaining(['📰 @mode_writer', '🗓 #water']));
    expect(await follows.listFollows(di.user.id)).toEqual([
      { target: { kind: 'author', handle: 'mode_writer' }, mode: 'daily' },
      { target: { kind: 'tag', tag: 'water' }, mode: 'weekly' },
    ]);
    // The follower lists the fan-out reads moved with the mode.
    expect(
      (await follows.followersPage({ kind: 'author', handle: 'mode_writer' }, 'daily', undefined, 10))
        .userIds,
    ).toEqual([di.user.id]);
    expect(
      (await follows.followersPage({ kind: 'author', handle: 'mode_writer' }, 'instant', undefined, 10))
        .userIds,
    ).toEqual([]);
  });
});

describe('/tag', () => {
  it('follows a tag in its normal form in the reader’s default mode, offers its latest, and a second /tag unfollows', async () => {
    // Prepare
    const cy = freshUser();
    const follows = new SubscriptionRepository(h.app.doc, h.config.tableName);

    // Act
    await cy.send('/tag  #Climate ');
    const [followedMessage, offered] = h.standIn.messages(cy.user.id);
    const followed = plain(followedMessage?.text ?? '');
    const listed = await follows.listFollows(cy.user.id);
    await cy.send('/tag climate');
    const unfollowed = plain(last(cy.user.id).text);
    await cy.send('/tag');

    // Assess
    expect(followed).toContain('You now follow #climate.');
    // Issue 14, item 6: the tag's latest articles (from the by-tag rows written at publish), one message.
    expect(plain(offered?.text ?? '')).toBe('Latest on #climate:');
    expect(offered?.reply_markup?.inline_keyboard.flat().map((b) => b.callback_data)).toEqual([
      '1:o:tagged-01',
    ]);
    expect(listed).toEqual([{ target: { kind: 'tag', tag: 'climate' }, mode: 'instant' }]);
    expect(unfollowed).toBe('You no longer follow #climate.');
    expect(await follows.listFollows(cy.user.id)).toEqual([]);
    expect(plain(last(cy.user.id).text)).toContain('Usage: /tag <topic>');
  });
});

describe('the time zone question', () => {
  it('comes once, the first time a digest mode is chosen, with likely zones and how to type another', async () => {
    // Prepare
    const ed = freshUser();
    await ed.send('/settings');
    const screen = last(ed.user.id);

    // Act
    await ed.pressButton(screen, '📰 Daily');
    const question = last(ed.user.id);
    // The stand-in's message changes with its edits: keep what the question first said.
    const asked = { id: question.message_id, text: plain(question.text), buttons: buttonTexts(question) };
    await ed.pressButton(screen, '🗓 Weekly');
    await ed.pressButton(screen, '📰 Daily');
    const messagesBefore = h.standIn.messages(ed.user.id).length;
    await ed.pressButton(question, 'Europe/London');

    // Assess
    expect(asked.id).not.toBe(screen.message_id);
    expect(asked.text).toContain('Digests arrive at 08:00 your time. Which time zone are you in?');
    expect(asked.text).toContain('Send /settings with a city or a UTC offset');
    expect(asked.buttons).toEqual(['Europe/London', 'America/New_York', 'Asia/Kolkata']);
    // Asked once: the later digest choices sent nothing new; the answer edits the question.
    expect(messagesBefore).toBe(2);
    expect(h.standIn.messages(ed.user.id)).toHaveLength(2);
    expect(plain(question.text)).toBe(
      'Time zone: Europe/London. Your digests arrive at 08:00 local time; change it any time in /settings.',
    );
    expect((await settingsOf(ed.user.id)).timeZone).toBe('Europe/London');
  });

  it('is asked once when two digest choices arrive at the same moment (a double tap)', async () => {
    // Prepare
    const hana = freshUser();
    await hana.send('/settings');
    const screen = last(hana.user.id);

    // Act
    await Promise.all([hana.pressButton(screen, '📰 Daily'), hana.pressButton(screen, '🗓 Weekly')]);

    // Assess
    const questions = h.standIn
      .messages(hana.user.id)
      .filter((m) => plain(m.text).includes('Which time zone are you in?'));
    expect(questions).toHaveLength(1);
  });

  it('is not asked for instant, nor of a reader who set a zone first', async () => {
    // Prepare
    const fay = freshUser();
    const gil = freshUser();
    await fay.send('/settings');
    await gil.send('/settings +03:00');

    // Act
    await fay.pressButton(last(fay.user.id), '✓ ⚡ Instant');
    await gil.pressButton(last(gil.user.id), '🗓 Weekly');

    // Assess
    expect(h.standIn.messages(fay.user.id)).toHaveLength(1);
    expect(h.standIn.messages(gil.user.id)).toHaveLength(1);
    expect(await settingsOf(gil.user.id)).toMatchObject({ defaultMode: 'weekly', timeZone: '+03:00' });
  });
});

describe('a follow’s mode on the subscription list, the profile and the card', () => {
  it('shows ⚡ 📰 🗓 and cycles instant → daily → weekly → instant from each of them', async () => {
    // Prepare
    const gus = freshUser();
    await gus.send('/subscribe tagged_writer');
    await gus.send('/subscriptions');
    const list = last(gus.user.id);
    const follows = new SubscriptionRepository(h.app.doc, h.config.tableName);
    const modeNow = async () => (await follows.listModesForUser(gus.user.id))[0]?.mode;

    // Act
    await gus.pressButton(list, '⚡');
    const afterList = { buttons: buttonTexts(list), mode: await modeNow() };
    await gus.send('/author tagged_writer');
    const profile = last(gus.user.id);
    const profileShows = buttonTexts(profile);
    await gus.pressButton(profile, '📰 Daily');
    const afterProfile = { buttons: buttonTexts(profile), mode: await modeNow() };
    await gus.send('/start a_tagged-01');
    const card = last(gus.user.id);
    const cardShows = buttonTexts(card);
    await gus.pressButton(card, '🗓');

    // Assess
    expect(afterList.buttons).toEqual(['👤 Tagged Writer', '📰', '🔕 Unsubscribe']);
    expect(afterList.mode).toBe('daily');
    expect(toastFor('1:st:l:tagged_writer')).toBe('@tagged_writer: 📰 Daily');
    expect(profileShows).toEqual(expect.arrayContaining(['🔕 Unsubscribe', '📰 Daily']));
    expect(afterProfile.buttons).toContain('🗓 Weekly');
    expect(afterProfile.mode).toBe('weekly');
    expect(cardShows).toEqual(expect.arrayContaining(['🔕 Unsubscribe', '🗓', '🏷 Tags']));
    expect(buttonTexts(card)).toContain('⚡');
    expect(await modeNow()).toBe('instant');
    // The fan-out's lists moved with it.
    expect(
      (await follows.followersPage({ kind: 'author', handle: 'tagged_writer' }, 'instant', undefined, 10))
        .userIds,
    ).toContain(gus.user.id);
  });
});

describe('tags: the card’s 🏷 Tags and /tags', () => {
  it('opens the article’s tags as toggles, follows and unfollows one, even past 64 bytes', async () => {
    // Prepare
    const hal = freshUser();
    await hal.send('/start a_tagged-01');
    const card = last(hal.user.id);
    const follows = new SubscriptionRepository(h.app.doc, h.config.tableName);

    // Act
    await hal.pressButton(card, '🏷 Tags');
    const tags = last(hal.user.id);
    const shown = buttonTexts(tags);
    await hal.pressButton(tags, 3);
    const offered = last(hal.user.id);
    const offer = { text: plain(offered.text), buttons: buttonTexts(offered) };
    await hal.pressButton(tags, '➕ #water');
    const followed = await follows.listFollows(hal.user.id);
    await hal.pressButton(tags, '✓ #water');

    // Assess
    expect(plain(tags.text)).toContain('Topics of “Rain in the old city”');
    expect(shown).toEqual(['➕ #climate', '➕ #water', '➕ #زراعة مستدامة في المدن العربية ك']);
    for (const row of tags.reply_markup?.inline_keyboard ?? [])
      for (const b of row) expect(Buffer.byteLength(b.callback_data ?? '', 'utf8')).toBeLessThanOrEqual(64);
    expect(followed.map((f) => f.target)).toEqual(
      [
        { kind: 'tag', tag: 'water' },
        { kind: 'tag', tag: 'زراعة مستدامة في المدن العربية ك' },
      ].sort((a, b) => (a.tag < b.tag ? -1 : 1)),
    );
    expect(toastFor('1:st:k:tagged-01:1')).toBe('No longer following #water');
    // Issue 14, item 6: a new follow is offered the tag's latest articles, in one message.
    expect(offer).toEqual({
      text: 'Latest on #زراعة مستدامة في المدن العربية ك:',
      buttons: ['📄 Rain in the old city'],
    });
    expect(h.standIn.messages(hal.user.id)).toHaveLength(4);
    expect(buttonTexts(tags)).toEqual(['➕ #climate', '➕ #water', '✓ #زراعة مستدامة في المدن العربية ك']);
  });

  it('/tags ranks the most followed tags by a Query, each a toggle', async () => {
    // Prepare: three readers follow "ranked-a", one "ranked-b"
    const readers = [freshUser(), freshUser(), freshUser()];
    for (const r of readers) await r.send('/tag ranked-a');
    await readers[0]?.send('/tag ranked-b');
    const ivy = freshUser();

    // Act
    await ivy.send('/tags');
    const list = last(ivy.user.id);
    const before = plain(list.text);
    await ivy.pressButton(list, '➕ #ranked-b');
    const after = plain(list.text);
    await readers[0]?.send('/tag ranked-a');
    await ivy.send('/tags');

    // Assess
    expect(before).toContain('Most followed topics');
    expect(before.indexOf('#ranked-a — 3 followers')).toBeGreaterThan(-1);
    expect(before.indexOf('#ranked-b — 1 follower')).toBeGreaterThan(before.indexOf('#ranked-a'));
    expect(toastFor(`1:st:f:${tagHash('ranked-b')}`)).toBe('Following #ranked-b');
    expect(after).toContain('#ranked-b — 2 followers');
    expect(buttonTexts(list)).toContain('✓ #ranked-b');
    // An unfollow moves the ranking too.
    expect(plain(last(ivy.user.id).text)).toContain('#ranked-a — 2 followers');
  });

  it('/tags with no followed tag says how to follow one', async () => {
    // Prepare
    const fresh = await startHarness();
    try {
      const jo = fresh.user(9990, 'Jo');

      // Act
      await jo.send('/tags');

      // Assess
      expect(plain(fresh.standIn.lastMessage(jo.chat.id)?.text ?? '')).toContain(
        'Nobody follows a topic yet.',
      );
    } finally {
      await fresh.stop();
    }
  });
});

describe('/help and the command menu', () => {
  it('list /settings, /tag and /tags', async () => {
    // Prepare
    const kim = freshUser();

    // Act
    await kim.send('/help');

    // Assess
    const help = plain(last(kim.user.id).text);
    expect(help).toContain('/settings — instant alerts or digests');
    expect(help).toContain('/tag <topic> — follow a topic');
    expect(help).toContain('/tags — the most followed topics');
  });
});
