/**
 * A reader's digest for a slot, built by the sender once it holds the reader's claim: their
 * waiting entries due by the slot (one Query of their partition), rendered in their language,
 * and forgotten once the digest went out. With topics per author (alerts/reader-topics.ts) it
 * comes as one digest per author, each sent into that author's topic. Entries due later (a
 * weekly digest's, on a daily digest's day) stay for their own slot.
 */
import type { DigestEntry } from '../core/delivery';
import type { DigestRepository } from '../store/digest-repository';
import type { ReaderSettingsRepository } from '../store/reader-settings-repository';
import type { DigestBuilder, View } from './sender';

/**
 * A reader with topics per author gets one digest per author, each for that author's topic
 * (marked with its author), in the order the authors first appear.
 */
function perAuthorViews(
  render: DigestRenderer,
  due: readonly DigestEntry[],
  locale: { stored?: string; telegramLanguageCode?: string },
): View[] {
  const byAuthor = new Map<string, DigestEntry[]>();
  for (const e of due) {
    const entries = byAuthor.get(e.authorHandle);
    if (entries) entries.push(e);
    else byAuthor.set(e.authorHandle, [e]);
  }
  return [...byAuthor.values()].flatMap((entries) => {
    const first = entries[0];
    const author = first ? { handle: first.authorHandle, name: first.authorName } : undefined;
    return render(entries, locale).map((view) => (author ? { ...view, author } : view));
  });
}

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
  return async (userId, slot, opts = {}) => {
    const due = (await deps.digests.entries(userId)).filter((e) => e.dueAt <= slot);
    // Nothing waiting sends nothing: also what a due marker left after /forget_me gets (the
    // erasure deletes the entries; test/integration/alerts/digests.test.ts "used /forget_me").
    if (due.length === 0) return undefined;
    const locale = await deps.readers.localeHints(userId);
    const views =
      opts.perAuthor === true ? perAuthorViews(deps.render, due, locale) : deps.render(due, locale);
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
