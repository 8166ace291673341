import { createI18n, type I18nLogger, type Locale } from '../../../functions/i18n';

function recordingLogger(): I18nLogger & { calls: { message: string; extra: Record<string, unknown> }[] } {
  const calls: { message: string; extra: Record<string, unknown> }[] = [];
  return { calls, warn: (message, extra) => calls.push({ message, extra }) };
}

const sources: Record<Locale, string> = {
  en: 'hello = Hello, { $name }!\nonly-en = Only English\n',
  ar: 'hello = أهلًا يا { $name }!\n',
  ur: 'broken = { $x \n',
  ru: '',
};

describe('translator fallbacks', () => {
  it('shows English for a key missing in a locale and logs it once', () => {
    const logger = recordingLogger();
    const ar = createI18n({ readSource: (l) => sources[l], logger }).translator('ar');
    expect(ar.t('only-en')).toBe('Only English');
    expect(ar.t('only-en')).toBe('Only English');
    expect(logger.calls).toEqual([
      { message: 'message missing; shown in English', extra: { locale: 'ar', key: 'only-en' } },
    ]);
  });

  it('shows the key for a key missing everywhere, never throws', () => {
    const logger = recordingLogger();
    const ru = createI18n({ readSource: (l) => sources[l], logger }).translator('ru');
    expect(ru.t('nowhere')).toBe('nowhere');
    expect(logger.calls.map((c) => c.message)).toEqual([
      'message missing; shown in English',
      'message missing from every catalogue',
    ]);
  });

  it('survives a missing variable and an unreadable catalogue', () => {
    const logger = recordingLogger();
    const i18n = createI18n({
      readSource: (l) => {
        if (l === 'ru') throw new Error('ENOENT');
        return sources[l];
      },
      logger,
    });
    expect(i18n.translator('en').t('hello')).toBe('Hello, {$name}!');
    expect(i18n.translator('ru').t('hello', { name: 'Ivan' })).toBe('Hello, \u2068Ivan\u2069!');
    expect(logger.calls.map((c) => c.message)).toEqual([
      'message formatted with an error',
      'catalogue could not be read; using English',
      'message missing; shown in English',
    ]);
  });

  it('reads only the catalogues a locale needs', () => {
    const read: Locale[] = [];
    const readSource = (l: Locale) => {
      read.push(l);
      return sources[l];
    };
    const i18n = createI18n({ readSource, logger: recordingLogger() });
    i18n.translator('ar').t('hello', { name: 'x' });
    expect(read).toEqual(['ar']);
    i18n.translator('ar').t('only-en');
    expect(read).toEqual(['ar', 'en']);
  });
});
