/**
 * Real-shaped Telegram Updates (test/fixtures/updates/*.json) posted to the webhook handler as
 * Telegram would post them, with assertions on what the stand-in recorded. The fixtures carry
 * ids the stand-in never issued (like a replay of a production update), so answering their
 * callback or inline query fails with Telegram's 400 "query is too old" — the bot must survive it.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Update } from 'telegraf/types';
import { forwardWebhookReply } from '../../../functions/local/runtime';
import { plain } from '../../helpers/chat';
import { type Harness, samplePublication, seed, startHarness, TEST_TOKEN } from '../../helpers/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  const { authors, articles } = samplePublication(12);
  await seed(h, authors, articles);
});

afterAll(async () => {
  await h?.stop();
});

type Fixture = Update & Record<string, unknown>;

function fixture(name: string): Fixture {
  return JSON.parse(
    readFileSync(join(__dirname, '../../fixtures/updates', `${name}.json`), 'utf8'),
  ) as Fixture;
}

/** Posts a fixture to the webhook with the right secret; returns the HTTP status. */
/** Posts a fixture to the webhook and, as Telegram does, executes a method in its response body. */
async function post(name: string): Promise<number> {
  const res = await h.post(JSON.stringify(fixture(name)));
  await forwardWebhookReply(res, h.standIn.apiRoot, TEST_TOKEN);
  return res.statusCode;
}

const callsSince = (n: number) => h.standIn.calls.slice(n);
const buttonTexts = (chatId: number) =>
  h.standIn
    .lastMessage(chatId)
    ?.reply_markup?.inline_keyboard.flat()
    .map((b) => plain(b.text));

it('private /start greets the user by name', async () => {
  // Prepare
  const chatId = 777001;

  // Act
  const status = await post('private-start');

  // Assess
  expect(status).toBe(200);
  expect(h.standIn.messages(chatId).map((m) => plain(m.text))).toEqual([
    expect.stringMatching(/^👋 Welcome, Maria!/),
  ]);
  expect(buttonTexts(chatId)).toEqual(['📰 Latest articles', '✍️ Authors']);
});

it('/start with a deep-link payload opens the article card for a first-time user', async () => {
  // Prepare
  const chatId = 777002;
  const viewsBefore = (await h.app.store.articles.getArticle('article-01'))?.views;

  // Act
  const status = await post('private-start-deep-link');

  // Assess
  expect(status).toBe(200);
  const card = h.standIn.lastMessage(chatId);
  expect(plain(card?.text).split('\n')[0]).toBe('Город для людей');
  // The fixture's reader has Telegram in Russian: the card is in Russian.
  expect(plain(card?.text)).toContain('Анна Иванова (@ivanova) · 19 нояб. 2026 г.');
  expect((await h.app.store.articles.getArticle('article-01'))?.views).toBe((viewsBefore ?? 0) + 1);
});

it('a callback_query with a query id Telegram no longer knows still opens the card', async () => {
  // Prepare
  const chatId = 777003;
  const before = h.standIn.calls.length;

  // Act
  const status = await post('callback-query-open');

  // Assess
  expect(status).toBe(200);
  const answers = callsSince(before).filter((c) => c.method === 'answerCallbackQuery');
  expect(answers).toHaveLength(1);
  expect(answers[0]).toMatchObject({ ok: false, errorCode: 400 });
  expect(answers[0]?.description).toMatch(/query is too old/);
  expect(plain(h.standIn.lastMessage(chatId)?.text).split('\n')[0]).toBe(
    'Why <br> tags & "quotes" won\'t save the web 🚲',
  );
  expect(buttonTexts(chatId)).toContain('📤 Share with a friend');
});

