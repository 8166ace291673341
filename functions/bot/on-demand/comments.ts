/**
 * On-demand module: comments (features/comments.ts) — reading, posting through the prompt,
 * `/cancel`, an admin's delete — loaded on the first such update. Its repository is built here,
 * not in the webhook's main bundle.
 */
import { CommentRepository } from '../../store/comment-repository';
import type { BotDeps } from '../deps';
import { commentsFeature } from '../features/comments';
import type { Feature } from '../features/types';

export { promptComment } from '../features/comments';

export function createFeature(deps: BotDeps): Feature {
  return commentsFeature(deps, new CommentRepository(deps.doc, deps.config.tableName));
}
