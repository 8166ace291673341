/**
 * What a chat test reads off the stand-in: the last message in a chat, its buttons, the toast a
 * button press got, and new users. One copy for every bot test.
 */
import { stripBidiControls } from '../../functions/i18n';
import type { SimulatedUser, StoredMessage } from '../../functions/local/telegram-stand-in';
import type { Harness } from './harness';

/**
 * A text as a person reads it: without the invisible direction isolates and marks the translator
 * puts around values (test/integration/bot/languages.test.ts asserts on those, code point by code
 * point; other tests check the words).
 */
export const plain = (text: string | undefined): string => stripBidiControls(text ?? '');

/** The inline buttons of a message, row after row. */
export const buttons = (m: StoredMessage | undefined) => m?.reply_markup?.inline_keyboard.flat() ?? [];

/** The labels of a message's inline buttons, as a person reads them. */
export const buttonTexts = (m: StoredMessage | undefined) => buttons(m).map((b) => plain(b.text));

export interface ChatHelpers {
  /** A user nobody has seen yet, in their own private chat (chat id = user id). */
  freshUser(name?: string): SimulatedUser;
  /** The bot's last message in the chat; throws when it sent none. */
  last(chatId: number): StoredMessage;
  /** The text of the last answer to a press of a button with this data, as a person reads it. */
  toastFor(data: string): string | undefined;
}

/**
 * Helpers over the harness `harness()` returns (read lazily: the harness starts in beforeAll).
 *
 * @param firstUserId the id of the first fresh user; give each test file its own range
 */
export function chatHelpers(
  harness: () => Pick<Harness, 'standIn' | 'user'>,
  firstUserId: number,
): ChatHelpers {
  let nextUserId = firstUserId;
  return {
    freshUser: (name = 'Reader') => harness().user(nextUserId++, name),
    last: (chatId) => {
      const m = harness().standIn.lastMessage(chatId);
      if (!m) throw new Error(`the bot sent nothing to chat ${chatId}`);
      return m;
    },
    toastFor: (data) => {
      const text = harness()
        .standIn.callbackAnswers.filter((a) => a.data === data)
        .at(-1)?.text;
      return text === undefined ? undefined : plain(text);
    },
  };
}
