import { isRightToLeftBody } from '../../../functions/core/body/blocks';
import { parseMarkdownBody } from '../../../functions/core/body/parse-markdown';
import { articleInputSchema, authorInputSchema } from '../../../functions/core/model';
import { DEMO_ARTICLES, DEMO_AUTHORS } from '../../../functions/local/demo-content';
import { renderRichMessages } from '../../../functions/render/rich-message';
import { richViolations } from '../../helpers/rich-check';

/** The full text goes out in pages of about 3,800 characters (a message holds 4,096), so a body this long
 * needs at least two of them: the paging code gets something real to page. */
const LONG_BODY_CHARS = 7_000;

describe('demo content: validity', () => {
  test.each(DEMO_AUTHORS.map((a) => [a.handle, a] as const))(
    'author %s passes the input schema unchanged',
    (_, author) => {
      // Act
      const parsed = authorInputSchema.parse(author);

      // Assess: already normalised, so the seed stores exactly what the file says
      expect(parsed).toEqual(author);
    },
  );

  test.each(DEMO_ARTICLES.map((a) => [a.id, a] as const))(
    'article %s passes the input schema unchanged',
    (_, article) => {
      // Act
      const parsed = articleInputSchema.parse(article);

      // Assess
      expect(parsed).toEqual(article);
    },
  );

  test('there are enough authors and articles, with unique handles and ids', () => {
    // Prepare
    const handles = DEMO_AUTHORS.map((a) => a.handle);
    const ids = DEMO_ARTICLES.map((a) => a.id);

    // Assess
    expect(DEMO_AUTHORS.length).toBeGreaterThanOrEqual(3);
    expect(DEMO_ARTICLES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(handles).size).toBe(handles.length);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('every article belongs to a demo author, and every author has an article', () => {
    // Prepare
    const handles = new Set(DEMO_AUTHORS.map((a) => a.handle));
    const used = new Set(DEMO_ARTICLES.map((a) => a.authorHandle));

    // Assess
    expect([...used].filter((h) => !handles.has(h))).toEqual([]);
    expect([...handles].filter((h) => !used.has(h))).toEqual([]);
  });

  test('publication dates are distinct and fall in 2025 or 2026, before 2026-11-20', () => {
    // Prepare
    const times = DEMO_ARTICLES.map((a) => Date.parse(a.publishedAt));

    // Assess
    expect(new Set(times).size).toBe(times.length);
    for (const t of times) {
      expect(t).toBeGreaterThanOrEqual(Date.parse('2025-01-01T00:00:00Z'));
      expect(t).toBeLessThan(Date.parse('2026-11-20T00:00:00Z'));
    }
  });

  test('article links, where present, point at the article on the demo site', () => {
    // Prepare
    const withUrl = DEMO_ARTICLES.filter((a) => a.url !== undefined);

    // Assess: some, not all, so cards both with and without a link are seen
    expect(withUrl.length).toBeGreaterThan(0);
    expect(withUrl.length).toBeLessThan(DEMO_ARTICLES.length);
    for (const a of withUrl) expect(a.url).toBe(`https://example.org/voices/${a.id}`);
  });
});

describe('demo content: the cases the bot must handle', () => {
  const titles = DEMO_ARTICLES.map((a) => a.title);

  test.each([
    ['a double quote', /"/u],
    ['an ampersand', /&/u],
    ['a less-than sign', /</u],
    ['an apostrophe', /'/u],
    ['an emoji', /\p{Extended_Pictographic}/u],
    ['Cyrillic or Arabic script', /\p{Script=Cyrillic}|\p{Script=Arabic}/u],
  ])('some title contains %s', (_, pattern) => {
    // Assess
    expect(titles.some((t) => pattern.test(t))).toBe(true);
  });

  test('both a Cyrillic and an Arabic article exist, with bodies in the same script', () => {
    // Prepare
    const inScript = (re: RegExp) => DEMO_ARTICLES.filter((a) => re.test(a.title) && re.test(a.body));

    // Assess
    expect(inScript(/\p{Script=Cyrillic}/u).length).toBeGreaterThan(0);
    expect(inScript(/\p{Script=Arabic}/u).length).toBeGreaterThan(0);
  });

  test(`at least three bodies are longer than ${LONG_BODY_CHARS} characters`, () => {
    // Act
    const long = DEMO_ARTICLES.filter((a) => a.body.length > LONG_BODY_CHARS);

    // Assess
    expect(long.length).toBeGreaterThanOrEqual(3);
  });

  test('there is a title-only article and a one-paragraph article', () => {
    // Act
    const empty = DEMO_ARTICLES.filter((a) => a.body === '');
    const oneParagraph = DEMO_ARTICLES.filter((a) => a.body !== '' && !a.body.includes('\n'));

    // Assess
    expect(empty.length).toBeGreaterThan(0);
    expect(oneParagraph.length).toBeGreaterThan(0);
  });

  test('one author has enough articles to need more than one page', () => {
    // Prepare
    const counts = new Map<string, number>();
    for (const a of DEMO_ARTICLES) counts.set(a.authorHandle, (counts.get(a.authorHandle) ?? 0) + 1);

    // Assess
    expect(Math.max(...counts.values())).toBeGreaterThanOrEqual(10);
  });

  test('bodies are valid Markdown bodies, blocks separated by exactly one blank line without stray indentation', () => {
    // Prepare: a stray template-literal indent or a missing separator shows up here
    const bad = DEMO_ARTICLES.filter((a) => a.body !== '').flatMap((a) => {
      const parsed = parseMarkdownBody(a.body);
      const issues = parsed.ok ? [] : parsed.issues.map((i) => `${a.id}: line ${i.line}: ${i.message}`);
      const chunks = a.body
        .split('\n\n')
        .filter((p) => p.length === 0 || p !== p.trim())
        .map((p) => `${a.id}: ${JSON.stringify(p.slice(0, 40))}`);
      return [...issues, ...chunks];
    });

    // Assess
    expect(bad).toEqual([]);
  });

  test('bodies have structure: headings, quotes, ordered and unordered lists, emphasis and links', () => {
    // Prepare
    const all = DEMO_ARTICLES.map((a) => a.body).join('\n\n');

    // Assess
    expect(all).toMatch(/^## /m);
    expect(all).toMatch(/^### /m);
    expect(all).toMatch(/^> /m);
    expect(all).toMatch(/^- /m);
    expect(all).toMatch(/^1\. /m);
    expect(all).toMatch(/\*\*[^*]+\*\*/);
    expect(all).toMatch(/\]\(https:\/\/example\.org\//);
  });

  test('one long read needs three Rich Messages, and every article fits Telegram’s limits', () => {
    // Act
    const parts = DEMO_ARTICLES.map((a) => {
      const parsed = parseMarkdownBody(a.body);
      if (!parsed.ok) throw new Error(a.id);
      return {
        id: a.id,
        parts: renderRichMessages({
          title: a.title,
          authorName: 'A',
          authorHandle: 'a',
          blocks: parsed.blocks,
        }),
      };
    });

    // Assess
    expect(parts.filter((p) => p.parts.length === 3).map((p) => p.id)).toEqual(['who-owns-the-kerb']);
    expect(
      parts.flatMap((p) => p.parts.flatMap((m) => richViolations(m).map((v) => `${p.id}: ${v}`))),
    ).toEqual([]);
  });

  test('an Arabic and an Urdu article with structure are shown right to left', () => {
    // Prepare: Urdu has letters Arabic does not (ٹ ڈ ڑ ں ے ہ)
    const urdu = DEMO_ARTICLES.filter((a) => /[ٹڈڑںےہ]/u.test(a.body) && /^## /m.test(a.body));
    const arabic = DEMO_ARTICLES.filter(
      (a) => /\p{Script=Arabic}/u.test(a.title) && !/[ٹڈڑںےہ]/u.test(a.body) && /^## /m.test(a.body),
    );
    const rtl = (a: (typeof DEMO_ARTICLES)[number]) => {
      const parsed = parseMarkdownBody(a.body);
      return parsed.ok && isRightToLeftBody(parsed.blocks);
    };

    // Assess
    expect(urdu.length).toBeGreaterThan(0);
    expect(arabic.length).toBeGreaterThan(0);
    expect([...urdu, ...arabic].every(rtl)).toBe(true);
  });
});
