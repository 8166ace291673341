/**
 * What the domain needs from storage, declared here and implemented on DynamoDB in
 * functions/store/. Offsets are plain numbers so that a page fits in a 64-byte callback
 * button; each list method returns `hasMore` so the ▶ button only shows when useful.
 */
import type { ReaderSettings } from './delivery';
import type { DeliveryMode } from './delivery-mode';
import type { FeedSourceConfig, FeedSourcePatch, FeedSourceState, StoredFeedSource } from './feed-sources';
import type { ArticleInput, ArticleMeta, Author, AuthorInput, Comment } from './model';

/** One row of an article listing (served from an index; counters are not projected). */
export interface ArticleRow {
  id: string;
  title: string;
  authorHandle: string;
  authorName: string;
  publishedAt: string;
}

/**
 * Who opens an article and on which day: a view counts once per reader per article per day
 * (core/use-cases/views.ts builds it).
 */
export interface ArticleView {
  userId: number;
  /** Days since 1970-01-01, UTC. */
  day: number;
}

export interface OffsetPage<T> {
  items: T[];
  hasMore: boolean;
}

/** Derived fields computed once when an article is stored (never per view). */
export interface ArticleDerived {
  summary: string;
  readingMinutes: number;
  wordCount: number;
  /**
   * The body's block model, parsed from its Markdown at publish (core/body/stored-body.ts,
   * `encodeBlocks`): an opaque JSON string the store keeps with the body and hands back with
   * it, so that readers never parse Markdown. Publishing always sets it; it is optional only
   * for writers of old-style plain-text bodies, which read as plain paragraphs without it.
   */
  bodyBlocks?: string;
}

/** A stored body: its Markdown and, for articles published with one, its block model (`encodeBlocks`). */
export interface BodyDocument {
  body: string;
  blocks?: string;
}

export type PutResult = 'created' | 'updated' | 'unchanged';

export interface PublishOptions {
  /**
   * Store a new article without alerting subscribers (a bulk back-fill of the archive). The
   * meta item carries `silent = true`, which the stream filter and the fan-out skip.
   */
  silent?: boolean;
}

export interface ArticleRepositoryPort {
  /** Creates or updates an article (meta, body and title-index items). An existing id is an update. */
  putArticle(
    input: ArticleInput,
    derived: ArticleDerived,
    authorName: string,
    opts?: PublishOptions,
  ): Promise<PutResult>;
  /**
   * Reads the card and counts one view in a single UpdateItem, at most once per reader per
   * article per day (see {@link ArticleView}); undefined when missing. (A share link's first
   * open by a friend is counted by `ShareRepositoryPort.openShare`.)
   */
  openArticle(id: string, view: ArticleView): Promise<ArticleMeta | undefined>;
  /** Reads the card without counting a view; `consistent` reads it strongly (right after a write). */
  getArticle(id: string, consistent?: boolean): Promise<ArticleMeta | undefined>;
  getBody(id: string): Promise<string | undefined>;
  /** The body with its stored block model (absent for bodies stored before there was one). */
  getBodyDocument(id: string): Promise<BodyDocument | undefined>;
  /** The card and the body in one read, no view counted ("Read the full article"). */
  getArticleWithBody(id: string): Promise<{ meta: ArticleMeta; body: BodyDocument } | undefined>;
  /** Cards for several ids in one BatchGet, in the order given; missing ids are left out. */
  getArticles(ids: readonly string[]): Promise<ArticleMeta[]>;
  latest(offset: number, limit: number): Promise<OffsetPage<ArticleRow>>;
  byAuthor(handle: string, offset: number, limit: number): Promise<OffsetPage<ArticleRow>>;
  /** Articles whose title contains every word of the query (prefix match on the last word). */
  searchTitles(query: string, offset: number, limit: number): Promise<OffsetPage<ArticleRow>>;
  deleteArticle(id: string): Promise<boolean>;
  /** Adds to a counter of the article (shares, shareOpens, alertsSent). No-op if missing. */
  addToCounter(id: string, counter: 'shares' | 'shareOpens' | 'alertsSent', by: number): Promise<void>;
}

export interface AuthorRepositoryPort {
  putAuthor(input: AuthorInput): Promise<PutResult>;
  getAuthor(handle: string): Promise<Author | undefined>;
  listAuthors(offset: number, limit: number): Promise<OffsetPage<Author>>;
}

