import { GetCommand } from '@aws-sdk/lib-dynamodb';
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

describe('claimUpdate and releaseUpdate', () => {
  it('claims an update once', async () => {
    expect(await sessions.claimUpdate(1001, 60)).toBe(true);
    expect(await sessions.claimUpdate(1001, 60)).toBe(false);
  });

  it('lets exactly one of concurrent deliveries claim', async () => {
    // Act
    const results = await Promise.all(Array.from({ length: 10 }, () => sessions.claimUpdate(1002, 60)));

    // Assess
    expect(results.filter((r) => r)).toHaveLength(1);
  });

  it('lets an expired claim be claimed again (expiry checked on write)', async () => {
    // Prepare
    await sessions.claimUpdate(1003, 60);
    nowMs += 30_000;
    const stillHeld = await sessions.claimUpdate(1003, 60);

    // Act
    nowMs += 31_000;
    const reclaimed = await sessions.claimUpdate(1003, 60);

    // Assess
    expect(stillHeld).toBe(false);
    expect(reclaimed).toBe(true);
    expect(await sessions.claimUpdate(1003, 60)).toBe(false);
  });

  it('releases a claim so the redelivery is processed', async () => {
    // Prepare
    await sessions.claimUpdate(1004, 60);

    // Act
    await sessions.releaseUpdate(1004);

    // Assess
    expect(await sessions.claimUpdate(1004, 60)).toBe(true);
    await expect(sessions.releaseUpdate(999_999)).resolves.toBeUndefined();
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
