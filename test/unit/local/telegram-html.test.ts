import { telegramLength } from '../../../functions/core/text';
import {
  CANT_PARSE_ENTITIES,
  parseTelegramHtml,
  TelegramHtmlError,
  trimFormattedText,
  tryParseTelegramHtml,
} from '../../../functions/local/telegram-html';

/** The reason Telegram would give for rejecting `html` (fails the test if it is accepted). */
function rejection(html: string): string {
  const result = tryParseTelegramHtml(html);
  if (result.ok) throw new Error(`expected ${JSON.stringify(html)} to be rejected`);
  return result.error.reason;
}

describe('parseTelegramHtml: valid markup', () => {
  it('turns nested tags into entities sorted by offset, outer first', () => {
    // Prepare
    const html = '<b>bold <i>both</i></b> plain';

    // Act
    const parsed = parseTelegramHtml(html);

    // Assess
    expect(parsed.text).toBe('bold both plain');
    expect(parsed.entities).toEqual([
      { type: 'bold', offset: 0, length: 9 },
      { type: 'italic', offset: 5, length: 4 },
    ]);
  });

  it('maps every alias to its entity type, case-insensitively', () => {
    // Prepare
    const html =
      '<strong>a</strong><em>b</em><ins>c</ins><u>d</u><s>e</s><strike>f</strike><del>g</del>' +
      '<tg-spoiler>h</tg-spoiler><span class="tg-spoiler">i</span><B>j</B><code>k</code>';

    // Act
    const { text, entities } = parseTelegramHtml(html);

    // Assess
    expect(text).toBe('abcdefghijk');
    expect(entities.map((entity) => entity.type)).toEqual([
      'bold',
      'italic',
      'underline',
      'underline',
      'strikethrough',
      'strikethrough',
      'strikethrough',
      'spoiler',
      'spoiler',
      'bold',
      'code',
    ]);
  });

  it('reads attribute values in double quotes, single quotes and as bare name tokens', () => {
    // Prepare
    const html = `<a href='https://example.com/x?a=1&amp;b=2'>one</a> <span class=tg-spoiler>two</span>`;

    // Act
    const { text, entities } = parseTelegramHtml(html);

    // Assess
    expect(text).toBe('one two');
    expect(entities).toEqual([
      { type: 'text_link', offset: 0, length: 3, url: 'https://example.com/x?a=1&b=2' },
      { type: 'spoiler', offset: 4, length: 3 },
    ]);
  });

  it('turns <pre><code class="language-x"> into one pre entity with a language', () => {
    // Act
    const fenced = parseTelegramHtml('<pre><code class="language-typescript">const a = 1;</code></pre>');
    const plainPre = parseTelegramHtml('<pre>raw</pre>');
    const inlineCode = parseTelegramHtml('<code class="language-ts">x</code>');

    // Assess
    expect(fenced.entities).toEqual([{ type: 'pre', offset: 0, length: 12, language: 'typescript' }]);
    expect(plainPre.entities).toEqual([{ type: 'pre', offset: 0, length: 3 }]);
    expect(inlineCode.entities).toEqual([{ type: 'code', offset: 0, length: 1 }]);
  });

  it('supports links, mentions, blockquotes and custom emoji', () => {
    // Act
    const { text, entities } = parseTelegramHtml(
      '<a href="http://example.org">site</a> <a href="tg://user?id=42">Ann</a> <a>https://t.me/x</a>' +
        '<blockquote>q</blockquote><blockquote expandable>long</blockquote>' +
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
    );

    // Assess
    expect(text).toBe('site Ann https://t.me/xqlong👍');
    expect(entities).toEqual([
      { type: 'text_link', offset: 0, length: 4, url: 'http://example.org/' },
      { type: 'text_mention', offset: 5, length: 3, user: { id: 42, is_bot: false, first_name: '' } },
      { type: 'text_link', offset: 9, length: 14, url: 'https://t.me/x' },
      { type: 'blockquote', offset: 23, length: 1 },
      { type: 'expandable_blockquote', offset: 24, length: 4 },
      { type: 'custom_emoji', offset: 28, length: 2, custom_emoji_id: '5368324170671202286' },
    ]);
  });

  it('drops the link of an <a> whose href Telegram would not accept, keeping the text', () => {
    // Act
    const { text, entities } = parseTelegramHtml('<a href="javascript:alert(1)">click</a>');

    // Assess
    expect(text).toBe('click');
    expect(entities).toEqual([]);
  });

  it('decodes the four named entities and numeric ones', () => {
    // Act
    const { text } = parseTelegramHtml('&lt;b&gt; &amp; &quot;q&quot; &#65;&#x42;&#x1F600;');

    // Assess
    expect(text).toBe('<b> & "q" AB😀');
  });

  it('counts offsets and lengths in UTF-16 code units, so astral emoji count two', () => {
    // Act
    // 😀 and 👍 are surrogate pairs, the skin-tone modifier 🏽 is a third pair: 2 + 1 + (2 + 2 + 3) + 2.
    const { text, entities } = parseTelegramHtml('😀 <b>👍🏽 ok</b> é');

    // Assess
    expect(telegramLength(text)).toBe(12);
    expect(entities).toEqual([{ type: 'bold', offset: 3, length: 7 }]);
  });

  it('makes no entity for an empty element and lets </> close the innermost tag', () => {
    // Act
    const empty = parseTelegramHtml('a<b></b>b');
    const shortClose = parseTelegramHtml('<i>x</>');

    // Assess
    expect(empty).toEqual({ text: 'ab', entities: [] });
    expect(shortClose.entities).toEqual([{ type: 'italic', offset: 0, length: 1 }]);
  });
});

