import { InvalidCursorError, NotFoundError } from '../../../functions/store/errors';
import { startTestStore, type TestStore } from '../../helpers/dynalite';

let ts: TestStore;

beforeAll(async () => {
  ts = await startTestStore();
  for (const handle of ['ann', 'bob', 'cat', 'popular', 'big', 'dup']) {
    await ts.store.authors.putAuthor({ handle, fullName: `Full ${handle}`, userSince: '2008-03-15' });
  }
});

afterAll(async () => {
  await ts?.stop();
});

const subscriberCount = async (handle: string) => (await ts.store.authors.getAuthor(handle))?.subscriberCount;

/** Every subscriber of an author, following `next` to the end. */
async function allSubscribers(handle: string, limit = 100): Promise<{ ids: number[]; pages: number }> {
  const ids: number[] = [];
  let pages = 0;
  let cursor: string | undefined;
  do {
    const page = await ts.store.subscriptions.subscribersPage(handle, cursor, limit);
    ids.push(...page.userIds);
    pages++;
    cursor = page.next;
  } while (cursor !== undefined);
  return { ids, pages };
}

describe('subscribe and unsubscribe', () => {
  it('subscribes once, counts once, and unsubscribes once', async () => {
    // Act
    const first = await ts.store.subscriptions.subscribe(10, 'ann');
    const again = await ts.store.subscriptions.subscribe(10, 'ann');
    const subscribed = await ts.store.subscriptions.isSubscribed(10, 'ann');
    const countWhileSubscribed = await subscriberCount('ann');
    const removed = await ts.store.subscriptions.unsubscribe(10, 'ann');
    const removedAgain = await ts.store.subscriptions.unsubscribe(10, 'ann');

    // Assess
    expect([first, again, subscribed, removed, removedAgain]).toEqual([true, false, true, true, false]);
    expect(countWhileSubscribed).toBe(1);
    expect(await subscriberCount('ann')).toBe(0);
    expect(await ts.store.subscriptions.isSubscribed(10, 'ann')).toBe(false);
  });

  it('throws NotFoundError for an unknown author and leaves no subscription behind', async () => {
    // Act
    const attempt = ts.store.subscriptions.subscribe(11, 'no_such_author');

    // Assess
    await expect(attempt).rejects.toThrow(NotFoundError);
    expect(await ts.store.subscriptions.isSubscribed(11, 'no_such_author')).toBe(false);
    expect(await ts.store.subscriptions.listForUser(11)).toEqual([]);
    expect(await ts.store.authors.getAuthor('no_such_author')).toBeUndefined();
  });

  it('counts 100 concurrent subscriptions of 100 users exactly', async () => {
    // Act
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => ts.store.subscriptions.subscribe(1000 + i, 'popular')),
    );

    // Assess
    expect(results.every((r) => r)).toBe(true);
    expect(await subscriberCount('popular')).toBe(100);
    expect((await allSubscribers('popular')).ids).toHaveLength(100);
  });

  it('counts a double tap (the same user twice, concurrently) once', async () => {
    // Act
    const results = await Promise.all([
      ts.store.subscriptions.subscribe(20, 'dup'),
      ts.store.subscriptions.subscribe(20, 'dup'),
      ts.store.subscriptions.subscribe(20, 'dup'),
    ]);

    // Assess
    expect(results.filter((r) => r)).toHaveLength(1);
    expect(await subscriberCount('dup')).toBe(1);
  });
});

describe('listForUser', () => {
  it("lists a user's handles alphabetically", async () => {
    // Prepare
    for (const h of ['cat', 'ann', 'bob']) await ts.store.subscriptions.subscribe(30, h);

    // Act
    const handles = await ts.store.subscriptions.listForUser(30);

    // Assess
    expect(handles).toEqual(['ann', 'bob', 'cat']);
    expect(await ts.store.subscriptions.listForUser(31)).toEqual([]);
  });
});

