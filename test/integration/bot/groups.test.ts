/**
 * Herald in groups and channels, through the webhook against the stand-in: real-shaped updates
 * (test/fixtures/updates) for the bot made a channel's administrator or removed from it, a
 * channel post, a group's migration and a /subscribe in a forum topic; and the stand-in's own
 * users for the rest (a non-admin's /subscribe, the bot kicked from a group, /channels).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { runOfflineChat } from '../../../functions/local/offline-chat';
import { ChannelRepository } from '../../../functions/store/channel-repository';
import { GroupRepository } from '../../../functions/store/group-repository';
import { groupSubscriptionKey } from '../../../functions/store/keys';
import { plain } from '../../helpers/chat';
import { type Harness, samplePublication, seed, startHarness } from '../../helpers/harness';

const ADMIN = 777;
const CHANNEL = -1009876543210;
const FORUM = -1003456789012;

let h: Harness;
let channels: ChannelRepository;
let groups: GroupRepository;

beforeAll(async () => {
  h = await startHarness({ adminIds: [ADMIN] });
  const { authors, articles } = samplePublication(3);
  await seed(h, authors, articles);
  channels = new ChannelRepository(h.db.doc, h.db.tableName);
  groups = new GroupRepository(h.db.doc, h.db.tableName);
});

afterAll(async () => {
  await h?.stop();
});

function fixture(name: string, updateId?: number): Record<string, unknown> {
  const update = JSON.parse(
    readFileSync(join(__dirname, '../../fixtures/updates', `${name}.json`), 'utf8'),
  ) as Record<string, unknown>;
  return updateId === undefined ? update : { ...update, update_id: updateId };
}

const adminTexts = () => h.standIn.messages(ADMIN).map((m) => plain(m.text));

describe('channels', () => {
  it('asks the admins once when the bot may post in a channel, and connects it on their word', async () => {
    // Act
    const status = (await h.deliver(fixture('my-chat-member-channel-admin'))).statusCode;
    const pending = await channels.getChannel(CHANNEL);
    const ask = h.standIn.lastMessage(ADMIN);
    if (!ask) throw new Error('the admin was not asked');
    const asked = plain(ask.text);
    await h.user(ADMIN, 'Ada').pressButton(ask, '✅ Connect');

    // Assess
    expect(status).toBe(200);
    expect(pending).toMatchObject({ status: 'pending', title: 'Voices Daily', rule: { mode: 'all' } });
    expect(asked).toContain('Herald can now post in the channel “Voices Daily” (-1009876543210)');
    expect(await channels.getChannel(CHANNEL)).toMatchObject({ status: 'active' });
    // The question became the channel list, with the channel active.
    expect(plain(ask.text)).toContain('“Voices Daily” (-1009876543210): active');
  });

  it('pauses the channel when the bot is removed and tells the admins once', async () => {
    // Prepare
    const before = adminTexts().length;

    // Act
    await h.deliver(fixture('my-chat-member-channel-removed'));
    await h.deliver(fixture('my-chat-member-channel-removed', 300000199));

    // Assess
    expect(await channels.getChannel(CHANNEL)).toMatchObject({
      status: 'paused',
      pausedReason: 'the bot was left',
    });
    expect(adminTexts().slice(before)).toEqual([
      '⏸ Channel “Voices Daily” (-1009876543210) is paused: the bot was left. Give the bot its right to post back and it asks to resume.',
    ]);
  });

  it('ignores a channel post, even one that starts with a command', async () => {
    // Prepare
    const calls = h.standIn.calls.length;

    // Act
    const res = await h.deliver(fixture('channel-post'));

    // Assess
    expect(res.statusCode).toBe(200);
    expect(h.standIn.calls.slice(calls).filter((c) => c.method === 'sendMessage')).toEqual([]);
  });

  it('lists the channels for an admin with /channels, and not for a reader', async () => {
    // Act
    await h.user(ADMIN, 'Ada').send('/channels');
    const reader = h.user(9101, 'Reader');
    await reader.send('/channels');

    // Assess
    expect(plain(h.standIn.lastMessage(ADMIN)?.text)).toContain('• “Voices Daily” (-1009876543210): paused');
    expect(plain(h.standIn.lastMessage(9101)?.text)).not.toContain('Channels');
  });
});

describe('groups', () => {
  it("subscribes a forum topic on its admin's /subscribe@Bot, and answers in that topic", async () => {
    // Prepare
    h.standIn.createChat({ id: FORUM, type: 'supergroup', title: "Readers' forum", is_forum: true });
    h.standIn.openTopic(FORUM, 905);
    h.standIn.setMember(FORUM, 777009, { status: 'administrator' });

    // Act
    await h.deliver(fixture('group-subscribe-in-topic'));

    // Assess
    expect(await groups.listForChat(FORUM)).toEqual([
      expect.objectContaining({ handle: 'jdoe', threadId: 905 }),
    ]);
    // The follow is the group's: it keeps no member id, which /forget_me could not find (no index by member).
    const stored = await h.db.doc.send(
      new GetCommand({ TableName: h.db.tableName, Key: groupSubscriptionKey(FORUM, 'jdoe') }),
    );
    expect(JSON.stringify(stored.Item)).not.toContain('777009');
    const reply = h.standIn.lastMessage(FORUM);
    expect(reply?.message_thread_id).toBe(905);
    expect(plain(reply?.text)).toBe(
      '🔔 This topic now follows Dr. Jane Doe: their new articles will be posted here.',
    );
  });

  it("refuses a member's /subscribe, asking Telegram once while the answer is cached", async () => {
    // Prepare
    const group = -1007000000001;
    h.standIn.createChat({ id: group, type: 'supergroup', title: 'Open group' });
    h.standIn.setMember(group, 9201, { status: 'member' });
    const member = h.standIn.user({ id: 9201, first_name: 'Mo' }, { id: group, type: 'supergroup' });
    const asked = h.standIn.callsTo('getChatMember').length;

    // Act
    await member.send('/subscribe@HeraldTestBot jdoe');
    await member.send('/unsubscribe@HeraldTestBot jdoe');

    // Assess
    expect(plain(h.standIn.lastMessage(group)?.text)).toBe(
      'Only this group’s admins can change which authors it follows.',
    );
    expect(h.standIn.callsTo('getChatMember').length - asked).toBe(1);
    expect(await groups.listForChat(group)).toEqual([]);
  });

  it('answers an admin who names no author with the group usage', async () => {
    // Prepare
    const group = -1007000000002;
    h.standIn.createChat({ id: group, type: 'supergroup', title: 'Careful group' });
    h.standIn.setMember(group, 9202, { status: 'creator' });
    const admin = h.standIn.user({ id: 9202, first_name: 'Cy' }, { id: group, type: 'supergroup' });

    // Act
    await admin.send('/subscribe@HeraldTestBot');
    const usage = plain(h.standIn.lastMessage(group)?.text);
    await admin.send('/subscribe@HeraldTestBot nobody_here');
    const unknown = plain(h.standIn.lastMessage(group)?.text);

    // Assess
    expect(usage).toBe(
      'Usage: /subscribe@HeraldTestBot <handle> or #tag, e.g. /subscribe@HeraldTestBot jdoe or /subscribe@HeraldTestBot #climate. New articles by that author, or with that tag, are then posted here.',
    );
    expect(unknown).toContain('nobody_here');
  });

  it('follows and unfollows a tag on an admin’s /subscribe@Bot #Tag, in its normal form', async () => {
    // Prepare
    const group = -1007000000003;
    h.standIn.createChat({ id: group, type: 'supergroup', title: 'Tag group' });
    h.standIn.setMember(group, 9203, { status: 'administrator' });
    const admin = h.standIn.user({ id: 9203, first_name: 'Di' }, { id: group, type: 'supergroup' });

    // Act
    await admin.send('/subscribe@HeraldTestBot #Climate');
    const followed = plain(h.standIn.lastMessage(group)?.text);
    const stored = await groups.listForChat(group);
    await admin.send('/subscribe@HeraldTestBot #');
    const usage = plain(h.standIn.lastMessage(group)?.text);
    await admin.send('/unsubscribe@HeraldTestBot #climate');
    const unfollowed = plain(h.standIn.lastMessage(group)?.text);

    // Assess
    expect(followed).toBe(
      '🏷 This group now follows #climate: new articles with that tag will be posted here.',
    );
    expect(stored).toEqual([expect.objectContaining({ chatId: group, tag: 'climate' })]);
    expect(usage).toContain('Usage: /subscribe@HeraldTestBot <handle> or #tag');
    expect(unfollowed).toBe('🔕 This group no longer follows #climate.');
    expect(await groups.listForChat(group)).toEqual([]);
  });

  it('keeps a member’s personal commands out of the group: a pointer to the private chat, or silence when not addressed', async () => {
    // Prepare: a member who follows an author and set a time zone in the private chat.
    const group = -1007000000004;
    h.standIn.createChat({ id: group, type: 'supergroup', title: 'Busy group' });
    await h.user(9204, 'Eve').send('/subscribe jdoe');
    await h.user(9204, 'Eve').send('/settings Asia/Karachi');
    const member = h.standIn.user({ id: 9204, first_name: 'Eve' }, { id: group, type: 'supergroup' });
    const before = h.standIn.messages(group).length;

    // Act
    for (const command of ['/subscriptions', '/settings', '/shared', '/privacy', '/forget_me'])
      await member.send(`${command}@HeraldTestBot`);
    await member.send('/settings');
    await member.send('/subscriptions@SomeOtherBot');

    // Assess: one pointer per addressed command, nothing of Eve's shown, nothing for the others.
    const replies = h.standIn.messages(group).slice(before);
    expect(replies.map((m) => plain(m.text))).toEqual(
      ['/subscriptions', '/settings', '/shared', '/privacy', '/forget_me'].map(
        (c) =>
          `🔒 ${c} is personal: it shows and changes your own follows and settings, so it works in our private chat, not here.`,
      ),
    );
    expect(replies[0]?.reply_markup?.inline_keyboard).toEqual([
      [{ text: '💬 Open the private chat', url: 'https://t.me/HeraldTestBot' }],
    ]);
    expect(JSON.stringify(replies)).not.toMatch(/Jane Doe|jdoe|Karachi/);
  });

  it('opens a card in a group with buttons that open the private chat, not ones acting for the presser', async () => {
    // Prepare
    const group = -1007000000005;
    h.standIn.createChat({ id: group, type: 'supergroup', title: 'Reading group' });
    const member = h.standIn.user({ id: 9205, first_name: 'Fay' }, { id: group, type: 'supergroup' });
    await member.send('/latest@HeraldTestBot');
    const list = h.standIn.lastMessage(group);
    const reads = h.standIn.callsTo('sendMessage').length;

    // Act
    if (!list) throw new Error('no list in the group');
    await member.pressButton(list, 1);
    const card = h.standIn.lastMessage(group);

    // Assess
    expect(h.standIn.callsTo('sendMessage').length).toBe(reads + 1);
    const buttons = (card?.reply_markup?.inline_keyboard ?? []).flat();
    expect(buttons.map((b) => b.text)).toEqual([
      '📖 Read the full article',
      '🔔 Subscribe to the author',
      '💬 Comments',
    ]);
    expect(
      buttons.every((b) => 'url' in b && (b.url ?? '').startsWith('https://t.me/HeraldTestBot?start=')),
    ).toBe(true);
  });

  it('shows an author’s profile in a group with a subscribe link to the private chat, not a button acting for the presser', async () => {
    // Prepare: the member follows the author in the private chat
    const group = -1007000000007;
    h.standIn.createChat({ id: group, type: 'supergroup', title: 'Authors group' });
    await h.user(9206, 'Gil').send('/subscribe jdoe');
    const member = h.standIn.user({ id: 9206, first_name: 'Gil' }, { id: group, type: 'supergroup' });

    // Act
    await member.send('/author@HeraldTestBot jdoe');
    const profile = h.standIn.lastMessage(group);

    // Assess: no 🔕 Unsubscribe or mode of Gil's in front of the group
    const last = (profile?.reply_markup?.inline_keyboard ?? []).at(-1);
    expect(last).toEqual([
      { text: '🔔 Subscribe to the author', url: 'https://t.me/HeraldTestBot?start=u_jdoe' },
    ]);
    expect(JSON.stringify(profile?.reply_markup)).not.toMatch(/Unsubscribe|Instant|⚡/);
  });

  it('keeps a group’s subscriptions when it becomes a supergroup', async () => {
    // Prepare
    await groups.subscribe({ chatId: -4012345678 }, 'jdoe');

    // Act
    await h.deliver(fixture('group-migrate-to-chat'));
    const second = await h.deliver(fixture('group-migrate-from-chat'));

    // Assess
    expect(second.statusCode).toBe(200);
    expect(await groups.listForChat(-4012345678)).toEqual([]);
    expect(await groups.listForChat(-1002345678901)).toEqual([expect.objectContaining({ handle: 'jdoe' })]);
  });

  it('stops a group’s subscriptions when the bot is removed from it', async () => {
    // Prepare
    const group = -4099;
    h.standIn.createChat({ id: group, type: 'group', title: 'Leaving' });
    await groups.subscribe({ chatId: group }, 'jdoe');

    // Act
    await h.standIn.setBotMember(group, { status: 'kicked' }, { id: 1, first_name: 'Owner' });

    // Assess
    expect(await groups.listForChat(group)).toEqual([]);
  });

  it("leaves a reader's own /subscribe in a private chat to the readers' feature", async () => {
    // Act
    const reader = h.user(9301, 'Pat');
    await reader.send('/subscribe jdoe');

    // Assess
    expect(await h.app.store.subscriptions.isSubscribed(9301, 'jdoe')).toBe(true);
  });

  it('sends a reader who posts a comment from a group to the private chat, where the comment is theirs', async () => {
    // Prepare: an article's card, shown in a group
    const group = -1007000000006;
    h.standIn.createChat({ id: group, type: 'supergroup', title: 'Commenters' });
    const reader = h.standIn.user({ id: 9401, first_name: 'Lee' }, { id: group, type: 'supergroup' });
    await reader.send('/latest@HeraldTestBot');
    const latest = h.standIn.lastMessage(group);
    if (!latest) throw new Error('no list in the group');
    await reader.pressButton(latest, 1);
    const card = h.standIn.lastMessage(group);
    const link = (card?.reply_markup?.inline_keyboard.flat() ?? []).find(
      (b) => b.text === '💬 Comments',
    )?.url;
    const articleId = /start=a_([a-z0-9-]+)$/.exec(link ?? '')?.[1];
    if (!articleId) throw new Error('no comments link on the card in the group');

    // Act: the link opens the card in the private chat, where the reader posts
    const alone = h.user(9401, 'Lee');
    await alone.send(`/start a_${articleId}`);
    await alone.pressButton(h.standIn.lastMessage(9401) ?? 0, '💬 Comments');
    await alone.pressButton(h.standIn.lastMessage(9401) ?? 0, '✍️ Post a comment');
    const prompt = plain(h.standIn.lastMessage(9401)?.text);
    await alone.send('Well argued.');

    // Assess
    expect(link).toBe(`https://t.me/HeraldTestBot?start=a_${articleId}`);
    // Nothing was asked in the group: the card is still the group's last message.
    expect(h.standIn.lastMessage(group)).toBe(card);
    expect(prompt).toContain('Write your comment on');
    const { items } = await h.app.store.comments.commentsPage(articleId, undefined, 5);
    expect(items).toEqual([expect.objectContaining({ userId: 9401, text: 'Well argued.' })]);
  });
});

describe('the offline chat', () => {
  it('talks in a group with /as group, gives the bot a channel with /as channel, and comes back with /as me', async () => {
    // Prepare
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => {
      printed += chunk.toString('utf8');
    });

    // Act
    await runOfflineChat({
      standIn: h.standIn,
      user: h.standIn.user({ id: ADMIN, first_name: 'Ada' }),
      botUsername: 'HeraldTestBot',
      input: Readable.from([
        '/as group Readers\n',
        '/latest@HeraldTestBot\n',
        '/as channel Offline News\n',
        '/as me\n',
      ]),
      output,
      echo: false,
    });

    // Assess
    expect(printed).toContain('You are in the group “Readers”');
    expect(printed).toContain('Latest articles');
    expect(printed).toContain('The bot is an administrator of your channel “Offline News”');
    // The bot noticed the channel and asked its admin (this person) to connect it.
    expect(printed).toContain('Herald can now post in the channel “Offline News”');
    expect(printed).toContain('You are back in your private chat with the bot.');
  });
});
