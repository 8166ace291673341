import { normaliseTag, normaliseTags } from '../../../functions/core/tags';

describe('normaliseTag', () => {
  it.each([
    ['  Climate ', 'climate'],
    ['#SouthAsia', 'southasia'],
    ['South\t\n  Asia', 'south asia'],
    ['ＣＬＩＭＡＴＥ', 'climate'], // full-width letters fold by NFKC
    ['Straße', 'straße'],
    ['سياسة', 'سياسة'],
    ['a\u200bb', 'a b'], // a zero-width space is a format character: not kept inside a key
    ['#', ''],
  ])('%j → %j', (raw, expected) => {
    expect(normaliseTag(raw)).toBe(expected);
  });

  it('cuts at 32 code points, never inside a surrogate pair', () => {
    const tag = normaliseTag('😀'.repeat(40));
    expect(Array.from(tag)).toHaveLength(32);
    expect(tag).toBe('😀'.repeat(32));
  });
});

describe('normaliseTags', () => {
  it('drops empties and repeats after normalising, and keeps the first 10 in order', () => {
    const raw = ['B', 'b ', ' ', 'a', ...Array.from({ length: 12 }, (_, i) => `t${i}`)];
    expect(normaliseTags(raw)).toEqual(['b', 'a', 't0', 't1', 't2', 't3', 't4', 't5', 't6', 't7']);
  });
});
