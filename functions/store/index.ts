/**
 * The storage layer's composition: every repository over one document client and table.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HeraldStore } from '../core/ports';
import { ArticleRepository } from './article-repository';
import { AuditRepository } from './audit-repository';
import { AuthorRepository } from './author-repository';
import { CommentRepository } from './comment-repository';
import { ErasureRepository } from './erasure-repository';
import { FeedSourceRepository } from './feed-repository';
import { MarkerRepository } from './marker-repository';
import { ModerationRepository } from './moderation-repository';
import { SessionRepository } from './session-repository';
import { ShareRepository } from './share-repository';
import { SubscriptionRepository } from './subscription-repository';

export { ArticleRepository } from './article-repository';
export { AuditRepository } from './audit-repository';
export { AuthorRepository } from './author-repository';
export { CommentRepository } from './comment-repository';
export { ErasureRepository } from './erasure-repository';
export { FeedSourceRepository } from './feed-repository';
export { ModerationRepository } from './moderation-repository';
export { SessionRepository } from './session-repository';
export { ShareRepository } from './share-repository';
export { SubscriptionRepository } from './subscription-repository';

/** Every repository of the store, each implementing its port from core/ports.ts. */
export interface Store extends HeraldStore {
  articles: ArticleRepository;
  authors: AuthorRepository;
  subscriptions: SubscriptionRepository;
  comments: CommentRepository;
  sessions: SessionRepository;
  shares: ShareRepository;
  feeds: FeedSourceRepository;
  markers: MarkerRepository;
  audit: AuditRepository;
  moderation: ModerationRepository;
  erasure: ErasureRepository;
}

/**
 * Builds the repositories on `doc` (from functions/store/client.ts) and `tableName`.
 * `now` is the clock used for timestamps and expiry (tests pass their own).
 */
export function createStore(
  doc: DynamoDBDocumentClient,
  tableName: string,
  opts: { now?: () => Date } = {},
): Store {
  return {
    ...createBotStore(doc, tableName, opts),
    comments: new CommentRepository(doc, tableName),
    shares: new ShareRepository(doc, tableName, opts.now),
    feeds: new FeedSourceRepository(doc, tableName),
    markers: new MarkerRepository(doc, tableName, opts.now),
    audit: new AuditRepository(doc, tableName),
    moderation: new ModerationRepository(doc, tableName),
    erasure: new ErasureRepository(doc, tableName),
  };
}

/** The repositories the bot uses (a core/ports.ts `BotStore`): what the webhook builds. */
export function createBotStore(
  doc: DynamoDBDocumentClient,
  tableName: string,
  opts: { now?: () => Date } = {},
): Omit<Store, 'feeds' | 'markers' | 'audit' | 'moderation' | 'erasure' | 'shares' | 'comments'> {
  return {
    articles: new ArticleRepository(doc, tableName),
    authors: new AuthorRepository(doc, tableName),
    subscriptions: new SubscriptionRepository(doc, tableName, opts.now),
    sessions: new SessionRepository(doc, tableName, opts.now),
  };
}
