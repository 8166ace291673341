/**
 * Comments on DynamoDB: items in their article's partition (`ART#<id>`, `CMT#<commentId>`),
 * with the article's `replies` counter kept in step by conditional writes and ADD, and a
 * per-user, per-minute quota counter.
 *
 * `replies` stays exact without transactions, even when the store fails between the comment
 * write and the count and the update is redelivered: the comment item carries a marker while
 * an operation is in flight (`pending` = its op id while adding, `removing` while deleting),
 * and the article meta's `ops` string set holds the op ids counted. The meta is the hot item
 * (rewritten on every view), so `ops` is emptied again at the end of each operation. The
 * protocol lives in counted-operation.ts; docs/data-model.md, "Exact counters without
 * transactions", walks through the steps.
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Comment } from '../core/model';
import type { AddCommentResult, CommentRepositoryPort, OffsetPage } from '../core/ports';
import { CountedOperations, type Counter } from './counted-operation';
import { assertPaging, type Item, isConditionalCheckFailed, num, queryUpTo, str } from './dynamo';
import { articleMetaKey, articlePartition, COMMENT_PREFIX, commentKey, commentQuotaKey, KIND } from './keys';

/** How long a quota counter outlives its minute before TTL may delete it. */
const QUOTA_GRACE_SECONDS = 120;

/** The article meta holds `replies`; it is the only item at its key, so its presence is enough. */
function repliesCounter(articleId: string): Counter {
  return { key: articleMetaKey(articleId), attribute: 'replies' };
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
  /** Add and delete, each counted exactly once on the article's replies. */
  private readonly counted: CountedOperations;

  /**
   * @param doc a document client from functions/store/client.ts
   * @param tableName the table built from table-definition.ts
   */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.counted = new CountedOperations(doc, tableName);
  }

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

    const outcome = await this.counted.add({
      key: commentKey(comment.articleId, comment.commentId),
      attributes: () => ({
        kind: KIND.comment,
        articleId: comment.articleId,
        commentId: comment.commentId,
        userId: comment.userId,
        userName: comment.userName,
        text: comment.text,
        createdAt: comment.createdAt,
      }),
      counter: repliesCounter(comment.articleId),
      op: { kind: 'cmt', subject: comment.commentId },
      // A comment being deleted is still listed until it is gone: adding it again is a duplicate.
      removalInFlight: 'present',
      contendedMessage: `comment ${comment.commentId}: it kept changing; try again`,
    });
    if (outcome === 'no-counter') return 'article-missing';
    return outcome === 'added' ? 'added' : 'duplicate';
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
    return this.counted.remove({
      key: commentKey(articleId, commentId),
      counter: repliesCounter(articleId),
      op: { kind: 'del', subject: commentId },
      contendedMessage: `delete comment ${commentId}: it kept changing; try again`,
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
