import type { BotApiStandIn } from '../../../functions/local/telegram-stand-in';
import { type ApiReply, CHAT, rejected, startStandIn } from './support';

let standIn: BotApiStandIn;
let call: (method: string, params: Record<string, unknown>) => Promise<ApiReply>;

beforeEach(async () => {
  ({ standIn, call } = await startStandIn());
});

afterEach(async () => {
  await standIn?.stop();
});

describe('link_preview_options', () => {
  it('accepts the options on sendMessage and editMessageText and reports them on the message', async () => {
    // Prepare
    const options = { url: 'https://example.org/essay', prefer_small_media: true, show_above_text: false };

    // Act
    const sent = await call('sendMessage', { chat_id: CHAT, text: 'Read it', link_preview_options: options });
    const edited = await call('editMessageText', {
      chat_id: CHAT,
      message_id: 1,
      text: 'Read it now',
      link_preview_options: { is_disabled: true },
    });
    const legacy = await call('sendMessage', {
      chat_id: CHAT,
      text: 'Old style',
      disable_web_page_preview: true,
    });

    // Assess
    expect(sent.body.result).toMatchObject({ link_preview_options: options });
    expect(edited.body.result).toMatchObject({ link_preview_options: { is_disabled: true } });
    expect(legacy.body.result).toMatchObject({ link_preview_options: { is_disabled: true } });
    expect(standIn.messages(CHAT).map((message) => message.link_preview_options)).toEqual([
      { is_disabled: true },
      { is_disabled: true },
    ]);
  });

  it('accepts options sent as a JSON string by a urlencoded client', async () => {
    // Act
    const response = await fetch(
      `${standIn.apiRoot}/bot123456789:FAKE-test-token-for-the-stand-in/sendMessage`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          chat_id: String(CHAT),
          text: 'x',
          link_preview_options: JSON.stringify({ is_disabled: true }),
        }).toString(),
      },
    );

    // Assess
    expect(response.status).toBe(200);
    expect(standIn.lastMessage(CHAT)?.link_preview_options).toEqual({ is_disabled: true });
  });

  it('refuses options of the wrong shape, a preview URL that is not http(s), and small plus large media', async () => {
    // Act
    const notObject = await call('sendMessage', { chat_id: CHAT, text: 'x', link_preview_options: 'off' });
    const wrongType = await call('sendMessage', {
      chat_id: CHAT,
      text: 'x',
      link_preview_options: { is_disabled: 'yes' },
    });
    const badUrl = await call('sendMessage', {
      chat_id: CHAT,
      text: 'x',
      link_preview_options: { url: 'javascript:alert(1)' },
    });
    const both = await call('sendMessage', {
      chat_id: CHAT,
      text: 'x',
      link_preview_options: { prefer_small_media: true, prefer_large_media: true },
    });

    // Assess
    expect(notObject).toEqual(rejected("can't parse link preview options JSON object"));
    expect(wrongType).toEqual(
      rejected('can\'t parse LinkPreviewOptions: Field "is_disabled" must be of type Boolean'),
    );
    expect(badUrl).toEqual(rejected('LINK_PREVIEW_URL_INVALID'));
    expect(both).toEqual(
      rejected('LINK_PREVIEW_MEDIA_SIZE_CONFLICT: prefer_small_media and prefer_large_media are both set'),
    );
    expect(standIn.messages(CHAT)).toEqual([]);
  });
});

describe('expandable block quotes in parse_mode HTML', () => {
  it('turns <blockquote expandable> into an expandable_blockquote entity, in sends and edits', async () => {
    // Prepare
    const html = '<b>Title</b>\n<blockquote expandable>A long summary\nover lines</blockquote>';

    // Act
    const sent = await call('sendMessage', { chat_id: CHAT, text: html, parse_mode: 'HTML' });
    const edited = await call('editMessageText', {
      chat_id: CHAT,
      message_id: 1,
      text: `${html} <i>edited</i>`,
      parse_mode: 'HTML',
    });

    // Assess
    expect(sent.body.result).toMatchObject({
      text: 'Title\nA long summary\nover lines',
      entities: [
        { type: 'bold', offset: 0, length: 5 },
        { type: 'expandable_blockquote', offset: 6, length: 25 },
      ],
    });
    expect(edited.body.result).toMatchObject({
      entities: expect.arrayContaining([{ type: 'expandable_blockquote', offset: 6, length: 25 }]),
    });
  });

  it('refuses a block quote inside another (Telegram: they "can\'t be nested")', async () => {
    // Act
    const nested = await call('sendMessage', {
      chat_id: CHAT,
      text: '<blockquote>outer <blockquote expandable>inner</blockquote></blockquote>',
      parse_mode: 'HTML',
    });

    // Assess
    expect(nested).toEqual(
      rejected("can't parse entities: Blockquote entities can't be nested at byte offset 18"),
    );
  });
});
