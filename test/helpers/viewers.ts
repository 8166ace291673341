/**
 * Views count once per reader per article per day (core/use-cases/views.ts): tests that open an
 * article to count views take a new reader for each open.
 */
import type { ArticleView } from '../../functions/core/ports';

let next = 1_000_000;

/** A reader who has not opened anything yet, today (day 20,000). */
export function freshViewer(): ArticleView {
  next += 1;
  return { userId: next, day: 20_000 };
}
