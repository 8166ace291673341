import {
  type Block,
  BODY_LIMITS,
  blocksFromPlainText,
  plainText,
} from '../../../../functions/core/body/blocks';
import { type ParseBodyResult, parseMarkdownBody } from '../../../../functions/core/body/parse-markdown';

/** The blocks of a body that must parse. */
function blocksOf(markdown: string): Block[] {
  const r: ParseBodyResult = parseMarkdownBody(markdown);
  if (!r.ok) throw new Error(`unexpected issues: ${JSON.stringify(r.issues)}`);
  return r.blocks;
}

/** The issues of a body that must not parse. */
function issuesOf(markdown: string, firstLine?: number) {
  const r = parseMarkdownBody(markdown, { firstLine });
  if (r.ok) throw new Error('expected the body to be rejected');
  return r.issues;
}

const p = (text: string): Block => ({ type: 'paragraph', children: [{ type: 'text', text }] });

describe('parseMarkdownBody: the format', () => {
  it('reads a plain-text body as its paragraphs, a single line break inside one as a space', () => {
    // Prepare
    const body =
      'First paragraph, which wraps\nonto a second line.\n\nSecond paragraph.\n\n\n\nThird, after extra blank lines.';

    // Act
    const blocks = blocksOf(body);

    // Assess
    expect(blocks).toEqual([
      p('First paragraph, which wraps onto a second line.'),
      p('Second paragraph.'),
      p('Third, after extra blank lines.'),
    ]);
  });

  it('keeps the text of the demo-style prose intact: abbreviations, decimals, quotes, <br> and & in running text', () => {
    // Prepare
    const body =
      'Dr. Siddiqui said "3.5 metres" & more, e.g. the <br> tag. Costs: 2 * 3 * 4 = 24; snake_case stays.';

    // Act
    const text = plainText(blocksOf(body));

    // Assess
    expect(text).toBe(body);
  });

  it('maps headings to levels 2–4: # reads as ##, ##### as ####, and an underline makes a heading', () => {
    // Act
    const blocks = blocksOf(
      '# One\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five\n\n###### Six\n\nSeven\n---',
    );

    // Assess
    expect(blocks.map((b) => (b.type === 'heading' ? [b.level, plainText([b])] : b.type))).toEqual([
      [2, 'One'],
      [2, 'Two'],
      [3, 'Three'],
      [4, 'Four'],
      [4, 'Five'],
      [4, 'Six'],
      [2, 'Seven'],
    ]);
  });

  it('reads emphasis, inline code, links (inline, angle-bracket and reference) with entities decoded', () => {
    // Act
    const [para] = blocksOf(
      'A *soft* and **strong** word, `a & <b>` code, [the &amp; site](https://example.org/a?b=1&amp;c=2), <https://example.org/x> and [a ref][r].\n\n[r]: https://example.org/ref "Ref"',
    );

    // Assess
    expect(para).toEqual({
      type: 'paragraph',
      children: [
        { type: 'text', text: 'A ' },
        { type: 'italic', children: [{ type: 'text', text: 'soft' }] },
        { type: 'text', text: ' and ' },
        { type: 'bold', children: [{ type: 'text', text: 'strong' }] },
        { type: 'text', text: ' word, ' },
        { type: 'code', text: 'a & <b>' },
        { type: 'text', text: ' code, ' },
        {
          type: 'link',
          url: 'https://example.org/a?b=1&c=2',
          children: [{ type: 'text', text: 'the & site' }],
        },
        { type: 'text', text: ', ' },
        {
          type: 'link',
          url: 'https://example.org/x',
          children: [{ type: 'text', text: 'https://example.org/x' }],
        },
        { type: 'text', text: ' and ' },
        { type: 'link', url: 'https://example.org/ref', children: [{ type: 'text', text: 'a ref' }] },
        { type: 'text', text: '.' },
      ],
    });
  });

  it('keeps bold inside bold as one bold run, so formatting never nests deeper than it shows', () => {
    // Act
    const [para] = blocksOf('**a __b **c** d__ e**');

    // Assess
    expect(para).toEqual({
      type: 'paragraph',
      children: [{ type: 'bold', children: [{ type: 'text', text: 'a b c d e' }] }],
    });
  });

  it('reads quotes and nested ordered and unordered lists, keeping an ordered list’s first number', () => {
    // Act
    const blocks = blocksOf('> Said once.\n>\n> Said twice.\n\n3. three\n4. four\n   - four-a\n\n- x\n- y');

    // Assess
    expect(blocks).toEqual([
      { type: 'quote', children: [p('Said once.'), p('Said twice.')] },
      {
        type: 'list',
        ordered: true,
        start: 3,
        items: [
          [p('three')],
          [p('four'), { type: 'list', ordered: false, start: 1, items: [[p('four-a')]] }],
        ],
      },
      { type: 'list', ordered: false, start: 1, items: [[p('x')], [p('y')]] },
    ]);
  });

  it('makes an image a block of its own with its title as caption (else its alt text), splitting a paragraph around it', () => {
    // Act
    const blocks = blocksOf(
      'Before ![A map](https://example.org/map.png "The valley in 2024") after.\n\n![Alt only](https://example.org/b.png)',
    );

    // Assess
    expect(blocks).toEqual([
      p('Before'),
      { type: 'image', url: 'https://example.org/map.png', caption: 'The valley in 2024' },
      p('after.'),
      { type: 'image', url: 'https://example.org/b.png', caption: 'Alt only' },
    ]);
  });

  it('keeps a link going across an image inside it, on both sides', () => {
    // Act
    const blocks = blocksOf('[see ![x](https://example.org/i.png) here](https://example.org/page)');

    // Assess
    const link = (text: string) => ({
      type: 'paragraph',
      children: [{ type: 'link', url: 'https://example.org/page', children: [{ type: 'text', text }] }],
    });
    expect(blocks).toEqual([
      link('see'),
      { type: 'image', url: 'https://example.org/i.png', caption: 'x' },
      link('here'),
    ]);
  });

  it('shows raw HTML as the text written, never as markup', () => {
    // Act
    const blocks = blocksOf('<script>alert(1)</script>\n\nA <b>bold</b> claim <img src=x onerror=alert(1)>.');

    // Assess
    expect(blocks).toEqual([
      p('<script>alert(1)</script>'),
      p('A <b>bold</b> claim <img src=x onerror=alert(1)>.'),
    ]);
  });

  it('keeps a code block’s text as a paragraph (a fenced one as code), and a hard break as a line break', () => {
    // Act
    const blocks = blocksOf(
      '    indented line\n    second\n\n```js\nlet x = 1;\n```\n\nline one  \nline two\\\nthree',
    );

    // Assess
    expect(blocks).toEqual([
      p('indented line\nsecond'),
      { type: 'paragraph', children: [{ type: 'code', text: 'let x = 1;' }] },
      p('line one\nline two\nthree'),
    ]);
  });

  it('makes --- a scene break and drops empty headings, items and quotes', () => {
    // Act
    const blocks = blocksOf('One.\n\n---\n\n##\n\n>\n\nTwo.');

    // Assess
    expect(blocks).toEqual([p('One.'), { type: 'rule' }, p('Two.')]);
  });

  it('reads a plain-text body the same way old bodies are read', () => {
    // Prepare
    const body = 'One paragraph.\n\nAnother, with “quotes” and an emoji 🌍.\n\nA third.';

    // Act and assess: publish-time parse and read-time fallback agree on plain text
    expect(blocksOf(body)).toEqual(blocksFromPlainText(body));
  });
});

