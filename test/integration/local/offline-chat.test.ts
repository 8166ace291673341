import { PassThrough, Readable } from 'node:stream';
import type { Update } from 'telegraf/types';
import { runOfflineChat } from '../../../functions/local/offline-chat';
import { type BotApiStandIn, createBotApiStandIn } from '../../../functions/local/telegram-stand-in';
import { BOT, TOKEN } from './support';

let standIn: BotApiStandIn | undefined;

afterEach(async () => {
  await standIn?.stop();
});

/** A bot that answers every message with a rich message through the stand-in's HTTP API. */
async function richBot(richMessage: Record<string, unknown>): Promise<BotApiStandIn> {
  let apiRoot = '';
  const bot = createBotApiStandIn({
    token: TOKEN,
    botInfo: BOT,
    deliver: async (update: Update) => {
      if (!('message' in update)) return;
      await fetch(`${apiRoot}/bot${TOKEN}/sendRichMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chat_id: update.message.chat.id, rich_message: richMessage }),
      });
    },
  });
  apiRoot = await bot.start();
  return bot;
}

it('prints a rich message readably: heading, quote bar, bullets, link URL, image placeholder, RTL isolates', async () => {
  // Prepare
  standIn = await richBot({
    markdown:
      '## The article\n\n> A quote\n\n- first point\n\nSee [the source](https://example.org/s).\n\n' +
      '![](https://example.org/c.jpg "The cover")\n\nمرحبا بالعالم',
  });
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => {
    printed += chunk.toString('utf8');
  });

  // Act
  await runOfflineChat({
    standIn,
    user: standIn.user({ id: 4242, first_name: 'Alex' }),
    botUsername: BOT.username,
    input: Readable.from(['read\n']),
    output,
    echo: false,
  });

  // Assess
  expect(printed).toContain(
    [
      '🤖 Herald:',
      '## The article',
      '',
      '│ A quote',
      '',
      '• first point',
      '',
      'See the source (https://example.org/s).',
      '',
      '[image: The cover]',
      '',
      '\u2067مرحبا بالعالم\u2069',
    ].join('\n'),
  );
});

/**
 * A small bot on the stand-in's HTTP API: "/start …" answers with one button (and echoes the
 * payload); a press answers with a toast only; an inline query answers with a card whose button
 * is a deep link into the bot.
 */
async function toastBot(): Promise<BotApiStandIn> {
  let apiRoot = '';
  const call = (method: string, params: Record<string, unknown>) =>
    fetch(`${apiRoot}/bot${TOKEN}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
  const bot = createBotApiStandIn({
    token: TOKEN,
    botInfo: BOT,
    deliver: async (update: Update) => {
      if ('message' in update && 'text' in update.message) {
        await call('sendMessage', {
          chat_id: update.message.chat.id,
          text: `hello ${update.message.from.first_name}: ${update.message.text}`,
          reply_markup: { inline_keyboard: [[{ text: 'Toast me', callback_data: 't' }]] },
        });
      } else if ('callback_query' in update) {
        await call('answerCallbackQuery', { callback_query_id: update.callback_query.id, text: 'toasted' });
      } else if ('inline_query' in update) {
        await call('answerInlineQuery', {
          inline_query_id: update.inline_query.id,
          results: [
            {
              type: 'article',
              id: 'card-1',
              title: 'A card',
              input_message_content: { message_text: 'The card' },
              reply_markup: {
                inline_keyboard: [[{ text: 'Open in bot', url: `https://t.me/${BOT.username}?start=s_abc` }]],
              },
            },
          ],
        });
      }
    },
  });
  apiRoot = await bot.start();
  return bot;
}

it('keeps buttons working after a toast, shows an inline card’s buttons, and switches readers with /as', async () => {
  // Prepare
  standIn = await toastBot();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => {
    printed += chunk.toString('utf8');
  });
  const users = standIn;

  // Act: press twice (the second press used to say "There is no button 1"), share a card, then
  // open its link as another reader.
  await runOfflineChat({
    standIn,
    user: standIn.user({ id: 4242, first_name: 'Alex' }),
    userNamed: (name, id) => users.user({ id, first_name: name }),
    botUsername: BOT.username,
    input: Readable.from(['hi\n', '1\n', '1\n', '@cards\n', '1\n', '/as Bea\n', '1\n', '5\n']),
    output,
    echo: false,
  });

  // Assess
  expect(printed).toContain('You are Alex (user id 4242: put it in ADMIN_IDS for the admin commands)');
  expect(printed.match(/💬 toasted/g)).toHaveLength(2);
  expect(printed).toContain('📨 Sent to your friend’s chat:\nThe card\n   [1] Open in bot');
  expect(printed).toContain('You are now Bea (user id 4243), in your own chat.');
  expect(printed).toContain('hello Bea: /start s_abc');
  expect(standIn.messages(4243).map((m) => m.text)).toEqual(['hello Bea: /start s_abc']);
  expect(printed).toContain('There is no button 5. The only one is 1.');
  expect(printed).not.toContain('Pick 1–1.');
});
