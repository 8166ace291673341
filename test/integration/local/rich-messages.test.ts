import type { RichBlock } from '@grammyjs/types';
import {
  type BotApiStandIn,
  faults,
  RICH_MESSAGE_LIMITS,
  RICH_MESSAGE_UNSUPPORTED,
} from '../../../functions/local/telegram-stand-in';
import { type ApiReply, CHAT, rejected, startStandIn } from './support';

let standIn: BotApiStandIn;
let call: (method: string, params: Record<string, unknown>) => Promise<ApiReply>;

beforeEach(async () => {
  ({ standIn, call } = await startStandIn());
});

afterEach(async () => {
  await standIn?.stop();
});

const sendRich = (richMessage: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  call('sendRichMessage', { chat_id: CHAT, rich_message: richMessage, ...extra });
const paragraphs = (count: number): RichBlock[] =>
  Array.from({ length: count }, () => ({ type: 'paragraph', text: 'x' }));
const photo = (n: number) => ({
  type: 'photo',
  photo: { type: 'photo', media: `https://example.org/p${n}.jpg` },
});

describe('sendRichMessage: the three content forms', () => {
  it('parses Markdown into blocks: headings, emphasis, links, quotes, lists, images with captions, code', async () => {
    // Prepare
    const markdown = [
      '## A title',
      'Some *emphasis* and a [link](https://example.org/a?b=1&c=2).',
      '> quoted **bold**',
      '- one\n- two',
      '3. third\n4. fourth',
      '![alt is not shown](https://example.org/cover.jpg "The cover")',
      '```ts\nconst x = 1;\n```',
    ].join('\n\n');

    // Act
    const reply = await sendRich({ markdown });

    // Assess
    expect(reply.status).toBe(200);
    const blocks = standIn.lastMessage(CHAT)?.rich_message?.blocks;
    expect(blocks).toEqual([
      { type: 'heading', size: 2, text: 'A title' },
      {
        type: 'paragraph',
        text: [
          'Some ',
          { type: 'italic', text: 'emphasis' },
          ' and a ',
          { type: 'url', text: 'link', url: 'https://example.org/a?b=1&c=2' },
          '.',
        ],
      },
      {
        type: 'blockquote',
        blocks: [{ type: 'paragraph', text: ['quoted ', { type: 'bold', text: 'bold' }] }],
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
        items: [
          { label: '3.', value: 3, type: '1', blocks: [{ type: 'paragraph', text: 'third' }] },
          { label: '4.', value: 4, type: '1', blocks: [{ type: 'paragraph', text: 'fourth' }] },
        ],
      },
      expect.objectContaining({ type: 'photo', caption: { text: 'The cover' } }),
      { type: 'pre', language: 'ts', text: 'const x = 1;' },
    ]);
    expect(reply.body.result).toMatchObject({ message_id: 1, rich_message: { blocks } });
    expect(reply.body.result).not.toHaveProperty('text');
  });

  it('parses rich HTML: expandable quotes with credits, details, figures, tables and line breaks', async () => {
    // Prepare
    const html =
      '<h1>Report</h1>' +
      '<blockquote expandable>First line<br>second line<cite>The Author</cite></blockquote>\n' +
      '<details open><summary>More</summary><p>Hidden <b>text</b></p></details>' +
      '<figure><img src="https://example.org/map.png"/><figcaption>A map<cite>Photo credit</cite></figcaption></figure>' +
      '<table bordered><tr><th>Name</th><th align="right">Views</th></tr><tr><td>Essay</td><td align="right">42</td></tr></table>';

    // Act
    const reply = await sendRich({ html });

    // Assess
    expect(reply.status).toBe(200);
    expect(standIn.lastMessage(CHAT)?.rich_message?.blocks).toEqual([
      { type: 'heading', size: 1, text: 'Report' },
      { type: 'expandable_blockquote', text: 'First line\nsecond line', credit: 'The Author' },
      {
        type: 'details',
        is_open: true,
        summary: 'More',
        blocks: [{ type: 'paragraph', text: ['Hidden ', { type: 'bold', text: 'text' }] }],
      },
      expect.objectContaining({ type: 'photo', caption: { text: 'A map', credit: 'Photo credit' } }),
      {
        type: 'table',
        is_bordered: true,
        cells: [
          [
            { text: 'Name', is_header: true, align: 'left', valign: 'top' },
            { text: 'Views', is_header: true, align: 'right', valign: 'top' },
          ],
          [
            { text: 'Essay', align: 'left', valign: 'top' },
            { text: '42', align: 'right', valign: 'top' },
          ],
        ],
      },
    ]);
  });

  it('checks explicit blocks, turns media into file objects and keeps is_rtl and the keyboard', async () => {
    // Prepare
    const blocks = [
      { type: 'heading', size: 3, text: 'عنوان' },
      { type: 'paragraph', text: ['نص ', { type: 'url', text: 'رابط', url: 'https://example.org/ar' }] },
      {
        type: 'photo',
        photo: { type: 'photo', media: 'https://example.org/a.jpg' },
        caption: { text: 'صورة' },
      },
      { type: 'list', items: [{ blocks: [{ type: 'paragraph', text: 'a' }], value: 2, type: 'i' }] },
    ];
    const keyboard = { inline_keyboard: [[{ text: 'Next', callback_data: 'next' }]] };

    // Act
    const reply = await sendRich({ blocks, is_rtl: true }, { reply_markup: keyboard });

    // Assess
    expect(reply.status).toBe(200);
    const message = standIn.lastMessage(CHAT);
    expect(message?.rich_message?.is_rtl).toBe(true);
    expect(message?.rich_message?.blocks[2]).toEqual({
      type: 'photo',
      photo: [expect.objectContaining({ file_id: expect.any(String), width: expect.any(Number) })],
      caption: { text: 'صورة' },
    });
    expect(message?.rich_message?.blocks[3]).toMatchObject({
      type: 'list',
      items: [{ label: 'ii.', value: 2 }],
    });
    expect(message?.reply_markup).toEqual(keyboard);
    expect(message?.parseMode).toBe('rich:blocks');
    expect(message?.text).toBe('عنوان\nنص رابط\nصورة\nii. a');
  });

  it('resolves tg://photo?id= references to the message media list', async () => {
    // Prepare
    const media = [{ id: 'cover', media: { type: 'photo', media: 'https://example.org/cover.jpg' } }];

    // Act
    const known = await sendRich({ markdown: '![](tg://photo?id=cover "Cover")', media });
    const unknown = await sendRich({ markdown: '![](tg://photo?id=other)', media });

    // Assess
    expect(known.status).toBe(200);
    expect(standIn.lastMessage(CHAT)?.rich_message?.blocks).toEqual([
      expect.objectContaining({ type: 'photo', caption: { text: 'Cover' } }),
    ]);
    expect(unknown).toEqual(rejected('RICH_MESSAGE_MEDIA_ID_INVALID'));
  });
});

describe("sendRichMessage: Telegram's limits at their boundaries", () => {
  it(`accepts ${RICH_MESSAGE_LIMITS.blocks} blocks and refuses one more`, async () => {
    // Act
    const atLimit = await sendRich({ blocks: paragraphs(500) });
    const over = await sendRich({ blocks: paragraphs(501) });

    // Assess
    expect(atLimit.status).toBe(200);
    expect(over).toEqual(rejected('RICH_MESSAGE_BLOCKS_TOO_MUCH'));
    expect(standIn.richMessages(CHAT)).toHaveLength(1);
  });

  it('counts list items and table rows as blocks (600 list items are refused)', async () => {
    // Prepare: a list of 166 items of one paragraph each is 1 + 166 × 2 = 333 blocks; a table
    // of 499 rows is 500.
    const items = (count: number) => Array.from({ length: count }, (_, i) => `- item ${i}`).join('\n');
    const rows = (count: number) => `<table>${'<tr><td>a</td></tr>'.repeat(count)}</table>`;

    // Act
    const fits = await sendRich({ markdown: items(166) });
    const hostile = await sendRich({ markdown: items(600) });
    const tableAtLimit = await sendRich({ html: rows(499) });
    const tableOver = await sendRich({ html: rows(500) });

    // Assess
    expect(fits.status).toBe(200);
    expect(hostile).toEqual(rejected('RICH_MESSAGE_BLOCKS_TOO_MUCH'));
    expect(tableAtLimit.status).toBe(200);
    expect(tableOver).toEqual(rejected('RICH_MESSAGE_BLOCKS_TOO_MUCH'));
  });

  it('accepts 32,768 characters (code points: an emoji counts once) and refuses one more', async () => {
    // Act
    const atLimit = await sendRich({ blocks: [{ type: 'paragraph', text: `${'a'.repeat(32_767)}😀` }] });
    const over = await sendRich({
      blocks: [
        { type: 'heading', size: 1, text: 'a'.repeat(16_384) },
        { type: 'paragraph', text: 'b'.repeat(16_385) },
      ],
    });

    // Assess
    expect(atLimit.status).toBe(200);
    expect(over).toEqual(rejected('RICH_MESSAGE_TOO_LONG'));
  });

  it('accepts 16 levels of nested blocks and formatting and refuses 17', async () => {
    // Prepare: n-1 quotes around a paragraph is n levels; a bold inside a paragraph is one more.
    const quotes = (levels: number): string => `${'>'.repeat(levels - 1)} deep`;
    const bolds = (levels: number): Record<string, unknown> => {
      let text: unknown = 'deep';
      for (let i = 1; i < levels; i += 1) text = { type: 'bold', text };
      return { type: 'paragraph', text };
    };

    // Act
    const quotesAtLimit = await sendRich({ markdown: quotes(16) });
    const quotesOver = await sendRich({ markdown: quotes(17) });
    const hostile = await sendRich({ markdown: quotes(20) });
    const boldAtLimit = await sendRich({ blocks: [bolds(16)] });
    const boldOver = await sendRich({ blocks: [bolds(17)] });

    // Assess
    expect(quotesAtLimit.status).toBe(200);
    expect(quotesOver).toEqual(rejected('RICH_MESSAGE_NESTING_TOO_DEEP'));
    expect(hostile).toEqual(rejected('RICH_MESSAGE_NESTING_TOO_DEEP'));
    expect(boldAtLimit.status).toBe(200);
    expect(boldOver).toEqual(rejected('RICH_MESSAGE_NESTING_TOO_DEEP'));
  });

  it('accepts 50 media and refuses 51, wherever they are nested', async () => {
    // Act
    const atLimit = await sendRich({ blocks: Array.from({ length: 50 }, (_, n) => photo(n)) });
    const over = await sendRich({
      blocks: [
        ...Array.from({ length: 49 }, (_, n) => photo(n)),
        { type: 'collage', blocks: [photo(49), photo(50)] },
      ],
    });

    // Assess
    expect(atLimit.status).toBe(200);
    expect(over).toEqual(rejected('RICH_MESSAGE_MEDIA_TOO_MUCH'));
  });

  it('accepts 20 table columns and refuses 21, counting colspan', async () => {
    // Prepare
    const row = (cells: string) => `<table><tr>${cells}</tr></table>`;

    // Act
    const atLimit = await sendRich({ html: row('<td>c</td>'.repeat(20)) });
    const over = await sendRich({ html: row('<td>c</td>'.repeat(21)) });
    const spanned = await sendRich({ html: row(`${'<td>c</td>'.repeat(19)}<td colspan="2">wide</td>`) });

    // Assess
    expect(atLimit.status).toBe(200);
    expect(over).toEqual(rejected('RICH_MESSAGE_TABLE_COLUMNS_TOO_MUCH'));
    expect(spanned).toEqual(rejected('RICH_MESSAGE_TABLE_COLUMNS_TOO_MUCH'));
  });
});

describe('sendRichMessage: what Telegram refuses', () => {
  it('refuses links and media that are not http(s), in every form', async () => {
    // Act
    const markdownLink = await sendRich({ markdown: '[click](javascript:alert(1))' });
    const htmlLink = await sendRich({ html: '<p><a href="data:text/html,x">x</a></p>' });
    const blocksLink = await sendRich({
      blocks: [{ type: 'paragraph', text: { type: 'url', text: 'x', url: 'ftp://example.org/' } }],
    });
    const relativeImage = await sendRich({ markdown: '![](/images/cover.jpg)' });
    const ftpPhoto = await sendRich({
      blocks: [{ type: 'photo', photo: { type: 'photo', media: 'ftp://x.org/a.jpg' } }],
    });
    const email = await sendRich({ html: '<p><a href="mailto:not-an-address">mail</a></p>' });

    // Assess
    expect(markdownLink).toEqual(rejected('RICH_MESSAGE_URL_INVALID'));
    expect(htmlLink).toEqual(rejected('RICH_MESSAGE_URL_INVALID'));
    expect(blocksLink).toEqual(rejected('RICH_MESSAGE_URL_INVALID'));
    expect(relativeImage).toEqual(rejected('RICH_MESSAGE_MEDIA_URL_INVALID'));
    expect(ftpPhoto).toEqual(rejected('RICH_MESSAGE_MEDIA_URL_INVALID'));
    expect(email).toEqual(rejected('RICH_MESSAGE_EMAIL_INVALID'));
    expect(standIn.messages(CHAT)).toEqual([]);
  });

  it('refuses raw HTML it does not support, malformed HTML and an inline image, with the byte offset', async () => {
    // Act
    const script = await sendRich({ markdown: 'Hello <script>alert(1)</script>' });
    const unclosed = await sendRich({ html: '<p>open <b>bold</p>' });
    const inlineImage = await sendRich({ html: '<p>see <img src="https://example.org/a.jpg"/></p>' });

    // Assess
    expect(script).toEqual(
      rejected('can\'t parse entities: Unsupported start tag "script" at byte offset 9'),
    );
    expect(unclosed).toEqual(
      rejected('can\'t parse entities: Unmatched end tag at byte offset 15, expected "</b>", found "</p>"'),
    );
    expect(inlineImage).toEqual(
      rejected("can't parse entities: Media can be used only as a separate block at byte offset 7"),
    );
  });

  it('wants exactly one of markdown, html and blocks, and some content', async () => {
    // Act
    const none = await call('sendRichMessage', { chat_id: CHAT });
    const noForm = await sendRich({ is_rtl: true });
    const two = await sendRich({ markdown: 'a', html: '<p>a</p>' });
    const blank = await sendRich({ markdown: '  \n\n ' });
    const unknownBlock = await sendRich({ blocks: [{ type: 'marquee', text: 'x' }] });
    const draftOnly = await sendRich({ blocks: [{ type: 'thinking', text: 'hmm' }] });

    // Assess
    expect(none).toEqual(rejected('RICH_MESSAGE_CONTENT_REQUIRED'));
    expect(noForm).toEqual(rejected('RICH_MESSAGE_CONTENT_REQUIRED'));
    expect(two).toEqual(rejected('RICH_MESSAGE_CONTENT_INVALID'));
    expect(blank).toEqual(rejected('RICH_MESSAGE_CONTENT_REQUIRED'));
    expect(unknownBlock).toEqual(rejected('can\'t parse InputRichBlock: Unsupported type "marquee"'));
    expect(draftOnly).toEqual(rejected('RICH_VALIDATE_CTOR_NOT_ALLOWED'));
  });

  it('takes is_rtl and skip_entity_detection only as JSON booleans, and stores false as absent', async () => {
    // Act
    const text = await sendRich({ markdown: 'مرحبا', is_rtl: 'true' });
    const number = await sendRich({ markdown: 'مرحبا', is_rtl: 1 });
    const nul = await sendRich({ markdown: 'مرحبا', is_rtl: null });
    const skip = await sendRich({ markdown: 'a', skip_entity_detection: 'yes' });
    const ltr = await sendRich({ markdown: 'hello', is_rtl: false, skip_entity_detection: false });

    // Assess
    const bad = (flag: string) =>
      rejected(`can't parse InputRichMessage: Field "${flag}" must be of type Boolean`);
    expect(text).toEqual(bad('is_rtl'));
    expect(number).toEqual(bad('is_rtl'));
    expect(nul).toEqual(bad('is_rtl'));
    expect(skip).toEqual(bad('skip_entity_detection'));
    expect(ltr.status).toBe(200);
    expect(standIn.messages(CHAT)).toHaveLength(1);
    expect(standIn.lastMessage(CHAT)?.rich_message).not.toHaveProperty('is_rtl');
  });
});

describe('rich messages not available', () => {
  it('answers RICH_MESSAGE_UNSUPPORTED in a chat marked unavailable, so a bot can fall back', async () => {
    // Prepare
    standIn.setRichMessagesAvailable(CHAT, false);

    // Act
    const refused = await sendRich({ markdown: 'Hello' });
    const elsewhere = await call('sendRichMessage', { chat_id: 2002, rich_message: { markdown: 'Hello' } });
    const plain = await call('sendMessage', { chat_id: CHAT, text: 'Hello' });
    standIn.setRichMessagesAvailable(CHAT, true);
    const again = await sendRich({ markdown: 'Hello' });

    // Assess
    expect(refused).toEqual(rejected('RICH_MESSAGE_UNSUPPORTED'));
    expect(elsewhere.status).toBe(200);
    expect(plain.status).toBe(200);
    expect(again.status).toBe(200);
    expect(standIn.messages(CHAT).map((message) => message.parseMode ?? 'text')).toEqual([
      'text',
      'rich:markdown',
    ]);
  });

  it('can refuse just the next rich message through a fault', async () => {
    // Prepare
    standIn.injectFault(faults.richMessagesUnavailable({ chatId: CHAT }));

    // Act
    const first = await sendRich({ markdown: 'Hello' });
    const second = await sendRich({ markdown: 'Hello' });

    // Assess
    expect(first.body.description).toBe(RICH_MESSAGE_UNSUPPORTED);
    expect(first).toEqual(rejected('RICH_MESSAGE_UNSUPPORTED'));
    expect(second.status).toBe(200);
  });
});

describe('editMessageText with rich_message', () => {
  it('replaces the blocks, refuses an identical edit, and turns a text message into a rich one', async () => {
    // Prepare
    const sent = await sendRich({ markdown: 'Part 1/2' });
    const text = await call('sendMessage', { chat_id: CHAT, text: 'plain' });
    const id = (reply: ApiReply) => (reply.body.result as { message_id: number }).message_id;

    // Act
    const edited = await call('editMessageText', {
      chat_id: CHAT,
      message_id: id(sent),
      rich_message: { markdown: '## Part 1/2\n\nbody' },
    });
    const same = await call('editMessageText', {
      chat_id: CHAT,
      message_id: id(sent),
      rich_message: { markdown: '## Part 1/2\n\nbody' },
    });
    const converted = await call('editMessageText', {
      chat_id: CHAT,
      message_id: id(text),
      rich_message: { html: '<p>now <i>rich</i></p>' },
    });
    const both = await call('editMessageText', {
      chat_id: CHAT,
      message_id: id(text),
      text: 'x',
      rich_message: { markdown: 'y' },
    });
    const tooDeep = await call('editMessageText', {
      chat_id: CHAT,
      message_id: id(text),
      rich_message: { markdown: `${'>'.repeat(16)} deep` },
    });

    // Assess
    expect(edited.body.result).toMatchObject({
      edit_date: expect.any(Number),
      rich_message: {
        blocks: [
          { type: 'heading', size: 2, text: 'Part 1/2' },
          { type: 'paragraph', text: 'body' },
        ],
      },
    });
    expect(same).toEqual(
      rejected(
        'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      ),
    );
    expect(converted.body.result).toMatchObject({
      rich_message: { blocks: [{ type: 'paragraph', text: ['now ', { type: 'italic', text: 'rich' }] }] },
    });
    expect(converted.body.result).not.toHaveProperty('text');
    expect(both).toEqual(rejected('RICH_MESSAGE_CONTENT_INVALID'));
    expect(tooDeep).toEqual(rejected('RICH_MESSAGE_NESTING_TOO_DEEP'));
    expect(standIn.richMessages(CHAT)).toHaveLength(2);
  });

  it('refuses a rich edit in a chat where rich messages are not available', async () => {
    // Prepare
    const text = await call('sendMessage', { chat_id: CHAT, text: 'plain' });
    standIn.setRichMessagesAvailable(CHAT, false);

    // Act
    const refused = await call('editMessageText', {
      chat_id: CHAT,
      message_id: (text.body.result as { message_id: number }).message_id,
      rich_message: { markdown: 'rich' },
    });

    // Assess
    expect(refused).toEqual(rejected('RICH_MESSAGE_UNSUPPORTED'));
    expect(standIn.lastMessage(CHAT)?.rich_message).toBeUndefined();
  });
});
