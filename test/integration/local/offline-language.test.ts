/**
 * The offline chat of `npm start -- --lang ur`: a reader whose Telegram speaks Urdu gets Urdu,
 * each right-to-left line wrapped for the terminal; and the command menu `npm start` publishes
 * has one entry per language, as a deploy does.
 */
import { PassThrough, Readable } from 'node:stream';
import { commandMenus } from '../../../functions/i18n';
import { runOfflineChat } from '../../../functions/local/offline-chat';
import { setCommandMenus } from '../../../functions/telegram/register-webhook';
import {
  BOT_USERNAME,
  type Harness,
  samplePublication,
  seed,
  startHarness,
  TEST_TOKEN,
} from '../../helpers/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  const { authors, articles } = samplePublication(6);
  await seed(h, authors, articles);
});

afterAll(async () => {
  await h?.stop();
});

it('answers a reader with language_code ur in Urdu, each right-to-left line isolated for the terminal', async () => {
  // Prepare
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => {
    printed += chunk.toString('utf8');
  });

  // Act
  await runOfflineChat({
    standIn: h.standIn,
    user: h.standIn.user({ id: 30_001, first_name: 'Alex', language_code: 'ur' }),
    botUsername: BOT_USERNAME,
    input: Readable.from(['/start\n/latest\n']),
    output,
    echo: false,
  });

  // Assess
  const lines = printed.split('\n');
  expect(lines).toContain('\u2067👋 خوش آمدید، \u2068Alex\u2069!\u2069');
  // A list line opens with the isolated number: the translator's RLM makes it right to left, and
  // the terminal line is wrapped as one.
  expect(lines.some((l) => l.startsWith('\u2067\u200F\u20681\u2069. \u2068Why <br>'))).toBe(true);
});

it('publishes one command menu per language, as `npm start` and a deploy do', async () => {
  // Act
  await setCommandMenus({ apiRoot: h.config.telegramApiRoot, token: TEST_TOKEN }, commandMenus(h.app.i18n));

  // Assess
  const menu = async (language_code?: string) => {
    const res = await fetch(`${h.config.telegramApiRoot}/bot${TEST_TOKEN}/getMyCommands`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(language_code ? { language_code } : {}),
    });
    const body = (await res.json()) as { result: { command: string; description: string }[] };
    return Object.fromEntries(body.result.map((c) => [c.command, c.description]));
  };
  expect((await menu()).language).toBe('Choose the language I speak');
  expect((await menu('ar')).latest).toBe('أحدث المقالات، الأحدث أولًا');
  expect(Object.keys(await menu('ur'))).toHaveLength(13);
  expect(Object.keys(await menu('ru'))).toHaveLength(13);
});
