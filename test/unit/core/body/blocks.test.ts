import {
  type Block,
  blocksFromPlainText,
  isHttpUrl,
  isRightToLeft,
  isRightToLeftBody,
  plainText,
  proseText,
} from '../../../../functions/core/body/blocks';
import { parseMarkdownBody } from '../../../../functions/core/body/parse-markdown';
import { decodeBlocks, encodeBlocks, readBodyBlocks } from '../../../../functions/core/body/stored-body';

function parsed(markdown: string): Block[] {
  const r = parseMarkdownBody(markdown);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.blocks;
}

const SAMPLE = [
  '## Why it matters',
  '',
  'The **first** paragraph, with [a link](https://example.org).',
  '',
  '> Somebody else’s words.',
  '',
  '- an item',
  '- another',
  '',
  '![A map](https://example.org/m.png "The valley")',
  '',
  'The last paragraph.',
].join('\n');

describe('plain text of a body', () => {
  it('has every block’s text without markup, one paragraph per block', () => {
    // Act
    const text = plainText(parsed(SAMPLE));

    // Assess
    expect(text).toBe(
      [
        'Why it matters',
        'The first paragraph, with a link.',
        'Somebody else’s words.',
        'an item',
        'another',
        'The valley',
        'The last paragraph.',
      ].join('\n\n'),
    );
  });

  it('has as prose only the top-level paragraphs, and everything when there are none', () => {
    // Act
    const prose = proseText(parsed(SAMPLE));
    const onlyAList = proseText(parsed('- one\n- two'));

    // Assess
    expect(prose).toBe('The first paragraph, with a link.\n\nThe last paragraph.');
    expect(onlyAList).toBe('one\n\ntwo');
  });

  it('reads an old plain-text body as paragraphs, keeping single line breaks', () => {
    // Act
    const blocks = blocksFromPlainText('  One.\r\n\r\n• a\n• b\n   \nTwo *not emphasis*.  \n\n');

    // Assess
    expect(blocks).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: 'One.' }] },
      { type: 'paragraph', children: [{ type: 'text', text: '• a\n• b' }] },
      { type: 'paragraph', children: [{ type: 'text', text: 'Two *not emphasis*.' }] },
    ]);
  });
});

describe('isRightToLeft', () => {
  it.each([
    ['Arabic', 'المدينة التي تتكلم لغات كثيرة', true],
    ['Urdu', 'شہر کی گلیاں ہماری مشترکہ بیٹھک ہیں۔', true],
    ['Hebrew', 'העיר שמדברת בשפות רבות', true],
    ['English', 'The city that speaks many languages', false],
    ['Russian', 'Перевод как гостеприимство', false],
    ['Urdu quoting a few English words', 'بسیں "public transport" کا دل ہیں، اور شہر کی ریڑھ کی ہڈی۔', true],
    [
      'English quoting Arabic',
      'As my mother puts it: "القراءة سفرٌ" (reading is travel without suitcases).',
      false,
    ],
    ['digits and punctuation only', '2026 — 3.5 %', false],
    ['nothing', '', false],
  ])('%s → %s', (_, text, rtl) => {
    expect(isRightToLeft(text)).toBe(rtl);
  });

  it('looks at the body’s text, not at its markup or URLs', () => {
    // Prepare: an Arabic paragraph with a long Latin URL in a link
    const blocks = parsed(
      '[مقال عن المدينة](https://example.org/a-very-long-english-url-about-the-city-and-its-languages)',
    );

    // Act and assess
    expect(isRightToLeftBody(blocks)).toBe(true);
  });
});

describe('isHttpUrl', () => {
  it.each([
    ['https://example.org/a?b=1', true],
    ['http://example.org', true],
    ['HTTPS://EXAMPLE.ORG', true],
    ['javascript:alert(1)', false],
    ['data:text/html,x', false],
    ['mailto:a@example.org', false],
    ['/relative', false],
    ['https://', false],
  ])('%s → %s', (url, ok) => {
    expect(isHttpUrl(url)).toBe(ok);
  });

  it('refuses a URL over 2,048 characters', () => {
    expect(isHttpUrl(`https://example.org/${'a'.repeat(2028)}`)).toBe(true);
    expect(isHttpUrl(`https://example.org/${'a'.repeat(2029)}`)).toBe(false);
  });
});

describe('stored block model', () => {
  it('round-trips what publishing stores', () => {
    // Prepare
    const blocks = parsed(SAMPLE);

    // Act
    const decoded = decodeBlocks(encodeBlocks(blocks));

    // Assess
    expect(decoded).toEqual(blocks);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['not JSON', '{"v":1,'],
    ['of another version', JSON.stringify({ v: 2, blocks: [] })],
    ['without blocks', JSON.stringify({ v: 1 })],
  ])('is not read when %s', (_, stored) => {
    expect(decodeBlocks(stored)).toBeUndefined();
  });

  it('reads an old body (no block model) as its plain paragraphs, and a new one from its model', () => {
    // Prepare
    const oldBody = 'Stored before Markdown: *stars* stay.\n\nSecond paragraph.';
    const newBody = '## A heading\n\nText.';

    // Act
    const old = readBodyBlocks({ body: oldBody });
    const fresh = readBodyBlocks({ body: newBody, blocks: encodeBlocks(parsed(newBody)) });

    // Assess
    expect(plainText(old)).toBe('Stored before Markdown: *stars* stay.\n\nSecond paragraph.');
    expect(fresh.map((b) => b.type)).toEqual(['heading', 'paragraph']);
  });
});
