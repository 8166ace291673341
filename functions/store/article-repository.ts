/**
 * Articles on DynamoDB: the small meta item (card fields + counters), the body item, the
 * title index for search, and the feed / per-author listings served from the GSIs.
 *
 * A delete and its count are one transaction. Publishing is ordered instead, so that a
 * crash leaves nothing a reader can trip on and a retry of the same write repairs what the
 * crash left. See docs/data-model.md.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, constants as zlib } from 'node:zlib';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { ArticleInput, ArticleMeta } from '../core/model';
import type {
  ArticleDerived,
  ArticleRepositoryPort,
  ArticleRow,
  ArticleView,
  BodyDocument,
  OffsetPage,
  PublishOptions,
  PutResult,
} from '../core/ports';
import {
  MAX_SEARCH_PREFIXES,
  queryTokens,
  SEARCH_VERSION,
  searchedTokens,
  searchPrefixes,
  titleTokens,
} from '../core/text';
import {
  assertPaging,
  batchGetAll,
  batchWriteAll,
  buildUpdate,
  conditionFailureItem,
  conditionHolds,
  type Item,
  isConditionalCheckFailed,
  num,
  optStr,
  queryOffsetPage,
  queryPages,
  queryUpTo,
  retryOnTransactionConflict,
  str,
  transactWrite,
  type WriteRequest,
} from './dynamo';
import {
  articleBodyKey,
  articleMetaKey,
  articleOrderKey,
  articlePartition,
  authorArticlesPk,
  authorArticlesSk,
  authorKey,
  COMMENT_PREFIX,
  cardRevisionKey,
  FEED_PK,
  GSI1,
  GSI2,
  type ItemKey,
  KIND,
  tagArticleKey,
  titleWordKey,
  titleWordPk,
} from './keys';

/**
 * Rows read per title-index partition by a search. Bounds a search's cost (~200 small
 * items ≈ 40 KB ≈ 5 RCU per word); matches beyond the newest 200 of the rarest word are
 * not found.
 */
export const SEARCH_ROWS_PER_TOKEN = 200;

/**
 * Body items larger than this (UTF-8 bytes of the Markdown and its block model together) are
 * stored brotli-compressed (`bodyBr`, `blocksBr`). The input schema allows 200,000 characters,
 * which in Cyrillic or CJK is 400–600 KB, and the block model roughly doubles a body — over
 * DynamoDB's 400 KB item limit — while both compress 3–5×. Smaller ones stay plain text,
 * readable in the console.
 */
export const BODY_INLINE_MAX_BYTES = 100 * 1024;

const compress = (s: string): Uint8Array =>
  brotliCompressSync(Buffer.from(s, 'utf8'), {
    params: { [zlib.BROTLI_PARAM_QUALITY]: 6, [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT },
  });

/** The body item's content attributes: `body` and `blocks`, or both compressed when large. */
function bodyAttributes(
  body: string,
  blocks: string | undefined,
): { body: string; blocks?: string } | { bodyBr: Uint8Array; blocksBr?: Uint8Array } {
  const bytes =
    Buffer.byteLength(body, 'utf8') + (blocks === undefined ? 0 : Buffer.byteLength(blocks, 'utf8'));
  if (bytes <= BODY_INLINE_MAX_BYTES) return blocks === undefined ? { body } : { body, blocks };
  return blocks === undefined
    ? { bodyBr: compress(body) }
    : { bodyBr: compress(body), blocksBr: compress(blocks) };
}

function readText(item: Item, plain: string, compressed: string): string | undefined {
  const br: unknown = item[compressed];
  if (br instanceof Uint8Array) return brotliDecompressSync(br).toString('utf8');
  return optStr(item, plain);
}

function readBodyDocument(item: Item): BodyDocument {
  const body = readText(item, 'body', 'bodyBr') ?? '';
  const blocks = readText(item, 'blocks', 'blocksBr');
  return blocks === undefined ? { body } : { body, blocks };
}

/**
 * The body's content fingerprint, kept on the meta item: the Markdown and its block model
 * together, so a changed model (a parser change, or a body stored before bodies had one) is a
 * change that re-publishing writes. Without a model it is the Markdown's alone, as before.
 */
function bodyFingerprint(body: string, blocks: string | undefined): string {
  return sha256(blocks === undefined ? body : `${body}\u0000${blocks}`);
}

type ArticleCounter = 'shares' | 'shareOpens' | 'alertsSent';
const COUNTERS: readonly ArticleCounter[] = ['shares', 'shareOpens', 'alertsSent'];

/**
 * What the title-index items of an article currently hold. Stored on the meta item
 * (`titleIndexed`) once the index is complete: it tells a later write whether the index
 * is in sync and which index items became stale.
 */
interface TitleIndexState {
  title: string;
  publishedAt: string;
  authorHandle: string;
  authorName: string;
  /**
   * The search normalization (`SEARCH_VERSION`) the rows were built with; absent on a state
   * read from an article's own fields, whose rows may be of either version.
   */
  v?: number;
}

/** A content fingerprint: 128 bits of SHA-256 in base64url (22 bytes on the hot item, not 64). */
function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('base64url').slice(0, 22);
}

