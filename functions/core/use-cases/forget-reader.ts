/**
 * A reader's erasure (`/forget_me`, issue 17 item 2): what Herald stores about one Telegram user,
 * removed in bounded steps, counters corrected.
 *
 * Policy, as docs/privacy.md states it:
 * - comments are **deleted**, not anonymised (each lowers its article's Replies): a comment
 *   quotes its author's words, which an anonymised copy would still publish;
 * - follows go with their counters: each author's and each tag's `subscriberCount − 1`;
 * - the articles waiting for the reader's digest go, with the due marker of each one's slot, so
 *   no digest run visits the reader (and one that still did would find nothing to send);
 * - pending input, the profile (name, language, delivery settings: time zone, digest time,
 *   quiet hours) and the rest of the user partition go;
 * - share links go with their open records, and the records of links the reader opened go too;
 *   the articles' views, shares and share opens are anonymous totals and stay;
 * - a comment ban stays (a moderation record: erasing it would lift it);
 * - what expires by itself: alert delivery records (30 days), delivery claims of tagged articles
 *   (60 days), share-open records (180 days), cached group memberships (minutes), rate counters
 *   (minutes), the admin audit (90 days), update claims (a day).
 */
import type { FollowsPort, HeraldStore, SubscriptionRepositoryPort } from '../ports';

/** Items removed per call at most (per step): a heavy reader is erased over several calls. */
export const FORGET_BATCH = 25;

/** What the erasure works through. */
export interface ForgetStore extends Pick<HeraldStore, 'moderation' | 'erasure'> {
  subscriptions: Pick<SubscriptionRepositoryPort, 'unsubscribe'> & FollowsPort;
}

/**
 * Runs the next bounded part of erasing `userId`: at most one step's worth of
 * {@link FORGET_BATCH} items. `done` once nothing is left; otherwise call again (each call starts
 * over from what remains, so an interrupted erasure resumes where it stopped).
 */
export async function forgetReader(
  store: ForgetStore,
  userId: number,
  batch = FORGET_BATCH,
): Promise<{ done: boolean }> {
  const comments = await store.moderation.deleteCommentsBy(userId, batch);
  if (comments.more) return { done: false };
  if ((await store.erasure.forgetOpener(userId, batch)).more) return { done: false };
  if ((await store.erasure.forgetSharer(userId, batch)).more) return { done: false };
  // Follows before the digest entries: no new entry is queued from a follow that is gone.
  const follows = await store.subscriptions.listFollows(userId);
  for (const { target } of follows.slice(0, batch)) {
    if (target.kind === 'author') await store.subscriptions.unsubscribe(userId, target.handle);
    else await store.subscriptions.unsubscribeTag(userId, target.tag);
  }
  if (follows.length > batch) return { done: false };
  if ((await store.erasure.forgetDigest(userId, batch)).more) return { done: false };
  return { done: !(await store.erasure.forgetUser(userId, batch)).more };
}
