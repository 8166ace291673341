import { createTranslator, ltr, stripBidiControls } from '../../../functions/i18n';

const voices = (locale: 'ar' | 'ru' | 'ur' | 'en', count: number) =>
  stripBidiControls(createTranslator(locale).t('authors-list-item', { name: 'N', handle: ltr('@n'), count }));

describe('plural forms through CLDR rules', () => {
  it.each([
    [0, 'لا مقالات'],
    [1, 'مقال واحد'],
    [2, 'مقالان'],
    [3, '3 مقالات'],
    [11, '11 مقالًا'],
    [100, '100 مقال'],
  ])('Arabic %i → %s', (count, expected) => {
    expect(voices('ar', count)).toBe(`<b>N</b> (@n) · ${expected}`);
  });

  it.each([
    [1, '1 статья'],
    [2, '2 статьи'],
    [5, '5 статей'],
    [21, '21 статья'],
  ])('Russian %i → %s', (count, expected) => {
    expect(voices('ru', count)).toBe(`<b>N</b> (@n) · ${expected}`);
  });

  it('Urdu and English have one and other', () => {
    expect(voices('ur', 1)).toBe('<b>N</b> (@n) · 1 مضمون');
    expect(voices('ur', 7)).toBe('<b>N</b> (@n) · 7 مضامین');
    expect(voices('en', 1)).toBe('<b>N</b> (@n) · 1 voice');
    expect(voices('en', 1000)).toBe('<b>N</b> (@n) · 1,000 voices');
  });

  it('an exact [0] variant wins over the plural category', () => {
    expect(stripBidiControls(createTranslator('ar').t('shared-item', { title: 'T', opens: 0 }))).toBe(
      '• <b>T</b> — لم يفتحه أحد بعد',
    );
  });
});
