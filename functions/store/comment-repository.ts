/**
 * Comments on DynamoDB: items in their article's partition (`ART#<id>`, `CMT#<commentId>`),
 * with the article's `replies` counter, and a per-user, per-minute quota counter.
 *
 * `replies` is exact because a comment and its count are written in one TransactWriteItems,
 * each guarded by a condition on the item itself (the comment absent or present, the article
 * meta present): there is no state in between for a crash or a redelivery to find.
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Comment } from '../core/model';
import type { AddCommentResult, CommentCursor, CommentPage, CommentRepositoryPort } from '../core/ports';
import {
  assertPaging,
  deleteWithCount,
  type Item,
  num,
  queryUpTo,
  requestToken,
  str,
  takeMinuteQuota,
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
    const after = cursor !== undefined && 'after' in cursor;
    const from = cursor === undefined ? undefined : 'after' in cursor ? cursor.after : cursor.before;
    if (from !== undefined && !COMMENT_ID.test(from))
      throw new RangeError('a comment cursor is a comment id');
    const read = (start: string | undefined, newestFirst: boolean) =>
      queryUpTo(
        this.doc,
        {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :cmt)',
          ExpressionAttributeValues: { ':pk': articlePartition(articleId), ':cmt': COMMENT_PREFIX },
          ScanIndexForward: !newestFirst,
          ExclusiveStartKey: start === undefined ? undefined : commentKey(articleId, start),
        },
        limit,
      );
    let page = await read(from, !after);
    // A full page of newer comments is turned newest first; fewer than a page is the first page.
    const turned = after && page.hasMore;
    const first = from === undefined || (after && !turned);
    if (first && from !== undefined) page = await read(undefined, true);
    const items = (turned ? page.items.reverse() : page.items).map(toComment);
    const older = turned || page.hasMore ? items.at(-1)?.commentId : undefined;
    const newer = first ? undefined : items[0]?.commentId;
    return { items, ...(older ? { older } : {}), ...(newer ? { newer } : {}) };
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
   * Takes one unit of the user's allowance for the minute containing `now`: one UpdateItem
   * that adds 1 only while the minute's count is below `perMinute`. A new minute is a new
   * item, so the allowance resets; old counters are left to TTL (`expiresAt`).
   *
   * @throws RangeError when `perMinute` is not a positive integer.
   */
  async takeCommentQuota(userId: number, perMinute: number, now: Date): Promise<boolean> {
    return takeMinuteQuota(
      this.doc,
      this.tableName,
      (minute) => commentQuotaKey(userId, minute),
      perMinute,
      now,
      QUOTA_GRACE_SECONDS,
    );
  }
}