export interface SubscriptionRepositoryPort {
  /**
   * True when this created the subscription (a double tap is one subscription, +1).
   * Throws `UnknownAuthorError` (core/publishing.ts) when the author does not exist, having written nothing.
   * `locale` is the reader's language, kept with the subscription so alerts are written in it.
   */
  subscribe(userId: number, handle: string, locale?: string): Promise<boolean>;
  /** True when a subscription was removed. */
  unsubscribe(userId: number, handle: string): Promise<boolean>;
  isSubscribed(userId: number, handle: string): Promise<boolean>;
  /** The mode of the user's subscription to the author; undefined when not subscribed (one read). */
  subscriptionMode(userId: number, handle: string): Promise<DeliveryMode | undefined>;
  /** All of a user's subscriptions (one Query), handles in alphabetical order. */
  listForUser(userId: number): Promise<string[]>;
  /** {@link listForUser} with each subscription's delivery mode (the same Query). */
  listModesForUser(userId: number): Promise<Array<{ handle: string; mode: DeliveryMode }>>;
  /**
   * Active subscribers of an author, a Query page at a time (no Scan). `locales` maps a user id
   * (as a string) to the language their alerts are written in, for those whose language is known.
   */
  subscribersPage(
    handle: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ userIds: number[]; locales?: Record<string, string>; next?: string }>;
  /** Records a reader's new language on each of their subscriptions (after `/language`). */
  setUserLocale(userId: number, locale: string): Promise<void>;
  /** Blocked users are left out of the fan-out index; unblocking puts them back. */
  setUserActive(userId: number, active: boolean): Promise<void>;
}

/** What a reader can follow: an author, or a tag (normalised, core/tags.ts). */
export type Followable = { kind: 'author'; handle: string } | { kind: 'tag'; tag: string };

/** One of a reader's follows and how its news arrives. */
export interface Follow {
  target: Followable;
  mode: DeliveryMode;
}

/** A reader's follows of authors and tags, listed and dropped (the erasure uses it). */
export interface FollowsPort {
  /** Everything the reader follows with its mode: authors, then tags. */
  listFollows(userId: number): Promise<Follow[]>;
  /** Stops following a tag, its subscriberCount lowered by exactly one; false when not following. */
  unsubscribeTag(userId: number, tag: string): Promise<boolean>;
}

/** The followers of an author or a tag in one delivery mode, a Query page at a time (no Scan). */
export interface FollowersPort {
  followersPage(
    target: Followable,
    mode: DeliveryMode,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ userIds: number[]; next?: string }>;
}

/** A tag and how many readers follow it (`/tags`). */
export interface RankedTag {
  tag: string;
  followers: number;
}

/** A reader's delivery settings (on their profile item). */
export interface ReaderSettingsPort {
  /** The reader's settings, defaults filled in (one GetItem). */
  getSettings(userId: number): Promise<ReaderSettings>;
  /** Several readers' settings at once (BatchGetItem), defaults for readers never seen. */
  getManySettings(userIds: readonly number[]): Promise<Map<number, ReaderSettings>>;
}

export type AddCommentResult = 'added' | 'duplicate' | 'article-missing' | 'banned';

/**
 * Where a page of comments starts: the newest (absent), the comments older than the comment
 * `before`, or those newer than the comment `after`. A cursor is a comment id: any value reads at
 * most one page, so a forged one cannot make a deep read.
 */
export type CommentCursor = { before: string } | { after: string } | undefined;

/** A page of comments, newest first, with the cursors of its neighbours when they exist. */
export interface CommentPage {
  items: Comment[];
  /** The cursor (`{ before: older }`) of the page of older comments. */
  older?: string;
  /** The cursor (`{ after: newer }`) of the page of newer comments. */
  newer?: string;
}

/** A reader's ban from commenting. */
export interface CommentBan {
  userId: number;
  /** Who banned: an admin API key's name or `telegram:<admin id>`. */
  by: string;
  reason?: string;
  createdAt: string;
}

export interface CommentRepositoryPort {
  /**
   * Adds a comment once (the id is deterministic per update) and raises replies by exactly one;
   * 'banned' (nothing written) when the commenter is banned.
   */
  addComment(comment: Comment): Promise<AddCommentResult>;
  /** A page of at most `limit` comments (≤ 100) from the cursor: at most `limit + 1` items read. */
  commentsPage(articleId: string, cursor: CommentCursor, limit: number): Promise<CommentPage>;
  getComment(articleId: string, commentId: string): Promise<Comment | undefined>;
  /** Deletes once and lowers replies by exactly one; false when it was already gone. */
  deleteComment(articleId: string, commentId: string): Promise<boolean>;
  /** Takes one unit of the user's per-minute comment allowance; false when exhausted. */
  takeCommentQuota(userId: number, perMinute: number, now: Date): Promise<boolean>;
}

