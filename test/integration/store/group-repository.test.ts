/**
 * Group subscriptions and the group-admin cache on DynamoDB Local: one subscription per (group,
 * author), moved by a subscription from another topic; the fan-out's pages of targets (chat and
 * topic) on gsi1; a migration keeps every subscription under the new id; a kicked bot's group
 * loses its subscriptions; a deleted topic's subscriptions move to the chat; cached answers
 * expire on read.
 */
import type { GroupFollowable } from '../../../functions/core/channels';
import { GroupRepository } from '../../../functions/store/group-repository';
import { startTestStore, type TestStore } from '../../helpers/test-store';

let ts: TestStore;
let groups: GroupRepository;
let clock = Date.parse('2026-11-30T12:00:00Z');

beforeAll(async () => {
  ts = await startTestStore();
  groups = new GroupRepository(ts.doc, ts.tableName, () => clock);
});

afterAll(async () => {
  await ts?.stop();
});

async function allTargets(handle: GroupFollowable, pageSize: number) {
  const out = [];
  let cursor: string | undefined;
  do {
    const page = await groups.subscribersPage(handle, cursor, pageSize);
    out.push(...page.targets);
    cursor = page.next;
  } while (cursor !== undefined);
  return out;
}

describe('group subscriptions', () => {
  it('keeps one subscription per group and author, in the topic where it was last made', async () => {
    // Act
    const first = await groups.subscribe({ chatId: -1001000000001, threadId: 7 }, 'jdoe');
    const moved = await groups.subscribe({ chatId: -1001000000001, threadId: 9 }, 'jdoe');

    // Assess
    expect(first.created).toBe(true);
    expect(moved.created).toBe(false);
    expect(await groups.listForChat(-1001000000001)).toEqual([
      expect.objectContaining({ handle: 'jdoe', threadId: 9 }),
    ]);
    expect(await allTargets('jdoe', 10)).toEqual([{ chatId: -1001000000001, threadId: 9 }]);
  });

  it('pages through every group of an author exactly once', async () => {
    // Prepare
    const ids = Array.from({ length: 23 }, (_, i) => -1005000000000 - i);
    for (const chatId of ids) await groups.subscribe({ chatId }, 'paged');

    // Act
    const targets = await allTargets('paged', 5);

    // Assess
    expect(targets.map((t) => t.chatId).sort()).toEqual([...ids].sort());
    expect(targets.every((t) => t.threadId === undefined)).toBe(true);
  });

  it('moves every subscription to the supergroup a group became', async () => {
    // Prepare
    await groups.subscribe({ chatId: -4100 }, 'jdoe');
    await groups.subscribe({ chatId: -4100 }, 'asmith');

    // Act
    const moved = await groups.migrateChat(-4100, -1004100000000);
    const again = await groups.migrateChat(-4100, -1004100000000);

    // Assess
    expect(moved).toBe(2);
    expect(again).toBe(0);
    expect(await groups.listForChat(-4100)).toEqual([]);
    expect((await groups.listForChat(-1004100000000)).map((s) => s.handle)).toEqual(['asmith', 'jdoe']);
    expect(await allTargets('asmith', 10)).toEqual([{ chatId: -1004100000000 }]);
  });

  it("stops a kicked bot's group, and moves a deleted topic's subscriptions to the chat", async () => {
    // Prepare
    await groups.subscribe({ chatId: -4200 }, 'kicked');
    await groups.subscribe({ chatId: -1004300000000, threadId: 5 }, 'topical');

    // Act
    const removed = await groups.removeChat(-4200);
    const left = await groups.leaveTopic(-1004300000000, 5);

    // Assess
    expect(removed).toBe(1);
    expect(await allTargets('kicked', 10)).toEqual([]);
    expect(left).toBe(1);
    expect(await allTargets('topical', 10)).toEqual([{ chatId: -1004300000000 }]);
  });

  it('keeps a tag follow apart from an author of the same name, lists it for the fan-out, and moves and stops it with the group', async () => {
    // Prepare: `#jdoe` the tag and `jdoe` the author are two follows; another group follows the tag in a topic.
    await groups.subscribe({ chatId: -4400 }, { kind: 'tag', tag: 'jdoe' });
    await groups.subscribe({ chatId: -4400 }, 'jdoe');
    await groups.subscribe({ chatId: -1004400000001, threadId: 3 }, { kind: 'tag', tag: 'jdoe' });

    // Act
    const byTag = await allTargets({ kind: 'tag', tag: 'jdoe' }, 1);
    const listed = await groups.listForChat(-4400);
    const moved = await groups.migrateChat(-4400, -1004400000000);
    const afterMove = await allTargets({ kind: 'tag', tag: 'jdoe' }, 10);
    const removed = await groups.removeChat(-1004400000000);

    // Assess
    expect(byTag).toEqual([{ chatId: -1004400000001, threadId: 3 }, { chatId: -4400 }]);
    expect(listed).toEqual([
      { chatId: -4400, tag: 'jdoe', createdAt: expect.any(String) },
      { chatId: -4400, handle: 'jdoe', createdAt: expect.any(String) },
    ]);
    expect(moved).toBe(2);
    expect(afterMove).toEqual([{ chatId: -1004400000000 }, { chatId: -1004400000001, threadId: 3 }]);
    expect(removed).toBe(2);
    expect(await groups.unsubscribe(-1004400000001, { kind: 'tag', tag: 'jdoe' })).toBe(true);
    expect(await allTargets({ kind: 'tag', tag: 'jdoe' }, 10)).toEqual([]);
  });

  it('refuses a cursor that is not a target', async () => {
    await expect(groups.subscribersPage('jdoe', 'garbage', 10)).rejects.toThrow(
      'group subscriber cursor is not valid',
    );
  });
});

describe('group-admin cache', () => {
  it('answers a cached status until it expires', async () => {
    // Prepare
    await groups.cacheMember(-4300, 42, 'administrator', 600);

    // Act
    const fresh = await groups.cachedMember(-4300, 42);
    clock += 601_000;
    const expired = await groups.cachedMember(-4300, 42);

    // Assess
    expect(fresh?.status).toBe('administrator');
    expect(expired).toBeUndefined();
  });
});
