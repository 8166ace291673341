import { isForThisBot, parseCommand } from '../../../functions/bot/command-text';

describe('parseCommand and isForThisBot', () => {
  it.each([
    ['/settings@HeraldBot', 'supergroup', true],
    ['/settings@heraldbot now', 'group', true],
    ['/settings@OtherBot', 'private', false],
    ['/settings', 'private', true],
    ['/settings', 'supergroup', false],
  ] as const)('%s in a %s chat is for this bot: %s', (text, chatType, expected) => {
    // Act
    const command = parseCommand(text);

    // Assess
    expect(command?.name).toBe('settings');
    expect(command && isForThisBot(command, 'HeraldBot', chatType)).toBe(expected);
  });

  it('finds no command in plain text', () => {
    expect(parseCommand('hello /settings')).toBeUndefined();
  });
});
