import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { UnknownAuthorError } from '../../../functions/core/errors';
import { InvalidCursorError } from '../../../functions/store/errors';
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

  it('throws UnknownAuthorError for an unknown author and leaves no subscription behind', async () => {
    // Act
    const attempt = ts.store.subscriptions.subscribe(11, 'no_such_author');

    // Assess
    await expect(attempt).rejects.toThrow(UnknownAuthorError);
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

describe('exactly once: one transaction, failures and repeats', () => {
  let faulty: FaultyClient;
  /** The clock of `repo`; tests move it forward. */
  let nowMs = Date.now();
  let repo: SubscriptionRepository;
  let nextUser = 60_000;
  let nextAuthor = 0;

  beforeAll(() => {
    faulty = faultyClient(ts.endpoint);
    repo = new SubscriptionRepository(faulty.doc, ts.tableName, () => new Date(nowMs));
  });
  afterAll(() => faulty?.destroy());

  async function newAuthor(): Promise<string> {
    const handle = `crash_${nextAuthor++}`;
    await ts.store.authors.putAuthor({ handle, fullName: handle, userSince: '2020-01-01' });
    return handle;
  }

  const raw = async (key: { pk: string; sk: string }) =>
    (await ts.doc.send(new GetCommand({ TableName: ts.tableName, Key: key, ConsistentRead: true }))).Item;

  /** The calls `fn` makes through the faulty client. */
  async function callsOf(fn: () => Promise<unknown>): Promise<string[]> {
    const from = faulty.calls.length;
    await fn();
    return faulty.calls.slice(from);
  }

  it('subscribes with a read and one transaction, unsubscribes with one transaction, and adds no bookkeeping', async () => {
    // Prepare
    const handle = await newAuthor();
    const user = nextUser++;

    // Act
    const subscribeCalls = await callsOf(() => repo.subscribe(user, handle));
    const item = await raw(subscriptionKey(user, handle));
    const author = await raw(authorKey(handle));
    const unsubscribeCalls = await callsOf(() => repo.unsubscribe(user, handle));

    // Assess
    expect(subscribeCalls).toEqual(['GetItem', 'TransactWriteItems']);
    expect(unsubscribeCalls).toEqual(['TransactWriteItems']);
    expect(Object.keys(item ?? {}).sort()).toEqual(
      ['createdAt', 'gsi1pk', 'gsi1sk', 'handle', 'kind', 'mode', 'pk', 'sk', 'userId'].sort(),
    );
    expect(author?.['subscriberCount']).toBe(1);
    expect(await subscriberCount(handle)).toBe(0);
  });

  it('changes nothing when the transaction fails: no subscription, no count, no marker', async () => {
    // Prepare
    const handle = await newAuthor();
    const user = nextUser++;
    faulty.fail(1, 'request-lost');

    // Act
    const result = await outcome(() => repo.subscribe(user, handle));

    // Assess
    expect(result).toBe('throws');
    expect(await raw(subscriptionKey(user, handle))).toBeUndefined();
    expect(await subscriberCount(handle)).toBe(0);
    expect((await allSubscribers(handle)).ids).toEqual([]);
  });

  /**
   * A store failure at any call of the operation, an hour passing, another user subscribing
   * meanwhile, then the repeat (Telegram's redelivery). The old op-id protocol failed here:
   * the other user's write pruned the interrupted subscribe's op id as stale while the
   * subscription still carried it as `pending`, and the repeat counted it again (2
   * subscribers, subscriberCount 3; 1 after both left).
   */
  const faults: Fault[] = ['request-lost', 'answer-lost', 'retried'];
  it.each(faults)(
    'subscribe: a failure (%s) at any call, an hour, another subscriber, the repeat → count exact',
    async (fault) => {
      const calls = (await callsOf(() => repo.subscribe(nextUser++, 'ann'))).length;
      for (let k = 0; k < calls; k++) {
        // Prepare
        const handle = await newAuthor();
        const [user, other] = [nextUser++, nextUser++];

        // Act
        faulty.fail(k, fault);
        await outcome(() => repo.subscribe(user, handle));
        nowMs += 2 * 3600_000;
        await repo.subscribe(other, handle);
        await repo.subscribe(user, handle);
        const whileBoth = await subscriberCount(handle);
        await repo.unsubscribe(user, handle);
        await repo.unsubscribe(other, handle);

        // Assess
        expect({ k, whileBoth, after: await subscriberCount(handle) }).toEqual({ k, whileBoth: 2, after: 0 });
      }
    },
  );

  it.each(faults)(
    'unsubscribe: a failure (%s) at any call, an hour, another unsubscribe, the repeat → count exact',
    async (fault) => {
      await repo.subscribe(nextUser, 'bob');
      const calls = (await callsOf(() => repo.unsubscribe(nextUser++, 'bob'))).length;
      for (let k = 0; k < calls; k++) {
        // Prepare
        const handle = await newAuthor();
        const [user, other] = [nextUser++, nextUser++];
        await repo.subscribe(user, handle);
        await repo.subscribe(other, handle);

        // Act
        faulty.fail(k, fault);
        await outcome(() => repo.unsubscribe(user, handle));
        nowMs += 2 * 3600_000;
        await repo.unsubscribe(other, handle);
        await repo.unsubscribe(user, handle);

        // Assess
        expect({ k, count: await subscriberCount(handle) }).toEqual({ k, count: 0 });
        expect(await raw(subscriptionKey(user, handle))).toBeUndefined();
      }
    },
  );

  it('answers a retried transaction (same request, answer lost) as the first attempt: subscribed, +1', async () => {
    // Prepare
    const handle = await newAuthor();
    const user = nextUser++;
    faulty.fail(1, 'retried');

    // Act
    const result = await repo.subscribe(user, handle);

    // Assess
    expect(result).toBe(true);
    expect(await subscriberCount(handle)).toBe(1);
  });

  it('counts once when the transaction fails, its repeat fails too, and the third try goes through', async () => {
    // Prepare
    const handle = await newAuthor();
    const user = nextUser++;

    // Act
    faulty.fail(1, 'answer-lost');
    const first = await outcome(() => repo.subscribe(user, handle));
    faulty.fail(1, 'request-lost');
    const second = await outcome(() => repo.subscribe(user, handle));
    const third = await repo.subscribe(user, handle);

    // Assess
    expect(await subscriberCount(handle)).toBe(1);
    expect((await allSubscribers(handle)).ids).toEqual([user]);
    expect([first, second, third]).toEqual(['throws', 'throws', false]);
  });

  it('counts once when a repeat runs while the first call is still under way', async () => {
    // Prepare
    const handle = await newAuthor();
    const user = nextUser++;
    const held = faulty.hold(1);

    // Act: the first call waits before its transaction; the repeat runs to the end meanwhile.
    const first = repo.subscribe(user, handle);
    await held.reached;
    const second = await ts.store.subscriptions.subscribe(user, handle);
    held.release();

    // Assess
    expect([await first, second]).toEqual([false, true]);
    expect(await subscriberCount(handle)).toBe(1);
  });

  it('does not count a subscription to a counter-only author placeholder, and writes nothing', async () => {
    // Prepare: articles imported before their author leave an item with only articleCount.
    await ts.doc.send(
      new UpdateCommand({
        TableName: ts.tableName,
        Key: authorKey('placeholder'),
        UpdateExpression: 'ADD articleCount :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );

    // Act
    const attempt = repo.subscribe(nextUser, 'placeholder');

    // Assess
    await expect(attempt).rejects.toThrow(UnknownAuthorError);
    expect(await raw(subscriptionKey(nextUser, 'placeholder'))).toBeUndefined();
    expect((await raw(authorKey('placeholder')))?.['subscriberCount']).toBeUndefined();
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
