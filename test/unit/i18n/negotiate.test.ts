import { matchLanguageTag, negotiateLocale } from '../../../functions/i18n';

describe('negotiateLocale', () => {
  it('prefers the stored /language choice over Telegram', () => {
    expect(negotiateLocale({ stored: 'ar', telegramLanguageCode: 'ru' })).toBe('ar');
  });
  it('ignores a stored choice that is no longer supported', () => {
    expect(negotiateLocale({ stored: 'fr', telegramLanguageCode: 'ru' })).toBe('ru');
  });
  it('matches Telegram language codes by prefix: ur-PK → ur, RU → ru, ar_EG → ar', () => {
    expect(negotiateLocale({ telegramLanguageCode: 'ur-PK' })).toBe('ur');
    expect(negotiateLocale({ telegramLanguageCode: 'RU' })).toBe('ru');
    expect(negotiateLocale({ telegramLanguageCode: 'ar_EG' })).toBe('ar');
  });
  it('falls back to English', () => {
    expect(negotiateLocale({ telegramLanguageCode: 'pt-br' })).toBe('en');
    expect(negotiateLocale({})).toBe('en');
    expect(matchLanguageTag('')).toBeUndefined();
    expect(matchLanguageTag('urdu')).toBeUndefined();
  });
});
