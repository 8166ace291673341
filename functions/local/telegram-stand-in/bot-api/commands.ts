/**
 * The bot's command list and menu button: setMyCommands, getMyCommands, deleteMyCommands,
 * setChatMenuButton, getChatMenuButton.
 */
import type { ApiContext } from './context';
import type { MethodTable } from './dispatcher';
import { badRequest } from './errors';
import { canonicalJson, intParam, isRecord, type Params, stringParam } from './params';

function commandsKey(params: Params): string {
  return `${canonicalJson(params.scope ?? { type: 'default' })}|${stringParam(params, 'language_code') ?? ''}`;
}

export function commandMethods({ state }: ApiContext): MethodTable {
  return {
    setMyCommands: (params) => {
      const raw = params.commands;
      if (!Array.isArray(raw)) throw badRequest("can't parse commands JSON object");
      if (raw.length > 100) throw badRequest('too many commands specified');
      // A menu per interface language: Telegram takes only a two-letter ISO 639-1 code (`ur`, not
      // `ur-PK`); an empty one means every language without its own menu.
      const languageCode = stringParam(params, 'language_code');
      if (languageCode !== undefined && languageCode !== '' && !/^[a-z]{2}$/.test(languageCode)) {
        throw badRequest('invalid language code specified');
      }
      for (const command of raw) {
        if (
          !isRecord(command) ||
          typeof command.command !== 'string' ||
          typeof command.description !== 'string'
        ) {
          throw badRequest('can\'t parse BotCommand: Field "command" must be of type String');
        }
        if (!/^[a-z0-9_]{1,32}$/.test(command.command)) throw badRequest('BOT_COMMAND_INVALID');
        if (command.description.trim() === '' || command.description.length > 256) {
          throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
        }
      }
      state.commands.set(
        commandsKey(params),
        raw.map((command) => ({ ...(command as Record<string, unknown>) })),
      );
      return { result: true };
    },
    getMyCommands: (params) => ({ result: state.commands.get(commandsKey(params)) ?? [] }),
    deleteMyCommands: (params) => {
      state.commands.delete(commandsKey(params));
      return { result: true };
    },
    setChatMenuButton: (params) => {
      state.menuButtons.set(String(intParam(params, 'chat_id') ?? 'default'), params.menu_button);
      return { result: true };
    },
    getChatMenuButton: (params) => ({
      result: state.menuButtons.get(String(intParam(params, 'chat_id') ?? 'default')) ?? { type: 'default' },
    }),
  };
}
