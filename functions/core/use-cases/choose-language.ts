/** A reader's `/language` choice: on the profile for replies, on each subscription for alerts. */
import type { HeraldStore } from '../ports';

/**
 * Stores the reader's language on their profile (read once per update), then on each of their
 * subscriptions (read by the alert fan-out, which never reads profiles). The profile goes first:
 * if the second write fails, replies already speak the new language and a repeat finishes the job.
 */
export async function chooseLanguage(
  store: Pick<HeraldStore, 'sessions' | 'subscriptions'>,
  userId: number,
  locale: string,
): Promise<void> {
  await store.sessions.setLanguage(userId, locale);
  await store.subscriptions.setUserLocale(userId, locale);
}
