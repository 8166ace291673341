/**
 * Alerts to groups, through the same fan-out, queue and sender as the readers' alerts, on
 * DynamoDB Local and the stand-in: a group that follows an author from a forum topic gets the
 * alert in that topic; a group that became a supergroup gets it at its new id and keeps its
 * subscriptions; a deleted topic's group gets it in the chat; a group that removed the bot stops;
 * a group that follows tags gets their articles, once however many of its follows match.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createLocalAlerts, type LocalAlerts } from '../../../functions/alerts/local-alerts';
import { groupAlertRenderer } from '../../../functions/bot/channel-card';
import { alertRenderer } from '../../../functions/bot/views';
import { publishArticle, publishAuthor } from '../../../functions/core/publishing';
import { createI18n } from '../../../functions/i18n';
import type { BotApiStandIn } from '../../../functions/local/telegram-stand-in';
import { DigestRepository } from '../../../functions/store/digest-repository';
import { GroupRepository } from '../../../functions/store/group-repository';
import { ReaderSettingsRepository } from '../../../functions/store/reader-settings-repository';
import { runAlertFor, startAlertsRig, stopAlertsRig } from '../../helpers/alerts-rig';
import { plain } from '../../helpers/chat';
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
    renderGroupAlert: groupAlertRenderer(createI18n(), 'HeraldTestBot'),
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

async function publishAndAlert(tags?: string[], through: LocalAlerts = alerts) {
  articles += 1;
  const id = `group-alert-${articles}`;
  await publishArticle(ts.store, {
    id,
    title: `News ${articles}`,
    authorHandle: 'jdoe',
    body: 'A paragraph of the article with a few words.',
    publishedAt: '2026-11-30T08:00:00Z',
    ...(tags ? { tags } : {}),
  });
  return runAlertFor(through, id);
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
  // A group's card opens the bot (a press there must not act for whoever pressed it); a reader's
  // card has the bot's own buttons.
  const groupButtons = (inForum[0]?.reply_markup?.inline_keyboard ?? []).flat();
  expect(groupButtons.length).toBeGreaterThan(0);
  expect(
    groupButtons.every((b) => 'url' in b && (b.url ?? '').startsWith('https://t.me/HeraldTestBot?start=')),
  ).toBe(true);
  expect(plain(inForum[0]?.text)).toContain('New from Dr. Jane Doe');
  const readerButtons = (standIn.messages(READER)[0]?.reply_markup?.inline_keyboard ?? []).flat();
  expect(readerButtons.some((b) => 'callback_data' in b)).toBe(true);
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

it('alerts a group that follows tags once per article, however many of its follows match', async () => {
  // Prepare: the pipeline as deployed, delivery modes on (readers' settings, digests); one group
  // follows the author and both tags, one only a tag, one another tag.
  const deployed = createLocalAlerts({
    renderAlert: alertRenderer(createI18n()),
    renderGroupAlert: groupAlertRenderer(createI18n(), 'HeraldTestBot'),
    doc: ts.doc,
    store: {
      ...ts.store,
      groups,
      readers: new ReaderSettingsRepository(ts.doc, ts.tableName),
      digests: new DigestRepository(ts.doc, ts.tableName),
    },
    config: { tableName: ts.tableName, alertRatePerSecond: 1000, adminIds: [] },
    telegram: { apiRoot, token: TOKEN },
    logger,
    sender: { backoffBaseMs: 5 },
  });
  const all = -4601;
  const tagOnly = -4602;
  const other = -4603;
  for (const id of [all, tagOnly, other]) standIn.createChat({ id, type: 'group', title: `Tags ${id}` });
  await groups.subscribe({ chatId: all }, 'jdoe');
  await groups.subscribe({ chatId: all }, { kind: 'tag', tag: 'climate' });
  await groups.subscribe({ chatId: all }, { kind: 'tag', tag: 'energy' });
  await groups.subscribe({ chatId: tagOnly }, { kind: 'tag', tag: 'energy' });
  await groups.subscribe({ chatId: other }, { kind: 'tag', tag: 'sport' });

  try {
    // Act
    const tagged = await publishAndAlert(['Climate', 'energy'], deployed);
    const untagged = await publishAndAlert(undefined, deployed);

    // Assess: one recipient per group, not per matching follow (the groups that followed jdoe
    // in the tests above are still in: the reader, the forum and the plain group among them).
    const tallied = (r: typeof tagged) => (r ? r.total : -1);
    expect(tallied(tagged) - tallied(untagged)).toBe(1);
    expect(tagged).toMatchObject({ failed: 0 });
    expect(standIn.messages(all).map((m) => m.text)).toEqual([
      expect.stringContaining(`News ${articles - 1}`),
      expect.stringContaining(`News ${articles}`),
    ]);
    expect(standIn.messages(tagOnly).map((m) => m.text)).toEqual([
      expect.stringContaining(`News ${articles - 1}`),
    ]);
    expect(standIn.messages(other)).toEqual([]);
  } finally {
    await deployed.stop();
  }
});
