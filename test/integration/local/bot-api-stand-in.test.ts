import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Markup, Telegram, TelegramError } from 'telegraf';
import type { Update } from 'telegraf/types';
import {
  type BotApiStandIn,
  type BotInfo,
  createBotApiStandIn,
  faults,
  type SimUser,
} from '../../../functions/local/telegram-stand-in';

const TOKEN = '123456789:FAKE-test-token-for-the-stand-in';
const BOT: BotInfo = { id: 123456789, is_bot: true, first_name: 'Herald', username: 'herald_test_bot' };
const ANN: SimUser = { id: 1001, first_name: 'Ann', username: 'ann', language_code: 'en' };

interface ApiReply {
  status: number;
  body: { ok: boolean; result?: unknown; error_code?: number; description?: string; parameters?: unknown };
}

let standIn: BotApiStandIn;
let apiRoot: string;
let telegram: Telegram;
let clock: number;

beforeEach(async () => {
  clock = Date.UTC(2026, 10, 25, 12, 0, 0);
  standIn = createBotApiStandIn({ token: TOKEN, botInfo: BOT, now: () => clock });
  apiRoot = await standIn.start();
  telegram = new Telegram(TOKEN, { apiRoot });
});

afterEach(async () => {
  await standIn?.stop();
});

/** A raw Bot API call over HTTP with fetch, JSON body. */
async function callApi(
  method: string,
  params: Record<string, unknown> = {},
  token = TOKEN,
): Promise<ApiReply> {
  const response = await fetch(`${apiRoot}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: (await response.json()) as ApiReply['body'] };
}

/** The TelegramError a telegraf call rejects with (fails the test if it resolves). */
async function telegramError(promise: Promise<unknown>): Promise<TelegramError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TelegramError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** A tiny webhook receiver on 127.0.0.1 that records what it receives. */
async function startReceiver(answer: (body: string) => { status: number; body?: string }): Promise<{
  url: string;
  received: { headers: IncomingHttpHeaders; body: string }[];
  close: () => Promise<void>;
}> {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, body });
      const reply = answer(body);
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}/telegram/webhook`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('envelopes and routing', () => {
  it("answers Telegram's envelopes for a good call, a wrong token and an unknown method", async () => {
    // Act
    const me = await callApi('getMe');
    const wrongToken = await callApi('getMe', {}, '999:wrong');
    const unknown = await callApi('sendTelepathy');

    // Assess
    expect(me).toEqual({ status: 200, body: { ok: true, result: BOT } });
    expect(wrongToken).toEqual({
      status: 401,
      body: { ok: false, error_code: 401, description: 'Unauthorized' },
    });
    expect(unknown).toEqual({
      status: 404,
      body: { ok: false, error_code: 404, description: 'Not Found: method not found' },
    });
    expect(standIn.calls.map((call) => [call.method, call.ok])).toEqual([
      ['getMe', true],
      ['getMe', false],
      ['sendTelepathy', false],
    ]);
  });

  it('accepts query strings and urlencoded forms with reply_markup as a JSON string', async () => {
    // Prepare
    const markup = JSON.stringify({ inline_keyboard: [[{ text: 'Open', callback_data: 'open:1' }]] });

    // Act
    const viaQuery = await fetch(`${apiRoot}/bot${TOKEN}/SENDMESSAGE?chat_id=${ANN.id}&text=hello`);
    const viaForm = await fetch(`${apiRoot}/bot${TOKEN}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        chat_id: String(ANN.id),
        text: 'with buttons',
        reply_markup: markup,
      }).toString(),
    });

    // Assess
    expect(viaQuery.status).toBe(200);
    expect(viaForm.status).toBe(200);
    expect(standIn.messages(ANN.id).map((message) => message.text)).toEqual(['hello', 'with buttons']);
    expect(standIn.lastMessage(ANN.id)?.reply_markup).toEqual({
      inline_keyboard: [[{ text: 'Open', callback_data: 'open:1' }]],
    });
    expect(standIn.callsTo('sendMessage')[1]?.params.reply_markup).toEqual(JSON.parse(markup));
  });
});

describe('sendMessage through telegraf', () => {
  it('stores the message with its HTML source, its plain text and its entities', async () => {
    // Act
    const sent = await telegram.sendMessage(ANN.id, '<b>New</b> article &amp; more', { parse_mode: 'HTML' });

    // Assess
    expect(sent).toMatchObject({
      message_id: 1,
      from: { id: BOT.id, is_bot: true, username: BOT.username },
      chat: { id: ANN.id, type: 'private' },
      text: 'New article & more',
      entities: [{ type: 'bold', offset: 0, length: 3 }],
    });
    expect(standIn.lastMessage(ANN.id)).toMatchObject({
      message_id: 1,
      sentText: '<b>New</b> article &amp; more',
      text: 'New article & more',
      parseMode: 'HTML',
    });
  });

  it('rejects invalid HTML with the reason Telegram gives', async () => {
    // Act
    const error = await telegramError(
      telegram.sendMessage(ANN.id, 'Tips & <tricks>', { parse_mode: 'HTML' }),
    );

    // Assess
    expect(error.code).toBe(400);
    expect(error.description).toBe(
      "Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 5",
    );
    expect(standIn.messages(ANN.id)).toEqual([]);
  });

  it('allows 4096 UTF-16 code units after entity parsing and rejects one more', async () => {
    // Prepare: the tags do not count, the astral emoji counts twice.
    const longest = `<b>${'a'.repeat(4094)}</b>😀`;
    const tooLong = '😀'.repeat(2049);

    // Act
    const accepted = await telegram.sendMessage(ANN.id, longest, { parse_mode: 'HTML' });
    const error = await telegramError(telegram.sendMessage(ANN.id, tooLong));
    const empty = await telegramError(telegram.sendMessage(ANN.id, ' \n '));

    // Assess
    expect(accepted.text).toHaveLength(4096);
    expect(error.description).toBe('Bad Request: message is too long');
    expect(empty.description).toBe('Bad Request: message text is empty');
  });

  it('checks inline keyboards: callback data up to 64 bytes, http(s)/tg URLs, one action per button', async () => {
    // Prepare: "é" is two bytes, so 32 of them are exactly 64 bytes.
    const fits = Markup.inlineKeyboard([Markup.button.callback('Fits', 'é'.repeat(32))]);
    const tooLong = Markup.inlineKeyboard([Markup.button.callback('Too long', `${'é'.repeat(32)}x`)]);
    const badUrl = { inline_keyboard: [[{ text: 'Bad', url: 'ftp://example.com/file' }]] };
    const noAction = { inline_keyboard: [[{ text: 'Nothing' }]] };

    // Act
    const accepted = await telegram.sendMessage(ANN.id, 'fits', fits);
    const dataError = await telegramError(telegram.sendMessage(ANN.id, 'too long', tooLong));
    const urlError = await telegramError(telegram.sendMessage(ANN.id, 'bad url', { reply_markup: badUrl }));
    const actionError = await callApi('sendMessage', { chat_id: ANN.id, text: 'x', reply_markup: noAction });

    // Assess
    // telegraf's internal `hide` flag is not part of the stored markup, as on Telegram.
    expect(accepted.reply_markup).toEqual({
      inline_keyboard: [[{ text: 'Fits', callback_data: 'é'.repeat(32) }]],
    });
    expect(dataError.description).toBe('Bad Request: BUTTON_DATA_INVALID');
    expect(urlError.description).toBe(
      "Bad Request: inline keyboard button URL 'ftp://example.com/file' is invalid: Wrong HTTP URL",
    );
    expect(actionError.body.description).toBe(
      "Bad Request: can't parse InlineKeyboardButton: Text buttons are not allowed in the inline keyboard",
    );
  });
});

describe('setMyCommands', () => {
  it('keeps one menu per language_code beside the default, and refuses what Telegram refuses', async () => {
    // Prepare
    const en = [{ command: 'latest', description: 'Latest articles' }];
    const ar = [{ command: 'latest', description: 'أحدث المقالات' }];

    // Act
    const setDefault = await callApi('setMyCommands', { commands: en });
    const setArabic = await callApi('setMyCommands', { commands: ar, language_code: 'ar' });
    const region = await callApi('setMyCommands', { commands: ar, language_code: 'ur-PK' });
    const longText = await callApi('setMyCommands', {
      commands: [{ command: 'latest', description: 'x'.repeat(257) }],
      language_code: 'ru',
    });
    const badName = await callApi('setMyCommands', { commands: [{ command: 'Latest', description: 'x' }] });

    // Assess
    expect([setDefault.body.ok, setArabic.body.ok]).toEqual([true, true]);
    expect((await callApi('getMyCommands')).body.result).toEqual(en);
    expect((await callApi('getMyCommands', { language_code: 'ar' })).body.result).toEqual(ar);
    expect((await callApi('getMyCommands', { language_code: 'ru' })).body.result).toEqual([]);
    expect(region.body).toMatchObject({
      ok: false,
      error_code: 400,
      description: 'Bad Request: invalid language code specified',
    });
    expect(longText.body.description).toBe('Bad Request: BOT_COMMAND_DESCRIPTION_INVALID');
    expect(badName.body.description).toBe('Bad Request: BOT_COMMAND_INVALID');
  });
});

describe('edits and deletions', () => {
  it('edits text and keyboard, refuses identical edits and missing messages', async () => {
    // Prepare
    const keyboard = Markup.inlineKeyboard([Markup.button.callback('Like', 'like:1')]);
    const sent = await telegram.sendMessage(ANN.id, 'draft', keyboard);
    clock += 5_000;

    // Act
    const edited = await telegram.editMessageText(ANN.id, sent.message_id, undefined, '<i>final</i>', {
      parse_mode: 'HTML',
      ...keyboard,
    });
    const same = await telegramError(
      telegram.editMessageText(ANN.id, sent.message_id, undefined, '<i>final</i>', {
        parse_mode: 'HTML',
        ...keyboard,
      }),
    );
    const missing = await telegramError(telegram.editMessageText(ANN.id, 999, undefined, 'x'));
    const keyboardRemoved = await telegram.editMessageReplyMarkup(
      ANN.id,
      sent.message_id,
      undefined,
      undefined,
    );

    // Assess
    expect(edited).toMatchObject({ text: 'final', edit_date: Math.floor(clock / 1000) });
    expect(same.description).toBe(
      'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );
    expect(missing.description).toBe('Bad Request: message to edit not found');
    expect(keyboardRemoved).toMatchObject({ message_id: sent.message_id });
    expect(standIn.lastMessage(ANN.id)).toMatchObject({ text: 'final', sentText: '<i>final</i>' });
    expect(standIn.lastMessage(ANN.id)?.reply_markup).toBeUndefined();
  });

  it('deletes a message once', async () => {
    // Prepare
    const sent = await telegram.sendMessage(ANN.id, 'bye');

    // Act
    const deleted = await telegram.deleteMessage(ANN.id, sent.message_id);
    const again = await telegramError(telegram.deleteMessage(ANN.id, sent.message_id));

    // Assess
    expect(deleted).toBe(true);
    expect(again.description).toBe('Bad Request: message to delete not found');
    expect(standIn.messages(ANN.id)).toEqual([]);
  });
});

describe('faults', () => {
  it('answers an injected 429 that telegraf exposes with retry_after, then recovers', async () => {
    // Prepare
    const fault = standIn.injectFault(faults.tooManyRequests(7, { method: 'sendMessage' }));

    // Act
    const error = await telegramError(telegram.sendMessage(ANN.id, 'first try'));
    const retried = await telegram.sendMessage(ANN.id, 'second try');

    // Assess
    expect(error.code).toBe(429);
    expect(error.response.parameters?.retry_after).toBe(7);
    expect(error.description).toBe('Too Many Requests: retry after 7');
    expect(retried.text).toBe('second try');
    expect(fault.hits).toBe(1);
    expect(standIn.callsTo('sendMessage').map((call) => call.errorCode ?? 'ok')).toEqual([429, 'ok']);
  });

  it('matches faults by chat, repeats them, and delays slow answers', async () => {
    // Prepare
    standIn.injectFault({ chatId: 2002, errorCode: 400, times: Number.POSITIVE_INFINITY });
    standIn.injectFault(faults.slow(150, { method: 'getMe' }));

    // Act
    const other = await telegram.sendMessage(ANN.id, 'unaffected');
    const first = await telegramError(telegram.sendMessage(2002, 'a'));
    const second = await telegramError(telegram.sendMessage(2002, 'b'));
    const started = Date.now();
    await telegram.getMe();
    const elapsed = Date.now() - started;

    // Assess
    expect(other.text).toBe('unaffected');
    expect([first.description, second.description]).toEqual([
      'Bad Request: chat not found',
      'Bad Request: chat not found',
    ]);
    expect(elapsed).toBeGreaterThanOrEqual(140);
  });
});

describe('user side', () => {
  it('blocking the bot sends my_chat_member and makes sends to that chat answer 403 until unblocked', async () => {
    // Prepare
    const delivered: Update[] = [];
    await standIn.stop();
    standIn = createBotApiStandIn({
      token: TOKEN,
      botInfo: BOT,
      deliver: async (update) => {
        delivered.push(update);
      },
    });
    telegram = new Telegram(TOKEN, { apiRoot: await standIn.start() });
    const ann = standIn.user(ANN);

    // Act
    await ann.block();
    const blocked = await telegramError(telegram.sendMessage(ANN.id, 'are you there?'));
    await ann.unblock();
    const after = await telegram.sendMessage(ANN.id, 'welcome back');

    // Assess
    expect(blocked.code).toBe(403);
    expect(blocked.description).toBe('Forbidden: bot was blocked by the user');
    expect(after.text).toBe('welcome back');
    expect(delivered).toHaveLength(2);
    expect(delivered[0]).toMatchObject({
      my_chat_member: {
        chat: { id: ANN.id, type: 'private' },
        from: { id: ANN.id, is_bot: false },
        old_chat_member: { status: 'member', user: { id: BOT.id } },
        new_chat_member: { status: 'kicked', user: { id: BOT.id } },
      },
    });
    expect(delivered[1]).toMatchObject({ my_chat_member: { new_chat_member: { status: 'member' } } });
    expect(delivered[1]!.update_id).toBe(delivered[0]!.update_id + 1);
  });

  it('presses a callback button and lets the bot answer the query once, within 15 minutes', async () => {
    // Prepare
    const ann = standIn.user(ANN);
    const sent = await telegram.sendMessage(
      ANN.id,
      'Follow?',
      Markup.inlineKeyboard([
        Markup.button.callback('Yes', 'follow:7'),
        Markup.button.url('Site', 'https://x.org'),
      ]),
    );

    // Act
    const press = await ann.pressButton(sent.message_id, 'Yes');
    const queryId = 'callback_query' in press ? press.callback_query.id : '';
    const answered = await telegram.answerCbQuery(queryId, 'Followed');
    const twice = await telegramError(telegram.answerCbQuery(queryId));
    const late = await ann.press(sent.message_id, 'follow:7');
    clock += 15 * 60 * 1000 + 1;
    const expired = await telegramError(
      telegram.answerCbQuery('callback_query' in late ? late.callback_query.id : ''),
    );

    // Assess
    expect(press).toMatchObject({
      callback_query: { data: 'follow:7', from: { id: ANN.id }, message: { message_id: sent.message_id } },
    });
    expect(answered).toBe(true);
    expect(standIn.callbackAnswer(queryId)).toMatchObject({ text: 'Followed', data: 'follow:7' });
    expect(twice.description).toBe(
      'Bad Request: query is too old and response timeout expired or query ID is invalid',
    );
    expect(expired.description).toBe(twice.description);
    expect(() => ann.pressButton(sent.message_id, 'Site')).toThrow(/not a callback button/);
  });

  it('stores inline answers, rejects duplicate result ids, and lets the user pick a result', async () => {
    // Prepare
    const ann = standIn.user(ANN);
    const article = (id: string, text: string) => ({
      type: 'article' as const,
      id,
      title: `Article ${id}`,
      input_message_content: { message_text: text, parse_mode: 'HTML' as const },
      ...Markup.inlineKeyboard([Markup.button.callback('Read', `read:${id}`)]),
    });
    const first = await ann.inlineQuery('ai');
    const firstId = 'inline_query' in first ? first.inline_query.id : '';
    const second = await ann.inlineQuery('ai');
    const secondId = 'inline_query' in second ? second.inline_query.id : '';

    // Act
    const duplicate = await telegramError(
      telegram.answerInlineQuery(firstId, [article('a1', 'one'), article('a1', 'two')]),
    );
    const badHtml = await telegramError(telegram.answerInlineQuery(firstId, [article('a2', '<x>')]));
    const answered = await telegram.answerInlineQuery(secondId, [article('a1', '<b>One</b>')], {
      next_offset: '10',
    });
    const chosen = await ann.chooseInlineResult('a1', 'ai');
    const inlineId =
      'chosen_inline_result' in chosen ? chosen.chosen_inline_result.inline_message_id : undefined;
    const edited = await telegram.editMessageText(undefined, undefined, inlineId, 'One, updated');

    // Assess
    expect(duplicate.description).toBe('Bad Request: RESULT_ID_DUPLICATE');
    expect(badHtml.description).toBe(
      'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 0',
    );
    expect(answered).toBe(true);
    expect(standIn.lastInlineAnswer()).toMatchObject({
      inline_query_id: secondId,
      query: 'ai',
      next_offset: '10',
    });
    expect(standIn.inlineAnswer(secondId)?.results.map((result) => result.id)).toEqual(['a1']);
    expect(inlineId).toEqual(expect.any(String));
    expect(edited).toBe(true);
  });
});

describe('getUpdates and webhooks', () => {
  it('holds a long poll and answers it as soon as the user writes', async () => {
    // Prepare
    const ann = standIn.user(ANN);
    const poll = telegram.getUpdates(5, 100, 0, undefined);

    // Act
    await standIn.waitForCalls('getUpdates', 1, 2000, true);
    const started = Date.now();
    await ann.send('/start@herald_test_bot');
    const updates = await poll;
    const elapsed = Date.now() - started;
    const confirmed = await telegram.getUpdates(0, 100, (updates[0]?.update_id ?? 0) + 1, undefined);

    // Assess
    expect(elapsed).toBeLessThan(1000);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      message: {
        text: '/start@herald_test_bot',
        entities: [{ type: 'bot_command', offset: 0, length: 22 }],
        from: { id: ANN.id, first_name: 'Ann', is_bot: false },
        chat: { id: ANN.id, type: 'private' },
      },
    });
    expect(confirmed).toEqual([]);
  });

  it('posts updates to the webhook with the secret header and refuses getUpdates meanwhile', async () => {
    // Prepare
    const receiver = await startReceiver(() => ({ status: 200 }));
    const ann = standIn.user(ANN);
    try {
      await telegram.setWebhook(receiver.url, { secret_token: 'S3cret_token-1' });

      // Act
      const update = await ann.send('hello bot');
      const conflict = await telegramError(telegram.getUpdates(0, 100, 0, undefined));
      const info = await telegram.getWebhookInfo();

      // Assess
      expect(receiver.received).toHaveLength(1);
      expect(receiver.received[0]?.headers['x-telegram-bot-api-secret-token']).toBe('S3cret_token-1');
      expect(JSON.parse(receiver.received[0]?.body ?? '{}')).toEqual(update);
      expect(standIn.lastDelivery).toMatchObject({ via: 'webhook', ok: true, status: 200 });
      expect(conflict.code).toBe(409);
      expect(conflict.description).toBe(
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
      expect(info).toMatchObject({
        url: receiver.url,
        has_custom_certificate: false,
        pending_update_count: 0,
      });
    } finally {
      await receiver.close();
    }
  });

  it('keeps an update pending when the webhook fails, and runs a method the webhook answers with', async () => {
    // Prepare
    let healthy = false;
    const receiver = await startReceiver(() =>
      healthy
        ? {
            status: 200,
            body: JSON.stringify({ method: 'sendMessage', chat_id: ANN.id, text: 'reply in response' }),
          }
        : { status: 500 },
    );
    const ann = standIn.user(ANN);
    try {
      await telegram.setWebhook(receiver.url);

      // Act
      await ann.send('first');
      const failing = await telegram.getWebhookInfo();
      healthy = true;
      await ann.send('second');

      // Assess
      expect(failing).toMatchObject({
        pending_update_count: 1,
        last_error_message: 'Wrong response from the webhook: 500 Internal Server Error',
      });
      // The failed update is redelivered before the new one.
      expect(
        receiver.received.map((r) => (JSON.parse(r.body) as { message: { text: string } }).message.text),
      ).toEqual(['first', 'first', 'second']);
      expect(standIn.messages(ANN.id).map((message) => message.text)).toEqual([
        'reply in response',
        'reply in response',
      ]);
      expect((await telegram.getWebhookInfo()).pending_update_count).toBe(0);
    } finally {
      await receiver.close();
    }
  });

  it('rejects secret tokens with characters Telegram does not allow', async () => {
    // Act
    const error = await telegramError(
      telegram.setWebhook('http://127.0.0.1:9/hook', { secret_token: 'no spaces!' }),
    );

    // Assess
    expect(error.description).toBe('Bad Request: secret token contains unallowed characters');
  });
});

describe('lifecycle', () => {
  it('resets its records and stops idempotently', async () => {
    // Prepare
    await telegram.sendMessage(ANN.id, 'x');
    standIn.injectFault(faults.serverError());

    // Act
    standIn.reset();
    const afterReset = await telegram.getMe();
    await standIn.stop();
    await standIn.stop();

    // Assess
    expect(afterReset.id).toBe(BOT.id);
    expect(standIn.calls.map((call) => call.method)).toEqual(['getMe']);
    expect(standIn.messages(ANN.id)).toEqual([]);
  });
});
