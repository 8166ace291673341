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
