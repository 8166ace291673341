/**
 * The ports of functions/core/ports.ts in memory, for fast behaviour tests of the use cases in
 * functions/core/use-cases/. It keeps the promises the ports make (a subscription and a comment
 * count once, an unknown author is refused with nothing written, expired pending input reads as
 * absent), not DynamoDB's mechanics: the repositories themselves are tested against DynamoDB
 * Local (test/integration/store/), and the contract suite holds both to the same rules.
 */

import { UnknownAuthorError } from '../../functions/core/errors';
import {
  type FeedSourceConfig,
  type FeedSourcePatch,
  type FeedSourceState,
  newFeedSourceState,
  normalizeFeedUrl,
  type StoredFeedSource,
} from '../../functions/core/feed-sources';
import type { ArticleInput, ArticleMeta, Author, AuthorInput, Comment } from '../../functions/core/model';
import type {
  AddCommentResult,
  ArticleDerived,
  ArticleRepositoryPort,
  ArticleRow,
  ArticleView,
  AuditEntry,
  AuditRepositoryPort,
  AuthorRepositoryPort,
  BodyDocument,
  CommentBan,
  CommentCursor,
  CommentPage,
  CommentRepositoryPort,
  FeedSourceRepositoryPort,
  HeraldStore,
  MarkerRepositoryPort,
  OffsetPage,
  OpenShareResult,
  PendingInput,
  PublishOptions,
  PutResult,
  SessionRepositoryPort,
  Share,
  ShareRepositoryPort,
  SubscriptionRepositoryPort,
  UpdateClaim,
  UpdateLease,
} from '../../functions/core/ports';

const page = <T>(all: T[], offset: number, limit: number): OffsetPage<T> => ({
  items: all.slice(offset, offset + limit),
  hasMore: all.length > offset + limit,
});

const row = (m: ArticleMeta): ArticleRow => ({
  id: m.id,
  title: m.title,
  authorHandle: m.authorHandle,
  authorName: m.authorName,
  publishedAt: m.publishedAt,
});

class Articles implements ArticleRepositoryPort {
  readonly metas = new Map<string, ArticleMeta>();
  readonly bodies = new Map<string, string>();
  /** The block model stored beside each body (absent for bodies published without one). */
  readonly blocks = new Map<string, string>();

  async putArticle(
    input: ArticleInput,
    derived: ArticleDerived,
    authorName: string,
    _opts?: PublishOptions,
  ): Promise<PutResult> {
    const old = this.metas.get(input.id);
    const next: ArticleMeta = {
      id: input.id,
      title: input.title,
      authorHandle: input.authorHandle,
      authorName,
      ...(input.url ? { url: input.url } : {}),
      publishedAt: input.publishedAt,
      ...derived,
      views: old?.views ?? 0,
      replies: old?.replies ?? 0,
      shares: old?.shares ?? 0,
      shareOpens: old?.shareOpens ?? 0,
      alertsSent: old?.alertsSent ?? 0,
    };
    if (old && JSON.stringify(old) === JSON.stringify(next) && this.bodies.get(input.id) === input.body)
      return 'unchanged';
    this.metas.set(input.id, next);
    this.bodies.set(input.id, input.body);
    if (derived.bodyBlocks !== undefined) this.blocks.set(input.id, derived.bodyBlocks);
    else this.blocks.delete(input.id);
    return old ? 'updated' : 'created';
  }

  /** Last counted view per article and reader (exact: no slots here). */
  private readonly viewed = new Map<string, number>();

  async openArticle(id: string, view: ArticleView): Promise<ArticleMeta | undefined> {
    const meta = this.metas.get(id);
    if (!meta) return undefined;
    const key = `${id}:${view.userId}`;
    if (this.viewed.get(key) !== view.day) {
      this.viewed.set(key, view.day);
      meta.views += 1;
    }
    return { ...meta };
  }

  async getArticle(id: string): Promise<ArticleMeta | undefined> {
    const meta = this.metas.get(id);
    return meta && { ...meta };
  }

  async getBodyDocument(id: string): Promise<BodyDocument | undefined> {
    const body = this.bodies.get(id);
    if (body === undefined) return undefined;
    const blocks = this.blocks.get(id);
    return blocks === undefined ? { body } : { body, blocks };
  }

  async getArticleWithBody(id: string): Promise<{ meta: ArticleMeta; body: BodyDocument } | undefined> {
    const meta = await this.getArticle(id);
    const body = await this.getBodyDocument(id);
    return meta && body ? { meta, body } : undefined;
  }

