/**
 * Alerts to groups, through the same fan-out, queue and sender as the readers' alerts, on
 * DynamoDB Local and the stand-in: a group that follows an author from a forum topic gets the
 * alert in that topic; a group that became a supergroup gets it at its new id and keeps its
 * subscriptions; a deleted topic's group gets it in the chat; a group that removed the bot stops.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createLocalAlerts, type LocalAlerts } from '../../../functions/alerts/local-alerts';
import { alertRenderer } from '../../../functions/bot/views';
import { publishArticle, publishAuthor } from '../../../functions/core/publishing';
import { createI18n } from '../../../functions/i18n';
import type { BotApiStandIn } from '../../../functions/local/telegram-stand-in';
import { GroupRepository } from '../../../functions/store/group-repository';
import { runAlertFor, startAlertsRig, stopAlertsRig } from '../../helpers/alerts-rig';
import type { TestStore } from '../../helpers/test-store';

const TOKEN = '123456789:TEST-token-for-the-group-alerts-0';
const ADMIN = { id: 42, first_name: 'Ada' };
const READER = 1001;
const FORUM = -1001500000000;
const logger = new Logger({ logLevel: 'SILENT' });

let ts: TestStore;
let standIn: BotApiStandIn;
let apiRoot: string;
let groups: GroupRepository;
let alerts: LocalAlerts;
let articles = 0;

beforeAll(async () => {
  ({ ts, standIn, apiRoot } = await startAlertsRig(TOKEN));
  groups = new GroupRepository(ts.doc, ts.tableName);
  alerts = createLocalAlerts({
    renderAlert: alertRenderer(createI18n()),
    doc: ts.doc,
    store: { ...ts.store, groups },
    config: { tableName: ts.tableName, alertRatePerSecond: 1000, adminIds: [] },
    telegram: { apiRoot, token: TOKEN },
    logger,
    sender: { backoffBaseMs: 5 },
  });
  await publishAuthor(ts.store, { handle: 'jdoe', fullName: 'Dr. Jane Doe', userSince: '2008-03-15' });
});

afterAll(async () => {
  await alerts?.stop();
  await stopAlertsRig({ ts, standIn });
});

async function publishAndAlert() {
  articles += 1;
  const id = `group-alert-${articles}`;
  await publishArticle(ts.store, {
    id,
    title: `News ${articles}`,
    authorHandle: 'jdoe',
    body: 'A paragraph of the article with a few words.',
    publishedAt: '2026-11-30T08:00:00Z',
  });
  return runAlertFor(alerts, id);
}

it('alerts a reader, a group and a forum topic once each, the topic inside its thread', async () => {
  // Prepare
  standIn.createChat({ id: FORUM, type: 'supergroup', title: 'Forum', is_forum: true });
  const topic = standIn.openTopic(FORUM);
  standIn.createChat({ id: -4501, type: 'group', title: 'Plain group' });
  await ts.store.subscriptions.subscribe(READER, 'jdoe');
  await groups.subscribe({ chatId: FORUM, threadId: topic }, 'jdoe');
  await groups.subscribe({ chatId: -4501 }, 'jdoe');

  // Act
  const report = await publishAndAlert();

  // Assess
  expect(report).toMatchObject({ total: 3, sent: 3, blocked: 0, failed: 0 });
  const inForum = standIn.messages(FORUM);
  expect(inForum).toHaveLength(1);
  expect(inForum[0]?.message_thread_id).toBe(topic);
  expect(standIn.messages(-4501)).toHaveLength(1);
  expect(standIn.messages(READER)).toHaveLength(1);
});

it('follows a group that became a supergroup, and keeps its subscriptions under the new id', async () => {
  // Prepare
  const old = -4502;
  const next = -1004502000000;
  standIn.createChat({ id: old, type: 'group', title: 'Growing' });
  await groups.subscribe({ chatId: old }, 'jdoe');
  await standIn.migrateGroup(old, next, ADMIN);

  // Act
  const report = await publishAndAlert();

  // Assess
  expect(report?.failed).toBe(0);
  expect(standIn.messages(next)).toHaveLength(1);
  expect(await groups.listForChat(old)).toEqual([]);
  expect((await groups.listForChat(next)).map((s) => s.handle)).toEqual(['jdoe']);
});

it("sends into the chat when the group's topic was deleted, and keeps the group subscribed there", async () => {
  // Prepare
  const chatId = -1004503000000;
  standIn.createChat({ id: chatId, type: 'supergroup', title: 'Forum 2', is_forum: true });
  const topic = standIn.openTopic(chatId);
  await groups.subscribe({ chatId, threadId: topic }, 'jdoe');
  standIn.deleteTopic(chatId, topic);

  // Act
  await publishAndAlert();

  // Assess
  const [message] = standIn.messages(chatId);
  expect(message).toBeDefined();
  expect(message?.message_thread_id).toBeUndefined();
  expect(await groups.listForChat(chatId)).toEqual([expect.objectContaining({ handle: 'jdoe' })]);
  expect((await groups.listForChat(chatId))[0]?.threadId).toBeUndefined();
});

it('stops alerting a group that removed the bot', async () => {
  // Prepare
  const chatId = -4504;
  standIn.createChat({ id: chatId, type: 'group', title: 'Leaving' });
  await groups.subscribe({ chatId }, 'jdoe');
  await standIn.setBotMember(chatId, { status: 'kicked' }, ADMIN);

  // Act
  const first = await publishAndAlert();
  const attemptsAfterFirst = standIn
    .callsTo('sendMessage')
    .filter((c) => Number(c.params['chat_id']) === chatId);
  await publishAndAlert();
  const attemptsAfterSecond = standIn
    .callsTo('sendMessage')
    .filter((c) => Number(c.params['chat_id']) === chatId);

  // Assess
  expect(first?.blocked).toBe(1);
  expect(await groups.listForChat(chatId)).toEqual([]);
  expect(attemptsAfterSecond).toHaveLength(attemptsAfterFirst.length);
});
