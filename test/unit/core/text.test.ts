import {
  countWords,
  escapeHtml,
  MAX_SEARCH_PREFIXES,
  normalizeForSearch,
  queryTokens,
  searchPrefixes,
  splitForTelegram,
  telegramLength,
  titleTokens,
  truncate,
} from '../../../functions/core/text';

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
/**
 * Whether a code-unit offset is a grapheme boundary. (`containing` rather than listing
 * every segment: walking all segments of a 30,000-character string takes seconds.)
 */
const isGraphemeBoundary = (s: string, index: number): boolean =>
  index === s.length || graphemes.segment(s).containing(index)?.index === index;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('escapeHtml', () => {
  it('escapes &, <, > and " for HTML text and attribute values', () => {
    // Act
    const escaped = escapeHtml('<a href="x?a=1&b=2">Tom & Jerry</a>');

    // Assess
    expect(escaped).toBe('&lt;a href=&quot;x?a=1&amp;b=2&quot;&gt;Tom &amp; Jerry&lt;/a&gt;');
  });

  it('escapes text that already looks escaped (it is plain text, not HTML)', () => {
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });

  it('leaves everything else alone', () => {
    expect(escapeHtml("It's 🚀 — Über")).toBe("It's 🚀 — Über");
  });
});

describe('telegramLength', () => {
  it('counts UTF-16 code units', () => {
    expect(telegramLength('abc')).toBe(3);
    expect(telegramLength('🚀')).toBe(2);
    expect(telegramLength('e\u0301')).toBe(2);
    expect(telegramLength('👨‍👩‍👧')).toBe(8);
  });
});

describe('truncate', () => {
  it('returns text that fits unchanged', () => {
    expect(truncate('short', 5)).toBe('short');
  });

  it('cuts at a word boundary within the last fifth of the budget', () => {
    expect(truncate('The quick brown fox jumps', 18)).toBe('The quick brown…');
  });

  it('cuts mid-word when the last space is further back than a fifth of the budget', () => {
    expect(truncate('Supercalifragilistic expialidocious', 30)).toBe('Supercalifragilistic expialid…');
  });

  it('drops a dangling comma before the ellipsis', () => {
    expect(truncate('One, two, three, four', 10)).toBe('One, two…');
  });

  it('never splits a ZWJ emoji sequence', () => {
    // Prepare: the family is 8 code units; a budget of 5 ends inside it.
    const s = 'ab👨‍👩‍👧cd';

    // Act / Assess
    expect(truncate(s, 6)).toBe('ab…');
    expect(truncate(s, 11)).toBe('ab👨‍👩‍👧…');
  });

  it('never splits a flag (a pair of regional indicators)', () => {
    expect(truncate('🇫🇷🇩🇪🇮🇹', 7)).toBe('🇫🇷…');
  });

  it('never separates a letter from its combining mark', () => {
    expect(truncate('Cafe\u0301 noir', 5)).toBe('Caf…');
  });

  it('honours the limit at every size without breaking a grapheme', () => {
    // Prepare
    const s = 'Ünïcode 👍🏽 and 👩‍💻 with cafe\u0301 and 🇯🇵 flags, ok?';

    for (let max = 0; max <= s.length + 1; max++) {
      // Act
      const out = truncate(s, max);

      // Assess
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out).not.toMatch(LONE_SURROGATE);
      if (out !== s && out !== '') {
        const head = out.slice(0, -1);
        expect(s.startsWith(head)).toBe(true);
        expect(isGraphemeBoundary(s, head.length)).toBe(true);
      }
    }
  });

  it('uses a custom ellipsis and returns "" when even the ellipsis does not fit', () => {
    expect(truncate('abcdefgh', 6, '...')).toBe('abc...');
    expect(truncate('abcdefgh', 2, '...')).toBe('');
  });
});