/**
 * What the title index holds for this meta item. Kept small on the hot item (every view
 * rewrites it, and DynamoDB bills a write per started KB): a number (the `SEARCH_VERSION`) means
 * "the index matches this item's own title, date and author", `true` the same built by version 1
 * (before Arabic-script folding); a full state is stored only while a content change is in
 * flight, so a crash half-way still knows which index rows to clean up.
 */
function indexedStateOf(item: Item | undefined): TitleIndexState | undefined {
  const v = item?.['titleIndexed'];
  const own = indexStateOf(item);
  if (v === true && own) return { ...own, v: 1 };
  if (typeof v === 'number' && own) return { ...own, v };
  return typeof v === 'object' && v !== null ? { v: 1, ...(v as TitleIndexState) } : undefined;
}

/** The states whose rows may exist: a state without a version may have rows of either. */
function withVersions(state: TitleIndexState): TitleIndexState[] {
  return state.v === undefined
    ? [
        { ...state, v: 1 },
        { ...state, v: SEARCH_VERSION },
      ]
    : [state];
}

/** Whether two versions build the same rows for `title` (true for any title without Arabic letters). */
function sameTokens(title: string, a: number, b: number): boolean {
  return a === b || titleTokens(title, a).join('\n') === titleTokens(title, b).join('\n');
}

function indexStateOf(item: Item | undefined): TitleIndexState | undefined {
  if (item === undefined) return undefined;
  const title = optStr(item, 'title');
  const publishedAt = optStr(item, 'publishedAt');
  const authorHandle = optStr(item, 'authorHandle');
  const authorName = optStr(item, 'authorName');
  if (
    title === undefined ||
    publishedAt === undefined ||
    authorHandle === undefined ||
    authorName === undefined
  ) {
    return undefined;
  }
  return { title, publishedAt, authorHandle, authorName };
}

function sameIndexState(a: TitleIndexState | undefined, b: TitleIndexState | undefined): boolean {
  return (
    a !== undefined &&
    b !== undefined &&
    a.title === b.title &&
    a.publishedAt === b.publishedAt &&
    a.authorHandle === b.authorHandle &&
    a.authorName === b.authorName &&
    (a.v === undefined || b.v === undefined || sameTokens(a.title, a.v, b.v))
  );
}

/** Every title-index prefix of a title (deduplicated across its words), as `version` normalizes it. */
function titlePrefixes(title: string, version: number): Set<string> {
  const prefixes = new Set<string>();
  for (const token of titleTokens(title, version)) for (const p of searchPrefixes(token)) prefixes.add(p);
  return prefixes;
}

/** The by-tag rows a stored article has (one per tag, keyed by its publishedAt). */
function tagRowKeys(item: Item | undefined, id: string): ItemKey[] {
  const tags = item?.['tags'];
  const at = item?.['publishedAt'];
  return Array.isArray(tags) && typeof at === 'string'
    ? tags.filter((t): t is string => typeof t === 'string').map((t) => tagArticleKey(t, at, id))
    : [];
}

function keyId(k: ItemKey): string {
  return `${k.pk}\u0000${k.sk}`;
}

function titleIndexKeys(id: string, state: TitleIndexState): ItemKey[] {
  return [...titlePrefixes(state.title, state.v ?? SEARCH_VERSION)].map((p) =>
    titleWordKey(p, state.publishedAt, id),
  );
}

/**
 * The title-index partition that holds every title word starting with `token`: the token
 * itself, or its first {@link MAX_SEARCH_PREFIXES} code points when longer, because
 * `searchPrefixes` indexes partial prefixes only up to that length.
 */
