/** Subscribing a reader to an author: the rule that only an existing author can be followed. */

import { UnknownAuthorError } from '../errors';
import type { HeraldStore } from '../ports';

export type SubscribeOutcome =
  | { status: 'subscribed' | 'already-subscribed'; authorName: string }
  | { status: 'unknown-author' };

/**
 * Subscribes `userId` to `handle` (their alerts written in `locale`), counting a subscriber exactly once (a double tap or a
 * redelivery is `already-subscribed`).
 *
 * Whether the author exists is decided once, by the subscription's own write (the store
 * refuses it atomically for an unknown author); the profile is read afterwards only for its
 * name. The calls stay one after another, so a failed call fails this update alone and leaves
 * nothing running behind it.
 */
export async function subscribe(
  store: Pick<HeraldStore, 'authors' | 'subscriptions'>,
  userId: number,
  handle: string,
  locale?: string,
): Promise<SubscribeOutcome> {
  let created: boolean;
  try {
    created = await store.subscriptions.subscribe(userId, handle, locale);
  } catch (err) {
    if (err instanceof UnknownAuthorError) return { status: 'unknown-author' };
    throw err;
  }
  const author = await store.authors.getAuthor(handle);
  // The author may have been deleted since the write: the handle still names them.
  const authorName = author?.fullName ?? handle;
  return { status: created ? 'subscribed' : 'already-subscribed', authorName };
}
