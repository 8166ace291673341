/**
 * Searching titles for a reader: at most {@link SEARCHES_PER_MINUTE} searches a minute per user
 * (a `/search`, a typed search, every keystroke of an inline query), each reading at most
 * MAX_SEARCH_PARTITIONS index partitions (core/text.ts), so one user's worst case is bounded in
 * calls per minute (issue 17, item 3).
 */
import type { ArticleRow, HeraldStore, OffsetPage } from '../ports';
import { queryTokens } from '../text';

/** Searches one user may run a minute: inline mode sends a query per pause in typing. */
export const SEARCHES_PER_MINUTE = 30;
/** Characters of a query that are searched; the rest is ignored. */
export const MAX_QUERY_CHARS = 100;

export type SearchOutcome =
  | { status: 'limited' }
  /** Nothing searchable: every word was a single letter or digit, which titles are not indexed by. */
  | { status: 'too-short' }
  | { status: 'found'; page: OffsetPage<ArticleRow> };

/** Searches titles for `userId` unless they are over their allowance this minute. */
export async function searchTitlesFor(
  store: Pick<HeraldStore, 'articles' | 'sessions'>,
  userId: number,
  query: string,
  paging: { offset: number; limit: number; now: Date },
): Promise<SearchOutcome> {
  const q = query.trim().slice(0, MAX_QUERY_CHARS);
  // "Try fewer or shorter words" was wrong for `/search c`: say what is missing, and spend nothing.
  if (queryTokens(q).length === 0) return { status: 'too-short' };
  if (!(await store.sessions.takeSearchQuota(userId, SEARCHES_PER_MINUTE, paging.now))) {
    return { status: 'limited' };
  }
  return { status: 'found', page: await store.articles.searchTitles(q, paging.offset, paging.limit) };
}
