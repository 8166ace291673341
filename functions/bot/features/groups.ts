/**
 * groupsFeature: Herald in groups and channels (loaded on demand, bot/on-demand/groups.ts).
 *
 * - Groups: a group admin (getChatMember, cached 10 minutes) makes the group — or, in a forum,
 *   the topic the command was sent in — follow an author with `/subscribe@Bot <handle>`; alerts
 *   then go there. A group that removes the bot stops following; one that becomes a supergroup
 *   (`migrate_to_chat_id`) keeps its subscriptions under the new id.
 * - Channels: when Herald is made an administrator allowed to post in a channel
 *   (`my_chat_member`), the admins are asked once whether to connect it; when it is removed or
 *   loses that right, the channel pauses and the admins are told once. `/channels` lists them
 *   with pause, resume and connect buttons.
 *
 * Readers' texts come from the catalogues; the admins' texts stay English (docs/i18n.md).
 */
import { Composer, type Context } from 'telegraf';
import type { InlineKeyboardButton } from 'telegraf/types';
import {
  type Channel,
  type ChannelRepositoryPort,
  type ChannelRule,
  type GroupRepositoryPort,
  isChatAdmin,
} from '../../core/channels';
import { normaliseTag } from '../../core/tags';
import { escapeHtml as e, truncate } from '../../core/text';
import { defineCallback, type Field } from '../callback';
import type { BotDeps } from '../deps';
import { tr } from '../locale';
import { answer, replyHtml } from '../respond';
import { handleArg } from '../views';
import { parseHandle } from './authors';
import { type Feature, onButton } from './types';

/** How long a getChatMember answer is trusted: a demoted admin loses the right within this. */
const MEMBER_CACHE_SECONDS = 600;
/** Telegram's sender for an admin who posts anonymously in their group. */
const GROUP_ANONYMOUS_BOT = 1087968824;

const channelId: Field<number> = {
  format: (v) => String(v),
  parse: (s) => (/^-100\d{10}$/.test(s) ? Number(s) : undefined),
};
const channelAction: Field<'connect' | 'pause' | 'resume' | 'ignore'> = {
  format: (v) => v[0] ?? '',
  parse: (s) =>
    s === 'c' ? 'connect' : s === 'p' ? 'pause' : s === 'r' ? 'resume' : s === 'i' ? 'ignore' : undefined,
};
/** An admin's press on a channel: connect (a pending one), pause, resume, ignore (forget a pending one). */
export const channelButton = defineCallback('ch', { chatId: channelId, action: channelAction });

function ruleText(rule: ChannelRule): string {
  if (rule.mode === 'all') return 'all articles';
  if (rule.mode === 'authors') return `authors ${rule.authors.join(', ')}`;
  return `tags ${rule.tags.join(', ')}`;
}

function channelName(c: Pick<Channel, 'chatId' | 'title'>): string {
  return c.title !== undefined ? `“${e(truncate(c.title, 60))}” (${c.chatId})` : String(c.chatId);
}

function channelsView(list: readonly Channel[]): { text: string; rows: InlineKeyboardButton[][] } {
  if (list.length === 0)
    return {
      text: 'No channel is connected. Make the bot an administrator of your channel with the right to post, or use POST /admin/channels.',
      rows: [],
    };
  const lines = ['<b>📣 Channels</b>', ''];
  const rows: InlineKeyboardButton[][] = [];
  for (const c of list) {
    const reason = c.status === 'paused' && c.pausedReason ? ` (${e(c.pausedReason)})` : '';
    lines.push(`• ${channelName(c)}: ${c.status}${reason} — ${e(ruleText(c.rule))}`);
    const label = truncate(c.title ?? String(c.chatId), 24);
    if (c.status === 'active')
      rows.push([
        {
          text: `⏸ Pause ${label}`,
          callback_data: channelButton.encode({ chatId: c.chatId, action: 'pause' }),
        },
      ]);
    else if (c.status === 'paused')
      rows.push([
        {
          text: `▶️ Resume ${label}`,
          callback_data: channelButton.encode({ chatId: c.chatId, action: 'resume' }),
        },
      ]);
    else
      rows.push([
        {
          text: `✅ Connect ${label}`,
          callback_data: channelButton.encode({ chatId: c.chatId, action: 'connect' }),
        },
        { text: 'Ignore', callback_data: channelButton.encode({ chatId: c.chatId, action: 'ignore' }) },
      ]);
  }
  return { text: lines.join('\n'), rows };
}