function partitionPrefix(token: string): string {
  const chars = Array.from(token);
  return chars.length > MAX_SEARCH_PREFIXES ? chars.slice(0, MAX_SEARCH_PREFIXES).join('') : token;
}

/** True when every query token starts some word of the title (prefix match on each). */
function titleMatches(title: string, tokens: readonly string[]): boolean {
  const words = titleTokens(title);
  return tokens.every((q) => words.some((w) => w.startsWith(q)));
}

/** How many "last viewer" slots an article meta keeps for counting a view once per reader a day. */
export const VIEW_SLOTS = 16;

/** The meta attribute holding `userId`'s last counted view of the article (`v0`…`vf`). */
function viewSlot(userId: number): string {
  // Telegram ids are integers below 2^53: their remainder spreads readers over the slots.
  return `v${(Math.abs(userId) % VIEW_SLOTS).toString(16)}`;
}

/**
 * What a slot holds for one reader's view on one day: 36 bits of a hash, 6 characters, so the 16
 * slots add at most ~130 bytes to the meta and a ~850-byte card stays one WRU per view. Two
 * readers of one slot collide on one day with odds of 2^-36 (one view then goes uncounted).
 */
function viewMark(view: ArticleView): string {
  return createHash('sha256').update(`${view.day}:${view.userId}`).digest('base64url').slice(0, 6);
}

function toMeta(item: Item): ArticleMeta {
  const url = optStr(item, 'url');
  const language = optStr(item, 'language');
  const rawTags: unknown = item['tags'];
  const tags = Array.isArray(rawTags) ? rawTags.filter((t): t is string => typeof t === 'string') : [];
  return {
    id: str(item, 'id'),
    title: str(item, 'title'),
    authorHandle: str(item, 'authorHandle'),
    authorName: str(item, 'authorName'),
    ...(url !== undefined ? { url } : {}),
    publishedAt: str(item, 'publishedAt'),
    ...(tags.length > 0 ? { tags } : {}),
    ...(language !== undefined ? { language } : {}),
    summary: str(item, 'summary'),
    readingMinutes: num(item, 'readingMinutes'),
    wordCount: num(item, 'wordCount'),
    views: num(item, 'views'),
    replies: num(item, 'replies'),
    shares: num(item, 'shares'),
    shareOpens: num(item, 'shareOpens'),
    alertsSent: num(item, 'alertsSent'),
  };
}

function toRow(item: Item): ArticleRow {
  return {
    id: str(item, 'id'),
    title: str(item, 'title'),
    authorHandle: str(item, 'authorHandle'),
    authorName: str(item, 'authorName'),
    publishedAt: str(item, 'publishedAt'),
  };
}

