import {
  articlePayload,
  authorPayload,
  deepLinkUrl,
  parseDeepLink,
  sharePayload,
} from '../../../functions/bot/deep-link';

describe('parseDeepLink', () => {
  it.each([undefined, '', '   '])('reads %p as no payload', (payload) => {
    // Prepare (the payload)

    // Act
    const link = parseDeepLink(payload);

    // Assess
    expect(link).toEqual({ kind: 'none' });
  });

  it.each([
    ['a_article-00', { kind: 'article', id: 'article-00' }],
    [` a_x `, { kind: 'article', id: 'x' }],
    ['u_jdoe', { kind: 'author', handle: 'jdoe' }],
    ['u_j_doe_2', { kind: 'author', handle: 'j_doe_2' }],
    ['s_AbCdEf1234', { kind: 'share', code: 'AbCdEf1234' }],
    ['s_abcdefgh', { kind: 'share', code: 'abcdefgh' }],
  ])('parses %p', (payload, expected) => {
    // Prepare (the payload)

    // Act
    const link = parseDeepLink(payload);

    // Assess
    expect(link).toEqual(expected);
  });

  it.each([
    ['characters Telegram never sends', '%%%'],
    ['a space inside', 'a_two words'],
    ['65 characters', `a_${'x'.repeat(63)}`],
    ['an upper-case article id', 'a_UPPER'],
    ['an article id starting with -', 'a_-x'],
    ['an empty article id', 'a_'],
    ['a 49-character article id', `a_${'x'.repeat(49)}`],
    ['an upper-case handle', 'u_JDoe'],
    ['a one-letter handle', 'u_j'],
    ['a share code that is too short', 's_Abc1234'],
    ['a share code that is too long', `s_${'A'.repeat(17)}`],
    ['a share code with _', 's_Abc_12345'],
    ['an unknown prefix', 'x_abc'],
    ['a prefix in the wrong case', 'A_article-00'],
    ['no prefix', 'article-00'],
    ['Cyrillic', 'a_статья'],
  ])('marks %s as invalid', (_name, payload) => {
    // Prepare (the payload)

    // Act
    const link = parseDeepLink(payload);

    // Assess
    expect(link).toEqual({ kind: 'invalid' });
  });

  it('round-trips the payloads the bot builds, the longest ones included, within 64 characters', () => {
    // Prepare
    const id = `a${'-b'.repeat(19)}x`; // 40 characters, the longest id allowed
    const handle = 'h'.repeat(32);
    const code = 'Z'.repeat(16);

    // Act
    const payloads = [articlePayload(id), authorPayload(handle), sharePayload(code)];

    // Assess
    expect(payloads.map((p) => parseDeepLink(p))).toEqual([
      { kind: 'article', id },
      { kind: 'author', handle },
      { kind: 'share', code },
    ]);
    for (const p of payloads) expect(p.length).toBeLessThanOrEqual(64);
  });

  it('builds the t.me link', () => {
    // Prepare
    const payload = sharePayload('AbCdEf1234');

    // Act
    const url = deepLinkUrl('HeraldTestBot', payload);

    // Assess
    expect(url).toBe('https://t.me/HeraldTestBot?start=s_AbCdEf1234');
  });
});