  async getBody(id: string): Promise<string | undefined> {
    return this.bodies.get(id);
  }

  async getArticles(ids: readonly string[]): Promise<ArticleMeta[]> {
    return ids.flatMap((id) => {
      const meta = this.metas.get(id);
      return meta ? [{ ...meta }] : [];
    });
  }

  private newestFirst(keep: (m: ArticleMeta) => boolean): ArticleRow[] {
    return [...this.metas.values()]
      .filter(keep)
      .sort((a, b) => (a.publishedAt < b.publishedAt ? 1 : -1))
      .map(row);
  }

  async latest(offset: number, limit: number): Promise<OffsetPage<ArticleRow>> {
    return page(
      this.newestFirst(() => true),
      offset,
      limit,
    );
  }

  async byAuthor(handle: string, offset: number, limit: number): Promise<OffsetPage<ArticleRow>> {
    return page(
      this.newestFirst((m) => m.authorHandle === handle),
      offset,
      limit,
    );
  }

  async searchTitles(query: string, offset: number, limit: number): Promise<OffsetPage<ArticleRow>> {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const matches = (m: ArticleMeta) => {
      const titleWords = m.title.toLowerCase().split(/\W+/u);
      return words.every((w) => titleWords.some((t) => t.startsWith(w)));
    };
    return page(this.newestFirst(matches), offset, limit);
  }

  async deleteArticle(id: string): Promise<boolean> {
    this.bodies.delete(id);
    return this.metas.delete(id);
  }

  async addToCounter(id: string, counter: 'shares' | 'shareOpens' | 'alertsSent', by: number): Promise<void> {
    const meta = this.metas.get(id);
    if (meta) meta[counter] += by;
  }
}

class Authors implements AuthorRepositoryPort {
  readonly byHandle = new Map<string, Author>();

  async putAuthor(input: AuthorInput): Promise<PutResult> {
    const old = this.byHandle.get(input.handle);
    this.byHandle.set(input.handle, {
      ...input,
      articleCount: old?.articleCount ?? 0,
      subscriberCount: old?.subscriberCount ?? 0,
    });
    return old ? 'updated' : 'created';
  }

  async getAuthor(handle: string): Promise<Author | undefined> {
    const author = this.byHandle.get(handle);
    return author && { ...author };
  }

  async listAuthors(offset: number, limit: number): Promise<OffsetPage<Author>> {
    return page(
      [...this.byHandle.values()].sort((a, b) => a.handle.localeCompare(b.handle)),
      offset,
      limit,
    );
  }
}

class Subscriptions implements SubscriptionRepositoryPort {
  /** `<userId>:<handle>` of every subscription. */
  readonly pairs = new Set<string>();
  readonly inactive = new Set<number>();
  /** `<userId>:<handle>` → the language kept with the subscription. */
  readonly locales = new Map<string, string>();

  constructor(private readonly authors: Authors) {}

  async subscribe(userId: number, handle: string, locale?: string): Promise<boolean> {
    const author = this.authors.byHandle.get(handle);
    if (!author) throw new UnknownAuthorError(handle);
    const key = `${userId}:${handle}`;
    if (this.pairs.has(key)) return false;
    this.pairs.add(key);
    if (locale !== undefined) this.locales.set(key, locale);
    author.subscriberCount += 1;
    return true;
  }

  async unsubscribe(userId: number, handle: string): Promise<boolean> {
    if (!this.pairs.delete(`${userId}:${handle}`)) return false;
    const author = this.authors.byHandle.get(handle);
    if (author) author.subscriberCount -= 1;
    return true;
  }

  async isSubscribed(userId: number, handle: string): Promise<boolean> {
    return this.pairs.has(`${userId}:${handle}`);
  }

  async subscriptionMode(userId: number, handle: string): Promise<'instant' | undefined> {
    return this.pairs.has(`${userId}:${handle}`) ? 'instant' : undefined;
  }

  async listModesForUser(userId: number): Promise<Array<{ handle: string; mode: 'instant' }>> {
    return (await this.listForUser(userId)).map((handle) => ({ handle, mode: 'instant' }));
  }

  async listForUser(userId: number): Promise<string[]> {
    const prefix = `${userId}:`;
    return [...this.pairs]
      .filter((k) => k.startsWith(prefix))
      .map((k) => k.slice(prefix.length))
      .sort();
  }

