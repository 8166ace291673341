/** A friend opens a share link: count the first open by someone other than the sharer, then the view. */
import type { ArticleMeta } from '../model';
import type { HeraldStore } from '../ports';
import { viewBy } from './views';

export type OpenShareOutcome =
  | { status: 'not-found' }
  | { status: 'article-missing' }
  /** `sharedBy` names the sharer for anyone but the sharer themself. */
  | { status: 'opened'; article: ArticleMeta; sharedBy?: string };

/**
 * Resolves a share code for `openerId`. A first open by a distinct friend counts once on the
 * share and the article (atomically, in the store); every open counts a view, like any open (once per reader a day).
 */
export async function openShare(
  store: Pick<HeraldStore, 'shares' | 'articles'>,
  code: string,
  openerId: number,
  now: Date,
): Promise<OpenShareOutcome> {
  const r = await store.shares.openShare(code, openerId);
  if (r.status === 'not-found') return r;
  const article = await store.articles.openArticle(r.share.articleId, viewBy(openerId, now));
  if (!article) return { status: 'article-missing' };
  const sharedBy = r.share.sharerId === openerId ? undefined : r.share.sharerName || 'A friend';
  return { status: 'opened', article, sharedBy };
}