describe('parseMarkdownBody: hostile and wrong input', () => {
  it.each([
    [
      'a javascript: link',
      '[click](javascript:alert(1))',
      /a link must go to an http\(s\) URL; "javascript:alert\(1\)"/,
    ],
    [
      'an entity-hidden javascript: link',
      '[click](javascript&colon;alert(1))',
      /a link must go to an http\(s\) URL/,
    ],
    [
      'a mailto: autolink',
      '<mailto:ed@example.org>',
      /a link must go to an http\(s\) URL; "mailto:ed@example.org"/,
    ],
    ['a relative link', '[about](/about)', /a link must go to an http\(s\) URL; "\/about"/],
    ['a data: image', '![x](data:image/png;base64,AAAA)', /an image must have an http\(s\) URL; "data:image/],
    ['a relative image', '![x](pic.png)', /an image must have an http\(s\) URL; "pic.png"/],
  ])('rejects %s, naming line 1', (_, body, message) => {
    // Act
    const issues = issuesOf(body);

    // Assess
    expect(issues).toEqual([{ line: 1, message: expect.stringMatching(message) }]);
  });

  it('names the line of a bad link inside a paragraph, a quote and a nested list', () => {
    // Prepare
    const body = [
      'Intro paragraph',
      'that wraps, then [a bad one](ftp://example.org).', // line 2
      '',
      '> A quote',
      '> with [another](vbscript:x).', // line 5
      '',
      '- item',
      '  - nested [third](javascript:void(0))', // line 8
    ].join('\n');

    // Act
    const issues = issuesOf(body);

    // Assess
    expect(issues.map((i) => i.line)).toEqual([2, 5, 8]);
  });

  it('adds the line where the body starts in its file', () => {
    // Act
    const issues = issuesOf('Fine.\n\n[bad](javascript:x)', 12);

    // Assess
    expect(issues.map((i) => i.line)).toEqual([14]);
  });

  it(`accepts quotes and lists nested ${BODY_LIMITS.maxNesting} deep and rejects one level more, naming its line`, () => {
    // Prepare
    const quotes = (n: number) => `${'> '.repeat(n)}deep`;
    const list = (n: number) =>
      Array.from({ length: n }, (_, i) => `${'  '.repeat(i)}- level ${i + 1}`).join('\n');
    const mixed = '> - > - > - > text';

    // Act and assess
    expect(parseMarkdownBody(quotes(BODY_LIMITS.maxNesting)).ok).toBe(true);
    expect(parseMarkdownBody(list(BODY_LIMITS.maxNesting)).ok).toBe(true);
    expect(issuesOf(quotes(BODY_LIMITS.maxNesting + 1))).toEqual([
      { line: 1, message: expect.stringContaining('nested more than 6 levels deep') },
    ]);
    expect(issuesOf(list(BODY_LIMITS.maxNesting + 1)).map((i) => i.line)).toEqual([7]);
    expect(issuesOf(mixed).map((i) => i.line)).toEqual([1]);
  });

  it('rejects hostile nesting 20 deep, with one issue at the first level too deep', () => {
    // Prepare
    const quotes = `Intro.\n\n${'> '.repeat(20)}deep`;
    const lists = `Intro.\n\n${Array.from({ length: 20 }, (_, i) => `${'  '.repeat(i)}- ${i}`).join('\n')}`;

    // Act and assess
    expect(issuesOf(quotes)).toEqual([{ line: 3, message: expect.stringContaining('nested') }]);
    expect(issuesOf(lists)).toEqual([{ line: 9, message: expect.stringContaining('nested') }]);
  });

  it(`accepts a list of ${BODY_LIMITS.maxListItems} items and rejects 600, naming the list's first line`, () => {
    // Prepare
    const list = (n: number) => Array.from({ length: n }, (_, i) => `- item ${i + 1}`).join('\n');

    // Act and assess
    expect(parseMarkdownBody(`Intro.\n\n${list(BODY_LIMITS.maxListItems)}`).ok).toBe(true);
    expect(issuesOf(`Intro.\n\n${list(600)}`)).toEqual([
      { line: 3, message: 'this list has 600 items; at most 500 are allowed' },
    ]);
  });

  it(`rejects more than ${BODY_LIMITS.maxBlocks} blocks and more than ${BODY_LIMITS.maxImages} images`, () => {
    // Prepare
    const paragraphs = Array.from({ length: BODY_LIMITS.maxBlocks + 1 }, (_, i) => `P${i}.`).join('\n\n');
    const images = Array.from(
      { length: BODY_LIMITS.maxImages + 1 },
      (_, i) => `![${i}](https://example.org/${i}.png)`,
    ).join('\n\n');

    // Act and assess
    expect(issuesOf(paragraphs)).toEqual([
      { line: 2 * BODY_LIMITS.maxBlocks + 1, message: expect.stringContaining('more than 10,000 blocks') },
    ]);
    expect(issuesOf(images)).toEqual([
      { line: 2 * BODY_LIMITS.maxImages + 1, message: 'the body has more than 100 images' },
    ]);
  });

  it('rejects a caption over the limit', () => {
    // Act
    const issues = issuesOf(`![x](https://example.org/i.png "${'c'.repeat(BODY_LIMITS.maxCaption + 1)}")`);

    // Assess
    expect(issues).toEqual([{ line: 1, message: 'an image caption must be at most 1024 characters' }]);
  });

  it('reports at most ten issues, the first ones', () => {
    // Act
    const issues = issuesOf(Array.from({ length: 50 }, (_, i) => `[x](javascript:${i})`).join('\n\n'));

    // Assess
    expect(issues.map((i) => i.line)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
  });

  it('keeps formatting one level deep when an image splits bold nested thousands deep', () => {
    // Prepare: the split around the image must close 20,000 open bold runs without nesting them
    const body = `${'**'.repeat(20_000)}a ![i](https://example.org/i.png) b${'**'.repeat(20_000)}`;

    // Act
    const blocks = blocksOf(body);

    // Assess
    const bold = (text: string): Block => ({
      type: 'paragraph',
      children: [{ type: 'bold', children: [{ type: 'text', text }] }],
    });
    expect(blocks).toEqual([
      bold('a'),
      { type: 'image', url: 'https://example.org/i.png', caption: 'i' },
      bold('b'),
    ]);
  });

  it.each([
    ['nested emphasis', `${'*a **a '.repeat(2000)}b${' a** a*'.repeat(2000)}`],
    ['unclosed emphasis', '_a '.repeat(10_000)],
    ['unclosed links', '[a]('.repeat(10_000)],
    ['nested brackets', `${'['.repeat(10_000)}a${']'.repeat(10_000)}`],
    ['a long run of stars', `${'**'.repeat(10_000)}x${'**'.repeat(10_000)}`],
  ])('parses %s to text without throwing', (_, body) => {
    // Act
    const blocks = blocksOf(body);

    // Assess: whatever structure it has, the letters all survive as text
    expect(plainText(blocks).replace(/[^a-z]/g, '')).toBe(body.replace(/[^a-z]/g, ''));
  });
});