  async subscribersPage(
    handle: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ userIds: number[]; locales?: Record<string, string>; next?: string }> {
    const all = [...this.pairs]
      .filter((k) => k.endsWith(`:${handle}`))
      .map((k) => Number(k.slice(0, k.indexOf(':'))))
      .filter((id) => !this.inactive.has(id))
      .sort((a, b) => a - b);
    const start = cursor === undefined ? 0 : Number(cursor);
    const userIds = all.slice(start, start + limit);
    const locales: Record<string, string> = {};
    for (const id of userIds) {
      const locale = this.locales.get(`${id}:${handle}`);
      if (locale !== undefined) locales[String(id)] = locale;
    }
    return {
      userIds,
      ...(Object.keys(locales).length > 0 ? { locales } : {}),
      ...(start + limit < all.length ? { next: String(start + limit) } : {}),
    };
  }

  async setUserLocale(userId: number, locale: string): Promise<void> {
    for (const key of this.pairs) if (key.startsWith(`${userId}:`)) this.locales.set(key, locale);
  }

  async setUserActive(userId: number, active: boolean): Promise<void> {
    if (active) this.inactive.delete(userId);
    else this.inactive.add(userId);
  }
}

class Comments implements CommentRepositoryPort {
  readonly all = new Map<string, Comment>();
  /** Comments taken per user and minute (epoch minute). */
  private readonly quota = new Map<string, number>();

  constructor(private readonly articles: Articles) {}

  async addComment(comment: Comment): Promise<AddCommentResult> {
    const meta = this.articles.metas.get(comment.articleId);
    if (!meta) return 'article-missing';
    if (this.bans.has(comment.userId)) return 'banned';
    const key = `${comment.articleId}:${comment.commentId}`;
    if (this.all.has(key)) return 'duplicate';
    this.all.set(key, { ...comment });
    meta.replies += 1;
    return 'added';
  }

  async commentsPage(articleId: string, cursor: CommentCursor, limit: number): Promise<CommentPage> {
    const mine = [...this.all.values()]
      .filter((c) => c.articleId === articleId)
      .sort((a, b) => (a.commentId < b.commentId ? 1 : -1));
    let from = 0;
    if (cursor && 'before' in cursor) from = mine.filter((c) => c.commentId >= cursor.before).length;
    if (cursor && 'after' in cursor) {
      const newer = mine.filter((c) => c.commentId > cursor.after).length;
      from = newer > limit ? newer - limit : 0;
    }
    const items = mine.slice(from, from + limit);
    const first = items[0];
    const last = items.at(-1);
    return {
      items,
      ...(from + limit < mine.length && last ? { older: last.commentId } : {}),
      ...(from > 0 && first ? { newer: first.commentId } : {}),
    };
  }

  private readonly bans = new Map<number, CommentBan>();

  async ban(ban: CommentBan): Promise<boolean> {
    if (this.bans.has(ban.userId)) return false;
    this.bans.set(ban.userId, { ...ban });
    return true;
  }

  async unban(userId: number): Promise<boolean> {
    return this.bans.delete(userId);
  }

  async getBan(userId: number): Promise<CommentBan | undefined> {
    return this.bans.get(userId);
  }

  async deleteCommentsBy(userId: number, max: number): Promise<{ deleted: number; more: boolean }> {
    const mine = [...this.all.values()].filter((c) => c.userId === userId);
    for (const c of mine.slice(0, max)) await this.deleteComment(c.articleId, c.commentId);
    return { deleted: Math.min(max, mine.length), more: mine.length > max };
  }

  async getComment(articleId: string, commentId: string): Promise<Comment | undefined> {
    return this.all.get(`${articleId}:${commentId}`);
  }

  async deleteComment(articleId: string, commentId: string): Promise<boolean> {
    if (!this.all.delete(`${articleId}:${commentId}`)) return false;
    const meta = this.articles.metas.get(articleId);
    if (meta) meta.replies -= 1;
    return true;
  }

  async takeCommentQuota(userId: number, perMinute: number, now: Date): Promise<boolean> {
    const key = `${userId}:${Math.floor(now.getTime() / 60_000)}`;
    const used = this.quota.get(key) ?? 0;
    if (used >= perMinute) return false;
    this.quota.set(key, used + 1);
    return true;
  }
}

class Audit implements AuditRepositoryPort {
  readonly entries: AuditEntry[] = [];

  async record(entry: AuditEntry): Promise<void> {
    this.entries.push({ ...entry });
  }

  async listDay(day: string): Promise<{ items: AuditEntry[] }> {
    return { items: this.entries.filter((e) => e.at.startsWith(day)).reverse() };
  }
}

