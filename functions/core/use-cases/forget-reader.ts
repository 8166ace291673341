/**
 * A reader's erasure (`/forget_me`, issue 17 item 2): what Herald stores about one Telegram user,
 * removed in bounded steps, counters corrected.
 *
 * Policy, as docs/privacy.md states it:
 * - comments are **deleted**, not anonymised (each lowers its article's Replies): a comment
 *   quotes its author's words, which an anonymised copy would still publish;
 * - subscriptions go with `subscriberCount − 1` each; pending input, the profile (name, language,
 *   first/last seen) and the user partition go;
 * - share links go with their open records, and the records of links the reader opened go too;
 *   the articles' views, shares and share opens are anonymous totals and stay;
 * - a comment ban stays (a moderation record: erasing it would lift it);
 * - what expires by itself: alert delivery records (30 days), share-open records (180 days),
 *   rate counters (minutes), the admin audit (90 days), update claims (a day).
 */
import type { HeraldStore } from '../ports';

/** Items removed per call at most (per step): a heavy reader is erased over several calls. */
export const FORGET_BATCH = 25;

/**
 * Runs the next bounded part of erasing `userId`: at most one step's worth of
 * {@link FORGET_BATCH} items. `done` once nothing is left; otherwise call again (each call starts
 * over from what remains, so an interrupted erasure resumes where it stopped).
 */
export async function forgetReader(
  store: Pick<HeraldStore, 'moderation' | 'erasure' | 'subscriptions'>,
  userId: number,
  batch = FORGET_BATCH,
): Promise<{ done: boolean }> {
  const comments = await store.moderation.deleteCommentsBy(userId, batch);
  if (comments.more) return { done: false };
  if ((await store.erasure.forgetOpener(userId, batch)).more) return { done: false };
  if ((await store.erasure.forgetSharer(userId, batch)).more) return { done: false };
  const handles = await store.subscriptions.listForUser(userId);
  for (const handle of handles.slice(0, batch)) await store.subscriptions.unsubscribe(userId, handle);
  if (handles.length > batch) return { done: false };
  return { done: !(await store.erasure.forgetUser(userId, batch)).more };
}
