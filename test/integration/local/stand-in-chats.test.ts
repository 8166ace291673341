/**
 * The stand-in's groups and channels, as strict as Telegram: a channel needs the bot as an
 * administrator allowed to post, a removed bot gets 403, getChatMember answers per member,
 * my_chat_member reaches the bot, forum topics are checked, a migrated group answers 400 with
 * `migrate_to_chat_id`, one chat takes about 20 messages a minute (429 after), and a message
 * can be deleted only within 48 hours.
 */
import type { Update } from 'telegraf/types';
import { type BotApiStandIn, createBotApiStandIn } from '../../../functions/local/telegram-stand-in';

const TOKEN = '123456789:TEST-token-for-the-chats-stand-in';
const BOT = { id: 123456789, is_bot: true as const, first_name: 'Herald', username: 'HeraldTestBot' };
const ADMIN = { id: 42, first_name: 'Ada' };
const CHANNEL = -1001111111111;
const FORUM = -1002222222222;

let clock = Date.now();
let standIn: BotApiStandIn;
const delivered: Update[] = [];

beforeAll(async () => {
  standIn = createBotApiStandIn({
    token: TOKEN,
    botInfo: BOT,
    now: () => clock,
    deliver: async (update) => {
      delivered.push(update);
      return { statusCode: 200 };
    },
  });
  await standIn.start();
});

afterAll(async () => {
  await standIn?.stop();
});

