/**
 * Topics per author in a reader's private chat, on DynamoDB Local: the choice on the profile
 * (absent reads as off; `refused` only while it is on), one topic item per (reader, author) that
 * the first sender to store it owns, and a topic forgotten only while it is the one stored.
 */
import { ReaderTopicRepository } from '../../../functions/store/reader-topic-repository';
import { startTestStore, type TestStore } from '../../helpers/test-store';

let ts: TestStore;
let topics: ReaderTopicRepository;

beforeAll(async () => {
  ts = await startTestStore();
  topics = new ReaderTopicRepository(ts.doc, ts.tableName);
});

afterAll(async () => {
  await ts?.stop();
});

it('reads off for a reader never seen, and refuses only a choice that is still on', async () => {
  // Act
  const unseen = await topics.choice(8001, true);
  await topics.refuse(8001);
  const afterRefusingOff = await topics.choice(8001, true);
  await topics.choose(8001, true);
  await topics.refuse(8001);

  // Assess
  expect(unseen).toBe('off');
  expect(afterRefusingOff).toBe('off');
  expect(await topics.choice(8001, true)).toBe('refused');
});

it('keeps the first topic stored for an author: a second sender gets that one back', async () => {
  // Act
  const first = await topics.remember(8002, 'jdoe', 11, 1);
  const second = await topics.remember(8002, 'jdoe', 12, 2);

  // Assess
  expect([first, second]).toEqual([11, 11]);
  expect(await topics.topic(8002, 'jdoe')).toBe(11);
  expect(await topics.topic(8002, 'other')).toBeUndefined();
});

it('forgets a topic only while it is the one stored', async () => {
  // Prepare
  await topics.remember(8003, 'jdoe', 21, 1);

  // Act
  await topics.forget(8003, 'jdoe', 99);
  const kept = await topics.topic(8003, 'jdoe');
  await topics.forget(8003, 'jdoe', 21);

  // Assess
  expect(kept).toBe(21);
  expect(await topics.topic(8003, 'jdoe')).toBeUndefined();
});

it('tells which readers of a queue message have topics on, in one BatchGetItem per 100', async () => {
  // Prepare: 150 readers (two batches), three with topics on, one of them refused since.
  const ids = Array.from({ length: 150 }, (_, i) => 810_001 + i);
  await topics.choose(810_002, true);
  await topics.choose(810_120, true);
  await topics.choose(810_150, true);
  await topics.refuse(810_150);

  // Act
  const on = await topics.withTopicsOn([...ids, 999_999_001]);

  // Assess: a reader never seen reads as off, like a refused one.
  expect([...on].sort()).toEqual([810_002, 810_120]);
  expect(await topics.withTopicsOn([])).toEqual(new Set());
});
