/**
 * Personal commands in groups: `/subscriptions`, `/settings`, `/shared`, `/privacy`… show one
 * reader's own follows, settings and shares, and act on them. Answered in a group they would put
 * that member's data in front of everyone, so there they get a pointer to the private chat
 * instead. A bare `/settings` (no `@bot`) in a group may be another bot's: it is left alone
 * rather than answered (and never reaches the personal features).
 */
import { Composer, type Context } from 'telegraf';
import { isForThisBot, parseCommand } from '../command-text';
import { tr } from '../locale';
import type { Feature } from './types';

/** The commands about the reader themself (the group's own `/subscribe` is the groups feature's). */
export const PERSONAL_COMMANDS = [
  'subscriptions',
  'settings',
  'tag',
  'tags',
  'shared',
  'privacy',
  'forget_me',
  'language',
  'cancel',
] as const;

export function personalInGroupsFeature(): Feature {
  const composer = new Composer<Context>();
  composer.command([...PERSONAL_COMMANDS], async (ctx, next) => {
    if (ctx.chat.type === 'private') return next();
    const command = parseCommand(ctx.message.text);
    if (!command || !isForThisBot(command, ctx.me, ctx.chat.type)) return;
    const t = tr(ctx);
    const threadId = ctx.message.is_topic_message === true ? ctx.message.message_thread_id : undefined;
    await ctx.reply(t.t('groups-personal-command', { command: `/${command.name}` }), {
      parse_mode: 'HTML',
      reply_markup: {
        inline_keyboard: [[{ text: t.text('groups-button-private-chat'), url: `https://t.me/${ctx.me}` }]],
      },
      ...(threadId !== undefined ? { message_thread_id: threadId } : {}),
    });
  });
  return { composer, buttons: [] };
}
