import { ARTICLE_ID_PATTERN } from '../../../functions/core/ids';
import { articleIdFor, itemKey, slugify } from '../../../functions/ingest/article-id';

const FEED = 'https://site.example/feed/';
const id = (guid: string, feed = FEED) => articleIdFor(itemKey(guid, feed));

describe('article ids for feed items', () => {
  it('is the same on every poll and within the id rules', () => {
    const keys = [
      'https://voices.example.com/?p=4211',
      'tag:blogger.com,1999:blog-7712345678901234567.post-3141592653589793238',
      'urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a',
      '6741c2f0a1b2c3d4e5f60718',
      'https://medium.example.com/p/9f8e7d6c5b4a',
      `https://x.example/${'very-long-slug-'.repeat(20)}`,
      'https://x.example/بيئة/مقال',
      '42',
      '---',
    ];

    for (const k of keys) {
      expect(id(k)).toMatch(ARTICLE_ID_PATTERN);
      expect(id(k)).toBe(id(k));
    }
  });

  it('reads like the item where the key allows', () => {
    expect(id('https://ledger.example.org/p/rent-and-savings')).toMatch(/^rent-and-savings-[a-z0-9]{12}$/);
    expect(id('tag:blogger.com,1999:blog-1.post-314')).toMatch(/^post-314-[a-z0-9]{12}$/);
    expect(id('https://voices.example.com/?p=4211')).toMatch(/^p-4211-[a-z0-9]{12}$/);
    expect(id('https://x.example/2026/11/740-to-anarkali.html')).toMatch(/^740-to-anarkali-[a-z0-9]{12}$/);
    expect(id('urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a')).toMatch(/^[a-z0-9]{12}$/);
  });

  it('differs between items, and between bare guids of different sites', () => {
    expect(id('https://x.example/a')).not.toBe(id('https://x.example/b'));
    expect(id('42', 'https://one.example/feed')).not.toBe(id('42', 'https://two.example/feed'));
  });

  it('survives a move from http to https', () => {
    expect(id('http://x.example/post')).toBe(id('https://x.example/post'));
    expect(id('42', 'http://one.example/feed')).toBe(id('42', 'https://one.example/feed/'));
  });

  it('slugifies to ASCII', () => {
    expect(slugify('Crème Brûlée: A “Recipe”!')).toBe('creme-brulee-a-recipe');
    expect(slugify('مقال')).toBe('');
  });
});