/** Checks the paging contract: sizes, order, nothing lost, no grapheme split. */
function expectValidPages(text: string, pages: string[], maxChars: number): void {
  let cursor = 0;
  for (const page of pages) {
    expect(page.length).toBeGreaterThan(0);
    expect(page.length).toBeLessThanOrEqual(maxChars);
    expect(page).toBe(page.trim());
    const start = text.indexOf(page, cursor);
    // Pages appear in order and only whitespace lies between them.
    expect(start).toBeGreaterThanOrEqual(cursor);
    expect(text.slice(cursor, start).trim()).toBe('');
    expect(isGraphemeBoundary(text, start)).toBe(true);
    expect(isGraphemeBoundary(text, start + page.length)).toBe(true);
    cursor = start + page.length;
  }
  expect(text.slice(cursor).trim()).toBe('');
  expect(pages.join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
}

describe('splitForTelegram', () => {
  it('pages a 30,000-character body with a 5,000-character paragraph and emoji', () => {
    // Prepare
    const sentence = (i: number): string =>
      `Sentence ${i} talks about the harbour 🚢 and the families 👨‍👩‍👧‍👦 who live there.`;
    const paragraph = (from: number, count: number): string =>
      Array.from({ length: count }, (_, k) => sentence(from + k)).join(' ');
    const parts: string[] = [];
    let n = 0;
    while (parts.join('\n\n').length < 12_000) {
      parts.push(paragraph(n, 6));
      n += 6;
    }
    const giant = paragraph(n, 70);
    n += 70;
    parts.push(giant);
    while (parts.join('\n\n').length < 30_000) {
      parts.push(paragraph(n, 6));
      n += 6;
    }
    const text = parts.join('\n\n');
    expect(giant.length).toBeGreaterThan(5_000);

    // Act
    const pages = splitForTelegram(text);

    // Assess
    expect(pages.length).toBeGreaterThanOrEqual(8);
    expectValidPages(text, pages, 3800);
    // Every cut falls at a paragraph or sentence end, never mid-sentence.
    for (const page of pages) expect(page).toMatch(/\.$/);
    // The giant paragraph had to be cut inside, at a sentence end.
    const giantStart = text.indexOf(giant);
    const inside = pages.filter((p) => {
      const at = text.indexOf(p);
      return at > giantStart && at < giantStart + giant.length;
    });
    expect(inside.length).toBeGreaterThan(0);
  });

  it('prefers a paragraph break in the second half of the page over a later sentence end', () => {
    // Prepare
    const first = 'First paragraph. ' + 'Words words words. '.repeat(4);
    const second = 'Second paragraph is longer. ' + 'More words here. '.repeat(6);
    const text = `${first.trim()}\n\n${second.trim()}`;

    // Act
    const pages = splitForTelegram(text, first.length + 40);

    // Assess
    expect(pages[0]).toBe(first.trim());
    expectValidPages(text, pages, first.length + 40);
  });

  it('falls back to spaces, then to grapheme boundaries', () => {
    // Prepare
    const words = 'lorem ipsum dolor sit amet '.repeat(10).trim();
    const families = '👨‍👩‍👧‍👦'.repeat(1000); // 11 code units each, no spaces at all

    // Act
    const wordPages = splitForTelegram(words, 50);
    const familyPages = splitForTelegram(families, 3800);

    // Assess
    expectValidPages(words, wordPages, 50);
    for (const page of wordPages) expect(words.split(' ')).toContain(page.split(' ').at(-1));
    expectValidPages(families, familyPages, 3800);
    for (const page of familyPages) expect(page.length % 11).toBe(0);
  });

  it('pages a long run of punctuation without spaces', () => {
    // Prepare
    const text = '.'.repeat(100_000);

    // Act
    const pages = splitForTelegram(text);

    // Assess
    expectValidPages(text, pages, 3800);
    expect(pages).toHaveLength(Math.ceil(100_000 / 3800));
  });

  it('splits Chinese after a full stop even though there are no spaces', () => {
    // Prepare
    const text = '今天天气很好，我们去公园散步。'.repeat(40);

    // Act
    const pages = splitForTelegram(text, 100);

    // Assess
    expectValidPages(text, pages, 100);
    for (const page of pages) expect(page.endsWith('。')).toBe(true);
  });

  it('returns short text as one trimmed page and blank text as no pages', () => {
    expect(splitForTelegram('  Hello there.\n')).toEqual(['Hello there.']);
    expect(splitForTelegram(' \n\n ')).toEqual([]);
  });

  it('rejects a non-positive page size', () => {
    expect(() => splitForTelegram('text', 0)).toThrow(RangeError);
  });
});

describe('normalizeForSearch', () => {
  it('applies NFKC, lower-cases and folds Latin diacritics', () => {
    expect(normalizeForSearch('  Ｃａｆé  ＮＯＩＲ ﬁne ')).toBe('cafe noir fine');
    expect(normalizeForSearch('Straße Łódź Ærø İstanbul')).toBe('strasse lodz aero istanbul');
  });

  it('keeps the marks of scripts other than Latin and Arabic', () => {
    expect(normalizeForSearch('हिन्दी')).toBe('हिन्दी');
    expect(normalizeForSearch('Йод')).toBe('йод');
    expect(normalizeForSearch('שָׁלוֹם')).toBe('שָׁלוֹם');
  });

  it('folds Arabic letter variants: alef forms, ta marbuta, alef maqsura, hamza seats', () => {
    expect(normalizeForSearch('أحمد إبراهيم آمنة ٱلله')).toBe('احمد ابراهيم امنه الله');
    expect(normalizeForSearch('مكتبة مصطفى')).toBe('مكتبه مصطفي');
    expect(normalizeForSearch('مسؤول قائد')).toBe('مسوول قايد');
  });

  it('strips tashkeel, the superscript alef and tatweel', () => {
    expect(normalizeForSearch('كَتَبَ مُدَرِّسٌ')).toBe('كتب مدرس');
    expect(normalizeForSearch('هٰذا')).toBe('هذا');
    expect(normalizeForSearch('ســـلام')).toBe('سلام');
  });

  it("maps Urdu's own letters to their Arabic counterparts, and Arabic-Indic digits to 0-9", () => {
    expect(normalizeForSearch('پاکستان کی تاریخ ہے')).toBe(normalizeForSearch('پاكستان كي تاريخ هي'));
    expect(normalizeForSearch('پھول ۂ ۓ')).toBe('پهول ه ي');
    expect(normalizeForSearch('٢٠٢٤ ۱۹۹۹')).toBe('2024 1999');
    // The zero-width non-joiner inside an Urdu or Persian word joins it.
    expect(normalizeForSearch('می\u200Cخواهم')).toBe('ميخواهم');
  });

  it('gives version 1 (what older title indexes were built with) unfolded', () => {
    expect(normalizeForSearch('أحمد كَتَبَ', 1)).toBe('أحمد كَتَبَ');
    expect(normalizeForSearch('Café', 1)).toBe('cafe');
  });
});

describe('titleTokens', () => {
  it('tokenizes a Latin title with quotes, symbols and emoji', () => {
    expect(titleTokens('"Über" Café & <Tags> 🚀')).toEqual(['uber', 'cafe', 'tags']);
  });

  it('deduplicates, keeps order and drops one-character tokens', () => {
    expect(titleTokens('News: a NEWS day, 5 news items in 2025')).toEqual([
      'news',
      'day',
      'items',
      'in',
      '2025',
    ]);
  });

  it('tokenizes an Arabic title on spaces', () => {
    expect(titleTokens('الذكاء الاصطناعي في التعليم')).toEqual(['الذكاء', 'الاصطناعي', 'في', 'التعليم']);
  });

  it('turns a Chinese title into overlapping bigrams', () => {
    expect(titleTokens('北京大学')).toEqual(['北京', '京大', '大学']);
    expect(titleTokens('iPhone 16 发布会')).toEqual(['iphone', '16', '发布', '布会']);
  });

  it('keeps a lone Han character and Japanese runs with the prolonged sound mark', () => {
    expect(titleTokens('猫')).toEqual(['猫']);
    expect(titleTokens('東京タワー')).toEqual(['東京', '京タ', 'タワ', 'ワー']);
  });

  it('bigrams Thai, which has no spaces between words', () => {
    // Act
    const tokens = titleTokens('สวัสดี');

    // Assess
    expect(tokens.length).toBeGreaterThan(1);
    for (const token of tokens) expect(Array.from(token)).toHaveLength(2);
  });
});

describe('queryTokens', () => {
  it('tokenizes a query like a title, so accents and case do not matter', () => {
    expect(queryTokens('CAFÉ über')).toEqual(['cafe', 'uber']);
    expect(titleTokens('"Über" Café & <Tags> 🚀')).toEqual(expect.arrayContaining(queryTokens('CAFÉ über')));
  });

  it('finds Arabic and Urdu titles however the query is typed', () => {
    // Prepare: stored titles with hamza seats, tashkeel, ta marbuta and Urdu letters.
    const arabic = titleTokens('أَخْبَارُ المَدْرَسَةِ الإبتدائية');
    const urdu = titleTokens('پاکستان کی معیشت');

    // Assess: bare letters, Arabic keyboards' ي and ك, or the exact forms all find them.
    expect(arabic).toEqual(expect.arrayContaining(queryTokens('اخبار المدرسه الابتدائيه')));
    expect(arabic).toEqual(expect.arrayContaining(queryTokens('أخبار المدرسة')));
    expect(urdu).toEqual(expect.arrayContaining(queryTokens('پاكستان كي معيشت')));
    expect(urdu).toEqual(expect.arrayContaining(queryTokens('پاکستان کی')));
  });

  it('finds a Chinese word inside a longer title', () => {
    expect(titleTokens('北京大学的人工智能研究')).toEqual(expect.arrayContaining(queryTokens('人工智能')));
  });
});

describe('searchPrefixes', () => {
  it('lists prefixes of two or more code points up to the whole token', () => {
    expect(searchPrefixes('cafe')).toEqual(['ca', 'caf', 'cafe']);
    expect(searchPrefixes('ab')).toEqual(['ab']);
  });

  it('returns a one-character token itself and nothing for an empty one', () => {
    expect(searchPrefixes('猫')).toEqual(['猫']);
    expect(searchPrefixes('')).toEqual([]);
  });

  it('caps long tokens at 12 prefixes, always including the whole token', () => {
    // Act
    const prefixes = searchPrefixes('internationalization');

    // Assess
    expect(prefixes).toHaveLength(MAX_SEARCH_PREFIXES);
    expect(prefixes[0]).toBe('in');
    expect(prefixes.at(-2)).toBe('internationa');
    expect(prefixes.at(-1)).toBe('internationalization');
  });

  it('counts code points, not UTF-16 units', () => {
    expect(searchPrefixes('𝒳𝒴𝒵')).toEqual(['𝒳𝒴', '𝒳𝒴𝒵']);
  });
});

describe('countWords', () => {
  const wordSegmenter = new Intl.Segmenter('en', { granularity: 'word' });
  const segmenterCount = (s: string): number =>
    [...wordSegmenter.segment(s)].filter((w) => w.isWordLike).length;

  it.each([
    "Don't panic: it's 3.5% of $1,000.25 (e.g. U.S. data) — well-known foo_bar at 10:30 😀!",
    'Привет, мир! Это тест: 2024 год. Ёлка-палка.',
    'الذكاء الاصطناعي في التعليم، هل هو مفيد؟ نعم.',
    'قالَ الطَّبِيبُ ســلام: ٢٠٢٤ كان عاماً جيداً!',
    'یہ ایک اچھی کتاب ہے۔ کیا آپ نے اسے پڑھا؟ میں نے اسے کل پڑھا، اور مجھے پسند آئی۔',
    'می\u200Cخواهم به خانه بروم',
    'Доктор Иванов пришёл т.е. «домой» — 5,5 млн. рублей; ё-моё.',
    'यह एक वाक्य है। यह दूसरा है।',
    '私は東京に住んでいます。iPhone16を買った。',
    'สวัสดีครับ ผมชื่อสมชาย',
  ])('agrees with Intl.Segmenter on %s', (text) => {
    expect(countWords(text)).toBe(segmenterCount(text));
  });

  it('stays close to Intl.Segmenter on a long run of Chinese without punctuation', () => {
    // Prepare: fed to the segmenter in chunks, which may split a word at each chunk edge.
    const text = '今天天气很好我们去公园散步'.repeat(200);

    // Act
    const count = countWords(text);

    // Assess
    expect(Math.abs(count - segmenterCount(text))).toBeLessThanOrEqual(Math.ceil(text.length / 512));
  });

  it('is 0 for text without words', () => {
    expect(countWords('')).toBe(0);
    expect(countWords(' — 🚀 … ')).toBe(0);
  });
});
