/**
 * Comments on DynamoDB: items in their article's partition (`ART#<id>`, `CMT#<commentId>`),
 * with the article's `replies` counter kept in step by conditional writes and ADD, and a
 * per-user, per-minute quota counter.
 *
 * `replies` stays exact without transactions, even when the store fails between the comment
 * write and the count and the update is redelivered: the comment item carries a marker while
 * an operation is in flight (`pending` = its op id while adding, `removing` while deleting),
 * and the article meta's `ops` string set holds the op ids counted. The meta is the hot item
 * (rewritten on every view), so `ops` is emptied again at the end of each operation.
 * docs/data-model.md, "Exact counters without transactions", walks through the steps.
 */
import { randomBytes } from 'node:crypto';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Comment } from '../core/model';
import type { AddCommentResult, CommentRepositoryPort, OffsetPage } from '../core/ports';
import { assertPaging, type Item, isConditionalCheckFailed, num, optStr, queryUpTo, str } from './dynamo';
import {
  articleMetaKey,
  articlePartition,
  COMMENT_PREFIX,
  commentKey,
  commentQuotaKey,
  type ItemKey,
  KIND,
} from './keys';

/** How long a quota counter outlives its minute before TTL may delete it. */
const QUOTA_GRACE_SECONDS = 120;

/** Marker on a comment while its addComment is in flight (value: the op id). */
const PENDING = 'pending';
/** Marker on a comment while its deleteComment is in flight (value: the op id). */
const REMOVING = 'removing';
/** Set on a marked comment by a caller that took the operation over from its starter. */
const TAKEN_BY = 'takenBy';
/** String set on the article meta: op ids counted in `replies` whose operation is in flight. */
const OPS = 'ops';
type Marker = typeof PENDING | typeof REMOVING;

/** Attempts of "write, find another caller's operation in the way, finish it, write again". */
const MAX_ROUNDS = 8;
/**
 * Age after which an op id in `ops` is held by no caller any more and may be dropped (a
 * webhook invocation ends within 30 s, any Lambda within 15 min).
 */
const STALE_OP_MS = 60 * 60 * 1000;

/** Who may finish an operation in flight: the caller that started it, or one that took it over. */
interface Holder {
  /** The op id: the comment's marker and the guard on the article's count. */
  op: string;
  /** Our token in the comment's `takenBy`, when we took the operation over. */
  takenBy?: string;
}

function randomToken(): string {
  return randomBytes(6).toString('base64url');
}

/** `<kind>:<commentId>:<ms since epoch, base 36>:<random>`: unique per logical operation. */
function newOpId(kind: 'cmt' | 'del', commentId: string): string {
  return `${kind}:${commentId}:${Date.now().toString(36)}:${randomToken()}`;
}

/** The op ids in an `ops` set that are older than {@link STALE_OP_MS} (foreign formats are kept). */
function staleOps(ops: unknown): string[] {
  if (!(ops instanceof Set)) return [];
  const cutoff = Date.now() - STALE_OP_MS;
  return [...ops].filter((id): id is string => {
    if (typeof id !== 'string') return false;
    const ms = Number.parseInt(id.split(':').at(-2) ?? '', 36);
    return Number.isFinite(ms) && ms < cutoff;
  });
}

/** The condition "the comment's operation is still `h`'s to finish", with its placeholders. */
function heldBy(marker: Marker, h: Holder) {
  return {
    ConditionExpression: `#marker = :op AND ${h.takenBy === undefined ? 'attribute_not_exists(#takenBy)' : '#takenBy = :me'}`,
    ExpressionAttributeNames: { '#marker': marker, '#takenBy': TAKEN_BY },
    ExpressionAttributeValues: { ':op': h.op, ...(h.takenBy === undefined ? {} : { ':me': h.takenBy }) },
  };
}

function toComment(item: Item): Comment {
  return {
    articleId: str(item, 'articleId'),
    commentId: str(item, 'commentId'),
    userId: num(item, 'userId'),
    userName: str(item, 'userName'),
    text: str(item, 'text'),
    createdAt: str(item, 'createdAt'),
  };
}

