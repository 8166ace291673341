/**
 * Forum topics the bot opens: createForumTopic in a forum supergroup or, since Bot API 9.3, in
 * a private chat with a user, when the bot has topic mode on (BotFather; `has_topics_enabled`
 * in getMe). Telegram's answers (checked against `@grammyjs/types` 5.0 and bots' logs):
 * - a chat without topics (a private chat while the bot's topic mode is off, a basic group, a
 *   supergroup that is no forum, a channel): `400 Bad Request: the chat is not a forum`;
 * - a forum where the bot lacks `can_manage_topics`: `400 Bad Request: not enough rights to
 *   create a topic`;
 * - a name outside 1–128 characters: `400 Bad Request: TOPIC_NAME_INVALID` (the name's limit is
 *   documented; this text is what bots report, not checked against Telegram here).
 * A user deletes a topic from the user side (`standIn.deleteTopic`): sends into it then answer
 * `message thread not found` (bot-api/context.ts).
 */
import { type ApiContext, assertReachable, chatIdParam } from './context';
import type { MethodTable } from './dispatcher';
import { badRequest } from './errors';
import { stringParam } from './params';

/** Telegram's topic name limit (characters; counted here in UTF-16 units, the stricter reading). */
export const TOPIC_NAME_MAX = 128;
/** The icon colour Telegram gives a topic created without one (0x6FB9F0). */
const DEFAULT_ICON_COLOR = 7322096;

export function forumTopicMethods({ state }: ApiContext): MethodTable {
  return {
    createForumTopic: (params) => {
      const chatId = chatIdParam(state, params);
      assertReachable(state, chatId);
      const chat = state.knownChat(chatId);
      const forum =
        chat.type === 'private'
          ? state.botInfo.has_topics_enabled === true
          : chat.type === 'supergroup' && chat.is_forum === true;
      if (!forum) throw badRequest('the chat is not a forum');
      if (chat.type === 'supergroup') {
        const bot = state.botMember(chatId);
        if (bot.status !== 'creator' && !(bot.status === 'administrator' && bot.can_manage_topics === true))
          throw badRequest('not enough rights to create a topic');
      }
      const name = stringParam(params, 'name') ?? '';
      if (name.trim() === '' || name.length > TOPIC_NAME_MAX) throw badRequest('TOPIC_NAME_INVALID');
      const threadId = state.openTopic(chatId, name);
      return { result: { message_thread_id: threadId, name, icon_color: DEFAULT_ICON_COLOR } };
    },
  };
}