/** {@link ArticleRepositoryPort} on Herald's DynamoDB table. */
export class ArticleRepository implements ArticleRepositoryPort {
  /**
   * @param doc a document client from functions/store/client.ts
   * @param tableName the table built from table-definition.ts
   */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Creates or updates an article. Writes nothing and returns 'unchanged' when the stored
   * article already has this content (body compared by its SHA-256) and a complete index.
   *
   * Order, for lack of transactions: body, then meta (so a card never points to a missing
   * body; the meta write is the only write that creates a `kind=article` item, i.e. the
   * "new article" stream event), then the title index. Counters survive an update
   * (`if_not_exists`). The meta write returns the previous item, which decides 'created'
   * vs 'updated' and the author's articleCount change exactly once, even when two writers
   * race. A crash part-way is repaired by running the same put again.
   */
  async putArticle(
    input: ArticleInput,
    derived: ArticleDerived,
    authorName: string,
    opts: PublishOptions = {},
  ): Promise<PutResult> {
    const bodyHash = bodyFingerprint(input.body, derived.bodyBlocks);
    const content = {
      id: input.id,
      title: input.title,
      authorHandle: input.authorHandle,
      authorName,
      url: input.url,
      publishedAt: input.publishedAt,
      // No tags is no attribute (REMOVEd on an update), so an article without tags reads as before.
      tags: input.tags !== undefined && input.tags.length > 0 ? input.tags : undefined,
      language: input.language,
      summary: derived.summary,
      readingMinutes: derived.readingMinutes,
      wordCount: derived.wordCount,
      bodyHash,
    };
    const wanted: TitleIndexState = {
      title: input.title,
      publishedAt: input.publishedAt,
      authorHandle: input.authorHandle,
      authorName,
      v: SEARCH_VERSION,
    };

    const old = await this.getMetaItem(input.id, true);
    const contentSame =
      old !== undefined &&
      // JSON compares the tag lists by value (every other field is a string or a number).
      (Object.keys(content) as Array<keyof typeof content>).every(
        (k) => JSON.stringify(old[k]) === JSON.stringify(content[k]),
      );
    const indexed = indexedStateOf(old);
    if (contentSame && sameIndexState(indexed, wanted)) return 'unchanged';

    let prev = old;
    let result: PutResult = 'updated';
    if (!contentSame) {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...articleBodyKey(input.id),
            kind: KIND.body,
            id: input.id,
            ...bodyAttributes(input.body, derived.bodyBlocks),
          },
        }),
      );
      // The tag lists (`/tag`'s latest three) before the meta, like the body: a crash in between
      // is repaired by the same put, which finds the content still changed. An article without
      // tags writes nothing here.
      const rows = tagRowKeys({ tags: content.tags, publishedAt: input.publishedAt }, input.id);
      const wantedRows = new Set(rows.map(keyId));
      await batchWriteAll(this.doc, this.tableName, [
        ...rows.map((k) => ({
          PutRequest: {
            Item: {
              ...k,
              kind: KIND.tagArticle,
              id: input.id,
              title: input.title,
              authorHandle: input.authorHandle,
              authorName,
              publishedAt: input.publishedAt,
            },
          },
        })),
        ...tagRowKeys(old, input.id)
          .filter((k) => !wantedRows.has(keyId(k)))
          .map((k) => ({ DeleteRequest: { Key: k } })),
      ]);
      const update = buildUpdate({
        set: {
          kind: KIND.article,
          ...content,
          // Remember what the index held before this change (see indexedStateOf); REMOVEd when unknown.
          titleIndexed: indexedStateOf(old),
          // Only an INSERT alerts, so the flag matters on creation; an update without it REMOVEs it.
          silent: opts.silent === true ? true : undefined,
          gsi1pk: FEED_PK,
          gsi1sk: articleOrderKey(input.publishedAt, input.id),
          gsi2pk: authorArticlesPk(input.authorHandle),
          gsi2sk: authorArticlesSk(input.publishedAt, input.id),
        },
        setIfNotExists: { views: 0, replies: 0, shares: 0, shareOpens: 0, alertsSent: 0 },
      });
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: articleMetaKey(input.id),
          ...update,
          ReturnValues: 'ALL_OLD',
        }),
      );
      prev = out.Attributes;
      result = prev === undefined ? 'created' : 'updated';
      await this.moveArticleCount(optStr(prev ?? {}, 'authorHandle'), input.authorHandle);
      if (prev !== undefined) await this.bumpCardRevision(input.id);
    }
    await this.syncTitleIndex(input.id, prev, wanted);
    return result;
  }

  /**
   * Bumps the card revision (`ART#<id>`/`CARDREV`, ADD rev 1): the stream record that makes the
   * channel poster edit the article's channel posts. A stream filter cannot tell an edit of the
   * meta from a view (`ADD views`), so the edit writes this small item of its own.
   */
  private async bumpCardRevision(id: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: cardRevisionKey(id),
        UpdateExpression: 'SET #kind = :kind, articleId = :a ADD rev :one',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: { ':kind': KIND.cardRevision, ':a': id, ':one': 1 },
      }),
    );
  }

  /**
   * Moves one unit of "No of voices" between authors. An ADD on an author without a
   * profile yet creates a counter-only item that putAuthor later completes, so the count
   * is right whichever of article and author is imported first.
   */
  private async moveArticleCount(from: string | undefined, to: string): Promise<void> {
    if (from === to) return;
    await this.addArticleCount(to, 1);
    if (from !== undefined) await this.addArticleCount(from, -1);
  }

  private async addArticleCount(handle: string, by: number): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: authorKey(handle),
        UpdateExpression: 'ADD articleCount :by',
        ExpressionAttributeValues: { ':by': by },
      }),
    );
  }

  /**
   * Brings the title index in line with `wanted`: writes every wanted item (overwriting is
   * harmless), deletes the items of what was indexed before — both the last completed
   * state (`titleIndexed`) and the previous content, which covers a crash in between —
   * then records `titleIndexed`, only if the meta still holds this content.
   */
  private async syncTitleIndex(id: string, prev: Item | undefined, wanted: TitleIndexState): Promise<void> {
    const prevIndexed = indexedStateOf(prev);
    if (sameIndexState(prevIndexed, wanted) && sameIndexState(indexStateOf(prev), wanted)) return;

    const wantedKeys = titleIndexKeys(id, wanted);
    const wantedIds = new Set(wantedKeys.map(keyId));
    const staleKeys = new Map<string, ItemKey>();
    for (const state of [prevIndexed, indexStateOf(prev)]) {
      if (state === undefined) continue;
      for (const s of withVersions(state)) {
        for (const k of titleIndexKeys(id, s)) if (!wantedIds.has(keyId(k))) staleKeys.set(keyId(k), k);
      }
    }
    const requests: WriteRequest[] = [
      ...wantedKeys.map((k) => ({
        PutRequest: {
          Item: {
            ...k,
            kind: KIND.titleWord,
            id,
            title: wanted.title,
            authorHandle: wanted.authorHandle,
            authorName: wanted.authorName,
            publishedAt: wanted.publishedAt,
          },
        },
      })),
      ...[...staleKeys.values()].map((k) => ({ DeleteRequest: { Key: k } })),
    ];
    await batchWriteAll(this.doc, this.tableName, requests);

    const recorded = await conditionHolds(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: articleMetaKey(id),
          UpdateExpression: 'SET titleIndexed = :state',
          ConditionExpression:
            'title = :title AND publishedAt = :publishedAt AND authorHandle = :authorHandle AND authorName = :authorName',
          ExpressionAttributeValues: {
            ':state': SEARCH_VERSION,
            ':title': wanted.title,
            ':publishedAt': wanted.publishedAt,
            ':authorHandle': wanted.authorHandle,
            ':authorName': wanted.authorName,
          },
        }),
      ),
    );
    if (!recorded) {
      // The article was deleted or re-put with other content while we wrote: remove the
      // items we wrote that its current content does not want (the other writer owns those).
      const current = indexStateOf(await this.getMetaItem(id, true));
      const keep = new Set(current ? titleIndexKeys(id, current).map(keyId) : []);
      const orphans = wantedKeys.filter((k) => !keep.has(keyId(k)));
      await batchWriteAll(
        this.doc,
        this.tableName,
        orphans.map((k) => ({ DeleteRequest: { Key: k } })),
      );
    }
  }

  /**
   * Counts one view and returns the card in one UpdateItem (`ADD views 1`, ALL_NEW), so
   * concurrent views are never lost; undefined (and nothing written) when the article does
   * not exist. Views are not projected into any index, so this never writes a GSI.
   *
   * A reader's view counts once per article per UTC day, in the same call: the meta keeps
   * {@link VIEW_SLOTS} small "last viewer" slots (`v0`…`vf`), the reader's slot chosen by their
   * id. The update sets the slot to a hash of (day, reader) on the condition that it does not hold that
   * already; when it does, nothing is written and the card comes back with the failed
   * condition (`ReturnValuesOnConditionCheckFailure: ALL_OLD`) — still one call. A reader alone
   * can never count twice a day; a repeat counts again only after another reader who shares the
   * slot opened the article in between (1 in 16 of other readers' opens). The slots hold at most
   * ~130 bytes, are not projected, and the per-reader state never grows with the audience.
   */
  async openArticle(id: string, view: ArticleView): Promise<ArticleMeta | undefined> {
    const mark = viewMark(view);
    try {
      // The meta may be in a comment's or a share open's transaction at this moment.
      const out = await retryOnTransactionConflict(() =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: articleMetaKey(id),
            UpdateExpression: 'SET #slot = :mark ADD #views :one',
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#slot) OR #slot <> :mark)',
            ExpressionAttributeNames: { '#views': 'views', '#slot': viewSlot(view.userId) },
            ExpressionAttributeValues: { ':one': 1, ':mark': mark },
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return out.Attributes ? toMeta(out.Attributes) : undefined;
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      const old = conditionFailureItem(err);
      // No item: the article does not exist. An item: this reader's view today was counted.
      return old ? toMeta(unmarshall(old as Record<string, AttributeValue>)) : undefined;
    }
  }

  /** Reads the card without counting a view (one eventually consistent GetItem). */
  async getArticle(id: string, consistent = false): Promise<ArticleMeta | undefined> {
    const item = await this.getMetaItem(id, consistent);
    return item ? toMeta(item) : undefined;
  }

  /** Reads the article's body (a separate item); undefined when the article does not exist. */
  async getBody(id: string): Promise<string | undefined> {
    return (await this.getBodyDocument(id))?.body;
  }

  /**
   * Reads the body item: the Markdown and, when it was published with one, its block model
   * (one GetItem); undefined when the article does not exist.
   */
  async getBodyDocument(id: string): Promise<BodyDocument | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: articleBodyKey(id) }));
    return out.Item ? readBodyDocument(out.Item) : undefined;
  }

  /**
   * The card and the body together in one BatchGetItem (eventually consistent, no view
   * counted): what "Read the full article" needs. Undefined when either is missing.
   */
  async getArticleWithBody(id: string): Promise<{ meta: ArticleMeta; body: BodyDocument } | undefined> {
    const metaKey = articleMetaKey(id);
    const items = await batchGetAll(this.doc, this.tableName, [metaKey, articleBodyKey(id)]);
    const meta = items.find((i) => i['sk'] === metaKey.sk);
    const body = items.find((i) => i['sk'] !== metaKey.sk);
    return meta && body ? { meta: toMeta(meta), body: readBodyDocument(body) } : undefined;
  }

  /**
   * Cards for several ids (one BatchGetItem per 100 ids, no views counted), in the order
   * given; ids of missing articles are left out.
   */
  async getArticles(ids: readonly string[]): Promise<ArticleMeta[]> {
    const items = await batchGetAll(this.doc, this.tableName, ids.map(articleMetaKey));
    return items.map(toMeta);
  }

  /**
   * Latest articles, newest first, from gsi1 (`FEED`). Offset paging reads the `offset`
   * rows before the page too (small projected rows; see docs/data-model.md).
   *
   * @throws RangeError on invalid paging arguments (see `assertPaging`).
   */
  async latest(offset: number, limit: number): Promise<OffsetPage<ArticleRow>> {
    return this.listFromIndex(GSI1, 'gsi1pk', FEED_PK, offset, limit);
  }

  /**
   * One author's articles, newest first, from gsi2 (`AUTHOR#<handle>`).
   *
   * @throws RangeError on invalid paging arguments (see `assertPaging`).
   */
  async byAuthor(handle: string, offset: number, limit: number): Promise<OffsetPage<ArticleRow>> {
    return this.listFromIndex(GSI2, 'gsi2pk', authorArticlesPk(handle), offset, limit);
  }

  private async listFromIndex(
    indexName: string,
    pkName: string,
    pkValue: string,
    offset: number,
    limit: number,
  ): Promise<OffsetPage<ArticleRow>> {
    const { items, hasMore } = await queryOffsetPage(
      this.doc,
      {
        TableName: this.tableName,
        IndexName: indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': pkName },
        ExpressionAttributeValues: { ':pk': pkValue },
        ScanIndexForward: false,
      },
      offset,
      limit,
    );
    return { items: items.map(toRow), hasMore };
  }

  /**
   * Articles whose title contains every word of the query, each as a word prefix
   * (case-, accent- and width-insensitive as `core/text` normalizes), newest first.
   *
   * Reads the title-index partition of each query word in parallel (at most
   * {@link SEARCH_ROWS_PER_TOKEN} newest rows each), keeps the smallest, and filters it by
   * the title every index row carries. An empty query, or one without searchable words,
   * gives an empty page.
   *
   * @throws RangeError on invalid paging arguments (see `assertPaging`).
   */
  async searchTitles(query: string, offset: number, limit: number): Promise<OffsetPage<ArticleRow>> {
    assertPaging(offset, limit);
    const tokens = queryTokens(query);
    if (tokens.length === 0) return { items: [], hasMore: false };
    // At most MAX_SEARCH_PARTITIONS Queries, whatever the query's length (issue 17, item 3).
    const partitions = [...new Set(searchedTokens([...new Set(tokens.map(partitionPrefix))]))];
    const results = await Promise.all(
      partitions.map((prefix) =>
        queryUpTo(
          this.doc,
          {
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': titleWordPk(prefix) },
            ScanIndexForward: false,
          },
          SEARCH_ROWS_PER_TOKEN,
        ),
      ),
    );
    // Every match is in every word's partition, so the smallest one holds them all (up to
    // its row cap); the stored title settles the other words and words longer than the
    // indexed prefixes.
    const smallest = results.reduce((a, b) => (b.items.length < a.items.length ? b : a));
    const matches = smallest.items.filter((item) => titleMatches(str(item, 'title'), tokens));
    return {
      items: matches.slice(offset, offset + limit).map(toRow),
      hasMore: matches.length > offset + limit,
    };
  }

  /**
   * Deletes an article with its body, title-index items and comments, and lowers the
   * author's articleCount once. Returns false when the article did not exist (leftover
   * comments of an earlier, interrupted delete are still swept).
   *
   * Calls: GetItem the meta (strong); BatchWriteItem deletes of its title-index rows (search
   * stops finding it first); one TransactWriteItems: DeleteItem `META` (condition: it still
   * has the author read) and `ADD articleCount -1` on that author; DeleteItem `BODY`; then the
   * comments (Query keys only + BatchWriteItem). The transaction decides which of two racing
   * deletes lowers the count. The body stays out of it: a transaction bills twice the item's
   * size, and a body is 6–20 KB with nothing to count. A crash before the transaction leaves
   * the article readable (only unsearchable until put again); after it, a body or comments
   * are left, which no reader reaches, and the next delete of the id sweeps the comments (a
   * reused id overwrites the body).
   */
  async deleteArticle(id: string): Promise<boolean> {
    const meta = await this.getMetaItem(id, true);
    if (meta === undefined) {
      await this.deleteComments(id);
      return false;
    }
    const stale = new Map<string, ItemKey>(tagRowKeys(meta, id).map((k) => [keyId(k), k]));
    for (const state of [indexedStateOf(meta), indexStateOf(meta)]) {
      if (state === undefined) continue;
      for (const s of withVersions(state)) for (const k of titleIndexKeys(id, s)) stale.set(keyId(k), k);
    }
    await batchWriteAll(
      this.doc,
      this.tableName,
      [...stale.values()].map((k) => ({ DeleteRequest: { Key: k } })),
    );

    const handle = str(meta, 'authorHandle');
    const outcome = await transactWrite(this.doc, [
      {
        Delete: {
          TableName: this.tableName,
          Key: articleMetaKey(id),
          // Re-put under another author meanwhile: the count read above would be the wrong one.
          ConditionExpression: 'authorHandle = :handle',
          ExpressionAttributeValues: { ':handle': handle },
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: authorKey(handle),
          UpdateExpression: 'ADD articleCount :minus',
          ExpressionAttributeValues: { ':minus': -1 },
        },
      },
    ]);
    // Deleted by a racing call meanwhile, or moved to another author: start from a fresh read.
    if (!outcome.committed) return this.deleteArticle(id);
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: articleBodyKey(id) }));
    await this.deleteComments(id);
    return true;
  }

  private async deleteComments(id: string): Promise<void> {
    for await (const page of queryPages(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :cmt)',
      ExpressionAttributeValues: { ':pk': articlePartition(id), ':cmt': COMMENT_PREFIX },
      ProjectionExpression: 'pk, sk',
    })) {
      await batchWriteAll(
        this.doc,
        this.tableName,
        page.map((item) => ({ DeleteRequest: { Key: { pk: str(item, 'pk'), sk: str(item, 'sk') } } })),
      );
    }
  }

  /**
   * Adds `by` to one of the article's share/alert counters (ADD, so concurrent calls all
   * count). Does nothing when the article does not exist.
   *
   * @throws RangeError when `counter` is not one of the three or `by` is not an integer.
   */
  async addToCounter(id: string, counter: ArticleCounter, by: number): Promise<void> {
    if (!COUNTERS.includes(counter)) throw new RangeError(`unknown article counter "${counter}"`);
    if (!Number.isInteger(by)) throw new RangeError(`by must be an integer, got ${by}`);
    await conditionHolds(() =>
      retryOnTransactionConflict(() =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: articleMetaKey(id),
            UpdateExpression: 'ADD #counter :by',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#counter': counter },
            ExpressionAttributeValues: { ':by': by },
          }),
        ),
      ),
    );
  }

  private async getMetaItem(id: string, consistent: boolean): Promise<Item | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: articleMetaKey(id), ConsistentRead: consistent }),
    );
    return out.Item;
  }
}