class Sessions implements SessionRepositoryPort {
  private readonly claims = new Map<number, { owner: string; leaseUntil: number; done: boolean }>();
  private readonly pending = new Map<number, { input: PendingInput; until: number }>();
  readonly users = new Map<
    number,
    { id: number; firstName: string; username?: string; languageCode?: string }
  >();

  constructor(private readonly now: () => Date) {}

  async forgetUser(userId: number): Promise<{ more: boolean }> {
    this.users.delete(userId);
    this.pending.delete(userId);
    return { more: false };
  }

  async claimUpdate(updateId: number, lease: UpdateLease): Promise<UpdateClaim> {
    const claim = this.claims.get(updateId);
    if (claim?.done) return 'done';
    if (claim && claim.owner !== lease.owner && claim.leaseUntil > this.now().getTime()) return 'in-progress';
    this.claims.set(updateId, { owner: lease.owner, leaseUntil: lease.leaseUntil, done: false });
    return 'claimed';
  }

  async completeUpdate(updateId: number, _ttlSeconds: number): Promise<void> {
    const claim = this.claims.get(updateId);
    if (claim) claim.done = true;
  }

  async releaseUpdate(updateId: number, owner: string): Promise<void> {
    if (this.claims.get(updateId)?.owner === owner) this.claims.delete(updateId);
  }

  private readonly searches = new Map<string, number>();

  async takeSearchQuota(userId: number, perMinute: number, now: Date): Promise<boolean> {
    const key = `${userId}:${Math.floor(now.getTime() / 60_000)}`;
    const used = this.searches.get(key) ?? 0;
    if (used >= perMinute) return false;
    this.searches.set(key, used + 1);
    return true;
  }

  async setPending(userId: number, pending: PendingInput, ttlSeconds: number): Promise<void> {
    this.pending.set(userId, { input: { ...pending }, until: this.now().getTime() + ttlSeconds * 1000 });
  }

  async takePending(userId: number): Promise<PendingInput | undefined> {
    const entry = this.pending.get(userId);
    this.pending.delete(userId);
    return entry && entry.until > this.now().getTime() ? entry.input : undefined;
  }

  async touchUser(user: { id: number; firstName: string; username?: string; languageCode?: string }) {
    if (!this.users.has(user.id)) this.users.set(user.id, { ...user });
  }

  /** `/language` choices by user id. */
  readonly languages = new Map<number, string>();

  async getLanguage(userId: number): Promise<string | undefined> {
    return this.languages.get(userId);
  }

  async setLanguage(userId: number, locale: string): Promise<void> {
    this.languages.set(userId, locale);
  }
}

class Shares implements ShareRepositoryPort {
  private readonly byCode = new Map<string, Share>();
  private readonly opened = new Set<string>();
  private nextCode = 0;

  constructor(
    private readonly articles: Articles,
    private readonly now: () => Date,
  ) {}

  async forgetOpener(userId: number): Promise<{ more: boolean }> {
    for (const key of [...this.opened]) if (key.endsWith(`:${userId}`)) this.opened.delete(key);
    return { more: false };
  }

  async forgetSharer(userId: number): Promise<{ more: boolean }> {
    for (const [code, share] of [...this.byCode]) if (share.sharerId === userId) this.byCode.delete(code);
    for (const key of [...this.counted]) if (key.startsWith(`${userId}:`)) this.counted.delete(key);
    return { more: false };
  }

  async getOrCreateShare(input: {
    articleId: string;
    title: string;
    sharerId: number;
    sharerName: string;
  }): Promise<{ share: Share; created: boolean }> {
    const existing = [...this.byCode.values()].find(
      (s) => s.sharerId === input.sharerId && s.articleId === input.articleId,
    );
    if (existing) return { share: { ...existing }, created: false };
    const counted = this.counted.has(`${input.sharerId}:${input.articleId}`);
    this.counted.add(`${input.sharerId}:${input.articleId}`);
    const share: Share = {
      ...input,
      code: `code${this.nextCode++}`,
      createdAt: this.now().toISOString(),
      opens: 0,
    };
    this.byCode.set(share.code, share);
    return { share: { ...share }, created: !counted };
  }

  /** Sharer and article pairs already counted (a link or a posted card). */
  private readonly counted = new Set<string>();

  async countShare(sharerId: number, articleId: string): Promise<boolean> {
    const key = `${sharerId}:${articleId}`;
    if (this.counted.has(key)) return false;
    this.counted.add(key);
    return true;
  }

