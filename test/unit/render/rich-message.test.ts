import type { InputRichBlock, InputRichMessage } from '@grammyjs/types';
import { type Block, BODY_LIMITS, plainText } from '../../../functions/core/body/blocks';
import { parseMarkdownBody } from '../../../functions/core/body/parse-markdown';
import {
  measureRichBlocks,
  RICH_LIMITS,
  type RichArticle,
  renderRichMessages,
  richPlainText,
} from '../../../functions/render/rich-message';
import { longArticleMarkdown } from '../../helpers/long-article';
import { countRich, richViolations } from '../../helpers/rich-check';

type RichBlock = InputRichBlock<never>;

function blocksOf(markdown: string): Block[] {
  const r = parseMarkdownBody(markdown);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.blocks;
}

const article = (blocks: Block[], extra: Partial<RichArticle> = {}): RichArticle => ({
  title: 'T',
  authorName: 'A',
  authorHandle: 'a',
  blocks,
  ...extra,
});

const para = (text: string): Block => ({ type: 'paragraph', children: [{ type: 'text', text }] });

/** The body blocks of a part: without its header (1 or 2 blocks) and its label. */
function bodyOf(part: InputRichMessage<never>, index: number, parts: number): RichBlock[] {
  const blocks = part.blocks ?? [];
  return blocks.slice(index === 0 ? 2 : 1, parts > 1 ? -1 : undefined);
}

/** Plain text of rich blocks, one line per paragraph or item, to compare with the source. */
function richText(blocks: readonly RichBlock[]): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.type === 'paragraph' || b.type === 'heading') out.push(richPlainText(b.text));
    else if (b.type === 'blockquote') out.push(...richText(b.blocks));
    else if (b.type === 'list') for (const item of b.items) out.push(...richText(item.blocks));
    else if (b.type === 'photo' && b.caption) out.push(richPlainText(b.caption.text));
  }
  return out;
}

