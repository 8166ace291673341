import {
  askForComment,
  COMMENT_MAX_CHARS,
  cancelComment,
  mayDeleteComments,
  postComment,
} from '../../../../functions/core/use-cases/comment';
import { override, publication } from './seed';

const NOW = new Date('2026-11-30T12:00:00Z');
const rules = { perMinute: 2, now: NOW };
const comment = (n: number, text = `Comment ${n}`) => ({
  userId: 7,
  userName: 'Ann',
  text,
  commentId: `c${n}`,
  createdAt: NOW.toISOString(),
  // The reader's messages, each followed by the bot's answer (ids as a private chat numbers them).
  messageId: 100 + 2 * n,
});
/** A prompt whose message id is not known: every next text is taken (as before prompts had ids). */
const noPrompt = async () => undefined;

describe('commenting', () => {
  it('takes only the message right after the prompt, or a reply to it: anything in between cancels it', async () => {
    // Prepare: the prompt is message 10 of the chat.
    const store = await publication(() => NOW);
    const prompt = async () => 10;
    const text = (messageId: number, replyTo?: number) => ({
      ...comment(messageId),
      messageId,
      ...(replyTo === undefined ? {} : { replyToMessageId: replyTo }),
    });

    // Act: /latest (11) and its answer (12) came between; then "bikes" (13).
    await askForComment(store, 7, 'bikes', prompt);
    const afterCommand = await postComment(store, rules, text(13));
    const stillWaiting = await postComment(store, rules, text(14));
    await askForComment(store, 7, 'bikes', prompt);
    const next = await postComment(store, rules, text(11));
    await askForComment(store, 7, 'bikes', prompt);
    const reply = await postComment(store, rules, text(40, 10));

    // Assess
    expect([afterCommand, stillWaiting]).toEqual([{ status: 'not-asked' }, { status: 'not-asked' }]);
    expect(next).toEqual({ status: 'posted', articleId: 'bikes' });
    expect(reply).toEqual({ status: 'posted', articleId: 'bikes' });
  });

  it('a text is a comment only after the prompt: posted once, replies +1', async () => {
    // Prepare
    const store = await publication(() => NOW);

    // Act
    const before = await postComment(store, rules, comment(0));
    const asked = await askForComment(store, 7, 'bikes', noPrompt);
    const posted = await postComment(store, rules, comment(1, '  Nice piece  '));
    const after = await postComment(store, rules, comment(2));

    // Assess
    expect(before).toEqual({ status: 'not-asked' });
    expect(asked?.id).toBe('bikes');
    expect(posted).toEqual({ status: 'posted', articleId: 'bikes' });
    expect(after).toEqual({ status: 'not-asked' });
    expect((await store.articles.getArticle('bikes'))?.replies).toBe(1);
    expect((await store.comments.getComment('bikes', 'c1'))?.text).toBe('Nice piece');
  });

  it('a redelivered update (same comment id) posts nothing more', async () => {
    // Prepare
    const store = await publication(() => NOW);
    await askForComment(store, 7, 'bikes', noPrompt);
    await postComment(store, rules, comment(1));
    await askForComment(store, 7, 'bikes', noPrompt);

    // Act
    const again = await postComment(store, rules, comment(1));

    // Assess
    expect(again).toEqual({ status: 'posted', articleId: 'bikes' });
    expect((await store.articles.getArticle('bikes'))?.replies).toBe(1);
  });

  it('keeps waiting after a comment that is empty or too long', async () => {
    // Prepare
    const store = await publication(() => NOW);
    await askForComment(store, 7, 'bikes', noPrompt);

    // Act
    const empty = await postComment(store, rules, comment(1, '   '));
    const long = await postComment(store, rules, comment(2, 'x'.repeat(COMMENT_MAX_CHARS + 1)));
    const fine = await postComment(store, rules, comment(3, 'x'.repeat(COMMENT_MAX_CHARS)));

    // Assess
    expect(empty).toEqual({ status: 'bad-length', length: 0 });
    expect(long).toEqual({ status: 'bad-length', length: COMMENT_MAX_CHARS + 1 });
    expect(fine.status).toBe('posted');
  });

  it('over the per-minute allowance: not posted, still waiting', async () => {
    // Prepare
    const store = await publication(() => NOW);
    for (const n of [1, 2]) {
      await askForComment(store, 7, 'bikes', noPrompt);
      await postComment(store, rules, comment(n));
    }
    await askForComment(store, 7, 'bikes', noPrompt);

    // Act
    const third = await postComment(store, rules, comment(3));
    // Sent again after the bot's "wait a minute" (the next message but one).
    const nextMinute = await postComment(
      store,
      { ...rules, now: new Date(NOW.getTime() + 60_000) },
      { ...comment(3), messageId: comment(3).messageId + 2 },
    );

    // Assess
    expect(third).toEqual({ status: 'over-quota' });
    expect(nextMinute.status).toBe('posted');
  });

  it('puts the prompt back when storing fails, so a redelivery still posts', async () => {
    // Prepare
    const store = await publication(() => NOW);
    await askForComment(store, 7, 'bikes', noPrompt);
    const failing = {
      ...store,
      comments: override(store.comments, {
        addComment: async () => {
          throw new Error('store down');
        },
      }),
    };

    // Act
    const attempt = postComment(failing, rules, comment(1));
    await expect(attempt).rejects.toThrow('store down');
    const redelivered = await postComment(store, rules, comment(1));

    // Assess
    expect(redelivered).toEqual({ status: 'posted', articleId: 'bikes' });
  });

  it('an article deleted while the reader typed: article-missing', async () => {
    // Prepare
    const store = await publication(() => NOW);
    await askForComment(store, 7, 'bikes', noPrompt);
    await store.articles.deleteArticle('bikes');

    // Act
    const outcome = await postComment(store, rules, comment(1));

    // Assess
    expect(outcome).toEqual({ status: 'article-missing' });
  });

  it('asking on a missing article waits for nothing; /cancel says whether it stopped anything', async () => {
    // Prepare
    const store = await publication(() => NOW);

    // Act
    const missing = await askForComment(store, 7, 'nope', noPrompt);
    const cancelledNothing = await cancelComment(store, 7);
    await askForComment(store, 7, 'bikes', noPrompt);
    const cancelled = await cancelComment(store, 7);

    // Assess
    expect(missing).toBeUndefined();
    expect([cancelledNothing, cancelled]).toEqual([false, true]);
    expect(await postComment(store, rules, comment(1))).toEqual({ status: 'not-asked' });
  });

  it('only configured admins delete comments', () => {
    expect(mayDeleteComments([1, 2], 2)).toBe(true);
    expect(mayDeleteComments([1, 2], 3)).toBe(false);
    expect(mayDeleteComments([1, 2], undefined)).toBe(false);
  });
});
