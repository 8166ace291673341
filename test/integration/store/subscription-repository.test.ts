import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidCursorError, NotFoundError } from '../../../functions/store/errors';
import { authorKey, subscriptionKey } from '../../../functions/store/keys';
import { SubscriptionRepository } from '../../../functions/store/subscription-repository';
import { type Fault, type FaultyClient, faultyClient, outcome } from '../../helpers/fault-client';
import { startTestStore, type TestStore } from '../../helpers/test-store';

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

describe('a store failure between the writes, then the same call again (a redelivery)', () => {
  let faulty: FaultyClient;
  let repo: SubscriptionRepository;
  let nextUser = 60_000;
  let nextAuthor = 0;

  beforeAll(() => {
    faulty = faultyClient(ts.endpoint);
    repo = new SubscriptionRepository(faulty.doc, ts.tableName);
  });
  afterAll(() => faulty?.destroy());

  async function newAuthor(): Promise<string> {
    const handle = `crash_${nextAuthor++}`;
    await ts.store.authors.putAuthor({ handle, fullName: handle, userSince: '2020-01-01' });
    return handle;
  }

  const raw = async (key: { pk: string; sk: string }) =>
    (await ts.doc.send(new GetCommand({ TableName: ts.tableName, Key: key, ConsistentRead: true }))).Item;
  const opsOf = async (handle: string) => [...((await raw(authorKey(handle)))?.['ops'] ?? [])] as string[];

  it('makes 1 read + 4 writes to subscribe and 4 writes to unsubscribe, leaving no bookkeeping', async () => {
    // Prepare
    const handle = await newAuthor();
    const user = nextUser++;

    // Act
    const from = faulty.calls.length;
    const created = await repo.subscribe(user, handle);
    const subscribeCalls = faulty.calls.slice(from);
    const item = await raw(subscriptionKey(user, handle));
    const opsWhileSubscribed = await raw(authorKey(handle));
    const mid = faulty.calls.length;
    const removed = await repo.unsubscribe(user, handle);
    const unsubscribeCalls = faulty.calls.slice(mid);

    // Assess
    expect([created, removed]).toEqual([true, true]);
    expect(subscribeCalls).toEqual(['GetItem', 'PutItem', 'UpdateItem', 'UpdateItem', 'UpdateItem']);
    expect(unsubscribeCalls).toEqual(['UpdateItem', 'UpdateItem', 'DeleteItem', 'UpdateItem']);
    expect(Object.keys(item ?? {}).sort()).toEqual(
      ['createdAt', 'gsi1pk', 'gsi1sk', 'handle', 'kind', 'pk', 'sk', 'userId'].sort(),
    );
    expect(opsWhileSubscribed?.['ops']).toBeUndefined();
    expect((await raw(authorKey(handle)))?.['ops']).toBeUndefined();
    expect(await subscriberCount(handle)).toBe(0);
  });

  // The calls of subscribe: 0 GetItem user, 1 PutItem sub, 2 ADD count, 3 REMOVE pending,
  // 4 DELETE op. `first`/`again`: what the failed call and the repeated call return;
  // `leftover`: op ids of this user left in the author's `ops` (inert; dropped once stale).
  const subscribeCases: [number, Fault, boolean | 'throws', boolean, number][] = [
    [0, 'request-lost', 'throws', true, 0],
    [1, 'request-lost', 'throws', true, 0],
    [2, 'request-lost', 'throws', true, 1],
    [3, 'request-lost', 'throws', true, 1],
    [4, 'request-lost', true, false, 1],
    [0, 'answer-lost', 'throws', true, 0],
    [1, 'answer-lost', 'throws', true, 1],
    [2, 'answer-lost', 'throws', true, 1],
    // The marker was cleared: the repeat finds a complete subscription ("already subscribed").
    [3, 'answer-lost', 'throws', false, 1],
    [4, 'answer-lost', true, false, 0],
    [0, 'retried', true, false, 0],
    [1, 'retried', true, false, 0],
    [2, 'retried', true, false, 0],
    // The retried REMOVE finds the marker gone: the call cannot tell it was its own write.
    [3, 'retried', false, false, 1],
    [4, 'retried', true, false, 0],
  ];
  it.each(subscribeCases)(
    'subscribe: call %i fails (%s) → the count is still exactly +1 after the repeat',
    async (k, fault, first, again, leftover) => {
      // Prepare
      const handle = await newAuthor();
      const user = nextUser++;

      // Act
      faulty.fail(k, fault);
      const firstResult = await outcome(() => repo.subscribe(user, handle));
      const againResult = await repo.subscribe(user, handle);

      // Assess
      expect([firstResult, againResult]).toEqual([first, again]);
      expect(await subscriberCount(handle)).toBe(1);
      expect(await ts.store.subscriptions.isSubscribed(user, handle)).toBe(true);
      expect((await allSubscribers(handle)).ids).toEqual([user]);
      const item = await raw(subscriptionKey(user, handle));
      expect([item?.['pending'], item?.['takenBy'], item?.['removing']]).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
      const ops = await opsOf(handle);
      expect(ops).toHaveLength(leftover);
      for (const id of ops) expect(id).toMatch(new RegExp(`^sub:${user}:`));
    },
  );

  // The calls of unsubscribe: 0 mark `removing`, 1 ADD −1, 2 DeleteItem, 3 DELETE op.
  const unsubscribeCases: [number, Fault, boolean | 'throws', boolean, number][] = [
    [0, 'request-lost', 'throws', true, 0],
    [1, 'request-lost', 'throws', true, 1],
    [2, 'request-lost', 'throws', true, 1],
    [3, 'request-lost', true, false, 1],
    [0, 'answer-lost', 'throws', true, 1],
    [1, 'answer-lost', 'throws', true, 1],
    // The item is gone: the repeat finds nothing to remove.
    [2, 'answer-lost', 'throws', false, 1],
    [3, 'answer-lost', true, false, 0],
    [0, 'retried', true, false, 0],
    [1, 'retried', true, false, 0],
    [2, 'retried', false, false, 1],
    [3, 'retried', true, false, 0],
  ];
  it.each(unsubscribeCases)(
    'unsubscribe: call %i fails (%s) → the count is still exactly −1 after the repeat',
    async (k, fault, first, again, leftover) => {
      // Prepare
      const handle = await newAuthor();
      const user = nextUser++;
      await repo.subscribe(user, handle);

      // Act
      faulty.fail(k, fault);
      const firstResult = await outcome(() => repo.unsubscribe(user, handle));
      const againResult = await repo.unsubscribe(user, handle);

      // Assess
      expect([firstResult, againResult]).toEqual([first, again]);
      expect(await subscriberCount(handle)).toBe(0);
      expect(await ts.store.subscriptions.isSubscribed(user, handle)).toBe(false);
      expect(await raw(subscriptionKey(user, handle))).toBeUndefined();
      expect((await allSubscribers(handle)).ids).toEqual([]);
      const ops = await opsOf(handle);
      expect(ops).toHaveLength(leftover);
      for (const id of ops) expect(id).toMatch(new RegExp(`^unsub:${user}:`));
    },
  );

  it.each([2, 3])(
    'counts once when a repeat takes over a subscribe that is still running (held before call %i)',
    async (k) => {
      // Prepare
      const handle = await newAuthor();
      const user = nextUser++;
      const held = faulty.hold(k);

      // Act: the first call stops before its count (2) or its last marker write (3); a second
      // call runs to the end meanwhile; then the first goes on.
      const first = repo.subscribe(user, handle);
      await held.reached;
      const second = await ts.store.subscriptions.subscribe(user, handle);
      const countBetween = await subscriberCount(handle);
      held.release();

      // Assess
      expect([await first, second]).toEqual([false, true]);
      expect(countBetween).toBe(1);
      expect(await subscriberCount(handle)).toBe(1);
      // The taken-over op id stays: it is what refused the first call's late count.
      expect(await opsOf(handle)).toHaveLength(1);
    },
  );

  it('counts once when a repeat takes over an unsubscribe that is still running', async () => {
    // Prepare
    const handle = await newAuthor();
    const user = nextUser++;
    await repo.subscribe(user, handle);
    const held = faulty.hold(1);

    // Act
    const first = repo.unsubscribe(user, handle);
    await held.reached;
    const second = await ts.store.subscriptions.unsubscribe(user, handle);
    held.release();

    // Assess
    expect([await first, second]).toEqual([false, true]);
    expect(await subscriberCount(handle)).toBe(0);
  });

  it('treats an interrupted unsubscribe as gone, and a subscribe finishes it first', async () => {
    // Prepare: the unsubscribe stops before deleting the item (already counted −1).
    const handle = await newAuthor();
    const user = nextUser++;
    await repo.subscribe(user, handle);
    faulty.fail(2, 'request-lost');
    await outcome(() => repo.unsubscribe(user, handle));

    // Act
    const whileRemoving = {
      count: await subscriberCount(handle),
      subscribed: await ts.store.subscriptions.isSubscribed(user, handle),
      mine: await ts.store.subscriptions.listForUser(user),
      fanOut: (await allSubscribers(handle)).ids,
    };
    await ts.store.subscriptions.setUserActive(user, true); // must not list it again
    const fanOutAfterUnblock = (await allSubscribers(handle)).ids;
    const created = await ts.store.subscriptions.subscribe(user, handle);

    // Assess
    expect(whileRemoving).toEqual({ count: 0, subscribed: false, mine: [], fanOut: [] });
    expect(fanOutAfterUnblock).toEqual([]);
    expect(created).toBe(true);
    expect(await subscriberCount(handle)).toBe(1);
    expect((await allSubscribers(handle)).ids).toEqual([user]);
    expect(await ts.store.subscriptions.listForUser(user)).toEqual([handle]);
  });

  it('finishes an interrupted subscribe before unsubscribing', async () => {
    // Prepare: the subscribe stops before its count.
    const handle = await newAuthor();
    const user = nextUser++;
    faulty.fail(2, 'request-lost');
    await outcome(() => repo.subscribe(user, handle));
    const pendingIsSubscribed = await ts.store.subscriptions.isSubscribed(user, handle);

    // Act
    const removed = await ts.store.subscriptions.unsubscribe(user, handle);

    // Assess
    expect(pendingIsSubscribed).toBe(true);
    expect(removed).toBe(true);
    expect(await subscriberCount(handle)).toBe(0);
    expect(await raw(subscriptionKey(user, handle))).toBeUndefined();
  });

  it('drops op ids older than an hour on the next subscribe, and keeps recent ones', async () => {
    // Prepare: two leftovers, as a crash would leave them: one two hours old, one a minute old.
    const handle = await newAuthor();
    const id = (ageMs: number) => `sub:1:${(Date.now() - ageMs).toString(36)}:leftover`;
    const stale = id(2 * 3600_000);
    const recent = id(60_000);
    await ts.doc.send(
      new UpdateCommand({
        TableName: ts.tableName,
        Key: authorKey(handle),
        UpdateExpression: 'ADD ops :ids',
        ExpressionAttributeValues: { ':ids': new Set([stale, recent]) },
      }),
    );

    // Act
    await repo.subscribe(nextUser++, handle);

    // Assess
    expect(await opsOf(handle)).toEqual([recent]);
    expect(await subscriberCount(handle)).toBe(1);
  });
});