/** {@link CommentRepositoryPort} on Herald's DynamoDB table. */
export class CommentRepository implements CommentRepositoryPort {
  /**
   * @param doc a document client from functions/store/client.ts
   * @param tableName the table built from table-definition.ts
   */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Adds a comment once and raises the article's replies by exactly one — also when a store
   * failure interrupts it and the update is redelivered.
   *
   * The comment id is deterministic per Telegram update, so a redelivery finds its comment.
   * Steps (normal path: 1 read + 4 writes): the article must exist (a key-only GetItem);
   * PutItem the comment with `pending = <op id>` (`attribute_not_exists(pk)`); `ADD replies 1,
   * ops {op}` on the meta if it exists and `ops` does not hold the op; REMOVE `pending`;
   * DELETE the op from `ops`. A put that finds a complete comment is a 'duplicate' (count
   * untouched); a comment still `pending` is taken over and finished — the redelivery of an
   * interrupted add — and is 'added' only for the call that completes it. If the article
   * vanished before the count, the comment is removed again and the result is 'article-missing'.
   */
  async addComment(comment: Comment): Promise<AddCommentResult> {
    const meta = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: articleMetaKey(comment.articleId),
        ProjectionExpression: 'pk',
      }),
    );
    if (meta.Item === undefined) return 'article-missing';

    const key = commentKey(comment.articleId, comment.commentId);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const op = newOpId('cmt', comment.commentId);
      const created = await this.putIfAbsent({
        ...key,
        kind: KIND.comment,
        articleId: comment.articleId,
        commentId: comment.commentId,
        userId: comment.userId,
        userName: comment.userName,
        text: comment.text,
        createdAt: comment.createdAt,
        [PENDING]: op,
      });
      if (created) return this.finishAdd(comment.articleId, key, { op });
      const found = await this.read(key);
      if (found === undefined) continue; // deleted since the put: put again
      // Our put was stored but its answer lost (the SDK's retry then failed the condition).
      if (found[PENDING] === op) return this.finishAdd(comment.articleId, key, { op });
      if (found[PENDING] === undefined) return 'duplicate';
      const holder = await this.takeOver(key, PENDING, found);
      if (holder) return this.finishAdd(comment.articleId, key, holder);
    }
    throw new Error(`comment ${comment.commentId}: it kept changing; try again`);
  }

  /** PutItem if no item has the key; false when one does. */
  private async putIfAbsent(item: Item): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  /** The whole comment, strongly consistent (the markers decide what to do next). */
  private async read(key: ItemKey): Promise<Item | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return out.Item;
  }

  /**
   * Takes over an operation that another caller started and did not finish — it failed, or
   * it is still running — by writing our token to `takenBy`. From then on only we can clear
   * the marker: the starter's (or an earlier taker's) last step fails its condition. The
   * count stays guarded by the op id, whoever reaches it first. Undefined when the comment
   * changed meanwhile (the caller looks again).
   */
  private async takeOver(key: ItemKey, marker: Marker, seen: Item): Promise<Holder | undefined> {
    const op = str(seen, marker);
    const previous = optStr(seen, TAKEN_BY);
    const me = randomToken();
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET #takenBy = :me',
          ConditionExpression: `#marker = :op AND ${previous === undefined ? 'attribute_not_exists(#takenBy)' : '#takenBy = :previous'}`,
          ExpressionAttributeNames: { '#marker': marker, '#takenBy': TAKEN_BY },
          ExpressionAttributeValues: {
            ':me': me,
            ':op': op,
            ...(previous === undefined ? {} : { ':previous': previous }),
          },
        }),
      );
      return { op, takenBy: me };
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
    // Our write may have been stored with its answer lost (the SDK's retry then fails).
    const now = await this.read(key);
    return now?.[marker] === op && now[TAKEN_BY] === me ? { op, takenBy: me } : undefined;
  }

  /**
   * Steps 2–4 of an add: count the op once, clear `pending`, forget the op. 'duplicate' when
   * another caller took the operation over (that caller reports the comment as added).
   */
  private async finishAdd(articleId: string, key: ItemKey, h: Holder): Promise<AddCommentResult> {
    const stale = await this.countOnce(articleId, 1, h.op);
    if (stale === undefined) {
      // The article vanished: take the comment back, if it is still ours to take.
      try {
        await this.doc.send(
          new DeleteCommand({ TableName: this.tableName, Key: key, ...heldBy(PENDING, h) }),
        );
      } catch (err) {
        if (!isConditionalCheckFailed(err)) throw err;
      }
      return 'article-missing';
    }
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'REMOVE #marker, #takenBy',
          ...heldBy(PENDING, h),
        }),
      );
    } catch (err) {
      // Taken over (or, rarely, our own write stored with its answer lost): not ours to report.
      if (isConditionalCheckFailed(err)) return 'duplicate';
      throw err;
    }
    await this.forget(articleId, h, stale);
    return 'added';
  }

  /**
   * Steps 2–4 of a delete: count −1 once, delete the comment, forget the op. False when
   * another caller took the operation over (that caller reports the deletion).
   */
  private async finishDelete(articleId: string, key: ItemKey, h: Holder): Promise<boolean> {
    // Undefined: the article itself is gone (being deleted), so there is no count to lower.
    const stale = await this.countOnce(articleId, -1, h.op);
    try {
      await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: key, ...heldBy(REMOVING, h) }));
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
    if (stale !== undefined) await this.forget(articleId, h, stale);
    return true;
  }

  /**
   * Adds `by` to the article's replies and `op` to its `ops`, unless `ops` already holds `op`
   * (counted before: by an attempt whose answer was lost, or by another caller). Never
   * creates a meta. Returns the stale op ids the meta carries (to drop with ours), or
   * undefined when the article does not exist.
   */
  private async countOnce(articleId: string, by: number, op: string): Promise<string[] | undefined> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: articleMetaKey(articleId),
          UpdateExpression: 'ADD replies :by, #ops :ops',
          ConditionExpression: 'attribute_exists(pk) AND NOT contains(#ops, :op)',
          ExpressionAttributeNames: { '#ops': OPS },
          ExpressionAttributeValues: { ':by': by, ':ops': new Set([op]), ':op': op },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return staleOps(out.Attributes?.[OPS]);
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
    // Counted before, or no article: the meta's presence tells. (ReturnValuesOnConditionCheckFailure
    // would tell on AWS, but dynalite accepts it and returns nothing; one read on this rare
    // path keeps a single, tested code path.)
    const meta = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: articleMetaKey(articleId),
        ProjectionExpression: 'pk',
        ConsistentRead: true,
      }),
    );
    return meta.Item === undefined ? undefined : [];
  }

  /**
   * Drops op ids from the meta's `ops`: our own when no one else can ever count it (we
   * started the operation and finished it without a take-over), and any stale ones. A
   * taken-over op id stays until it is stale: its starter may still be about to count it,
   * and the id in `ops` is what stops that.
   */
  private async forget(articleId: string, h: Holder, stale: string[]): Promise<void> {
    const ids = h.takenBy === undefined ? [h.op, ...stale] : stale;
    if (ids.length === 0) return;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: articleMetaKey(articleId),
          UpdateExpression: 'DELETE #ops :ids',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#ops': OPS },
          ExpressionAttributeValues: { ':ids': new Set(ids) },
        }),
      );
    } catch {
      // Deliberately ignored, whatever the error: the comment is stored and counted, and
      // failing now would make Telegram redeliver finished work (answered as a duplicate).
      // The id left behind is ~40 inert bytes on the meta; the next comment on this article
      // drops it once it is stale.
    }
  }

  /**
   * An article's comments, newest first (the sort key orders by the time-based comment
   * id). Offset paging reads the rows before the page too.
   *
   * @throws RangeError on invalid paging arguments (see `assertPaging`).
   */
  async listComments(articleId: string, offset: number, limit: number): Promise<OffsetPage<Comment>> {
    assertPaging(offset, limit);
    const { items, hasMore } = await queryUpTo(
      this.doc,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :cmt)',
        ExpressionAttributeValues: { ':pk': articlePartition(articleId), ':cmt': COMMENT_PREFIX },
        ScanIndexForward: false,
      },
      offset + limit,
    );
    return { items: items.slice(offset).map(toComment), hasMore };
  }

  /** Reads one comment; undefined when it does not exist. */
  async getComment(articleId: string, commentId: string): Promise<Comment | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: commentKey(articleId, commentId) }),
    );
    return out.Item ? toComment(out.Item) : undefined;
  }

  /**
   * Deletes a comment and lowers the article's replies by exactly one, also across an
   * interruption and a redelivery. False when the comment was already gone.
   *
   * Steps (normal path: 4 writes): mark the comment `removing = <op id>` (condition: it
   * exists and no operation is in flight on it); `ADD replies -1, ops {op}` unless `ops` holds
   * the op; DeleteItem (condition: still ours); DELETE the op from `ops`. A comment already
   * `removing` is taken over and finished (true only for the call that deletes it); an
   * unfinished add is finished first. Until it is deleted, a `removing` comment is still listed.
   */
  async deleteComment(articleId: string, commentId: string): Promise<boolean> {
    const key = commentKey(articleId, commentId);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const op = newOpId('del', commentId);
      if (await this.markRemoving(key, op)) return this.finishDelete(articleId, key, { op });
      const found = await this.read(key);
      if (found === undefined) return false;
      if (found[REMOVING] === op) return this.finishDelete(articleId, key, { op });
      if (found[REMOVING] !== undefined) {
        const holder = await this.takeOver(key, REMOVING, found);
        if (holder) return this.finishDelete(articleId, key, holder);
      } else if (found[PENDING] !== undefined) {
        // An add came first and did not finish: count it, then delete it.
        const holder = await this.takeOver(key, PENDING, found);
        if (holder) await this.finishAdd(articleId, key, holder);
      }
      // Otherwise the comment changed between the write and the read: try again.
    }
    throw new Error(`delete comment ${commentId}: it kept changing; try again`);
  }

  /** Marks a comment `removing`; false when it does not exist or an operation is in flight on it. */
  private async markRemoving(key: ItemKey, op: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET #removing = :op',
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(#removing) AND attribute_not_exists(#pending)',
          ExpressionAttributeNames: { '#removing': REMOVING, '#pending': PENDING },
          ExpressionAttributeValues: { ':op': op },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  /**
   * Takes one unit of the user's allowance for the minute containing `now`: one UpdateItem
   * that adds 1 only while the minute's count is below `perMinute`. A new minute is a new
   * item, so the allowance resets; old counters are left to TTL (`expiresAt`).
   *
   * @throws RangeError when `perMinute` is not a positive integer.
   */
  async takeCommentQuota(userId: number, perMinute: number, now: Date): Promise<boolean> {
    if (!Number.isInteger(perMinute) || perMinute < 1) {
      throw new RangeError(`perMinute must be a positive integer, got ${perMinute}`);
    }
    const minuteStart = Math.floor(now.getTime() / 60_000) * 60;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: commentQuotaKey(userId, minuteStart),
          UpdateExpression: 'SET #kind = :kind, expiresAt = :expiresAt ADD #n :one',
          ConditionExpression: 'attribute_not_exists(#n) OR #n < :limit',
          ExpressionAttributeNames: { '#kind': 'kind', '#n': 'n' },
          ExpressionAttributeValues: {
            ':kind': KIND.commentQuota,
            ':expiresAt': minuteStart + 60 + QUOTA_GRACE_SECONDS,
            ':one': 1,
            ':limit': perMinute,
          },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }
}
