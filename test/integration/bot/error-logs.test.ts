/**
 * Issue 17, item 1: a failed Bot API call is logged by its code and description, never with the
 * message it carried. Each kind of call the bot makes over HTTP with a reader's texts
 * (sendMessage, editMessageText, answerInlineQuery) is made to fail in the stand-in, and the JSON
 * log lines the app's real logger writes are searched for the texts that were sent: other
 * readers' comments and names, titles, authors. (answerCallbackQuery rides in the webhook's
 * response, bot/webhook-reply.ts: the bot never sees its failure, so it cannot log it.)
 */
import { createLogger } from '../../../functions/logger';
import { buttonTexts, chatHelpers } from '../../helpers/chat';
import { type Harness, samplePublication, seed, startHarness } from '../../helpers/harness';

/** Texts that a failed call carried; none may appear in a log line. */
const COMMENTER = 'Zainab Qureshi';
const COMMENT = 'PRIVATE-WORDS about the tram stop';
const SENT_TEXTS = [
  COMMENTER,
  COMMENT,
  'Bikes and cities, part',
  'Город для людей',
  'Dr. Jane Doe',
  'Анна Иванова',
];

let h: Harness;
let lines: string[] = [];
const capture = (chunk: string | Uint8Array): boolean => {
  lines.push(String(chunk));
  return true;
};

beforeAll(async () => {
  h = await startHarness({ logger: createLogger({ logLevel: 'DEBUG' }) });
  const { authors, articles } = samplePublication(8);
  await seed(h, authors, articles);
  await h.app.store.comments.addComment({
    articleId: 'article-02',
    commentId: '0ab3xyz1000',
    userId: 44_001,
    userName: COMMENTER,
    text: COMMENT,
    createdAt: '2026-11-21T10:00:00Z',
  });
});

afterAll(async () => {
  await h?.stop();
});

beforeEach(() => {
  lines = [];
  jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  jest.spyOn(process.stderr, 'write').mockImplementation(capture);
});

afterEach(() => {
  jest.restoreAllMocks();
  h.standIn.clearFaults();
});

const { freshUser, last } = chatHelpers(() => h, 44_100);

/** The log lines written since the test began that name the injected description. */
const failureLines = (description: string) => lines.filter((l) => l.includes(description));

function expectNoSentText(): void {
  const output = lines.join('');
  for (const text of SENT_TEXTS)
    expect({ text, logged: output.includes(text) }).toEqual({ text, logged: false });
  expect(output).not.toContain('inline_keyboard');
  expect(output).not.toContain('"payload"');
}

it('sendMessage: a /latest reply rejected as too long is logged without its titles', async () => {
  // Prepare
  const u = freshUser('Rita');
  const description = 'Bad Request: message is too long';
  const fault = h.standIn.injectFault({
    method: 'sendMessage',
    chatId: u.user.id,
    errorCode: 400,
    description,
  });

  // Act
  await u.send('/latest');

  // Assess
  expect(fault.hits).toBe(1);
  expect(failureLines(description).length).toBeGreaterThan(0);
  expectNoSentText();
});

it('editMessageText: a comments page with another reader’s comment and name is logged without them', async () => {
  // Prepare: the card of article-02, whose 💬 button edits it into the comments page.
  const u = freshUser('Rita');
  await u.send('/start a_article-02');
  const card = last(u.user.id);
  const description = "Bad Request: can't parse entities: Unsupported start tag";
  const edit = h.standIn.injectFault({
    method: 'editMessageText',
    chatId: u.user.id,
    errorCode: 400,
    description,
  });
  const send = h.standIn.injectFault({
    method: 'sendMessage',
    chatId: u.user.id,
    errorCode: 400,
    description,
  });

  // Act
  await u.pressButton(card, buttonTexts(card).find((t) => t.startsWith('💬')) ?? '💬');

  // Assess
  expect(edit.hits + send.hits).toBeGreaterThan(0);
  expect(failureLines(description).length).toBeGreaterThan(0);
  expectNoSentText();
});

it('answerInlineQuery: inline results with titles and authors are logged without them', async () => {
  // Prepare
  const u = freshUser('Rita');
  const description = 'Bad Request: RESULT_ID_DUPLICATE';
  const fault = h.standIn.injectFault({ method: 'answerInlineQuery', errorCode: 400, description });

  // Act
  await u.inlineQuery('bikes');

  // Assess
  expect(fault.hits).toBe(1);
  expect(failureLines(description).length).toBeGreaterThan(0);
  expectNoSentText();
});