describe('parseTelegramHtml: rejected markup', () => {
  it('rejects unsupported tags with their byte offset', () => {
    expect(rejection('<div>x</div>')).toBe('Unsupported start tag "div" at byte offset 0');
    // "é" is two bytes in UTF-8 and "😀" four: Telegram counts bytes, not characters.
    expect(rejection('é😀<br>')).toBe('Unsupported start tag "br" at byte offset 6');
  });

  it('rejects an end tag with nothing open', () => {
    expect(rejection('ok</b>')).toBe('Unexpected end tag at byte offset 2');
  });

  it('rejects a start tag that is never closed', () => {
    expect(rejection('<b>bold <i>both</i>')).toBe('Can\'t find end tag corresponding to start tag "b"');
  });

  it('rejects crossed tags', () => {
    expect(rejection('<b><i>x</b></i>')).toBe(
      'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"',
    );
  });

  it('rejects an unescaped <', () => {
    expect(rejection('a < b')).toBe('Unsupported start tag "" at byte offset 2');
    expect(rejection('1<2')).toBe('Unclosed start tag at byte offset 1');
    expect(rejection('x <3 you')).toBe('Unsupported start tag "3" at byte offset 2');
  });

  it('rejects an unescaped & and entities Telegram does not know', () => {
    expect(rejection('Tom & Jerry')).toBe("Can't find end of the entity starting at byte offset 4");
    expect(rejection('&nbsp;')).toBe("Can't find end of the entity starting at byte offset 0");
    expect(rejection('&#0;')).toBe("Can't find end of the entity starting at byte offset 0");
  });

  it("keeps a bare & as text when asked for Telegram's tolerant behaviour", () => {
    // Act
    const parsed = parseTelegramHtml('Tom & Jerry &nbsp;', { strictAmpersand: false });

    // Assess
    expect(parsed.text).toBe('Tom & Jerry &nbsp;');
  });

  it('rejects malformed tags and attributes', () => {
    expect(rejection('<span>x</span>')).toBe('Tag "span" must have class "tg-spoiler" at byte offset 0');
    expect(rejection('<b>x</b')).toBe('Unclosed end tag at byte offset 4');
    expect(rejection('<a ="x">y</a>')).toBe('Empty attribute name in the tag "a" at byte offset 0');
    expect(rejection('<a href=http://x>y</a>')).toBe('Unexpected end of name token at byte offset 8');
    expect(rejection('<a href="x')).toBe('Unclosed start tag at byte offset 0');
    expect(rejection('<tg-emoji emoji-id="abc">x</tg-emoji>')).toBe(
      'Invalid custom emoji identifier specified',
    );
  });

  it('throws a TelegramHtmlError carrying the Bot API description', () => {
    // Act
    const attempt = (): unknown => parseTelegramHtml('<p>x</p>');

    // Assess
    expect(attempt).toThrow(TelegramHtmlError);
    expect(attempt).toThrow(`${CANT_PARSE_ENTITIES}Unsupported start tag "p" at byte offset 0`);
  });
});

describe('trimFormattedText', () => {
  it('trims blanks at both ends and shortens the entities covering them', () => {
    // Prepare
    const parsed = parseTelegramHtml('\n <b> hi</b> there <i> </i>\n');

    // Act
    const trimmed = trimFormattedText(parsed);

    // Assess
    expect(trimmed).toEqual({ text: 'hi there', entities: [{ type: 'bold', offset: 0, length: 2 }] });
  });
});

describe('parseTelegramHtml: block quotes', () => {
  it('refuses a block quote nested in another, expandable or not', () => {
    // Act
    const nested = tryParseTelegramHtml('<blockquote expandable>a <blockquote>b</blockquote></blockquote>');

    // Assess
    expect(nested.ok).toBe(false);
    if (!nested.ok) expect(nested.error.reason).toBe("Blockquote entities can't be nested at byte offset 25");
  });
});