  async openShare(code: string, openerId: number): Promise<OpenShareResult> {
    const share = this.byCode.get(code);
    if (!share) return { status: 'not-found' };
    const key = `${code}:${openerId}`;
    if (share.sharerId === openerId || this.opened.has(key))
      return { status: 'opened', share: { ...share }, counted: false };
    this.opened.add(key);
    share.opens += 1;
    await this.articles.addToCounter(share.articleId, 'shareOpens', 1);
    return { status: 'opened', share: { ...share }, counted: true };
  }

  async listByUser(userId: number, offset: number, limit: number): Promise<OffsetPage<Share>> {
    const mine = [...this.byCode.values()]
      .filter((s) => s.sharerId === userId)
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    return page(mine, offset, limit);
  }
}

class Markers implements MarkerRepositoryPort {
  private readonly names = new Set<string>();

  async has(name: string): Promise<boolean> {
    return this.names.has(name);
  }

  async set(name: string): Promise<void> {
    this.names.add(name);
  }
}

class Feeds implements FeedSourceRepositoryPort {
  readonly maxSources = 200;
  private readonly sources = new Map<string, StoredFeedSource>();

  /** Any stable, URL-derived id will do in memory (the DynamoDB store hashes the URL). */
  idFor(url: string): string {
    return Buffer.from(normalizeFeedUrl(url)).toString('base64url').slice(0, 22).padEnd(22, '_');
  }

  async addSource(config: FeedSourceConfig, createdAt: string): Promise<StoredFeedSource | undefined> {
    const url = normalizeFeedUrl(config.url);
    const id = this.idFor(url);
    if (this.sources.has(id)) return undefined;
    const source: StoredFeedSource = {
      ...config,
      url,
      id,
      paused: false,
      createdAt,
      state: newFeedSourceState(),
      stateVersion: 0,
    };
    this.sources.set(id, source);
    return structuredClone(source);
  }

  async getSource(id: string): Promise<StoredFeedSource | undefined> {
    const s = this.sources.get(id);
    return s === undefined ? undefined : structuredClone(s);
  }

  async listSources(): Promise<{ items: StoredFeedSource[]; hasMore: boolean }> {
    const all = [...this.sources.values()].sort((a, b) => (a.url < b.url ? -1 : 1));
    return {
      items: all.slice(0, this.maxSources).map((s) => structuredClone(s)),
      hasMore: all.length > this.maxSources,
    };
  }

  async updateSource(id: string, patch: FeedSourcePatch): Promise<StoredFeedSource | undefined> {
    const s = this.sources.get(id);
    if (s === undefined) return undefined;
    if (patch.paused !== undefined) s.paused = patch.paused;
    if (patch.alerts !== undefined) s.alerts = patch.alerts;
    if (patch.defaultAuthor === null) delete s.defaultAuthor;
    else if (patch.defaultAuthor !== undefined) s.defaultAuthor = patch.defaultAuthor;
    if (patch.authorMap === null) delete s.authorMap;
    else if (patch.authorMap !== undefined) s.authorMap = { ...patch.authorMap };
    return structuredClone(s);
  }

  async saveState(id: string, state: FeedSourceState, expectedVersion: number): Promise<boolean> {
    const s = this.sources.get(id);
    if (s === undefined || s.stateVersion !== expectedVersion) return false;
    s.state = structuredClone(state);
    s.stateVersion += 1;
    return true;
  }

  async removeSource(id: string): Promise<boolean> {
    return this.sources.delete(id);
  }
}

/** A fresh in-memory store; `now` is its clock (pending input and claims expire by it). */
export function createInMemoryStore(now: () => Date = () => new Date()): HeraldStore {
  const articles = new Articles();
  const authors = new Authors();
  const comments = new Comments(articles);
  const sessions = new Sessions(now);
  const shares = new Shares(articles, now);
  return {
    articles,
    authors,
    subscriptions: new Subscriptions(authors),
    comments,
    audit: new Audit(),
    sessions,
    shares,
    markers: new Markers(),
    feeds: new Feeds(),
    // The in-memory classes hold these methods beside their repositories' own.
    moderation: comments,
    erasure: {
      forgetOpener: (userId: number) => shares.forgetOpener(userId),
      forgetSharer: (userId: number) => shares.forgetSharer(userId),
      // This store keeps no digests: nothing waits for one.
      forgetDigest: async () => ({ more: false }),
      forgetUser: (userId: number) => sessions.forgetUser(userId),
    },
  };
}