async function call(method: string, params: Record<string, unknown>) {
  const response = await fetch(`${standIn.apiRoot}/bot${TOKEN}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const post = (chatId: number, text = 'Hello', extra: Record<string, unknown> = {}) =>
  call('sendMessage', { chat_id: chatId, text, ...extra });

describe('channels', () => {
  it('refuses posts until the bot is an administrator allowed to post, and tells the bot of each change', async () => {
    // Prepare
    standIn.createChat({ id: CHANNEL, type: 'channel', title: 'Voices' });

    // Act
    const notMember = await post(CHANNEL);
    await standIn.setBotMember(CHANNEL, { status: 'administrator', can_post_messages: false }, ADMIN);
    const noRight = await post(CHANNEL);
    await standIn.setBotMember(CHANNEL, { status: 'administrator', can_post_messages: true }, ADMIN);
    const ok = await post(CHANNEL);
    await standIn.setBotMember(CHANNEL, { status: 'kicked' }, ADMIN);
    const kicked = await post(CHANNEL);

    // Assess
    expect(notMember.body).toEqual({
      ok: false,
      error_code: 403,
      description: 'Forbidden: bot is not a member of the channel chat',
    });
    expect(noRight.body).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: need administrator rights in the channel chat',
    });
    expect(ok.body.ok).toBe(true);
    expect(kicked.body.description).toBe('Forbidden: bot was kicked from the channel chat');
    const changes = delivered.flatMap((u) => ('my_chat_member' in u ? [u.my_chat_member] : []));
    expect(changes.map((c) => [c.chat.type, c.old_chat_member.status, c.new_chat_member.status])).toEqual([
      ['channel', 'left', 'administrator'],
      ['channel', 'administrator', 'administrator'],
      ['channel', 'administrator', 'kicked'],
    ]);
    expect(changes[1]?.new_chat_member).toMatchObject({ can_post_messages: true });
  });

  it('deletes a message within 48 hours and refuses after', async () => {
    // Prepare
    const chatId = -1003333333333;
    standIn.createChat({ id: chatId, type: 'channel', title: 'Old posts' });
    await standIn.setBotMember(chatId, { status: 'administrator', can_post_messages: true }, ADMIN);
    const young = await post(chatId, 'young');
    const old = await post(chatId, 'old');
    const id = (r: { body: Record<string, unknown> }) => (r.body.result as { message_id: number }).message_id;

    // Act
    const deleted = await call('deleteMessage', { chat_id: chatId, message_id: id(young) });
    clock += 48 * 3_600_000;
    const tooOld = await call('deleteMessage', { chat_id: chatId, message_id: id(old) });
    const edited = await call('editMessageText', { chat_id: chatId, message_id: id(old), text: 'edited' });

    // Assess
    expect(deleted.body).toEqual({ ok: true, result: true });
    expect(tooOld.body).toEqual({
      ok: false,
      error_code: 400,
      description: "Bad Request: message can't be deleted",
    });
    // Editing has no such window.
    expect(edited.body.ok).toBe(true);
  });
});

describe('groups', () => {
  it('answers getChatMember per member, and refuses unknown chats and bad user ids', async () => {
    // Prepare
    const group = -4001;
    standIn.createChat({ id: group, type: 'group', title: 'Readers' });
    standIn.setMember(group, ADMIN.id, { status: 'creator' });
    standIn.setMember(group, 43, { status: 'member' });

    // Act
    const creator = await call('getChatMember', { chat_id: group, user_id: ADMIN.id });
    const member = await call('getChatMember', { chat_id: group, user_id: 43 });
    const stranger = await call('getChatMember', { chat_id: group, user_id: 44 });
    const badUser = await call('getChatMember', { chat_id: group, user_id: 'x' });
    const unknown = await call('getChatMember', { chat_id: -4999, user_id: 43 });

    // Assess
    expect(creator.body.result).toMatchObject({ status: 'creator', user: { id: ADMIN.id } });
    expect(member.body.result).toMatchObject({ status: 'member' });
    expect(stranger.body.result).toMatchObject({ status: 'left' });
    expect(badUser.body.description).toBe('Bad Request: invalid user_id specified');
    expect(unknown.body.description).toBe('Bad Request: chat not found');
  });

  it('sends into an open forum topic, and answers "message thread not found" for another', async () => {
    // Prepare
    standIn.createChat({ id: FORUM, type: 'supergroup', title: 'Forum', is_forum: true });
    const topic = standIn.openTopic(FORUM);
    const gone = standIn.openTopic(FORUM);
    standIn.deleteTopic(FORUM, gone);

    // Act
    const inTopic = await post(FORUM, 'in the topic', { message_thread_id: topic });
    const inGone = await post(FORUM, 'lost', { message_thread_id: gone });
    const nowhere = await post(FORUM, 'lost', { message_thread_id: 999_999 });

    // Assess
    expect(inTopic.body.result).toMatchObject({ message_thread_id: topic, is_topic_message: true });
    expect(inGone.body.description).toBe('Bad Request: message thread not found');
    expect(nowhere.body.description).toBe('Bad Request: message thread not found');
  });

  it('answers 400 with migrate_to_chat_id once a group became a supergroup, and sends both service messages', async () => {
    // Prepare
    const old = -4002;
    const next = -1004444444444;
    standIn.createChat({ id: old, type: 'group', title: 'Growing' });
    const before = delivered.length;

    // Act
    await standIn.migrateGroup(old, next, ADMIN);
    const toOld = await post(old);
    const toNew = await post(next);

    // Assess
    expect(toOld.body).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: group chat was upgraded to a supergroup chat',
      parameters: { migrate_to_chat_id: next },
    });
    expect(toNew.body.ok).toBe(true);
    const messages = delivered.slice(before).map((u) => ('message' in u ? u.message : undefined));
    expect(messages).toEqual([
      expect.objectContaining({ chat: expect.objectContaining({ id: old }), migrate_to_chat_id: next }),
      expect.objectContaining({ chat: expect.objectContaining({ id: next }), migrate_from_chat_id: old }),
    ]);
  });

  it('takes 20 messages a minute in one group, answers 429 with retry_after, and takes more when the minute passed', async () => {
    // Prepare
    const group = -4003;
    standIn.createChat({ id: group, type: 'group', title: 'Busy' });

    // Act
    const first = [];
    for (let i = 0; i < 20; i++) first.push(await post(group, `m${i}`));
    clock += 10_000;
    const limited = await post(group, 'one too many');
    const otherChat = await post(ADMIN.id, 'private chats are not limited here');
    clock += 50_000;
    const later = await post(group, 'a minute later');

    // Assess
    expect(first.every((r) => r.body.ok === true)).toBe(true);
    expect(limited.body).toEqual({
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 50',
      parameters: { retry_after: 50 },
    });
    expect(otherChat.body.ok).toBe(true);
    expect(later.body.ok).toBe(true);
  });
});

describe('topics in private chats (Bot API 9.3)', () => {
  const READER = { id: 4242, first_name: 'Rae' };

  it('refuses a topic while the bot’s topic mode is off, and opens one when it is on', async () => {
    // Prepare
    await standIn.user(READER).send('/start');

    // Act
    const off = await call('createForumTopic', { chat_id: READER.id, name: 'Dr. Jane Doe' });
    const offSend = await post(READER.id, 'into a topic', { message_thread_id: 1 });
    standIn.setPrivateTopicsEnabled(true);
    const me = await call('getMe', {});
    const empty = await call('createForumTopic', { chat_id: READER.id, name: ' ' });
    const long = await call('createForumTopic', { chat_id: READER.id, name: 'x'.repeat(129) });
    const on = await call('createForumTopic', { chat_id: READER.id, name: 'Dr. Jane Doe' });
    const threadId = Number((on.body['result'] as Record<string, unknown>)['message_thread_id']);
    const sent = await post(READER.id, 'in the topic', { message_thread_id: threadId });
    const unknown = await post(READER.id, 'nowhere', { message_thread_id: threadId + 100 });
    standIn.deleteTopic(READER.id, threadId);
    const gone = await post(READER.id, 'deleted', { message_thread_id: threadId });
    standIn.setPrivateTopicsEnabled(false);

    // Assess
    expect(off.body).toMatchObject({
      ok: false,
      error_code: 400,
      description: 'Bad Request: the chat is not a forum',
    });
    expect(offSend.body).toMatchObject({ ok: false, description: 'Bad Request: message thread not found' });
    expect(me.body['result']).toMatchObject({ has_topics_enabled: true });
    expect(empty.body).toMatchObject({ ok: false, description: 'Bad Request: TOPIC_NAME_INVALID' });
    expect(long.body).toMatchObject({ ok: false, description: 'Bad Request: TOPIC_NAME_INVALID' });
    expect(on.body).toMatchObject({ ok: true, result: { name: 'Dr. Jane Doe', icon_color: 7322096 } });
    expect(sent.body).toMatchObject({
      ok: true,
      result: { message_thread_id: threadId, is_topic_message: true },
    });
    expect(unknown.body).toMatchObject({ ok: false, description: 'Bad Request: message thread not found' });
    expect(gone.body).toMatchObject({ ok: false, description: 'Bad Request: message thread not found' });
    expect(standIn.botTopics(READER.id)).toEqual([]);
  });

  it('needs can_manage_topics to open a topic in a forum, and no topic at all in a plain group', async () => {
    // Prepare
    const forum = -1003333333333;
    standIn.createChat({ id: forum, type: 'supergroup', title: 'Forum', is_forum: true });
    standIn.createChat({ id: -4777, type: 'group', title: 'Plain' });
    await standIn.setBotMember(forum, { status: 'administrator' }, ADMIN);
    await standIn.setBotMember(-4777, { status: 'member' }, ADMIN);

    // Act
    const noRight = await call('createForumTopic', { chat_id: forum, name: 'News' });
    await standIn.setBotMember(forum, { status: 'administrator', can_manage_topics: true }, ADMIN);
    const ok = await call('createForumTopic', { chat_id: forum, name: 'News' });
    const plain = await call('createForumTopic', { chat_id: -4777, name: 'News' });

    // Assess
    expect(noRight.body).toMatchObject({
      ok: false,
      description: 'Bad Request: not enough rights to create a topic',
    });
    expect(ok.body).toMatchObject({ ok: true, result: { name: 'News' } });
    expect(standIn.botTopics(forum)).toEqual([{ threadId: expect.any(Number), name: 'News' }]);
    expect(plain.body).toMatchObject({ ok: false, description: 'Bad Request: the chat is not a forum' });
  });
});
