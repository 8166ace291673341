/**
 * The admin's /feeds command through the webhook, on DynamoDB Local and the Bot API stand-in:
 * add, list, pause, resume and remove sources with the same validation as the admin API, every
 * feed-supplied string escaped — and, for anyone who is not an admin, an unknown command.
 */
import { chatHelpers } from '../../helpers/chat';
import { type Harness, samplePublication, seed, startHarness } from '../../helpers/harness';

const ADMIN_ID = 5151;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ adminIds: [ADMIN_ID] });
  const { authors, articles } = samplePublication(2);
  await seed(h, authors, articles);
});

afterAll(async () => {
  await h?.stop();
});

const { freshUser, last } = chatHelpers(() => h, 8000);
const admin = () => h.user(ADMIN_ID, 'Admin');

describe('/feeds', () => {
  it('adds a source with a default author, lists it, pauses, resumes and removes it', async () => {
    // Act
    await admin().send('/feeds add https://news.example.org/feed.xml jdoe');
    const added = last(ADMIN_ID).text;
    await admin().send('/feeds');
    const listed = last(ADMIN_ID).text;
    await admin().send('/feeds pause https://news.example.org/feed.xml');
    const paused = last(ADMIN_ID).text;
    await admin().send('/feeds resume https://news.example.org/feed.xml');
    const resumed = last(ADMIN_ID).text;
    await admin().send('/feeds remove https://news.example.org/feed.xml');
    const removed = last(ADMIN_ID).text;
    const stored = await h.app.store.feeds.listSources();

    // Assess
    expect(added).toContain('Added.');
    expect(added).toContain('https://news.example.org/feed.xml');
    expect(added).toContain('author @jdoe');
    expect(listed).toContain('📡 Feed sources (1)');
    expect(listed).toContain('🕓 not polled yet https://news.example.org/feed.xml');
    expect(paused).toContain('⏸ Paused');
    expect(resumed).toContain('▶️ Resumed');
    expect(removed).toBe('Removed. Its articles stay published.');
    expect(stored.items).toEqual([]);
  });

  it('answers a bad URL and an unknown author field by field, writing nothing', async () => {
    // Act
    await admin().send('/feeds add javascript:alert(1)');
    const badUrl = last(ADMIN_ID);
    await admin().send('/feeds add https://other.example.org/rss nobody_here');
    const badAuthor = last(ADMIN_ID);

    // Assess
    expect(badUrl.text).toMatch(/^That source cannot be added:\nurl: /);
    expect(badAuthor.text).toMatch(/defaultAuthor: /);
    expect((await h.app.store.feeds.listSources()).items).toEqual([]);
  });

  it('escapes a feed-supplied failure reason in the list', async () => {
    // Prepare: a source whose last poll failed with a reason carrying markup.
    await admin().send('/feeds add https://broken.example.org/feed quiet');
    const [source] = (await h.app.store.feeds.listSources()).items;
    if (source === undefined) throw new Error('the source was not added');
    const state = {
      ...source.state,
      lastError: { at: '2026-11-30T10:00:00.000Z', reason: 'not a feed: <html><b>Welcome</b>' },
      consecutiveFailures: 1,
    };
    await h.app.store.feeds.saveState(source.id, state, source.stateVersion);

    // Act
    await admin().send('/feeds');
    const m = last(ADMIN_ID);

    // Assess
    expect(m.text).toContain('⚠️ failing https://broken.example.org/feed');
    expect(m.text).toContain('no alerts');
    expect(m.text).toContain('last error: not a feed: <html><b>Welcome</b>');
    expect(m.sentText).toContain('not a feed: &lt;html&gt;&lt;b&gt;Welcome&lt;/b&gt;');
  });

  it('is an unknown command for a reader', async () => {
    // Prepare
    const u = freshUser('Reader');

    // Act
    await u.send('/feeds add https://evil.example.org/feed');

    // Assess
    expect(last(u.chat.id).text).not.toContain('Added');
    expect(last(u.chat.id).text).toContain('/help');
    expect((await h.app.store.feeds.listSources()).items.map((s) => s.url)).not.toContain(
      'https://evil.example.org/feed',
    );
  });
});
