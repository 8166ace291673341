import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { SessionRepository } from '../../../functions/store/session-repository';
import { startTestStore, type TestStore } from '../../helpers/test-store';

let ts: TestStore;
/** The clock of `sessions`; tests move it forward. */
let nowMs = Date.parse('2026-11-25T08:00:00Z');
let sessions: SessionRepository;

beforeAll(async () => {
  ts = await startTestStore();
  sessions = new SessionRepository(ts.doc, ts.tableName, () => new Date(nowMs));
});

afterAll(async () => {
  await ts?.stop();
});

async function userItem(id: number) {
  const out = await ts.doc.send(
    new GetCommand({
      TableName: ts.tableName,
      Key: { pk: `USER#${id}`, sk: 'PROFILE' },
      ConsistentRead: true,
    }),
  );
  return out.Item;
}

describe('claimUpdate, completeUpdate and releaseUpdate', () => {
  /** A lease of 10 s from the test clock's now, and a dedupe TTL of 60 s, for a new delivery. */
  let deliveries = 0;
  const lease = (owner = `delivery-${++deliveries}`) => ({
    owner,
    leaseUntil: nowMs + 10_000,
    ttlSeconds: 60,
  });

  it('claims an update once; a copy meanwhile finds it in progress, and after completion a duplicate', async () => {
    // Act
    const first = await sessions.claimUpdate(1001, lease());
    const whileHeld = await sessions.claimUpdate(1001, lease());
    await sessions.completeUpdate(1001, 60);
    const afterDone = await sessions.claimUpdate(1001, lease());

    // Assess
    expect([first, whileHeld, afterDone]).toEqual(['claimed', 'in-progress', 'done']);
  });

  it('lets exactly one of concurrent deliveries claim', async () => {
    // Act
    const results = await Promise.all(Array.from({ length: 10 }, () => sessions.claimUpdate(1002, lease())));

    // Assess
    expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r === 'in-progress')).toHaveLength(9);
  });

  it('hands an unfinished claim to the next delivery once its lease expired (the holder failed)', async () => {
    // Prepare
    await sessions.claimUpdate(1005, lease());
    nowMs += 9_000;
    const stillHeld = await sessions.claimUpdate(1005, lease());

    // Act
    nowMs += 2_000;
    const takenOver = await sessions.claimUpdate(1005, lease());

    // Assess
    expect(stillHeld).toBe('in-progress');
    expect(takenOver).toBe('claimed');
    expect(await sessions.claimUpdate(1005, lease())).toBe('in-progress');
  });

  it('keeps a done claim past its lease, until the dedupe TTL (expiry checked on write)', async () => {
    // Prepare
    await sessions.claimUpdate(1003, lease());
    await sessions.completeUpdate(1003, 60);
    nowMs += 30_000;
    const stillHeld = await sessions.claimUpdate(1003, lease());

    // Act
    nowMs += 31_000;
    const reclaimed = await sessions.claimUpdate(1003, lease());

    // Assess
    expect(stillHeld).toBe('done');
    expect(reclaimed).toBe('claimed');
  });

  it('reads a claim written before leases existed as done', async () => {
    // Prepare: the old claim item had only its key, kind and expiresAt
    await ts.doc.send(
      new PutCommand({
        TableName: ts.tableName,
        Item: { pk: 'UPD#1006', sk: 'UPD', kind: 'update', expiresAt: Math.floor(nowMs / 1000) + 60 },
      }),
    );

    // Act / Assess
    expect(await sessions.claimUpdate(1006, lease())).toBe('done');
  });

  it('claims again for the same delivery (the SDK retried a put whose answer was lost)', async () => {
    // Act
    const first = await sessions.claimUpdate(1007, lease('delivery-a'));
    const retried = await sessions.claimUpdate(1007, lease('delivery-a'));
    const other = await sessions.claimUpdate(1007, lease('delivery-b'));

    // Assess
    expect([first, retried, other]).toEqual(['claimed', 'claimed', 'in-progress']);
  });

  it("releases a delivery's own claim so the redelivery is processed, and never another's", async () => {
    // Prepare
    await sessions.claimUpdate(1004, lease('first'));
    nowMs += 11_000;
    await sessions.claimUpdate(1004, lease('took-over'));

    // Act
    await sessions.releaseUpdate(1004, 'first');
    const afterStaleRelease = await sessions.claimUpdate(1004, lease());
    await sessions.releaseUpdate(1004, 'took-over');

    // Assess
    expect(afterStaleRelease).toBe('in-progress');
    expect(await sessions.claimUpdate(1004, lease())).toBe('claimed');
    await expect(sessions.releaseUpdate(999_999, 'nobody')).resolves.toBeUndefined();
  });
});