/** Comment moderation: bans and a reader's comments (admin API, admin commands, erasure). */
export interface ModerationPort {
  /** Bans a reader from commenting; false when they were banned already (the first ban is kept). */
  ban(ban: CommentBan): Promise<boolean>;
  /** Lifts a ban; false when there was none. */
  unban(userId: number): Promise<boolean>;
  getBan(userId: number): Promise<CommentBan | undefined>;
  /**
   * Deletes up to `max` (≤ 100) of a reader's comments, each with its replies count; `more` when
   * some remain (call again). Comments posted before the commenter index existed are not found.
   */
  deleteCommentsBy(userId: number, max: number): Promise<{ deleted: number; more: boolean }>;
}

/** A reader's erasure, beyond their comments and subscriptions (core/use-cases/forget-reader.ts). */
export interface ErasurePort {
  /** Erases up to `max` records of share links the user opened (the counts stay: anonymous totals). */
  forgetOpener(userId: number, max: number): Promise<{ more: boolean }>;
  /** Erases up to about `max` items of the user's share links, their open records included. */
  forgetSharer(userId: number, max: number): Promise<{ more: boolean }>;
  /** Erases up to `max` of the articles waiting for the user's digest, with their slots' due markers. */
  forgetDigest(userId: number, max: number): Promise<{ more: boolean }>;
  /**
   * Erases up to `max` items of the user's own partition (profile last: `more` until it is gone),
   * after their follows, share links and digest entries were removed.
   */
  forgetUser(userId: number, max: number): Promise<{ more: boolean }>;
}

/** What the bot is waiting for from a user (the next message is a comment's text). */
export interface PendingInput {
  kind: 'comment';
  articleId: string;
  /**
   * The prompt's message id in the chat. Only the reader's very next message (id + 1) or a reply
   * to the prompt is the comment: a command or a button's message in between cancels it.
   */
  promptMessageId?: number;
}

/**
 * What claiming an update id found: `claimed` (this delivery processes it), `done` (an earlier
 * delivery finished it: a duplicate), `in-progress` (another delivery holds an unexpired lease on
 * it: answer so that Telegram redelivers later).
 */
export type UpdateClaim = 'claimed' | 'done' | 'in-progress';

/** Who claims an update, until when, and how long a finished one is remembered. */
export interface UpdateLease {
  /** Unique per delivery: tells this delivery's retried request from another delivery. */
  owner: string;
  /** Epoch ms after which an unfinished claim may be taken over. */
  leaseUntil: number;
  ttlSeconds: number;
}

export interface SessionRepositoryPort {
  /**
   * Claims an update id for `owner` (one delivery) with a lease until `leaseUntil` (epoch ms):
   * free when no claim exists, when its lease expired unfinished, or when it is older than the
   * dedupe TTL. The owner's own claim (a retried request) is `claimed` again.
   */
  claimUpdate(updateId: number, lease: UpdateLease): Promise<UpdateClaim>;
  /** Marks a claimed update done, so every later delivery is a duplicate until the TTL. */
  completeUpdate(updateId: number, ttlSeconds: number): Promise<void>;
  /** Forgets `owner`'s claim so Telegram's redelivery is processed (used when processing failed). */
  releaseUpdate(updateId: number, owner: string): Promise<void>;
  setPending(userId: number, pending: PendingInput, ttlSeconds: number): Promise<void>;
  /** Takes one unit of the user's per-minute search allowance (searches and inline queries); false when exhausted. */
  takeSearchQuota(userId: number, perMinute: number, now: Date): Promise<boolean>;
  /** Reads and removes what the bot was waiting for; expired entries count as absent. */
  takePending(userId: number): Promise<PendingInput | undefined>;
  /** The language the user chose with `/language`; undefined when they never chose. */
  getLanguage(userId: number): Promise<string | undefined>;
  /** Stores the user's `/language` choice on their profile. */
  setLanguage(userId: number, locale: string): Promise<void>;
  /** Records a user the first time they talk to the bot (for stats and alerts). */
  touchUser(user: { id: number; firstName: string; username?: string; languageCode?: string }): Promise<void>;
}

/** One-time markers (e.g. the local runtime's "demo content seeded"), so setup runs once per store. */
export interface MarkerRepositoryPort {
  /** True once {@link MarkerRepositoryPort.set} was called for `name`. */
  has(name: string): Promise<boolean>;
  set(name: string): Promise<void>;
}