describe('renderRichMessages: structure', () => {
  it('opens with the title as a heading and the author line, then the body blocks, in the blocks form', () => {
    // Prepare
    const blocks = blocksOf(
      [
        '## A section',
        '',
        'Text with **bold**, *italic*, `code` and [a link](https://example.org/x?a=1&b=2).',
        '',
        '> Quoted.',
        '',
        '3. three',
        '4. four',
        '',
        '- dot',
        '',
        '![A map](https://example.org/map.png "The valley")',
        '',
        '---',
      ].join('\n'),
    );

    // Act
    const parts = renderRichMessages(
      article(blocks, {
        title: 'Title',
        authorName: 'Dr. Jane Doe',
        authorHandle: 'jdoe',
        details: '25 Nov 2026',
      }),
    );

    // Assess
    expect(parts).toEqual([
      {
        blocks: [
          { type: 'heading', size: 1, text: 'Title' },
          { type: 'paragraph', text: { type: 'italic', text: 'by Dr. Jane Doe (@jdoe) · 25 Nov 2026' } },
          { type: 'heading', size: 2, text: 'A section' },
          {
            type: 'paragraph',
            text: [
              'Text with ',
              { type: 'bold', text: 'bold' },
              ', ',
              { type: 'italic', text: 'italic' },
              ', ',
              { type: 'code', text: 'code' },
              ' and ',
              { type: 'url', text: 'a link', url: 'https://example.org/x?a=1&b=2' },
              '.',
            ],
          },
          { type: 'blockquote', blocks: [{ type: 'paragraph', text: 'Quoted.' }] },
          {
            type: 'list',
            items: [
              { blocks: [{ type: 'paragraph', text: 'three' }], value: 3, type: '1' },
              { blocks: [{ type: 'paragraph', text: 'four' }], value: 4, type: '1' },
            ],
          },
          { type: 'list', items: [{ blocks: [{ type: 'paragraph', text: 'dot' }] }] },
          {
            type: 'photo',
            photo: { type: 'photo', media: 'https://example.org/map.png' },
            caption: { text: 'The valley' },
          },
          { type: 'divider' },
        ],
        is_rtl: false,
        skip_entity_detection: true,
      },
    ]);
  });

  it('keeps markup characters from the title, author and body as literal text (nothing is parsed)', () => {
    // Prepare
    const blocks = blocksOf('A <b>tag</b>, an &amp; entity, \\*stars\\* and [brackets].');

    // Act
    const [part] = renderRichMessages(
      article(blocks, {
        title: 'Tags like <b> & "quotes" *x*',
        authorName: '<i>Eve</i> & co',
        authorHandle: 'eve',
      }),
    );

    // Assess: strings exactly as written; no parse mode, no html or markdown field
    expect(part?.blocks?.slice(0, 3)).toEqual([
      { type: 'heading', size: 1, text: 'Tags like <b> & "quotes" *x*' },
      { type: 'paragraph', text: { type: 'italic', text: 'by <i>Eve</i> & co (@eve)' } },
      { type: 'paragraph', text: 'A <b>tag</b>, an & entity, *stars* and [brackets].' },
    ]);
    expect(part).not.toHaveProperty('html');
    expect(part).not.toHaveProperty('markdown');
  });

  it('never sends a link or an image whose URL is not http(s), even from a damaged stored model', () => {
    // Prepare: blocks as they could come from storage without the publish checks
    const blocks: Block[] = [
      {
        type: 'paragraph',
        children: [{ type: 'link', url: 'javascript:alert(1)', children: [{ type: 'text', text: 'x' }] }],
      },
      { type: 'image', url: 'data:image/png;base64,AAAA', caption: 'A picture' },
    ];

    // Act
    const [part] = renderRichMessages(article(blocks));

    // Assess
    expect(part?.blocks?.slice(2)).toEqual([
      { type: 'paragraph', text: 'x' },
      { type: 'paragraph', text: 'A picture' },
    ]);
  });

  it('sets is_rtl for an Arabic or Urdu article, on every part, and lets the caller decide', () => {
    // Prepare
    const urdu = blocksOf(
      Array.from(
        { length: 600 },
        () => 'شہر کی گلیاں ہماری مشترکہ بیٹھک ہیں، اور بسیں ان کو جوڑتی ہیں۔',
      ).join('\n\n'),
    );
    const english = blocksOf('Plain English text.');

    // Act
    const urduParts = renderRichMessages(article(urdu, { title: 'شہر کی بسیں' }));
    const englishParts = renderRichMessages(article(english));
    const forced = renderRichMessages(article(english, { rtl: true }));

    // Assess
    expect(urduParts.length).toBeGreaterThan(1);
    expect(urduParts.every((p) => p.is_rtl === true)).toBe(true);
    expect(englishParts[0]?.is_rtl).toBe(false);
    expect(forced[0]?.is_rtl).toBe(true);
  });

  it("sets is_rtl from the article's language when it has one, whatever its text", () => {
    // Prepare: a language decides over the letters (an Urdu article quoting English at length).
    const english = blocksOf('Plain English text, quoted in full.');
    const urdu = blocksOf('شہر کی گلیاں ہماری مشترکہ بیٹھک ہیں۔');

    // Act
    const rtl = (language: string, blocks: Block[]) =>
      renderRichMessages(article(blocks, { language }))[0]?.is_rtl;

    // Assess
    expect(rtl('ur', english)).toBe(true);
    expect(rtl('ar-EG', english)).toBe(true);
    expect(rtl('fa', english)).toBe(true);
    expect(rtl('he', english)).toBe(true);
    expect(rtl('en', urdu)).toBe(false);
    expect(rtl('ru', urdu)).toBe(false);
    expect(renderRichMessages(article(english, { language: 'en', rtl: true }))[0]?.is_rtl).toBe(true);
  });

  it('sends a title-only article as the header alone', () => {
    // Act
    const parts = renderRichMessages(article([]));

    // Assess
    expect(parts.map((p) => p.blocks?.length)).toEqual([2]);
  });
});

