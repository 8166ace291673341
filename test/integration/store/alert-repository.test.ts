import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  AlertRepository,
  alertRecipientKey,
  alertRunKey,
  emptyTally,
  RECIPIENT_SHARDS,
} from '../../../functions/store/alert-repository';
import { startTestStore, type TestStore } from '../../helpers/test-store';

let ts: TestStore;
let repo: AlertRepository;

beforeAll(async () => {
  ts = await startTestStore();
  repo = new AlertRepository(ts.doc, ts.tableName);
});

afterAll(async () => {
  await ts?.stop();
});

const article = (id: string) => ({ id, title: `About ${id}`, authorHandle: 'jdoe' });

async function stored(key: { pk: string; sk: string }) {
  return (await ts.doc.send(new GetCommand({ TableName: ts.tableName, Key: key, ConsistentRead: true })))
    .Item;
}

describe('AlertRepository recipient keys', () => {
  it('spreads a new run’s recipients over RECIPIENT_SHARDS partition keys by user id', async () => {
    // Prepare
    const { run } = await repo.createRun(article('sharded-run'));
    const users = Array.from({ length: 64 }, (_, i) => 5_000 + i);

    // Act
    for (const id of users) await repo.claimRecipient('sharded-run', id, `o${id}`, 60_000);

    // Assess
    expect(run.shards).toBe(RECIPIENT_SHARDS);
    const partitions = new Set(users.map((id) => alertRecipientKey('sharded-run', id).pk));
    expect(partitions.size).toBe(RECIPIENT_SHARDS);
    for (const id of users) {
      expect(await stored(alertRecipientKey('sharded-run', id))).toMatchObject({ status: 'sending' });
    }
    expect(await stored({ pk: 'ALERT#sharded-run', sk: `CHAT#${users[0]}` })).toBeUndefined();
  });

  it('keeps a run created before the sharding (no `shards`) in its one partition', async () => {
    // Prepare: a run item as the earlier version wrote it.
    await ts.doc.send(
      new PutCommand({
        TableName: ts.tableName,
        Item: {
          ...alertRunKey('old-run'),
          kind: 'alertrun',
          articleId: 'old-run',
          title: 'Old',
          authorHandle: 'jdoe',
          startedAt: new Date().toISOString(),
          total: 1,
          batches: 1,
          pages: 1,
          fanoutDone: true,
          sent: 0,
          blocked: 0,
          failed: 0,
          unconfirmed: 0,
          countedBatches: 0,
          done: false,
        },
      }),
    );
    const fresh = new AlertRepository(ts.doc, ts.tableName);

    // Act
    const claim = await fresh.claimRecipient('old-run', 42, 'owner', 60_000);

    // Assess
    expect(claim).toEqual({ claimed: true });
    expect(await stored({ pk: 'ALERT#old-run', sk: 'CHAT#42' })).toMatchObject({ status: 'sending' });
    expect((await fresh.getRun('old-run'))?.shards).toBe(1);
  });
});

describe('AlertRepository.countBatch timing and Stars', () => {
  it('adds each batch’s histogram and paid messages to the run, once per batch', async () => {
    // Prepare
    await repo.createRun(article('timed-run'));
    const tally = { ...emptyTally(), sent: 3 };

    // Act
    await repo.countBatch('timed-run', 'b1', tally, {
      histogram: new Map([
        [5, 2],
        [30, 1],
      ]),
      paidMessages: 2,
    });
    await repo.countBatch('timed-run', 'b2', tally, { histogram: new Map([[30, 3]]), paidMessages: 1 });
    const again = await repo.countBatch('timed-run', 'b2', tally, { histogram: new Map([[30, 3]]) });

    // Assess
    expect(again.counted).toBe(false);
    expect(again.run.histogram).toEqual(
      new Map([
        [5, 2],
        [30, 4],
      ]),
    );
    expect(again.run.paidMessages).toBe(3);
    expect(again.run.sent).toBe(6);
  });
});
