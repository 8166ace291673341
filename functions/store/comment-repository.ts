/**
 * Comments on DynamoDB: items in their article's partition (`ART#<id>`, `CMT#<commentId>`),
 * with the article's `replies` counter kept in step by conditional writes and ADD, and a
 * per-user, per-minute quota counter.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Comment } from '../core/model';
import type { AddCommentResult, CommentRepositoryPort, OffsetPage } from '../core/ports';
import { assertPaging, type Item, isConditionalCheckFailed, num, queryUpTo, str } from './dynamo';
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
   * Adds a comment once and raises the article's replies by exactly one.
   *
   * The comment id is deterministic per Telegram update, so a redelivered update finds
   * its comment already there ('duplicate', count untouched). Order: the article must
   * exist (a key-only GetItem), the conditional PutItem decides who counts, then
   * `ADD replies 1` on the meta only if it still exists — if the article vanished in
   * between, the comment is removed again and the result is 'article-missing'.
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
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key,
            kind: KIND.comment,
            articleId: comment.articleId,
            commentId: comment.commentId,
            userId: comment.userId,
            userName: comment.userName,
            text: comment.text,
            createdAt: comment.createdAt,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (isConditionalCheckFailed(err)) return 'duplicate';
      throw err;
    }
    try {
      await this.addReplies(comment.articleId, 1);
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
      return 'article-missing';
    }
    return 'added';
  }

  private async addReplies(articleId: string, by: number): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: articleMetaKey(articleId),
        UpdateExpression: 'ADD replies :by',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':by': by },
      }),
    );
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
   * Deletes a comment once (conditional DeleteItem: only the call that removed it counts)
   * and lowers the article's replies by one. False when the comment was already gone.
   */
  async deleteComment(articleId: string, commentId: string): Promise<boolean> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: commentKey(articleId, commentId),
          ConditionExpression: 'attribute_exists(pk)',
          ReturnValues: 'ALL_OLD',
        }),
      );
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
    try {
      await this.addReplies(articleId, -1);
    } catch (err) {
      // The article itself is gone (being deleted): no counter left to lower.
      if (!isConditionalCheckFailed(err)) throw err;
    }
    return true;
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
