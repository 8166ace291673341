import { createTranslator, date, dateTime, formatDate, formatNumber } from '../../../functions/i18n';

describe('numbers and dates', () => {
  it('formats counts with the locale grouping', () => {
    expect(formatNumber('en', 1234567)).toBe('1,234,567');
    // Russian groups with a (narrow) no-break space.
    expect(formatNumber('ru', 1234567)).toMatch(/^1[\u00a0\u202f]234[\u00a0\u202f]567$/);
  });
  it('uses one day-month-year date format, in UTC, for every locale', () => {
    expect(formatDate('en', '2026-11-25T23:30:00Z')).toBe('25 Nov 2026');
    expect(formatDate('en', '2008-03-15')).toBe('15 Mar 2008');
    expect(formatDate('ar', '2026-11-25T23:30:00Z')).toBe('25 نوفمبر 2026');
    expect(formatDate('ar', '2008-03-15')).toBe('15 مارس 2008');
    expect(formatDate('ur', '2026-11-25T23:30:00Z')).toBe('25 نومبر، 2026');
    expect(formatDate('ur', '2008-03-15')).toBe('15 مارچ، 2008');
    expect(formatDate('ru', '2026-11-25T23:30:00Z')).toBe('25 нояб. 2026 г.');
    expect(formatDate('ru', '2008-03-15')).toBe('15 мар. 2008 г.');
    // Latin digits in Arabic and Urdu (pinned in locales.ts INTL_LOCALE), like the counts beside them.
    expect(formatNumber('ar', 1234)).toBe('1,234');
    expect(formatNumber('ur', 1234)).toBe('1,234');
  });
  it('returns an unparseable date as it is instead of throwing', () => {
    expect(formatDate('en', 'not a date')).toBe('not a date');
  });
  it('formats Date, date() and dateTime() arguments inside messages', () => {
    const en = createTranslator('en');
    expect(en.t('authors-profile-since', { date: date('2008-03-15') })).toBe('User since: 15 Mar 2008');
    expect(en.t('authors-profile-since', { date: new Date('2008-03-15T00:00:00Z') })).toBe(
      'User since: 15 Mar 2008',
    );
    expect(en.t('comments-item-heading', { name: 'Bo', time: dateTime('2026-11-25T10:05:00Z') })).toBe(
      '<b>\u2068Bo\u2069</b> · 25 Nov, 10:05 UTC',
    );
  });
});
