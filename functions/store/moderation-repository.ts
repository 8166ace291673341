/**
 * Moderation on DynamoDB (issue 17, item 6): comment bans (`BAN#<userId>`/`BAN`, checked by the
 * comment's own transaction in comment-repository.ts) and deleting all of a reader's comments
 * through the commenter index. Kept apart from CommentRepository so the webhook's main bundle does
 * not carry it: the admin API, the admin commands and the reader's erasure (on-demand) build it.
 */
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CommentBan, ModerationPort } from '../core/ports';
import { assertPaging, conditionHolds, deleteWithCount, num, optStr, queryUpTo, str } from './dynamo';
import { articleMetaKey, banKey, COMMENT_PREFIX, commenterPk, commentKey, GSI1, KIND } from './keys';

/** {@link ModerationPort} on Herald's DynamoDB table. */
export class ModerationRepository implements ModerationPort {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

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
      if (
        await deleteWithCount(this.doc, this.tableName, commentKey(articleId, commentId), {
          key: articleMetaKey(articleId),
          attribute: 'replies',
        })
      )
        deleted += 1;
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
}
