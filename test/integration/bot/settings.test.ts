/**
 * `/settings` and `/tag` through the webhook handler and the stand-in: the settings screen with a
 * line per choice, changed by buttons (the message is edited in place), a time zone typed as a
 * city or offset (and a wrong one refused in a sentence), and a tag followed and unfollowed.
 */
import { ReaderSettingsRepository } from '../../../functions/store/reader-settings-repository';
import { SubscriptionRepository } from '../../../functions/store/subscription-repository';
import { buttonTexts, chatHelpers, plain } from '../../helpers/chat';
import { type Harness, startHarness } from '../../helpers/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

const { freshUser, last } = chatHelpers(() => h, 9500);
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
    expect(h.standIn.messages(ann.user.id)).toHaveLength(1);
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
  it('follows a tag in its normal form in the reader’s default mode, and a second /tag unfollows', async () => {
    // Prepare
    const cy = freshUser();
    const follows = new SubscriptionRepository(h.app.doc, h.config.tableName);

    // Act
    await cy.send('/tag  #Climate ');
    const followed = plain(last(cy.user.id).text);
    const listed = await follows.listFollows(cy.user.id);
    await cy.send('/tag climate');
    const unfollowed = plain(last(cy.user.id).text);
    await cy.send('/tag');

    // Assess
    expect(followed).toContain('You now follow #climate.');
    expect(listed).toEqual([{ target: { kind: 'tag', tag: 'climate' }, mode: 'instant' }]);
    expect(unfollowed).toBe('You no longer follow #climate.');
    expect(await follows.listFollows(cy.user.id)).toEqual([]);
    expect(plain(last(cy.user.id).text)).toContain('Usage: /tag <topic>');
  });
});
