/**
 * Topics per author in a reader's private chat (Bot API 9.3), end to end on DynamoDB Local and
 * the stand-in: publish → fan-out → queue → sender. A reader who chose them gets an author's
 * first alert in a new topic named after the author, the next in the same topic; a topic they
 * deleted sends that alert to the main chat and the next opens a new topic; a bot without topic
 * mode sends to the main chat and stops asking; a digest comes as one part per author, each in
 * its author's topic.
 */
import type { LocalAlerts } from '../../../functions/alerts/local-alerts';
import { slotOf } from '../../../functions/core/delivery';
import { publishArticle, publishAuthor } from '../../../functions/core/publishing';
import type { BotApiStandIn } from '../../../functions/local/telegram-stand-in';
import type { DigestRepository } from '../../../functions/store/digest-repository';
import { ReaderTopicRepository } from '../../../functions/store/reader-topic-repository';
import { ManualClock, startAlertsRig, startDigestPipeline, stopAlertsRig } from '../../helpers/alerts-rig';
import type { TestStore } from '../../helpers/test-store';

const TOKEN = '123456789:TEST-token-for-the-reader-topics-0';

let ts: TestStore;
let standIn: BotApiStandIn;
let alerts: LocalAlerts;
let topics: ReaderTopicRepository;
let digests: DigestRepository;
// The pipeline's clock: the tests set the time; waits (pacing, backoff) move it on.
const clock = new ManualClock(Date.parse('2026-11-30T06:00:00Z'));

beforeAll(async () => {
  let apiRoot: string;
  ({ ts, standIn, apiRoot } = await startAlertsRig(TOKEN));
  topics = new ReaderTopicRepository(ts.doc, ts.tableName);
  ({ alerts, digests } = startDigestPipeline({
    doc: ts.doc,
    tableName: ts.tableName,
    store: ts.store,
    apiRoot,
    token: TOKEN,
    clock,
    readerTopics: topics,
  }));
  await publishAuthor(ts.store, { handle: 'jdoe', fullName: 'Dr. Jane Doe', userSince: '2008-03-15' });
  await publishAuthor(ts.store, {
    handle: 'maxi',
    fullName: 'Maxi  Müller-Lüdenscheidt ',
    userSince: '2010-01-01',
  });
  standIn.setPrivateTopicsEnabled(true);
});

afterAll(async () => {
  await alerts?.stop();
  await stopAlertsRig({ ts, standIn });
});

let articles = 0;
async function publishAndAlert(handle = 'jdoe'): Promise<string> {
  articles += 1;
  const id = `topic-alert-${articles}`;
  await publishArticle(ts.store, {
    id,
    title: `News ${articles}`,
    authorHandle: handle,
    body: 'A paragraph of the article with a few words.',
    publishedAt: new Date(clock.ms).toISOString(),
  });
  await alerts.fanOut(id);
  do await alerts.drain();
  while (alerts.queue.size > 0);
  return id;
}

const inTopic = (chatId: number, threadId: number | undefined) =>
  standIn.messages(chatId).filter((m) => m.message_thread_id === threadId);

