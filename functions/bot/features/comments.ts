/**
 * commentsFeature: read an article's comments (newest first), post one through a force-reply
 * prompt (1–1000 characters, a few per minute), and — for admins — delete one.
 */
import { Composer, type Context } from 'telegraf';
import type { Message } from 'telegraf/types';
import type { CommentCursor, CommentRepositoryPort } from '../../core/ports';
import { truncate } from '../../core/text';
import {
  askForComment,
  COMMENT_MAX_CHARS,
  cancelComment,
  commentIdFor,
  mayDeleteComments,
  postComment,
} from '../../core/use-cases/comment';
import { deepLinkUrl } from '../deep-link';
import type { BotDeps } from '../deps';
import { tr } from '../locale';
import { answer, replyHtml, replyHtmlWithId, sender, sendView, showView } from '../respond';
import { commentsView, fullCommentView, notFound } from '../views';
import {
  commentsButton,
  deleteCommentButton,
  fullCommentButton,
  newerCommentsButton,
  olderCommentsButton,
  postCommentButton,
} from './comments-buttons';
import { type Feature, onButton } from './types';

const COMMENTS_PAGE = 5;

function displayName(from: { first_name: string; last_name?: string; username?: string }): string {
  const name = [from.first_name, from.last_name].filter(Boolean).join(' ').trim();
  return truncate(name || (from.username ? `@${from.username}` : 'Reader'), 64);
}

/** Asks a reader for a comment on an article (the next message is it); from the button or a `c_` link. */
export async function promptComment(ctx: Context, deps: BotDeps, id: string): Promise<void> {
  const t = tr(ctx);
  // The prompt's message id is kept with the pending comment, so a cancel can take it back.
  const meta = await askForComment(deps.store, sender(ctx).id, id, async (article) => {
    await answer(ctx);
    return replyHtmlWithId(
      ctx,
      t.t('comments-prompt', { title: truncate(article.title, 100), max: COMMENT_MAX_CHARS }),
      { force_reply: true, selective: true, input_field_placeholder: t.text('comments-input-placeholder') },
    );
  });
  if (meta) return;
  if (ctx.callbackQuery) return answer(ctx, t.text('articles-unavailable-toast'));
  // A `c_` link to an article that is gone: what any dead link gets.
  return sendView(ctx, notFound(t, t.t('start-link-invalid')));
}

/**
 * `comments` is built by the on-demand module (bot/on-demand/comments.ts): the comment repository
 * is not part of the webhook's main bundle.
 */
export function commentsFeature(deps: BotDeps, comments: CommentRepositoryPort): Feature {
  const composer = new Composer<Context>();
  const { articles, sessions } = deps.store;
  const isAdmin = (ctx: Context) => mayDeleteComments(deps.config.adminIds, ctx.from?.id);

  const showComments = async (ctx: Context, id: string, cursor: CommentCursor, edit: boolean) => {
    const [meta, list] = await Promise.all([
      articles.getArticle(id),
      comments.commentsPage(id, cursor, COMMENTS_PAGE),
    ]);
    if (!meta) return answer(ctx, tr(ctx).text('articles-unavailable-toast'));
    await answer(ctx);
    await showView(ctx, commentsView(tr(ctx), meta, list, cursor !== undefined, isAdmin(ctx)), edit);
  };

  composer.command('cancel', async (ctx) => {
    const cancelled = await cancelComment(deps.store, ctx.from.id);
    await replyHtml(ctx, tr(ctx).t(cancelled ? 'comments-cancelled' : 'comments-nothing-to-cancel'));
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
      { sessions, comments },
      { perMinute: deps.config.commentsPerMinute, now: deps.now() },
      {
        userId: ctx.from.id,
        userName: displayName(ctx.from),
        text: msg.text,
        commentId: commentIdFor(msg.date, ctx.update.update_id),
        createdAt: new Date(msg.date * 1000).toISOString(),
        messageId: msg.message_id,
        ...(msg.reply_to_message ? { replyToMessageId: msg.reply_to_message.message_id } : {}),
      },
    );
    if (result.status === 'not-asked') return next();
    const t = tr(ctx);
    if (result.status === 'bad-length') {
      // Still waiting: the user can shorten it and send again.
      await replyHtml(
        ctx,
        t.t('comments-length-invalid', { max: COMMENT_MAX_CHARS, length: result.length }),
        {
          force_reply: true,
          selective: true,
        },
      );
      return;
    }
    if (result.status === 'over-quota') {
      await replyHtml(ctx, t.t('comments-too-fast'));
      return;
    }
    if (result.status === 'banned') {
      await replyHtml(ctx, t.t('comments-banned'));
      return;
    }
    if (result.status === 'article-missing') {
      await replyHtml(ctx, t.t('comments-article-gone'));
      return;
    }
    await replyHtml(ctx, t.t('comments-posted'), {
      inline_keyboard: [
        [
          {
            text: t.text('comments-button-see'),
            callback_data: commentsButton.encode({ id: result.articleId, page: 0, from: 'card' }),
          },
        ],
      ],
    });
  });

  return {
    composer,
    buttons: [
      onButton(commentsButton, (ctx, { id, from }) => showComments(ctx, id, undefined, from === 'comments')),
      onButton(olderCommentsButton, (ctx, { id, cursor }) => showComments(ctx, id, { before: cursor }, true)),
      onButton(newerCommentsButton, (ctx, { id, cursor }) => showComments(ctx, id, { after: cursor }, true)),
      onButton(postCommentButton, async (ctx, { id }) => {
        // In a group the comment is written in the private chat, so it belongs to one person.
        if (ctx.chat?.type !== 'private')
          return void (await ctx.answerCbQuery(undefined, { url: deepLinkUrl(ctx.me, `c_${id}`) }));
        await promptComment(ctx, deps, id);
      }),
      onButton(fullCommentButton, async (ctx, { id, commentId }) => {
        const c = await comments.getComment(id, commentId);
        if (!c) return answer(ctx, tr(ctx).text('comments-gone-toast'));
        await answer(ctx);
        await showView(ctx, fullCommentView(tr(ctx), c), false);
      }),
      onButton(deleteCommentButton, async (ctx, { id, commentId }) => {
        if (!isAdmin(ctx)) return answer(ctx, tr(ctx).text('comments-admin-only-toast'));
        const deleted = await comments.deleteComment(id, commentId);
        await answer(ctx, deleted ? '🗑 Comment deleted.' : 'That comment was already deleted.');
        await showComments(ctx, id, undefined, true);
      }),
    ],
  };
}