describe('renderRichMessages: limits', () => {
  // Room each part keeps for its header (title and author line) and its label ("999/999").
  const HEADER_BLOCKS = 2;
  const LABEL_BLOCKS = 1;

  it('fits exactly as many blocks as leave room for the header and label, and splits at one more', () => {
    // Prepare
    const fitting = RICH_LIMITS.maxBlocks - HEADER_BLOCKS - LABEL_BLOCKS;
    const words = (n: number) => Array.from({ length: n }, (_, i) => para(`w${i}`));

    // Act
    const atLimit = renderRichMessages(article(words(fitting)));
    const over = renderRichMessages(article(words(fitting + 1)));

    // Assess
    expect(atLimit).toHaveLength(1);
    expect(countRich(atLimit[0] ?? {}).blocks).toBe(RICH_LIMITS.maxBlocks - LABEL_BLOCKS);
    expect(over).toHaveLength(2);
    expect(over.flatMap((p) => richViolations(p))).toEqual([]);
  });

  it('fits exactly as many characters as leave room for the header and label, and splits at one more', () => {
    // Prepare: header "T" + "by A (@a)", label "999/999" (all ASCII: one byte a character)
    const room = RICH_LIMITS.maxChars - 'T'.length - 'by A (@a)'.length - '999/999'.length;
    const body = (n: number) => [para('x'.repeat(n - 1000)), para('y'.repeat(1000))];

    // Act
    const atLimit = renderRichMessages(article(body(room)));
    const over = renderRichMessages(article(body(room + 1)));

    // Assess
    expect(atLimit).toHaveLength(1);
    expect(countRich(atLimit[0] ?? {}).chars).toBe(RICH_LIMITS.maxChars - '999/999'.length);
    expect(over).toHaveLength(2);
    expect(over.flatMap((p) => richViolations(p))).toEqual([]);
  });

  it('counts characters as UTF-8 bytes, so an Arabic part holds half as many letters', () => {
    // Prepare: 20,000 Arabic letters are 40,000 bytes: over the limit, though under 32,768 letters
    const blocks = [para('ب'.repeat(10_000)), para('ت'.repeat(10_000))];

    // Act
    const parts = renderRichMessages(article(blocks));

    // Assess
    expect(parts).toHaveLength(2);
    expect(parts.flatMap((p) => richViolations(p))).toEqual([]);
  });

  it(`fits ${RICH_LIMITS.maxMedia} images in a part and splits at one more`, () => {
    // Prepare
    const images = (n: number): Block[] =>
      Array.from({ length: n }, (_, i) => ({
        type: 'image',
        url: `https://example.org/${i}.png`,
        caption: '',
      }));

    // Act
    const atLimit = renderRichMessages(article(images(RICH_LIMITS.maxMedia)));
    const over = renderRichMessages(article(images(RICH_LIMITS.maxMedia + 1)));

    // Assess
    expect(atLimit).toHaveLength(1);
    expect(over.map((p) => countRich(p).media)).toEqual([RICH_LIMITS.maxMedia, 1]);
  });

  const nestedLists = (depth: number, inner: string) =>
    Array.from({ length: depth }, (_, i) =>
      i === depth - 1 ? `${'  '.repeat(i)}- ${inner}` : `${'  '.repeat(i)}- level ${i + 1}`,
    ).join('\n');
  const FORMATTED = '**a *b [c `d`](https://example.org) e* f**';

  it('keeps lists nested 4 deep with formatting inside as they are, within 16 levels', () => {
    // Prepare
    const blocks = blocksOf(nestedLists(4, FORMATTED));

    // Act
    const parts = renderRichMessages(article(blocks));

    // Assess: the body is sent whole (title, author line, one top-level list)
    expect(parts).toHaveLength(1);
    expect(parts[0]?.blocks?.map((b) => b.type)).toEqual(['heading', 'paragraph', 'list']);
    const counted = countRich(parts[0] ?? {}).depth;
    expect(counted).toBeGreaterThanOrEqual(12);
    expect(counted).toBeLessThanOrEqual(RICH_LIMITS.maxDepth);
    expect(measureRichBlocks(parts[0]?.blocks ?? []).depth).toBe(counted);
  });

  it('flattens the outer lists of the deepest body publishing allows until it fits 16 levels, keeping its text', () => {
    // Prepare
    const blocks = blocksOf(nestedLists(BODY_LIMITS.maxNesting, FORMATTED));

    // Act
    const parts = renderRichMessages(article(blocks));

    // Assess
    expect(parts.flatMap((p) => richViolations(p))).toEqual([]);
    expect(parts.flatMap((p, i) => richText(bodyOf(p, i, parts.length))).join('\n\n')).toBe(
      plainText(blocks),
    );
  });
});

