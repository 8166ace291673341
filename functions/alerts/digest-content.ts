/**
 * A reader's digest for a slot, built by the sender once it holds the reader's claim: their
 * waiting entries due by the slot (one Query of their partition), rendered in their language,
 * and forgotten once the digest went out. Entries due later (a weekly digest's, on a daily
 * digest's day) stay for their own slot.
 */
import type { DigestEntry } from '../core/delivery';
import type { DigestRepository } from '../store/digest-repository';
import type { ReaderSettingsRepository } from '../store/reader-settings-repository';
import type { DigestBuilder, View } from './sender';

/** What the digest shows: entries grouped by author, in the reader's language (the bot draws it). */
export type DigestRenderer = (
  entries: readonly DigestEntry[],
  locale: { stored?: string; telegramLanguageCode?: string },
) => View[];

export interface DigestContentDeps {
  digests: Pick<DigestRepository, 'entries' | 'remove'>;
  readers: Pick<ReaderSettingsRepository, 'localeHints'>;
  render: DigestRenderer;
}

/** The sender's {@link DigestBuilder} over the store and the bot's renderer. */
export function createDigestBuilder(deps: DigestContentDeps): DigestBuilder {
  return async (userId, slot) => {
    const due = (await deps.digests.entries(userId)).filter((e) => e.dueAt <= slot);
    // Nothing waiting sends nothing: also what a due marker left after /forget_me gets (the
    // erasure deletes the entries; test/integration/alerts/digests.test.ts "used /forget_me").
    if (due.length === 0) return undefined;
    const views = deps.render(due, await deps.readers.localeHints(userId));
    return {
      views,
      sent: () =>
        deps.digests.remove(
          userId,
          due.map((e) => e.articleId),
        ),
    };
  };
}
