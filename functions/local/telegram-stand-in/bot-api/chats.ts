/**
 * Chats and their members: getChatMember (Herald asks it whether a person may change a group's
 * subscriptions). The memberships come from the user side (`standIn.setMember`, `addBotTo`…).
 */
import { type ApiContext, assertReachable, chatIdParam } from './context';
import type { MethodTable } from './dispatcher';
import { badRequest } from './errors';
import { dropUndefined, intParam } from './params';

export function chatMethods({ state }: ApiContext): MethodTable {
  return {
    getChatMember: (params) => {
      const chatId = chatIdParam(state, params);
      const userId = intParam(params, 'user_id');
      if (userId === undefined || userId <= 0) throw badRequest('invalid user_id specified');
      // Only chats the user side made exist; a private chat answers for its own user only.
      const chat = state.chats.get(chatId);
      if (chat === undefined) throw badRequest('chat not found');
      assertReachable(state, chatId);
      if (chat.type === 'private' && userId !== chatId && userId !== state.botInfo.id)
        throw badRequest('user not found');
      const info =
        userId === state.botInfo.id
          ? state.botMember(chatId)
          : (state.member(chatId, userId) ?? {
              status: chat.type === 'private' ? ('member' as const) : ('left' as const),
            });
      const user =
        userId === state.botInfo.id
          ? state.botSender()
          : { id: userId, is_bot: false, first_name: `User ${userId}` };
      const admin = info.status === 'administrator';
      return {
        result: dropUndefined({
          user,
          status: info.status,
          // Telegram lists every right of an administrator; the stand-in lists those it checks.
          can_be_edited: admin ? false : undefined,
          is_anonymous: admin || info.status === 'creator' ? false : undefined,
          can_manage_chat: admin ? true : undefined,
          can_post_messages: admin && chat.type === 'channel' ? info.can_post_messages === true : undefined,
          can_edit_messages: admin && chat.type === 'channel' ? info.can_edit_messages === true : undefined,
          can_delete_messages: admin ? info.can_delete_messages === true : undefined,
          can_manage_topics:
            admin && chat.type === 'supergroup' ? info.can_manage_topics === true : undefined,
          until_date: info.status === 'kicked' ? 0 : undefined,
        }),
      };
    },
  };
}
