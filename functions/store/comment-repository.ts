/**
 * Comments on DynamoDB: items in their article's partition (`ART#<id>`, `CMT#<commentId>`),
 * with the article's `replies` counter, and a per-user, per-minute quota counter.
 *
 * `replies` is exact because a comment and its count are written in one TransactWriteItems,
 * each guarded by a condition on the item itself (the comment absent or present, the article
 * meta present): there is no state in between for a crash or a redelivery to find.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Comment } from '../core/model';
import type {
  AddCommentResult,
  CommentBan,
  CommentCursor,
  CommentPage,
  CommentRepositoryPort,
} from '../core/ports';
import {
  assertPaging,
  conditionHolds,
  deleteWithCount,
  type Item,
  num,
  optStr,
  queryUpTo,
  requestToken,
  str,
  transactWrite,
} from './dynamo';
import {
  articleMetaKey,
  articlePartition,
  banKey,
  COMMENT_PREFIX,
  commenterPk,
  commentKey,
  commentQuotaKey,
  GSI1,
  KIND,
} from './keys';

/** A comment id as the bot builds it (core/use-cases/comment.ts): what a cursor may be. */
const COMMENT_ID = /^[0-9a-z]{1,20}$/;

/** How long a quota counter outlives its minute before TTL may delete it. */
const QUOTA_GRACE_SECONDS = 120;

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
   * Adds a comment once and raises the article's replies by exactly one, in one
   * TransactWriteItems: PutItem the comment (`attribute_not_exists(pk)`) and `ADD replies 1`
   * on the article meta (`attribute_exists(pk)`). 'article-missing' when the meta is gone
   * (nothing written), 'duplicate' when the comment exists.
   *
   * The comment id is deterministic per Telegram update, and so is the ClientRequestToken
   * derived from it: a repeat of the same comment within DynamoDB's 10-minute window (a
   * redelivery, a retry after a lost answer) is answered like the first attempt, 'added',
   * without writing again; later, the comment's condition makes it a 'duplicate'.
   */
  async addComment(comment: Comment): Promise<AddCommentResult> {
    const outcome = await transactWrite(
      this.doc,
      [
        {
          Put: {
            TableName: this.tableName,
            Item: {
              ...commentKey(comment.articleId, comment.commentId),
              kind: KIND.comment,
              articleId: comment.articleId,
              commentId: comment.commentId,
              userId: comment.userId,
              userName: comment.userName,
              text: comment.text,
              createdAt: comment.createdAt,
              // The commenter's index entry: their erasure and an admin's "delete all" find it.
              gsi1pk: commenterPk(comment.userId),
              gsi1sk: `${comment.commentId}#${comment.articleId}`,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName: this.tableName,
            Key: articleMetaKey(comment.articleId),
            UpdateExpression: 'ADD replies :one',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':one': 1 },
          },
        },
        // A ban is checked in the same transaction: no extra call on the post path.
        {
          ConditionCheck: {
            TableName: this.tableName,
            Key: banKey(comment.userId),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
      { token: requestToken('comment', comment.articleId, comment.commentId) },
    );
    if (outcome.committed) return 'added';
    if (outcome.failed.includes(2)) return 'banned';
    return outcome.failed.includes(1) ? 'article-missing' : 'duplicate';
  }

  /**
   * A page of an article's comments, newest first (the sort key orders by the time-based comment
   * id). A cursor is a comment id used as the Query's `ExclusiveStartKey` (it need not exist), so
   * every page is one Query of `limit + 1` items whatever the cursor says — 6 comments of ≤ 4 KB,
   * ≤ 3 RCU, on a 5-comment page — and a forged cursor cannot make a deep read. A page of newer
   * comments that would be short (the newest few) is the first page instead: a second Query.
   *
   * @throws RangeError on a limit outside 1–100 or a cursor that is not a comment id.
   */
  async commentsPage(articleId: string, cursor: CommentCursor, limit: number): Promise<CommentPage> {
    assertPaging(0, limit);
    const from = cursor === undefined ? undefined : 'before' in cursor ? cursor.before : cursor.after;
    if (from !== undefined && !COMMENT_ID.test(from))
      throw new RangeError('a comment cursor is a comment id');
    const pk = articlePartition(articleId);
    const query = async (newestFirst: boolean, start: string | undefined) =>
      queryUpTo(
        this.doc,
        {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :cmt)',
          ExpressionAttributeValues: { ':pk': pk, ':cmt': COMMENT_PREFIX },
          ScanIndexForward: !newestFirst,
          ...(start === undefined ? {} : { ExclusiveStartKey: commentKey(articleId, start) }),
        },
        limit,
      );
    const page = (items: Item[], older: boolean, newer: boolean): CommentPage => {
      const comments = items.map(toComment);
      const first = comments[0];
      const last = comments.at(-1);
      return {
        items: comments,
        ...(older && last ? { older: last.commentId } : {}),
        ...(newer && first ? { newer: first.commentId } : {}),
      };
    };
    if (cursor !== undefined && 'after' in cursor) {
      const { items, hasMore } = await query(false, cursor.after);
      if (hasMore) return page(items.reverse(), true, true);
    } else if (cursor !== undefined) {
      const { items, hasMore } = await query(true, cursor.before);
      return page(items, hasMore, true);
    }
    const { items, hasMore } = await query(true, undefined);
    return page(items, hasMore, false);
  }

  /** Reads one comment; undefined when it does not exist. */
  async getComment(articleId: string, commentId: string): Promise<Comment | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: commentKey(articleId, commentId) }),
    );
    return out.Item ? toComment(out.Item) : undefined;
  }

  /**
   * Deletes a comment and lowers the article's replies by exactly one, in one
   * TransactWriteItems: DeleteItem the comment (`attribute_exists(pk)`) and `ADD replies -1`
   * on the meta (`attribute_exists(pk)`). False when the comment was already gone.
   */
  async deleteComment(articleId: string, commentId: string): Promise<boolean> {
    // A comment left by an interrupted article delete has no count to lower: it still goes.
    return deleteWithCount(this.doc, this.tableName, commentKey(articleId, commentId), {
      key: articleMetaKey(articleId),
      attribute: 'replies',
    });
  }

  /**
   * Deletes up to `max` of a reader's comments, newest first: one Query of their commenter index
   * (gsi1 `COMMENTER#<u>`, keys only, `max + 1` rows), then one TransactWriteItems per comment
   * (`deleteComment`: the comment and `replies - 1`). Bounded per call; `more` says call again.
   *
   * @throws RangeError when `max` is outside 1–100.
   */
  async deleteCommentsBy(userId: number, max: number): Promise<{ deleted: number; more: boolean }> {
    assertPaging(0, max);
    const { items, hasMore } = await queryUpTo(
      this.doc,
      {
        TableName: this.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': commenterPk(userId) },
        ProjectionExpression: 'pk, sk',
      },
      max,
    );
    let deleted = 0;
    for (const item of items) {
      const articleId = str(item, 'pk').slice('ART#'.length);
      const commentId = str(item, 'sk').slice(COMMENT_PREFIX.length);
      if (await this.deleteComment(articleId, commentId)) deleted += 1;
    }
    return { deleted, more: hasMore };
  }

  /** Bans a reader: PutItem `BAN#<u>`/`BAN` `attribute_not_exists(pk)` (1 WCU); false when already banned. */
  async ban(ban: CommentBan): Promise<boolean> {
    return conditionHolds(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...banKey(ban.userId),
            kind: KIND.ban,
            userId: ban.userId,
            by: ban.by,
            createdAt: ban.createdAt,
            ...(ban.reason === undefined ? {} : { reason: ban.reason }),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  /** Lifts a ban: DeleteItem `attribute_exists(pk)` (1 WCU); false when there was none. */
  async unban(userId: number): Promise<boolean> {
    return conditionHolds(() =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: banKey(userId),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    );
  }

  /** The ban on a reader, if any (GetItem, strong: an unban must take effect at once). */
  async getBan(userId: number): Promise<CommentBan | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: banKey(userId), ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    const reason = optStr(out.Item, 'reason');
    return {
      userId: num(out.Item, 'userId'),
      by: str(out.Item, 'by'),
      createdAt: str(out.Item, 'createdAt'),
      ...(reason === undefined ? {} : { reason }),
    };
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
    return conditionHolds(() =>
      this.doc.send(
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
      ),
    );
  }
}
