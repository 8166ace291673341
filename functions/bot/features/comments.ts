/**
 * commentsFeature: read an article's comments (newest first), post one through a force-reply
 * prompt (1–1000 characters, a few per minute), and — for admins — delete one.
 */
import { Composer, type Context } from 'telegraf';
import type { Message } from 'telegraf/types';
import { truncate } from '../../core/text';
import {
  askForComment,
  COMMENT_MAX_CHARS,
  cancelComment,
  commentIdFor,
  mayDeleteComments,
  postComment,
} from '../../core/use-cases/comment';
import type { BotDeps } from '../deps';
import { answer, sender, showView } from '../respond';
import { commentsView } from '../views';
import { commentsButton, deleteCommentButton, postCommentButton } from './comments-buttons';
import { type Feature, onButton } from './types';

const COMMENTS_PAGE = 5;

function displayName(from: { first_name: string; last_name?: string; username?: string }): string {
  const name = [from.first_name, from.last_name].filter(Boolean).join(' ').trim();
  return truncate(name || (from.username ? `@${from.username}` : 'Reader'), 64);
}

export function commentsFeature(deps: BotDeps): Feature {
  const composer = new Composer<Context>();
  const { comments, articles } = deps.store;
  const isAdmin = (ctx: Context) => mayDeleteComments(deps.config.adminIds, ctx.from?.id);

  const showComments = async (ctx: Context, id: string, page: number, edit: boolean) => {
    const [meta, list] = await Promise.all([
      articles.getArticle(id),
      comments.listComments(id, page * COMMENTS_PAGE, COMMENTS_PAGE),
    ]);
    if (!meta) return answer(ctx, 'This article is no longer available.');
    await answer(ctx);
    await showView(ctx, commentsView(meta, list, page, isAdmin(ctx)), edit);
  };

  composer.command('cancel', async (ctx) => {
    const cancelled = await cancelComment(deps.store, ctx.from.id);
    await ctx.reply(cancelled ? 'Cancelled: no comment was posted.' : 'Nothing to cancel.');
  });

  /**
   * A text that is not a command may be the comment the bot asked for. In groups only a reply
   * to the bot's prompt is considered, so ordinary group chatter costs no database call.
   */
  composer.on('text', async (ctx, next) => {
    const msg = ctx.message as Message.TextMessage;
    if (msg.text.startsWith('/')) return next();
    const isPrivate = ctx.chat.type === 'private';
    const repliesToBot = msg.reply_to_message?.from?.id === ctx.botInfo.id;
    if (!isPrivate && !repliesToBot) return;
    const result = await postComment(
      deps.store,
      { perMinute: deps.config.commentsPerMinute, now: deps.now() },
      {
        userId: ctx.from.id,
        userName: displayName(ctx.from),
        text: msg.text,
        commentId: commentIdFor(msg.date, ctx.update.update_id),
        createdAt: new Date(msg.date * 1000).toISOString(),
      },
    );
    if (result.status === 'not-asked') return next();
    if (result.status === 'bad-length') {
      // Still waiting: the user can shorten it and send again.
      await ctx.reply(
        `A comment must be 1–${COMMENT_MAX_CHARS} characters; yours has ${result.length}. Please send a shorter one, or /cancel.`,
        { reply_markup: { force_reply: true, selective: true } },
      );
      return;
    }
    if (result.status === 'over-quota') {
      await ctx.reply('You are commenting quickly — please wait a minute and send it again.');
      return;
    }
    if (result.status === 'article-missing') {
      await ctx.reply('Sorry, that article is no longer available, so the comment was not posted.');
      return;
    }
    await ctx.reply('✅ Your comment is posted.', {
      reply_markup: {
        inline_keyboard: [
          [
            {
              text: '💬 See comments',
              callback_data: commentsButton.encode({ id: result.articleId, page: 0, from: 'card' }),
            },
          ],
        ],
      },
    });
  });

  return {
    composer,
    buttons: [
      onButton(commentsButton, (ctx, { id, page, from }) => showComments(ctx, id, page, from === 'comments')),
      onButton(postCommentButton, async (ctx, { id }) => {
        const meta = await askForComment(deps.store, sender(ctx).id, id);
        if (!meta) return answer(ctx, 'This article is no longer available.');
        await answer(ctx);
        await ctx.reply(
          `✍️ Write your comment on “${truncate(meta.title, 100)}” (1–${COMMENT_MAX_CHARS} characters) and send it. /cancel to stop.`,
          { reply_markup: { force_reply: true, selective: true, input_field_placeholder: 'Your comment' } },
        );
      }),
      onButton(deleteCommentButton, async (ctx, { id, commentId }) => {
        if (!isAdmin(ctx)) return answer(ctx, 'Only admins can delete comments.');
        const deleted = await comments.deleteComment(id, commentId);
        await answer(ctx, deleted ? '🗑 Comment deleted.' : 'That comment was already deleted.');
        await showComments(ctx, id, 0, true);
      }),
    ],
  };
}
