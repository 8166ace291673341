/** `herald start --lang <code>` (or HERALD_LANG): the offline reader's Telegram language. */
import { parseStartArgs } from '../../../functions/local/start';

describe('parseStartArgs', () => {
  it.each([
    [[], {}, 'en'],
    [['--lang', 'ar'], {}, 'ar'],
    [['--lang=ur-PK'], {}, 'ur-PK'],
    [[], { HERALD_LANG: 'ru' }, 'ru'],
    [['--lang', 'ur'], { HERALD_LANG: 'ru' }, 'ur'],
  ])('%j with %j reads as language_code %s', (args, env, code) => {
    expect(parseStartArgs(args, env).languageCode).toBe(code);
  });

  it.each([
    [['--lang'], '--lang needs a language code, e.g. --lang ar'],
    [['--lang', 'arabic!'], '"arabic!" is not a language code; use one like en, ar, ur, ru or ur-PK'],
    [
      ['--language', 'ar'],
      'start does not take "--language"; it takes --lang <code> (e.g. --lang ur) and --no-demo',
    ],
  ])('refuses %j with a sentence', (args, message) => {
    expect(() => parseStartArgs(args, {})).toThrow(message);
  });

  it.each([
    [[], {}, true],
    [['--no-demo'], {}, false],
    [[], { HERALD_NO_DEMO: '1' }, false],
    [['--lang', 'ar', '--no-demo'], {}, false],
  ])('%j with %j seeds the demo: %s', (args, env, seeded) => {
    expect(parseStartArgs(args, env).seedDemo).toBe(seeded);
  });
});
