/**
 * `/settings`, section "topics per author" (Bot API 9.3 topics in private chats), through the
 * webhook handler and the stand-in: the reader turns it on and off with its buttons (the choice
 * is the profile attribute the sender reads), and a reader for whom Telegram refused topics is
 * told so in their language and can try again.
 */
import { ReaderTopicRepository } from '../../../functions/store/reader-topic-repository';
import { buttonTexts, chatHelpers, plain } from '../../helpers/chat';
import { type Harness, startHarness } from '../../helpers/harness';

let h: Harness;
let topics: ReaderTopicRepository;

beforeAll(async () => {
  h = await startHarness();
  topics = new ReaderTopicRepository(h.app.doc, h.config.tableName);
});

afterAll(async () => {
  await h?.stop();
});

const { freshUser, last } = chatHelpers(() => h, 9700);

it('turns topics per author on and off with its buttons, saying what they do', async () => {
  // Prepare
  const ann = freshUser();
  await ann.send('/settings');
  const screen = last(ann.user.id);
  const before = plain(screen.text);

  // Act
  await ann.pressButton(screen, '🗂 A topic per author');
  const on = plain(screen.text);
  const onButtons = buttonTexts(screen);
  const stored = await topics.choice(ann.user.id, true);
  await ann.pressButton(screen, '💬 Everything here');

  // Assess
  expect(before).toContain(
    'Topics per author: off — each author you follow gets a topic of their own in this chat, with their alerts and digests.',
  );
  expect(on).toContain('Topics per author: on —');
  expect(onButtons).toEqual(expect.arrayContaining(['✓ 🗂 A topic per author', '💬 Everything here']));
  expect(stored).toBe('on');
  expect(await topics.choice(ann.user.id, true)).toBe('off');
  expect(plain(screen.text)).toContain('Topics per author: off —');
  expect(h.standIn.messages(ann.user.id)).toHaveLength(1);
});

it('tells a reader for whom Telegram refused topics, in their language, and lets them try again', async () => {
  // Prepare: topics on, then refused by Telegram (the sender's answer to "the chat is not a forum")
  const ru = h.standIn.user({ id: 9790, first_name: 'Иван', language_code: 'ru' });
  await topics.choose(9790, true);
  await topics.refuse(9790);

  // Act
  await ru.send('/settings');
  const screen = last(9790);
  const refused = plain(screen.text);
  await ru.pressButton(screen, '🗂 Тема для каждого автора');

  // Assess
  expect(refused).toContain('Темы по авторам: выключены — Telegram не дал мне открыть темы в этом чате');
  expect(await topics.choice(9790, true)).toBe('on');
  expect(plain(screen.text)).toContain('Темы по авторам: включены');
});
