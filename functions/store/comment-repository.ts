/**
 * Comments on DynamoDB: items in their article's partition (`ART#<id>`, `CMT#<commentId>`),
 * with the article's `replies` counter, and a per-user, per-minute quota counter.
 *
 * `replies` is exact because a comment and its count are written in one TransactWriteItems,
 * each guarded by a condition on the item itself (the comment absent or present, the article
 * meta present): there is no state in between for a crash or a redelivery to find.
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Comment } from '../core/model';
import type { AddCommentResult, CommentRepositoryPort, OffsetPage } from '../core/ports';
import {
  conditionHolds,
  deleteWithCount,
  type Item,
  num,
  queryOffsetPage,
  requestToken,
  str,
  transactWrite,
} from './dynamo';
import { articleMetaKey, articlePartition, COMMENT_PREFIX, commentKey, commentQuotaKey, KIND } from './keys';

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
      ],
      { token: requestToken('comment', comment.articleId, comment.commentId) },
    );
    if (outcome.committed) return 'added';
    return outcome.failed.includes(1) ? 'article-missing' : 'duplicate';
  }

  /**
   * An article's comments, newest first (the sort key orders by the time-based comment
   * id). Offset paging reads the rows before the page too.
   *
   * @throws RangeError on invalid paging arguments (see `assertPaging`).
   */
  async listComments(articleId: string, offset: number, limit: number): Promise<OffsetPage<Comment>> {
    const { items, hasMore } = await queryOffsetPage(
      this.doc,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :cmt)',
        ExpressionAttributeValues: { ':pk': articlePartition(articleId), ':cmt': COMMENT_PREFIX },
        ScanIndexForward: false,
      },
      offset,
      limit,
    );
    return { items: items.map(toComment), hasMore };
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
