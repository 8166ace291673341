/**
 * Issue 13: no hard-coded English left in the bot's replies. The bot runs on a pseudo-locale (the
 * English catalogue with every letter replaced by a lookalike, functions/i18n/pseudo.ts) over a
 * publication written in Cyrillic, and a reader goes through every reader feature. Any run of
 * plain English letters in what the bot sends — message texts, button labels, toasts, the reply
 * placeholder, inline results — did not come from the catalogue.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createI18n, findUntranslatedWords, pseudoLocalize } from '../../../functions/i18n';
import type { RecordedCall } from '../../../functions/local/telegram-stand-in';
import { type Harness, seed, startHarness } from '../../helpers/harness';

const EN = readFileSync(path.join(__dirname, '../../../functions/i18n/locales/en.ftl'), 'utf8');
/**
 * Not catalogue text: dates formatted by Intl for English (en-GB) show month names, and the
 * /language buttons name each language in itself ("English"), never translated (docs/i18n.md).
 */
const ALLOWED = [
  'UTC',
  'Herald',
  'English',
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ i18n: createI18n({ readSource: () => EN, transformText: pseudoLocalize }) });
  const body =
    'Города для людей. Велосипеды и автобусы перевозят больше людей, чем машины. Улицы должны служить тем, кто на них живёт.';
  await seed(
    h,
    [
      { handle: 'ivanova', fullName: 'Анна Иванова', userSince: '2015-01-02', bio: 'Пишет о городах.' },
      { handle: 'petrov', fullName: 'Пётр Петров', userSince: '2016-02-03' },
    ],
    Array.from({ length: 7 }, (_, i) => ({
      id: `statya-${i}`,
      title: `Город для людей, часть ${i}`,
      authorHandle: i % 2 === 0 ? 'ivanova' : 'petrov',
      body: [body, body, body].join('\n\n'),
      publishedAt: new Date(Date.UTC(2026, 10, 20) - i * 86_400_000).toISOString(),
    })),
  );
});

afterAll(async () => {
  await h?.stop();
});

/** Every reader-visible string of one Bot API call. */
function shownTexts(call: RecordedCall): string[] {
  const p = call.params as Record<string, unknown>;
  const out: string[] = [];
  const markup = (m: unknown) => {
    const r = m as { inline_keyboard?: { text: string }[][]; input_field_placeholder?: string } | undefined;
    for (const b of r?.inline_keyboard?.flat() ?? []) out.push(b.text);
    if (r?.input_field_placeholder) out.push(r.input_field_placeholder);
  };
  if (typeof p.text === 'string') out.push(p.text);
  markup(p.reply_markup);
  for (const r of (p.results as Record<string, unknown>[] | undefined) ?? []) {
    if (typeof r.description === 'string') out.push(r.description);
    out.push(String((r.input_message_content as { message_text?: string } | undefined)?.message_text ?? ''));
    markup(r.reply_markup);
  }
  return out;
}

it('a reader going through every feature meets no English outside the data', async () => {
  // Prepare
  const u = h.user(40_001, 'Алекс');
  const last = () => {
    const m = h.standIn.lastMessage(u.user.id);
    if (!m) throw new Error('no message');
    return m;
  };
  const press = (n: number) => u.pressButton(last(), n);
  const from = h.standIn.calls.length;

  // Act
  await u.send('/start');
  await u.send('/help');
  await u.send('/nonsense');
  await u.send('/latest');
  await press(7); // ▶ (five article buttons, then the page row: · 1 ·, ▶)
  await u.send('/latest');
  await press(1); // the first article's card
  const card = last();
  await u.pressButton(card, 1); // read the full text (or pages)
  await u.pressButton(card, 2); // subscribe
  await u.pressButton(card, 2); // the toggled button: unsubscribe
  await u.pressButton(card, 2); // subscribe again
  // Subscribed, the card shows the follow's mode (⚡) after 🔕: the later buttons move one along.
  await u.pressButton(card, 5); // share
  await u.pressButton(card, 6); // comments
  await press(1); // post a comment
  await u.send('Отличная статья');
  await u.send('/cancel');
  await u.pressButton(card, 4); // the author's profile
  await u.send('/authors');
  await u.send('/author nobody');
  await u.send('/author not a handle!');
  await u.send('/search город');
  await u.send('/search');
  await u.send('/search зебра');
  await u.send('/subscribe');
  await u.send('/subscribe nobody');
  await u.send('/subscribe petrov');
  await u.send('/subscribe petrov');
  await u.send('/subscriptions');
  await u.send('/unsubscribe');
  await u.send('/unsubscribe petrov');
  await u.send('/unsubscribe petrov');
  await u.send('/shared');
  await u.send('/language');
  await u.send('/start a_nothing-here');
  await u.send('/start s_AAAAAAAAAA');
  await u.send('/start !!');
  await u.inlineQuery('город');
  await u.inlineQuery('');
  await u.press(card, '1:zz:forged');

  // Assess
  const calls = h.standIn.calls.slice(from).filter((c) => c.ok);
  const methods = new Set(calls.map((c) => c.method));
  expect([...methods].sort()).toEqual(
    expect.arrayContaining(['answerCallbackQuery', 'answerInlineQuery', 'editMessageText', 'sendMessage']),
  );
  const english = calls.flatMap((c) =>
    shownTexts(c).flatMap((text) =>
      findUntranslatedWords(text, ALLOWED).map((word) => `${c.method}: ${word} in ${JSON.stringify(text)}`),
    ),
  );
  expect(english).toEqual([]);
  // …and it is not empty: the catalogue text is there, in lookalike letters.
  expect(calls.flatMap(shownTexts).join('\n')).toContain('Ļáţéšţ áŕţíçļéš');
});
