/** What counts as a view: one per reader per article per UTC day (issue 17, item 5). */
import type { ArticleView } from '../ports';

const DAY_MS = 86_400_000;

/** The view `userId` makes at `now`: the same for every open of one article on one UTC day. */
export function viewBy(userId: number, now: Date): ArticleView {
  return { userId, day: Math.floor(now.getTime() / DAY_MS) };
}