describe('concurrent taps on one subscription', () => {
  it('counts 20 users each tapping subscribe three times at once exactly: +20, one true each', async () => {
    // Prepare
    await ts.store.authors.putAuthor({ handle: 'taps', fullName: 'Taps', userSince: '2020-01-01' });
    const users = Array.from({ length: 20 }, (_, i) => 70_000 + i);

    // Act
    const results = await Promise.all(
      users.map((u) => Promise.all([1, 2, 3].map(() => ts.store.subscriptions.subscribe(u, 'taps')))),
    );

    // Assess
    expect(results.map((r) => r.filter((x) => x).length)).toEqual(users.map(() => 1));
    expect(await subscriberCount('taps')).toBe(20);
    expect((await allSubscribers('taps')).ids.sort()).toEqual(users);
  });

  it('counts three concurrent unsubscribes of one subscription once', async () => {
    // Prepare
    await ts.store.authors.putAuthor({ handle: 'untaps', fullName: 'Untaps', userSince: '2020-01-01' });
    await ts.store.subscriptions.subscribe(71_000, 'untaps');
    await ts.store.subscriptions.subscribe(71_001, 'untaps');

    // Act
    const results = await Promise.all(
      [1, 2, 3].map(() => ts.store.subscriptions.unsubscribe(71_000, 'untaps')),
    );

    // Assess
    expect(results.filter((r) => r)).toHaveLength(1);
    expect(await subscriberCount('untaps')).toBe(1);
    expect((await allSubscribers('untaps')).ids).toEqual([71_001]);
  });
});