/** What the feature stores: built by its on-demand module (the composition root of the feature). */
export interface GroupsStore {
  channels: ChannelRepositoryPort;
  groups: GroupRepositoryPort;
}

export function groupsFeature(deps: BotDeps, { channels, groups }: GroupsStore): Feature {
  const isHeraldAdmin = (userId: number | undefined) =>
    userId !== undefined && deps.config.adminIds.includes(userId);
  const composer = new Composer<Context>();

  const tellAdmins = async (ctx: Context, text: string, rows: InlineKeyboardButton[][] = []) => {
    for (const adminId of deps.config.adminIds) {
      try {
        await ctx.telegram.sendMessage(adminId, text, {
          parse_mode: 'HTML',
          ...(rows.length > 0 ? { reply_markup: { inline_keyboard: rows } } : {}),
        });
      } catch (err) {
        // An admin who never opened the bot cannot be told; the others still are.
        deps.logger.warn('admin not told about a channel', { adminId, error: err as Error });
      }
    }
  };

  /** A group admin (or an anonymous one, who writes as the group), asked once per cache period. */
  const isGroupAdmin = async (ctx: Context): Promise<boolean> => {
    const chat = ctx.chat;
    const from = ctx.from;
    if (!chat || !from) return false;
    const message = ctx.message;
    if (
      from.id === GROUP_ANONYMOUS_BOT &&
      message &&
      'sender_chat' in message &&
      message.sender_chat?.id === chat.id
    )
      return true;
    const cached = await groups.cachedMember(chat.id, from.id);
    if (cached) return isChatAdmin(cached.status);
    const member = await ctx.telegram.getChatMember(chat.id, from.id);
    await groups.cacheMember(chat.id, from.id, member.status, MEMBER_CACHE_SECONDS);
    return isChatAdmin(member.status);
  };

  composer.on('my_chat_member', async (ctx, next) => {
    const update = ctx.myChatMember;
    const chat = update.chat;
    if (chat.type === 'private') return next();
    const member = update.new_chat_member;
    const status = member.status;
    if (chat.type !== 'channel') {
      if (status === 'kicked' || status === 'left') {
        const removed = await groups.removeChat(chat.id);
        deps.logger.info('bot removed from a group; its subscriptions stopped', { chatId: chat.id, removed });
      }
      return;
    }
    const canPost = status === 'creator' || (status === 'administrator' && member.can_post_messages === true);
    const known = await channels.getChannel(chat.id);
    if (canPost) {
      if (!known) {
        await channels.addChannel({
          chatId: chat.id,
          rule: { mode: 'all' },
          status: 'pending',
          title: chat.title,
        });
        await tellAdmins(
          ctx,
          `📣 Herald can now post in the channel ${channelName({ chatId: chat.id, title: chat.title })}. Post every new article there? (Choose authors or tags later with PATCH /admin/channels/${chat.id}.)`,
          [
            [
              {
                text: '✅ Connect',
                callback_data: channelButton.encode({ chatId: chat.id, action: 'connect' }),
              },
              { text: 'Ignore', callback_data: channelButton.encode({ chatId: chat.id, action: 'ignore' }) },
            ],
          ],
        );
      } else if (known.status === 'paused' && known.pausedReason !== 'admin') {
        await tellAdmins(ctx, `📣 Herald can post in ${channelName(known)} again. Resume posting there?`, [
          [{ text: '▶️ Resume', callback_data: channelButton.encode({ chatId: chat.id, action: 'resume' }) }],
        ]);
      }
      return;
    }
    const reason =
      status === 'administrator'
        ? 'the bot lost its right to post'
        : `the bot was ${status === 'kicked' ? 'removed' : status}`;
    // Only the call that pauses it tells the admins (the poster may have paused it first).
    if (known && (await channels.pauseForFailure(chat.id, reason)))
      await tellAdmins(
        ctx,
        `⏸ Channel ${channelName(known)} is paused: ${reason}. Give the bot its right to post back and it asks to resume.`,
      );
  });

  composer.on('message', async (ctx, next) => {
    const message = ctx.message;
    if ('migrate_to_chat_id' in message && typeof message.migrate_to_chat_id === 'number') {
      const moved = await groups.migrateChat(message.chat.id, message.migrate_to_chat_id);
      deps.logger.info('group became a supergroup; its subscriptions moved', {
        chatId: message.chat.id,
        to: message.migrate_to_chat_id,
        moved,
      });
      return;
    }
    return next();
  });

  const groupCommand = (kind: 'subscribe' | 'unsubscribe') =>
    composer.command(kind, async (ctx, next) => {
      if (ctx.chat.type === 'private') return next();
      const t = tr(ctx);
      const threadId = ctx.message.is_topic_message === true ? ctx.message.message_thread_id : undefined;
      const reply = (html: string) =>
        ctx.reply(html, {
          parse_mode: 'HTML',
          ...(threadId !== undefined ? { message_thread_id: threadId } : {}),
        });
      if (!(await isGroupAdmin(ctx))) return void (await reply(t.t('groups-admins-only')));
      const payload = ctx.payload.trim();
      const target = { chatId: ctx.chat.id, ...(threadId !== undefined ? { threadId } : {}) };
      // `#climate` is a tag (in its normal form, as readers' /tag takes it); anything else a handle.
      if (payload.startsWith('#')) {
        const tag = normaliseTag(payload);
        if (tag === '') return void (await reply(t.t(`groups-${kind}-usage`, { bot: ctx.me })));
        if (kind === 'unsubscribe') {
          const removed = await groups.unsubscribe(ctx.chat.id, { kind: 'tag', tag });
          return void (await reply(
            t.t(removed ? 'groups-unsubscribed' : 'groups-not-subscribed', { handle: `#${tag}` }),
          ));
        }
        await groups.subscribe(target, { kind: 'tag', tag });
        return void (await reply(
          t.t(threadId !== undefined ? 'groups-subscribed-tag-topic' : 'groups-subscribed-tag', { tag }),
        ));
      }
      const handle = parseHandle(payload);
      if (!handle) return void (await reply(t.t(`groups-${kind}-usage`, { bot: ctx.me })));
      if (kind === 'unsubscribe') {
        const removed = await groups.unsubscribe(ctx.chat.id, handle);
        return void (await reply(
          t.t(removed ? 'groups-unsubscribed' : 'groups-not-subscribed', { handle: handleArg(handle) }),
        ));
      }
      const author = await deps.store.authors.getAuthor(handle);
      if (!author)
        return void (await reply(t.t('subscriptions-unknown-author', { handle: handleArg(handle) })));
      await groups.subscribe(target, handle);
      await reply(
        t.t(threadId !== undefined ? 'groups-subscribed-topic' : 'groups-subscribed', {
          name: author.fullName,
        }),
      );
    });
  groupCommand('subscribe');
  groupCommand('unsubscribe');

  composer.command('channels', async (ctx, next) => {
    if (ctx.chat.type !== 'private' || !isHeraldAdmin(ctx.from.id)) return next();
    const view = channelsView(await channels.listChannels());
    await replyHtml(ctx, view.text, view.rows.length > 0 ? { inline_keyboard: view.rows } : undefined);
  });

  return {
    composer,
    buttons: [
      onButton(channelButton, async (ctx, { chatId, action }) => {
        if (!isHeraldAdmin(ctx.from?.id)) return answer(ctx, 'Only Herald’s admins manage channels.');
        if (action === 'ignore') {
          const known = await channels.getChannel(chatId);
          if (known?.status === 'pending') await channels.removeChannel(chatId);
          return answer(ctx, 'Ignored.');
        }
        const changed = await channels.updateChannel(chatId, { paused: action === 'pause' });
        if (!changed) return answer(ctx, 'That channel is not connected any more.');
        await answer(ctx, action === 'pause' ? 'Paused.' : 'Posting there from the next article on.');
        const view = channelsView(await channels.listChannels());
        await ctx.editMessageText(view.text, {
          parse_mode: 'HTML',
          ...(view.rows.length > 0 ? { reply_markup: { inline_keyboard: view.rows } } : {}),
        });
      }),
    ],
  };
}