describe('a reader with topics per author', () => {
  const READER = 7001;

  beforeAll(async () => {
    await ts.store.subscriptions.subscribe(READER, 'jdoe');
    await ts.store.subscriptions.subscribe(READER, 'maxi');
    await topics.choose(READER, true);
  });

  it("gets an author's first alert in a new topic named after the author, and the next in the same topic", async () => {
    // Act
    await publishAndAlert('jdoe');
    const [opened] = standIn.botTopics(READER);
    await publishAndAlert('jdoe');

    // Assess
    expect(opened).toEqual({ threadId: expect.any(Number), name: 'Dr. Jane Doe' });
    const threadId = opened?.threadId;
    expect(await topics.topic(READER, 'jdoe')).toBe(threadId);
    expect(inTopic(READER, threadId).map((m) => m.text)).toEqual([
      expect.stringContaining('News 1'),
      expect.stringContaining('News 2'),
    ]);
    expect(inTopic(READER, undefined)).toEqual([]);
    expect(standIn.callsTo('createForumTopic')).toHaveLength(1);
  });

  it("names a topic after the author's name, spaces tidied", async () => {
    // Act
    await publishAndAlert('maxi');

    // Assess
    const maxi = standIn.botTopics(READER).find((x) => x.name.startsWith('Maxi'));
    expect(maxi?.name).toBe('Maxi Müller-Lüdenscheidt');
    expect(inTopic(READER, maxi?.threadId)).toHaveLength(1);
  });

  it('sends to the main chat when the reader deleted the topic, and opens a new topic with the next alert', async () => {
    // Prepare
    const old = await topics.topic(READER, 'jdoe');
    if (old === undefined) throw new Error('no topic to delete');
    standIn.deleteTopic(READER, old);

    // Act
    const lost = await publishAndAlert('jdoe');
    const forgotten = await topics.topic(READER, 'jdoe');
    await publishAndAlert('jdoe');

    // Assess
    const main = inTopic(READER, undefined);
    expect(main).toHaveLength(1);
    expect(main[0]?.text).toContain(`News ${lost.split('-').at(-1)}`);
    expect(forgotten).toBeUndefined();
    const fresh = await topics.topic(READER, 'jdoe');
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(old);
    expect(inTopic(READER, fresh)).toHaveLength(1);
    expect(await alerts.report(lost)).toMatchObject({ sent: 1, failed: 0 });
  });

  it("sends a digest as one part per author, each in that author's topic", async () => {
    // Prepare: daily follows, a digest due at 08:00 UTC
    const reader = 7002;
    await ts.store.subscriptions.subscribe(reader, 'jdoe', undefined, 'daily');
    await ts.store.subscriptions.subscribe(reader, 'maxi', undefined, 'daily');
    await topics.choose(reader, true);
    await publishAndAlert('jdoe');
    await publishAndAlert('maxi');

    // Act
    clock.at('2026-11-30T08:02:00Z');
    await digests.advanceCursor(slotOf(clock.ms - 2 * 60_000));
    await alerts.runDigests();
    do await alerts.drain();
    while (alerts.queue.size > 0);

    // Assess
    const opened = standIn.botTopics(reader);
    expect(opened.map((x) => x.name)).toEqual(['Dr. Jane Doe', 'Maxi Müller-Lüdenscheidt']);
    for (const topic of opened) {
      const got = inTopic(reader, topic.threadId);
      expect(got).toHaveLength(1);
      expect(got[0]?.text).toContain('digest');
    }
    expect(inTopic(reader, undefined)).toEqual([]);
  });
});

describe('a bot without topic mode in private chats', () => {
  it('sends to the main chat, and stops asking Telegram for the reader until they turn topics on again', async () => {
    // Prepare
    const reader = 7003;
    await ts.store.subscriptions.subscribe(reader, 'jdoe');
    await topics.choose(reader, true);
    standIn.setPrivateTopicsEnabled(false);
    const asks = () =>
      standIn.callsTo('createForumTopic').filter((c) => Number(c.params['chat_id']) === reader).length;

    // Act
    try {
      await publishAndAlert('jdoe');
      await publishAndAlert('jdoe');
    } finally {
      standIn.setPrivateTopicsEnabled(true);
    }

    // Assess
    expect(inTopic(reader, undefined)).toHaveLength(2);
    expect(asks()).toBe(1);
    expect(await topics.choice(reader, true)).toBe('refused');
  });
});

it('sends to the main chat of a reader who never chose topics, asking Telegram nothing', async () => {
  // Prepare
  const reader = 7004;
  await ts.store.subscriptions.subscribe(reader, 'jdoe');
  const asked = standIn.callsTo('createForumTopic').length;

  // Act
  await publishAndAlert('jdoe');

  // Assess
  expect(inTopic(reader, undefined)).toHaveLength(1);
  expect(standIn.callsTo('createForumTopic').length).toBe(asked);
});
