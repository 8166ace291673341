/**
 * Commenting: who may comment and delete, how long a comment may be, how many a reader may post
 * a minute, and the prompt the bot waits on ("pending input") between the button and the text.
 */
import type { ArticleMeta } from '../model';
import type { AddCommentResult, HeraldStore } from '../ports';

export const COMMENT_MAX_CHARS = 1000;
/** How long the bot waits for the comment after the prompt. */
const PENDING_TTL_SECONDS = 15 * 60;

/** Time-ordered and deterministic per update, so a redelivered update cannot post twice. */
export function commentIdFor(dateSeconds: number, updateId: number): string {
  return dateSeconds.toString(36).padStart(7, '0') + updateId.toString(36);
}

/** Only the configured admins delete comments. */
export function mayDeleteComments(adminIds: readonly number[], userId: number | undefined): boolean {
  return userId !== undefined && adminIds.includes(userId);
}

/**
 * Starts a comment on an article: sends the prompt (`sendPrompt`, which returns the prompt's
 * message id), then waits for the reader's next message as the comment. Returns the article, or
 * undefined when it does not exist (no prompt, nothing waited for).
 */
export async function askForComment(
  store: Pick<HeraldStore, 'articles' | 'sessions'>,
  userId: number,
  articleId: string,
  sendPrompt: (meta: ArticleMeta) => Promise<number | undefined>,
): Promise<ArticleMeta | undefined> {
  const meta = await store.articles.getArticle(articleId);
  if (!meta) return undefined;
  const promptMessageId = await sendPrompt(meta);
  await store.sessions.setPending(
    userId,
    { kind: 'comment', articleId, ...(promptMessageId === undefined ? {} : { promptMessageId }) },
    PENDING_TTL_SECONDS,
  );
  return meta;
}

/** Stops waiting for a comment; false when nothing was waited for. */
export async function cancelComment(store: Pick<HeraldStore, 'sessions'>, userId: number): Promise<boolean> {
  return (await store.sessions.takePending(userId)) !== undefined;
}

export type PostCommentOutcome =
  /** The bot was not waiting for a comment from this reader: the text is something else. */
  | { status: 'not-asked' }
  /** Empty or longer than {@link COMMENT_MAX_CHARS}: still waiting for a shorter one. */
  | { status: 'bad-length'; length: number }
  /** Over the per-minute allowance: still waiting, to be sent again in a minute. */
  | { status: 'over-quota' }
  | { status: 'article-missing' }
  /** An admin banned this reader from commenting: nothing was posted and nothing is waited for. */
  | { status: 'banned' }
  /** Posted, or already posted by an earlier delivery of the same update. */
  | { status: 'posted'; articleId: string };

/**
 * Posts the text a reader sent as the comment the bot asked for, exactly once per update.
 * The prompt is taken first (so two texts cannot both become the comment) and put back when
 * the reader may try again, or when storing fails (Telegram's redelivery then finds it).
 */
export async function postComment(
  store: Pick<HeraldStore, 'sessions' | 'comments'>,
  rules: { perMinute: number; now: Date },
  comment: {
    userId: number;
    userName: string;
    text: string;
    commentId: string;
    createdAt: string;
    /** The message's id in its chat, and the message it replies to, if any. */
    messageId: number;
    replyToMessageId?: number;
  },
): Promise<PostCommentOutcome> {
  const { userId, messageId, replyToMessageId, ...fields } = comment;
  const pending = await store.sessions.takePending(userId);
  if (!pending) return { status: 'not-asked' };
  // Something came between the prompt and this text (a command, a button that answered with a
  // message): the prompt is cancelled — it was taken above — and the text is something else.
  const prompt = pending.promptMessageId;
  if (prompt !== undefined && messageId !== prompt + 1 && replyToMessageId !== prompt) {
    return { status: 'not-asked' };
  }
  // The bot's answer (to shorten it, to wait a minute) is the next message: the one after is the comment.
  const keepWaiting = () =>
    store.sessions.setPending(userId, { ...pending, promptMessageId: messageId + 1 }, PENDING_TTL_SECONDS);
  const text = comment.text.trim();
  if (text.length === 0 || text.length > COMMENT_MAX_CHARS) {
    await keepWaiting();
    return { status: 'bad-length', length: text.length };
  }
  let result: 'over-quota' | AddCommentResult;
  try {
    const allowed = await store.comments.takeCommentQuota(userId, rules.perMinute, rules.now);
    result = allowed
      ? await store.comments.addComment({ ...fields, userId, text, articleId: pending.articleId })
      : 'over-quota';
  } catch (err) {
    // Telegram redelivers this same message: wait for it exactly as before.
    await store.sessions.setPending(userId, pending, PENDING_TTL_SECONDS).catch(() => undefined);
    throw err;
  }
  if (result === 'over-quota') {
    await keepWaiting();
    return { status: 'over-quota' };
  }
  if (result === 'article-missing') return { status: 'article-missing' };
  if (result === 'banned') return { status: 'banned' };
  return { status: 'posted', articleId: pending.articleId };
}