describe('setPending and takePending', () => {
  it('gives what the bot waits for exactly once', async () => {
    // Prepare
    await sessions.setPending(7, { kind: 'comment', articleId: 'a-1' }, 600);

    // Act
    const first = await sessions.takePending(7);
    const second = await sessions.takePending(7);

    // Assess
    expect(first).toEqual({ kind: 'comment', articleId: 'a-1' });
    expect(second).toBeUndefined();
  });

  it('lets only one of two racing messages take it', async () => {
    // Prepare
    await sessions.setPending(8, { kind: 'comment', articleId: 'a-2' }, 600);

    // Act
    const results = await Promise.all([sessions.takePending(8), sessions.takePending(8)]);

    // Assess
    expect(results.filter((r) => r !== undefined)).toEqual([{ kind: 'comment', articleId: 'a-2' }]);
  });

  it('lets exactly one of many racing messages take it, every time', async () => {
    for (let round = 0; round < 20; round++) {
      // Prepare
      await sessions.setPending(12, { kind: 'comment', articleId: `a-${round}` }, 600);

      // Act
      const results = await Promise.all(Array.from({ length: 8 }, () => sessions.takePending(12)));

      // Assess
      expect({ round, taken: results.filter((r) => r !== undefined).length }).toEqual({ round, taken: 1 });
    }
  });

  it('replaces an earlier wait and treats an expired one as absent', async () => {
    // Prepare
    await sessions.setPending(9, { kind: 'comment', articleId: 'old' }, 600);
    await sessions.setPending(9, { kind: 'comment', articleId: 'new' }, 600);
    await sessions.setPending(10, { kind: 'comment', articleId: 'a-3' }, 60);

    // Act
    const replaced = await sessions.takePending(9);
    nowMs += 61_000;
    const expired = await sessions.takePending(10);

    // Assess
    expect(replaced).toEqual({ kind: 'comment', articleId: 'new' });
    expect(expired).toBeUndefined();
    expect(await sessions.takePending(11)).toBeUndefined();
  });
});

describe('touchUser', () => {
  it('records a new user as active and keeps firstSeen on later visits', async () => {
    // Prepare
    const firstVisit = new Date(nowMs).toISOString();

    // Act
    await sessions.touchUser({ id: 500, firstName: 'Ann', username: 'ann_x', languageCode: 'en' });
    nowMs += 3_600_000;
    await sessions.touchUser({ id: 500, firstName: 'Annie' });

    // Assess
    const item = await userItem(500);
    expect(item).toMatchObject({
      kind: 'user',
      id: 500,
      firstName: 'Annie',
      firstSeen: firstVisit,
      lastSeen: new Date(nowMs).toISOString(),
      active: true,
    });
    expect(item?.['username']).toBeUndefined();
    expect(item?.['languageCode']).toBeUndefined();
  });

  it('does not reactivate a user marked inactive', async () => {
    // Prepare
    await ts.store.subscriptions.setUserActive(501, false);

    // Act
    await sessions.touchUser({ id: 501, firstName: 'Bob' });

    // Assess
    expect(await userItem(501)).toMatchObject({ firstName: 'Bob', active: false });
  });
});
