import type { RichMessage } from '@grammyjs/types';
import { parseTelegramHtml } from '../../../functions/local/telegram-html';
import {
  renderRichMessage,
  renderTextMessage,
  startsRightToLeft,
} from '../../../functions/local/terminal-render';

const plain = { tty: false };
const tty = { tty: true };
const RLI = '\u2067';
const PDI = '\u2069';

describe('renderRichMessage', () => {
  it('emphasises headings, bars quotes, numbers and bullets lists, shows links and images readably', () => {
    // Prepare
    const message: RichMessage = {
      blocks: [
        { type: 'heading', size: 2, text: 'On reading' },
        {
          type: 'paragraph',
          text: ['Read ', { type: 'url', text: 'the essay', url: 'https://example.org/e' }, ' today.'],
        },
        {
          type: 'blockquote',
          blocks: [{ type: 'paragraph', text: 'A quote\nin two lines' }],
          credit: 'Someone',
        },
        {
          type: 'list',
          items: [
            { label: '•', blocks: [{ type: 'paragraph', text: 'one' }] },
            { label: '•', blocks: [{ type: 'paragraph', text: 'two' }] },
          ],
        },
        {
          type: 'list',
          items: [{ label: '1.', value: 1, type: '1', blocks: [{ type: 'paragraph', text: 'first' }] }],
        },
        {
          type: 'photo',
          photo: [{ file_id: 'f', file_unique_id: 'u', width: 1, height: 1 }],
          caption: { text: 'The cover' },
        },
        { type: 'photo', photo: [{ file_id: 'f', file_unique_id: 'u', width: 1, height: 1 }] },
      ],
    };

    // Act
    const shown = renderRichMessage(message, plain);

    // Assess
    expect(shown).toBe(
      [
        '## On reading',
        '',
        'Read the essay (https://example.org/e) today.',
        '',
        '│ A quote\n│ in two lines\n│  — Someone',
        '',
        '• one\n• two',
        '',
        '1. first',
        '',
        '[image: The cover]',
        '',
        '[image]',
      ].join('\n'),
    );
  });

  it('uses ANSI bold for headings and emphasis on a terminal', () => {
    // Act
    const shown = renderRichMessage(
      {
        blocks: [
          { type: 'heading', size: 1, text: 'Title' },
          { type: 'paragraph', text: ['a ', { type: 'bold', text: 'b' }] },
        ],
      },
      tty,
    );

    // Assess
    expect(shown).toBe('\x1b[1m# Title\x1b[22m\n\na \x1b[1mb\x1b[22m');
  });

  it('wraps right-to-left lines in Unicode isolates without reversing them, inside quote bars too', () => {
    // Prepare
    const arabic = 'مرحبا بالعالم';
    const urdu = 'اردو میں ایک جملہ';

    // Act
    const detected = renderRichMessage(
      {
        blocks: [
          { type: 'paragraph', text: arabic },
          { type: 'paragraph', text: 'English stays as it is' },
          { type: 'blockquote', blocks: [{ type: 'paragraph', text: urdu }] },
        ],
      },
      plain,
    );
    const flagged = renderRichMessage(
      { blocks: [{ type: 'paragraph', text: '2026 — 42' }], is_rtl: true },
      plain,
    );

    // Assess
    expect(detected).toBe(`${RLI}${arabic}${PDI}\n\nEnglish stays as it is\n\n│ ${RLI}${urdu}${PDI}`);
    expect(flagged).toBe(`${RLI}2026 — 42${PDI}`);
  });

  it('shows expandable quotes, details, tables, code and dividers', () => {
    // Act
    const shown = renderRichMessage(
      {
        blocks: [
          { type: 'expandable_blockquote', text: 'long summary' },
          { type: 'details', summary: 'More', blocks: [{ type: 'paragraph', text: 'inside' }] },
          {
            type: 'table',
            cells: [
              [
                { text: 'Name', is_header: true, align: 'left', valign: 'top' },
                { text: 'Views', is_header: true, align: 'left', valign: 'top' },
              ],
              [
                { text: 'Essay', align: 'left', valign: 'top' },
                { text: '42', align: 'left', valign: 'top' },
              ],
            ],
          },
          { type: 'pre', text: 'let x = 1;' },
          { type: 'divider' },
        ],
      },
      plain,
    );

    // Assess
    expect(shown).toBe(
      '│ long summary\n│ [expandable quote]\n\n▸ More\n  inside\n\nName | Views\nEssay | 42\n\n    let x = 1;\n\n────────',
    );
  });
});

describe('renderTextMessage', () => {
  it('puts a bar before every line of a quote and marks an expandable one', () => {
    // Prepare
    const card = parseTelegramHtml(
      '<b>Title</b>\n<blockquote expandable>line one\nline two</blockquote>\n<a href="https://x.org/a">Read</a>',
    );

    // Act
    const shown = renderTextMessage(card.text, card.entities, plain);

    // Assess
    expect(shown).toBe('Title\n│ line one\n│ line two [expandable quote]\nRead (https://x.org/a)');
  });

  it('emphasises bold text on a terminal and leaves text without entities unchanged', () => {
    // Act
    const bold = renderTextMessage('Hello world', [{ type: 'bold', offset: 6, length: 5 }], tty);
    const bare = renderTextMessage('/start to begin', undefined, tty);

    // Assess
    expect(bold).toBe('Hello \x1b[1mworld\x1b[22m');
    expect(bare).toBe('/start to begin');
  });
});

describe('startsRightToLeft', () => {
  it('looks at the first letter, skipping digits and punctuation', () => {
    expect(startsRightToLeft('12. مرحبا')).toBe(true);
    expect(startsRightToLeft('«שלום»')).toBe(true);
    expect(startsRightToLeft('Hello مرحبا')).toBe(false);
    expect(startsRightToLeft('2026')).toBe(false);
  });
});
