/**
 * Who a command in a message's text is for. In a group several bots may share a command name
 * (`/settings`), so only `/cmd@ThisBot` is certainly this bot's there; in a private chat a bare
 * `/cmd` is too.
 */

/** The command at the start of `text` and the bot it names (`/cmd@Bot`); undefined: no command. */
export function parseCommand(text: string): { name: string; to?: string } | undefined {
  const m = /^\/([^\s@]*)(?:@(\S*))?/.exec(text);
  if (!m) return undefined;
  return m[2] === undefined ? { name: m[1] ?? '' } : { name: m[1] ?? '', to: m[2] };
}

/** True when the command names this bot (`me`, any case), or names none in a private chat. */
export function isForThisBot(
  command: { to?: string },
  me: string,
  chatType: 'private' | 'group' | 'supergroup' | 'channel',
): boolean {
  if (command.to !== undefined) return command.to.toLowerCase() === me.toLowerCase();
  return chatType === 'private';
}