it('a ▶ press on a message the bot can no longer edit sends the next page as a new message', async () => {
  // Prepare
  const chatId = 777004;

  // Act
  const status = await post('callback-query-next-page');

  // Assess
  expect(status).toBe(200);
  const edits = h.standIn.callsTo('editMessageText').filter((c) => Number(c.params.chat_id) === chatId);
  expect(edits.map((c) => c.description)).toEqual(['Bad Request: message to edit not found']);
  const page = h.standIn.messages(chatId);
  expect(page).toHaveLength(1);
  expect(plain(page[0]?.text)).toMatch(/^📰 Latest articles · page 2\n\n6\. Bikes and cities, part 5/);
});

it('an inline_query is answered with matching cards (Telegram refuses the replayed query id; the bot survives)', async () => {
  // Prepare
  const before = h.standIn.calls.length;

  // Act
  const status = await post('inline-query');

  // Assess
  expect(status).toBe(200);
  const calls = callsSince(before);
  expect(calls.map((c) => c.method)).toEqual(['answerInlineQuery']);
  expect(calls[0]?.description).toMatch(/query is too old/);
  const results = calls[0]?.params.results as Array<{ title: string; type: string }>;
  expect(results.length).toBeGreaterThan(5);
  for (const r of results) {
    expect(r.type).toBe('article');
    expect(r.title).toMatch(/bikes/i);
  }
});

it('a chosen_inline_result for a search result counts one share and sends nothing', async () => {
  // Prepare
  const before = h.standIn.calls.length;
  const sharesBefore = (await h.app.store.articles.getArticle('article-02'))?.shares ?? 0;

  // Act
  const status = await post('chosen-inline-result');

  // Assess
  expect(status).toBe(200);
  expect((await h.app.store.articles.getArticle('article-02'))?.shares).toBe(sharesBefore + 1);
  expect(callsSince(before)).toEqual([]);
});

it('my_chat_member kicked takes the user out of alerts, member puts them back', async () => {
  // Prepare
  const userId = 777006;
  await h.app.store.subscriptions.subscribe(userId, 'jdoe');
  const subscribers = async () =>
    (await h.app.store.subscriptions.subscribersPage('jdoe', undefined, 1000)).userIds;
  const before = h.standIn.calls.length;

  // Act
  const kicked = await post('my-chat-member-kicked');
  const whileBlocked = await subscribers();
  const member = await post('my-chat-member-member');
  const afterUnblock = await subscribers();

  // Assess
  expect([kicked, member]).toEqual([200, 200]);
  expect(whileBlocked).not.toContain(userId);
  expect(afterUnblock).toContain(userId);
  expect(await h.app.store.subscriptions.isSubscribed(userId, 'jdoe')).toBe(true);
  expect(callsSince(before)).toEqual([]);
});

it.each([
  ['photo-message', 777007],
  ['edited-message', 777008],
])('%s is accepted silently', async (name, chatId) => {
  // Prepare
  const before = h.standIn.calls.length;

  // Act
  const status = await post(name);

  // Assess
  expect(status).toBe(200);
  expect(callsSince(before)).toEqual([]);
  expect(h.standIn.messages(chatId)).toEqual([]);
});

it('/latest@HeraldTestBot in a group shows the latest list in the group', async () => {
  // Prepare
  const groupId = -1001234567890;

  // Act
  const status = await post('group-latest-command');

  // Assess
  expect(status).toBe(200);
  const list = h.standIn.lastMessage(groupId);
  expect(plain(list?.text)).toMatch(/^📰 Latest articles\n\n1\. Why <br> tags/);
  expect(buttonTexts(groupId)?.at(-1)).toBe('▶');
});

it.each([
  ['group-command-for-another-bot', -1001234567891],
  ['group-bare-unknown-command', -1001234567892],
])('%s gets no "unknown command" answer in the group', async (name, groupId) => {
  // Prepare
  const before = h.standIn.calls.length;

  // Act
  const status = await post(name);

  // Assess
  expect(status).toBe(200);
  expect(callsSince(before)).toEqual([]);
  expect(h.standIn.messages(groupId)).toEqual([]);
});