describe('subscribersPage', () => {
  beforeAll(async () => {
    await Promise.all(
      Array.from({ length: 250 }, (_, i) => ts.store.subscriptions.subscribe(5000 + i, 'big')),
    );
  });

  it('pages through 250 subscribers 100 at a time', async () => {
    // Act
    const p1 = await ts.store.subscriptions.subscribersPage('big', undefined, 100);
    const p2 = await ts.store.subscriptions.subscribersPage('big', p1.next, 100);
    const p3 = await ts.store.subscriptions.subscribersPage('big', p2.next, 100);

    // Assess
    expect([p1.userIds.length, p2.userIds.length, p3.userIds.length]).toEqual([100, 100, 50]);
    expect(p1.next).toEqual(expect.any(String));
    expect(p2.next).toEqual(expect.any(String));
    expect(p3.next).toBeUndefined();
    const all = [...p1.userIds, ...p2.userIds, ...p3.userIds];
    expect(new Set(all).size).toBe(250);
    expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: 250 }, (_, i) => 5000 + i));
  });

  it('leaves a blocked user out and puts them back on unblock, losing nothing else', async () => {
    // Prepare
    await ts.store.subscriptions.subscribe(5000, 'ann');
    const subsBefore = await ts.store.subscriptions.listForUser(5000);

    // Act
    await ts.store.subscriptions.setUserActive(5000, false);
    const whileBlocked = await allSubscribers('big');
    const annWhileBlocked = await allSubscribers('ann');
    await ts.store.subscriptions.setUserActive(5000, false); // idempotent
    await ts.store.subscriptions.setUserActive(5000, true);
    const afterUnblock = await allSubscribers('big');

    // Assess
    expect(whileBlocked.ids).toHaveLength(249);
    expect(whileBlocked.ids).not.toContain(5000);
    expect(annWhileBlocked.ids).not.toContain(5000);
    expect(await ts.store.subscriptions.listForUser(5000)).toEqual(subsBefore);
    expect(await ts.store.subscriptions.isSubscribed(5000, 'big')).toBe(true);
    expect(afterUnblock.ids).toHaveLength(250);
    expect(afterUnblock.ids).toContain(5000);
    expect(await subscriberCount('big')).toBe(250);
    expect((await allSubscribers('ann')).ids).toContain(5000);
  });

  it('subscribes an inactive user without putting them in the fan-out until they are active', async () => {
    // Prepare
    await ts.store.subscriptions.setUserActive(77, false);

    // Act
    const created = await ts.store.subscriptions.subscribe(77, 'cat');
    const whileInactive = await allSubscribers('cat');
    await ts.store.subscriptions.setUserActive(77, true);
    const afterActive = await allSubscribers('cat');

    // Assess
    expect(created).toBe(true);
    expect(whileInactive.ids).not.toContain(77);
    expect(afterActive.ids).toContain(77);
  });

  it('keeps a blocked user blocked when they are seen again', async () => {
    // Prepare
    await ts.store.subscriptions.subscribe(88, 'bob');
    await ts.store.subscriptions.setUserActive(88, false);

    // Act
    await ts.store.sessions.touchUser({ id: 88, firstName: 'Eve' });

    // Assess
    expect((await allSubscribers('bob')).ids).not.toContain(88);
  });

  it('returns an empty page for an author without subscribers', async () => {
    expect(await ts.store.subscriptions.subscribersPage('nobody', undefined, 10)).toEqual({ userIds: [] });
  });

  it('rejects a cursor it did not issue for this author', async () => {
    // Prepare
    const page = await ts.store.subscriptions.subscribersPage('big', undefined, 10);

    // Act / Assess
    await expect(ts.store.subscriptions.subscribersPage('popular', page.next, 10)).rejects.toThrow(
      InvalidCursorError,
    );
    await expect(ts.store.subscriptions.subscribersPage('big', 'not-a-cursor', 10)).rejects.toThrow(
      InvalidCursorError,
    );
    await expect(ts.store.subscriptions.subscribersPage('big', undefined, 0)).rejects.toThrow(RangeError);
  });
});
