import { type Block, plainText } from '../../../functions/core/body/blocks';
import { parseMarkdownBody } from '../../../functions/core/body/parse-markdown';
import { parseTelegramHtml } from '../../../functions/local/telegram-html';
import { HTML_PAGE_CHARS, renderHtmlPages } from '../../../functions/render/html-pages';
import { longArticleMarkdown } from '../../helpers/long-article';

function blocksOf(markdown: string): Block[] {
  const r = parseMarkdownBody(markdown);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.blocks;
}

/** What Telegram shows for a page (it throws, as the Bot API would refuse, on bad HTML). */
const shown = (html: string) => parseTelegramHtml(html);

/** Words of a text, for comparing what was sent with the source regardless of bullets and breaks. */
const words = (s: string) => s.match(/[\p{L}\p{N}]+/gu) ?? [];

describe('renderHtmlPages', () => {
  it('writes headings bold, quotes as blockquotes, lists with bullets or numbers, images as a captioned link', () => {
    // Prepare
    const blocks = blocksOf(
      [
        '## A **section** heading',
        '',
        'Text with **bold**, *italic*, `code` and [a link](https://example.org/x?a=1&b=2).',
        '',
        '> Quoted, with a nested quote:',
        '>',
        '> > inner',
        '',
        '3. three',
        '4. four',
        '   - four-a',
        '',
        '![A map](https://example.org/map.png "The valley")',
        '',
        '---',
      ].join('\n'),
    );

    // Act
    const pages = renderHtmlPages(blocks);

    // Assess
    expect(pages).toEqual([
      [
        '<b>A section heading</b>',
        'Text with <b>bold</b>, <i>italic</i>, <code>code</code> and <a href="https://example.org/x?a=1&amp;b=2">a link</a>.',
        '<blockquote>Quoted, with a nested quote:\n│ inner</blockquote>',
        '3. three\n4. four\n   • four-a',
        '🖼 <a href="https://example.org/map.png">The valley</a>',
        '⁂',
      ].join('\n\n'),
    ]);
    expect(() => shown(pages[0] ?? '')).not.toThrow();
  });

  it('escapes every character of the text and of URLs, and writes no link for a URL that is not http(s)', () => {
    // Prepare: as parsed (HTML stays text), plus blocks a damaged store could hold
    const blocks: Block[] = [
      ...blocksOf(
        'A <b>tag</b> & "quote" <script>alert(1)</script>\n\n[q](https://example.org/?q="><i>x</i>)',
      ),
      {
        type: 'paragraph',
        children: [{ type: 'link', url: 'javascript:alert(1)', children: [{ type: 'text', text: 'js' }] }],
      },
      { type: 'image', url: 'data:image/png;base64,AAAA', caption: '<b>cap</b>' },
    ];

    // Act
    const [page] = renderHtmlPages(blocks);

    // Assess
    expect(page).toBe(
      [
        'A &lt;b&gt;tag&lt;/b&gt; &amp; &quot;quote&quot; &lt;script&gt;alert(1)&lt;/script&gt;',
        '<a href="https://example.org/?q=%22%3E%3Ci%3Ex%3C/i%3E">q</a>',
        'js',
        '🖼 &lt;b&gt;cap&lt;/b&gt;',
      ].join('\n\n'),
    );
    expect(shown(page ?? '').entities).toEqual([
      {
        type: 'text_link',
        offset: expect.any(Number),
        length: 1,
        url: 'https://example.org/?q=%22%3E%3Ci%3Ex%3C/i%3E',
      },
    ]);
  });

  it(`pages a 60,000-character article at block boundaries, each page at most ${HTML_PAGE_CHARS} characters as shown`, () => {
    // Prepare
    const blocks = blocksOf(longArticleMarkdown(60_000));

    // Act
    const pages = renderHtmlPages(blocks);

    // Assess
    expect(pages.length).toBeGreaterThanOrEqual(15);
    for (const page of pages) expect(shown(page).text.length).toBeLessThanOrEqual(HTML_PAGE_CHARS);
    expect(words(pages.map((p) => shown(p).text).join(' '))).toEqual(words(plainText(blocks)));
  });

  it('splits a list or quote longer than a page between items and keeps the numbers', () => {
    // Prepare
    const list = Array.from(
      { length: 200 },
      (_, i) => `${i + 1}. Item ${i + 1}, which is one sentence long.`,
    ).join('\n');

    // Act
    const pages = renderHtmlPages(blocksOf(list));

    // Assess
    expect(pages.length).toBeGreaterThan(1);
    const lines = pages.flatMap((p) =>
      shown(p)
        .text.split('\n')
        .filter((l) => l !== ''),
    );
    expect(lines).toEqual(
      Array.from({ length: 200 }, (_, i) => `${i + 1}. Item ${i + 1}, which is one sentence long.`),
    );
  });

  it('cuts a paragraph longer than a page (an old plain-text body) at word boundaries, keeping every word', () => {
    // Prepare
    const text = Array.from({ length: 3000 }, (_, i) => `word${i}`).join(' ');

    // Act
    const pages = renderHtmlPages([{ type: 'paragraph', children: [{ type: 'text', text }] }]);

    // Assess
    expect(pages.length).toBeGreaterThan(5);
    for (const page of pages) expect(shown(page).text.length).toBeLessThanOrEqual(HTML_PAGE_CHARS);
    expect(pages.join(' ')).toBe(text);
  });

  it('starts every line of a right-to-left article with a right-to-left mark, after its opening tags', () => {
    // Prepare: Telegram's HTML has no dir attribute; a line's first strong character decides.
    const blocks = blocksOf(
      [
        '## عنوان **القسم**',
        '',
        'Apple تفتح متجرا في القاهرة.',
        '',
        '1. الأول',
        '2. 2024 عام جيد',
        '',
        '> اقتباس',
      ].join('\n'),
    );

    // Act
    const [page] = renderHtmlPages(blocks);
    const english = renderHtmlPages(blocksOf('Plain English.\n\n1. one'));
    const forced = renderHtmlPages(blocksOf('Plain English.'), HTML_PAGE_CHARS, true);

    // Assess
    expect(page?.split('\n')).toEqual([
      '<b>\u200Fعنوان القسم</b>',
      '',
      '\u200FApple تفتح متجرا في القاهرة.',
      '',
      '\u200F1. الأول',
      '\u200F2. 2024 عام جيد',
      '',
      '<blockquote>\u200Fاقتباس</blockquote>',
    ]);
    expect(
      shown(page ?? '')
        .text.split('\n')
        .filter((l) => l !== '')
        .every((l) => l.startsWith('\u200F')),
    ).toBe(true);
    expect(english.join('')).not.toContain('\u200F');
    expect(forced).toEqual(['\u200FPlain English.']);
  });

  it('keeps a right-to-left paragraph longer than a page within the page size, marks included', () => {
    // Prepare
    const text = Array.from({ length: 3000 }, (_, i) => `كلمة${i}`).join(' ');

    // Act
    const pages = renderHtmlPages([{ type: 'paragraph', children: [{ type: 'text', text }] }]);

    // Assess
    expect(pages.length).toBeGreaterThan(5);
    for (const page of pages) expect(shown(page).text.length).toBeLessThanOrEqual(HTML_PAGE_CHARS);
    for (const page of pages)
      expect(page.split('\n').every((l) => l === '' || l.startsWith('\u200F'))).toBe(true);
    const rejoined = pages
      .join(' ')
      .replace(/\u200F/g, '')
      .split(/\s+/)
      .join(' ');
    expect(rejoined === text).toBe(true);
  });

  it('has no pages for an empty body, and one for a short one', () => {
    expect(renderHtmlPages([])).toEqual([]);
    expect(renderHtmlPages(blocksOf('Short.'))).toEqual(['Short.']);
  });
});
