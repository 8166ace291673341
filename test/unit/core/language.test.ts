import { canonicalLanguage, detectLanguage, isRightToLeftLanguage } from '../../../functions/core/language';

describe('canonicalLanguage', () => {
  it.each([
    ['en', 'en'],
    ['EN-us', 'en-US'],
    ['en_US', 'en-US'],
    [' ur-PK ', 'ur-PK'],
    ['zh-hant-tw', 'zh-Hant-TW'],
    ['iw', 'he'],
    ['ar-Latn', 'ar-Latn'],
  ])('puts %j in canonical form', (tag, canonical) => {
    expect(canonicalLanguage(tag)).toBe(canonical);
  });

  it.each(['', 'english', 'x-private', 'en-', 'en--US', '12', 'ar-<script>', `en-${'a'.repeat(40)}`])(
    'refuses %j',
    (tag) => {
      expect(canonicalLanguage(tag)).toBeUndefined();
    },
  );
});

describe('isRightToLeftLanguage', () => {
  it.each(['ar', 'ar-EG', 'ur', 'ur-PK', 'fa', 'he', 'iw', 'yi', 'ps', 'sd', 'ckb', 'dv', 'ug', 'pa-Arab'])(
    '%s is right to left',
    (tag) => {
      expect(isRightToLeftLanguage(tag)).toBe(true);
    },
  );

  it.each(['en', 'ru', 'ar-Latn', 'pa', 'zh-Hant', 'not a tag', ''])('%j is not', (tag) => {
    expect(isRightToLeftLanguage(tag)).toBe(false);
  });
});

describe('detectLanguage (by script only)', () => {
  it('reads Arabic script as Arabic, or as Urdu when Urdu letters show', () => {
    expect(detectLanguage('ذهب الطبيب إلى المستشفى، ثم عاد إلى البيت.')).toBe('ar');
    expect(detectLanguage('یہ ایک اچھی کتاب ہے۔ کیا آپ نے اسے پڑھا؟')).toBe('ur');
    // One Urdu-looking letter in a long Arabic text is not enough.
    expect(detectLanguage(`${'الذكاء الاصطناعي في التعليم '.repeat(20)}ی`)).toBe('ar');
  });

  it('reads Cyrillic as Russian, and everything else as English', () => {
    expect(detectLanguage('Доктор Иванов пришёл домой.')).toBe('ru');
    expect(detectLanguage('Dr. Jane Doe wrote this.')).toBe('en');
    expect(detectLanguage('北京大学')).toBe('en');
    expect(detectLanguage('')).toBe('en');
    expect(detectLanguage('2024 — 🚀')).toBe('en');
  });

  it('goes by most letters: an English text quoting Arabic stays English, and the reverse', () => {
    expect(detectLanguage('The word سلام means peace in Arabic and is used as a greeting.')).toBe('en');
    expect(detectLanguage('قال المتحدث إن شركة Apple ستفتتح متجرا جديدا في القاهرة قريبا')).toBe('ar');
  });
});
