/**
 * Issue 13, the reader's language: Telegram's `language_code` (prefix match), `/language` with
 * buttons, a choice that outlives a restart, and alerts written in the subscriber's language.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createHeraldApp } from '../../../functions/app';
import { alertRenderer } from '../../../functions/bot/views';
import { LRI, PDI } from '../../../functions/i18n';
import { forwardWebhookReply, webhookEvent } from '../../../functions/local/runtime';
import { buttonTexts, plain } from '../../helpers/chat';
import {
  type Harness,
  samplePublication,
  seed,
  startHarness,
  TEST_SECRET,
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

let nextId = 21_000;
const reader = (languageCode?: string) => {
  const id = nextId++;
  return h.standIn.user({
    id,
    first_name: 'Reader',
    ...(languageCode ? { language_code: languageCode } : {}),
  });
};
const lastText = (chatId: number) => h.standIn.lastMessage(chatId)?.text ?? '';

describe('the locale', () => {
  it.each([
    ['ur-PK', 'اردو'],
    ['ar', 'العربية'],
    ['ru-RU', 'Русский'],
    ['pt-BR', 'English'],
    [undefined, 'English'],
  ])('comes from Telegram’s language_code %s when the reader never chose (%s)', async (code, name) => {
    // Prepare
    const u = reader(code);

    // Act
    await u.send('/language');

    // Assess: the ticked button is the language the bot speaks to them
    expect(buttonTexts(h.standIn.lastMessage(u.user.id))).toContain(`✓ ${name}`);
  });

  it('greets an Urdu reader in Urdu, right to left', async () => {
    // Prepare
    const u = reader('ur-PK');

    // Act
    await u.send('/start');

    // Assess
    const text = lastText(u.user.id);
    expect(text.startsWith('👋 خوش آمدید')).toBe(true);
    expect(buttonTexts(h.standIn.lastMessage(u.user.id))).toEqual(['📰 تازہ ترین مضامین', '✍️ لکھاری']);
  });
});

describe('/language', () => {
  it('shows the four languages, each in its own script, as buttons', async () => {
    // Prepare
    const u = reader('en');

    // Act
    await u.send('/language');

    // Assess
    const prompt = h.standIn.lastMessage(u.user.id);
    expect(plain(prompt?.text)).toBe('Choose the language I speak:');
    expect(buttonTexts(prompt)).toEqual(['✓ English', 'العربية', 'اردو', 'Русский']);
  });

  it('switches at once, keeps the choice over Telegram’s language, and the choice survives a restart', async () => {
    // Prepare: an English Telegram
    const u = reader('en');
    await u.send('/language');
    const prompt = h.standIn.lastMessage(u.user.id);
    if (!prompt) throw new Error('no prompt');

    // Act
    await u.pressButton(prompt, 'العربية');
    const toast = h.standIn.callbackAnswers.at(-1)?.text;
    const edited = h.standIn.lastMessage(u.user.id);
    await u.send('/latest');
    const latest = lastText(u.user.id);
    // A restart: a new app (a cold Lambda, or `npm start` again) on the same table.
    const restarted = createHeraldApp({
      config: h.config,
      logger: new Logger({ serviceName: 'herald-test', logLevel: 'SILENT' }),
      token: TEST_TOKEN,
      webhookSecret: TEST_SECRET,
      doc: h.db.doc,
    });
    const original = h.onUserUpdate;
    h.onUserUpdate = async (update) => {
      const res = await restarted.handleWebhook(webhookEvent(update, TEST_SECRET));
      await forwardWebhookReply(res, h.config.telegramApiRoot, TEST_TOKEN);
    };
    try {
      await u.send('/help');
    } finally {
      h.onUserUpdate = original;
    }
    const help = lastText(u.user.id);

    // Assess
    expect(plain(toast)).toBe('اللغة: العربية');
    expect(edited?.message_id).toBe(prompt.message_id);
    expect(plain(edited?.text)).toBe('تم: سأحدّثك بالعربية من الآن.');
    expect(buttonTexts(edited)).toEqual(['English', '✓ العربية', 'اردو', 'Русский']);
    expect(latest.startsWith('📰 أحدث المقالات')).toBe(true);
    expect(help).toContain(`${LRI}/latest${PDI} — أحدث المقالات`);
    expect(await h.app.store.sessions.getLanguage(u.user.id)).toBe('ar');
  });

  it('answers a forged language button as out of date, in the reader’s language, and stores nothing', async () => {
    // Prepare
    const u = reader('ru');
    await u.send('/language');
    const prompt = h.standIn.lastMessage(u.user.id);
    if (!prompt) throw new Error('no prompt');

    // Act
    await u.press(prompt, '1:lg:xx');

    // Assess
    expect(plain(h.standIn.callbackAnswers.at(-1)?.text)).toBe(
      'Эта кнопка устарела. Отправьте /latest, чтобы начать заново.',
    );
    expect(await h.app.store.sessions.getLanguage(u.user.id)).toBeUndefined();
  });
});

describe('alerts in the subscriber’s language', () => {
  it('keeps each subscriber’s language on the subscription, follows /language, and the sender draws the alert in it', async () => {
    // Prepare
    const ar = reader('ar');
    const ru = reader('ru');
    const en = reader('en');
    for (const u of [ar, ru, en]) await u.send('/subscribe ivanova');
    const page = async () => h.app.store.subscriptions.subscribersPage('ivanova', undefined, 100);
    const before = await page();

    // Act: the Russian reader switches to Urdu
    await ru.send('/language');
    const prompt = h.standIn.lastMessage(ru.user.id);
    if (!prompt) throw new Error('no prompt');
    await ru.pressButton(prompt, 'اردو');
    const after = await page();
    // Blocking the bot takes the reader out of the index; unblocking puts them back in their language.
    await h.app.store.subscriptions.setUserActive(ar.user.id, false);
    const blocked = await page();
    await h.app.store.subscriptions.setUserActive(ar.user.id, true);
    const unblocked = await page();
    const meta = await h.app.store.articles.getArticle('article-01');
    if (!meta) throw new Error('no article');
    const render = alertRenderer(h.app.i18n);

    // Assess
    expect(before.locales).toEqual({
      [String(ar.user.id)]: 'ar',
      [String(ru.user.id)]: 'ru',
      [String(en.user.id)]: 'en',
    });
    expect(after.userIds.sort()).toEqual(before.userIds.sort());
    expect(after.locales?.[String(ru.user.id)]).toBe('ur');
    expect(blocked.userIds).not.toContain(ar.user.id);
    expect(unblocked.locales?.[String(ar.user.id)]).toBe('ar');
    const urdu = render(meta, after.locales?.[String(ru.user.id)]).text;
    expect(urdu.startsWith('<i>')).toBe(true);
    expect(urdu).toContain('کی نئی تحریر');
  });
});