describe('renderRichMessages: long articles', () => {
  it('sends a 60,000-character article as valid parts labelled 1/n…n/n, with every block in order', () => {
    // Prepare
    const markdown = longArticleMarkdown(60_000);
    const blocks = blocksOf(markdown);

    // Act
    const parts = renderRichMessages(article(blocks, { title: 'A long read' }));

    // Assess
    expect(markdown.length).toBeGreaterThanOrEqual(60_000);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(parts.flatMap((p) => richViolations(p))).toEqual([]);
    parts.forEach((p, i) => {
      const all = p.blocks ?? [];
      expect(all[all.length - 1]).toEqual({ type: 'footer', text: `${i + 1}/${parts.length}` });
      expect(all[0]).toEqual({ type: 'heading', size: i === 0 ? 1 : 3, text: 'A long read' });
    });
    const sent = parts.flatMap((p, i) => richText(bodyOf(p, i, parts.length)));
    expect(sent.join('\n\n')).toBe(plainText(blocks));
  });

  it('splits a list too long for one message between its items, numbers continuing', () => {
    // Prepare: the longest list publishing allows, each item a sentence
    const markdown = Array.from(
      { length: BODY_LIMITS.maxListItems },
      (_, i) => `${i + 1}. Item number ${i + 1} of the list, a sentence long.`,
    ).join('\n');

    // Act
    const parts = renderRichMessages(article(blocksOf(markdown)));

    // Assess
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.flatMap((p) => richViolations(p))).toEqual([]);
    const values = parts.flatMap((p, i) =>
      bodyOf(p, i, parts.length).flatMap((b) => (b.type === 'list' ? b.items.map((item) => item.value) : [])),
    );
    expect(values).toEqual(Array.from({ length: BODY_LIMITS.maxListItems }, (_, i) => i + 1));
  });

  it('splits a quote too long for one message between its paragraphs', () => {
    // Prepare
    const quote: Block = {
      type: 'quote',
      children: Array.from({ length: 700 }, (_, i) => para(`Quoted paragraph ${i}.`)),
    };

    // Act
    const parts = renderRichMessages(article([quote]));

    // Assess
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.flatMap((p) => richViolations(p))).toEqual([]);
    expect(parts.flatMap((p, i) => bodyOf(p, i, parts.length).map((b) => b.type))).toEqual(
      parts.map(() => 'blockquote'),
    );
  });

  it('cuts an old plain-text body with no paragraph breaks into paragraphs that fit, keeping every word', () => {
    // Prepare: 120,000 characters in one paragraph, as a body stored before Markdown could be
    const words = Array.from({ length: 20_000 }, (_, i) => `word${i}`).join(' ');

    // Act
    const parts = renderRichMessages(article([para(words)]));

    // Assess
    expect(parts.length).toBeGreaterThanOrEqual(4);
    expect(parts.flatMap((p) => richViolations(p))).toEqual([]);
    const sent = parts.flatMap((p, i) => richText(bodyOf(p, i, parts.length))).join(' ');
    expect(sent).toBe(words);
  });
});