/** One admin write, as the audit trail keeps it (90 days). */
export interface AuditEntry {
  /** ISO time of the call. */
  at: string;
  /** The admin key's name (never the key), or `telegram:<id>` for a bot admin. */
  by: string;
  /** What was done: `PUT /admin/articles/{id}`-style route name and method. */
  action: string;
  /** The path, naming the record (`/admin/articles/my-id`). */
  target: string;
  statusCode: number;
  /** What changed that a reader of the trail must see, e.g. an article's URL before and after. */
  detail?: Record<string, string>;
}

/** The admin audit trail: one item per admin write, kept 90 days (TTL), listed by day. */
export interface AuditRepositoryPort {
  record(entry: AuditEntry): Promise<void>;
  /** A day's entries (`YYYY-MM-DD`, UTC), newest first, `limit` ≤ 100 from the cursor `next`. */
  listDay(
    day: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ items: AuditEntry[]; next?: string }>;
}

/** Everything the bot and the handlers need from storage, injected at the composition root. */
export interface HeraldStore {
  articles: ArticleRepositoryPort;
  authors: AuthorRepositoryPort;
  subscriptions: SubscriptionRepositoryPort;
  comments: CommentRepositoryPort;
  sessions: SessionRepositoryPort;
  shares: ShareRepositoryPort;
  feeds: FeedSourceRepositoryPort;
  markers: MarkerRepositoryPort;
  audit: AuditRepositoryPort;
  moderation: ModerationPort;
  erasure: ErasurePort;
}

/**
 * What the bot needs from storage on its hot path: all but feed sources, the local runtime's
 * markers, the admin API's audit trail, moderation, erasure, shares and
 * comments. The on-demand features
 * that need one of these (/feeds, /privacy, sharing…) build their own repository. The webhook's
 * store is this, so the code of the others stays out of its main bundle.
 */
export type BotStore = Omit<
  HeraldStore,
  'feeds' | 'markers' | 'audit' | 'moderation' | 'erasure' | 'shares' | 'comments'
>;

/** A share link: who shared which article, and how many distinct friends opened it. */
export interface Share {
  code: string;
  articleId: string;
  title: string;
  sharerId: number;
  sharerName: string;
  createdAt: string;
  opens: number;
}

export type OpenShareResult =
  | { status: 'not-found' }
  /** `counted` is true only the first time this friend (not the sharer) opens it. */
  | { status: 'opened'; share: Share; counted: boolean };

export interface ShareRepositoryPort {
  /** The sharer's link for an article: created once (counted as a share), then reused. */
  getOrCreateShare(input: {
    articleId: string;
    title: string;
    sharerId: number;
    sharerName: string;
  }): Promise<{ share: Share; created: boolean }>;
  /**
   * Records that the sharer shared the article (an inline card posted from a search); true only
   * the first time for this sharer and article, counting a link made by `getOrCreateShare` too.
   */
  countShare(sharerId: number, articleId: string): Promise<boolean>;
  /**
   * Resolves a code for a friend, counting a first open by a distinct non-sharer once — on
   * the share's `opens` and the article's `shareOpens` together. The view is not counted here.
   */
  openShare(code: string, openerId: number): Promise<OpenShareResult>;
  /** What a user shared, newest first. */
  listByUser(userId: number, offset: number, limit: number): Promise<OffsetPage<Share>>;
}

/**
 * Feed sources (config and polling state in one item per source), listed without a Scan.
 * Sources are few (a publisher's feeds); the list is bounded by {@link FeedSourceRepositoryPort.maxSources}.
 */
export interface FeedSourceRepositoryPort {
  /** Most sources stored: adding more is refused, and a list reads at most this many. */
  readonly maxSources: number;
  /** The id of the source with this URL (whether or not it exists); a URL is normalised first. */
  idFor(url: string): string;
  /** Stores a new source with a fresh state; undefined (nothing written) when its URL is already a source. */
  addSource(config: FeedSourceConfig, createdAt: string): Promise<StoredFeedSource | undefined>;
  getSource(id: string): Promise<StoredFeedSource | undefined>;
  /** Every source, in URL order (one Query of the sources' partition). */
  listSources(): Promise<{ items: StoredFeedSource[]; hasMore: boolean }>;
  /** Changes the config (never the state); undefined when there is no such source. */
  updateSource(id: string, patch: FeedSourcePatch): Promise<StoredFeedSource | undefined>;
  /**
   * Saves a poll's state if the stored state is still `expectedVersion` (and the source still
   * exists); false when another poll saved first or the source was removed.
   */
  saveState(id: string, state: FeedSourceState, expectedVersion: number): Promise<boolean>;
  /** True when a source was removed. */
  removeSource(id: string): Promise<boolean>;
}
