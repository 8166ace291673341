/**
 * The update guard (functions/bot/update-guard.ts) drops forged or corrupted updates before
 * any feature runs — and must never drop a real one. Real ones: every Update fixture checked
 * in, and every kind of Update the stand-in's user side produces the way Telegram does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Update } from 'telegraf/types';
import { updateProblem } from '../../functions/bot/update-guard';
import { createBotApiStandIn } from '../../functions/local/telegram-stand-in';
import { TEST_TOKEN } from '../helpers/harness';
import { BOT_ID, type Rig, startRig } from './support';

const FIXTURES = join(__dirname, '..', 'fixtures', 'updates');

describe('real updates pass', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));

  it.each(files)('fixture %s', (file) => {
    const update = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as object;
    expect(updateProblem(update)).toBeUndefined();
  });

  it('every kind the stand-in’s user side produces', async () => {
    // Prepare: a stand-in that keeps the updates instead of delivering them.
    const produced: Update[] = [];
    const standIn = createBotApiStandIn({
      token: TEST_TOKEN,
      botInfo: { id: BOT_ID, is_bot: true, first_name: 'Herald', username: 'HeraldTestBot' },
      deliver: async (u) => {
        produced.push(u);
      },
    });
    await standIn.start();
    try {
      const u = standIn.user({
        id: 9100,
        first_name: 'Ann',
        last_name: 'Lee',
        username: 'ann',
        language_code: 'en',
      });
      const group = standIn.user(
        { id: 9101, first_name: 'Bo' },
        { id: -100123, type: 'supergroup', title: 'G' },
      );
      // Act
      const sent = await u.send('/start a_article-00');
      await u.send('plain text with no command');
      await u.inlineQuery('bikes', '50', 'private');
      await u.chooseInlineResult('article-00', 'bikes');
      await u.block();
      await u.unblock();
      await group.send('/latest@HeraldTestBot');
      const msgId = (sent as { message?: { message_id: number } }).message!.message_id;
      await u.press(msgId, '1:o:article-00');
      await u.reply(msgId, 'a reply');
    } finally {
      await standIn.stop();
    }

    // Assess
    expect(produced.length).toBe(9);
    expect(produced.map((p) => updateProblem(p))).toEqual(produced.map(() => undefined));
  });
});

describe('forged and corrupted updates are named', () => {
  const message = {
    message_id: 1,
    date: 1,
    chat: { id: 5, type: 'private' },
    from: { id: 5, is_bot: false, first_name: 'A' },
    text: '/start',
  };
  const cases: Array<[string, object, RegExp]> = [
    ['no kind at all', { update_id: 1 }, /exactly one kind, this one 0/],
    ['two kinds', { update_id: 1, poll_answer: {}, text: { id: 1 } }, /exactly one kind, this one 2/],
    ['a kind that is not an object', { update_id: 1, poll: 0 }, /poll must be an object/],
    ['an unknown kind named like message content', { update_id: 1, text: { id: 1 } }, /unknown kind text/],
    ['a null kind', { update_id: 1, message: null }, /message must be an object/],
    [
      'a message without chat',
      { update_id: 1, message: { ...message, chat: undefined } },
      /message\.chat must be an object/,
    ],
    [
      'chat id 0',
      { update_id: 1, message: { ...message, chat: { id: 0, type: 'private' } } },
      /message\.chat\.id/,
    ],
    [
      'chat id as a string',
      { update_id: 1, message: { ...message, chat: { id: '5', type: 'private' } } },
      /message\.chat\.id/,
    ],
    [
      'a message without from',
      { update_id: 1, message: { ...message, from: undefined } },
      /message\.from must be an object/,
    ],
    ['a numeric text', { update_id: 1, message: { ...message, text: 5 } }, /message\.text must be a string/],
    [
      'entities not a list',
      { update_id: 1, message: { ...message, entities: {} } },
      /message\.entities must be an array/,
    ],
    [
      'an entity without offset',
      { update_id: 1, message: { ...message, entities: [{ type: 'bot_command', length: 6 }] } },
      /entities\[0\]\.offset/,
    ],
    [
      'a callback without from',
      { update_id: 1, callback_query: { id: 'q', data: '1:n' } },
      /callback_query\.from/,
    ],
    [
      'a keyboard that is not rows of buttons',
      {
        update_id: 1,
        callback_query: {
          id: 'q',
          from: message.from,
          message: { ...message, reply_markup: { inline_keyboard: {} } },
        },
      },
      /inline_keyboard must be an array/,
    ],
    [
      'an inline query without offset',
      { update_id: 1, inline_query: { id: 'q', from: message.from, query: '' } },
      /inline_query\.offset/,
    ],
    [
      'a member update without status',
      {
        update_id: 1,
        my_chat_member: {
          chat: message.chat,
          from: message.from,
          date: 1,
          old_chat_member: {},
          new_chat_member: { status: 'member' },
        },
      },
      /old_chat_member\.status/,
    ],
  ];

  it.each(cases)('%s', (_name, update, problem) => {
    expect(updateProblem(update)).toMatch(problem);
  });
});

describe('in the bot', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it('drops a malformed update with a warning: 200, no Bot API call, no error', async () => {
    // Act
    const res = await rig.post(
      JSON.stringify({
        update_id: 77,
        message: { message_id: 1, date: 1, chat: { id: 0, type: 'private' }, text: '/start' },
      }),
    );

    // Assess
    expect(res.statusCode).toBe(200);
    expect(rig.standIn.calls).toEqual([]);
    expect(rig.logger.errors()).toEqual([]);
    expect(rig.logger.lines.map((l) => [l.message, l.attributes.problem])).toEqual([
      ['malformed update ignored', 'message.chat.id must be a non-zero integer'],
    ]);
  });
});
