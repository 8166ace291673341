/**
 * Topics per author in a reader's private chat with the bot (Bot API 9.3): the reader's choice,
 * an attribute `authorTopics` on their profile item (`USER#<id>` / `PROFILE`), and one small
 * item per author whose topic the bot opened (`USER#<id>` / `TOPIC#<handle>`, its
 * `message_thread_id`). The sender reads the choices of a queue message's readers in one
 * BatchGetItem and a topic when it sends into one (docs/data-model.md, docs/cost.md).
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AuthorTopicsChoice } from '../core/reader-topics';
import { batchGetAll, isConditionalCheckFailed } from './dynamo';
import { KIND, readerTopicKey, userKey } from './keys';

const choiceOf = (value: unknown): AuthorTopicsChoice =>
  value === 'on' || value === 'refused' ? value : 'off';

/** The reader's per-author topics on Herald's table. */
export class ReaderTopicRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The reader's choice: GetItem of their profile, one attribute (0.5 RCU, eventually consistent unless `consistent`). */
  async choice(userId: number, consistent = false): Promise<AuthorTopicsChoice> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: userKey(userId),
        ProjectionExpression: 'authorTopics',
        ConsistentRead: consistent,
      }),
    );
    return choiceOf(out.Item?.['authorTopics']);
  }

  /**
   * Which of `userIds` have topics per author on: one BatchGetItem per 100 profiles (eventually
   * consistent, 0.5 RCU each), so a queue message of 50 readers costs one call, not 50.
   */
  async withTopicsOn(userIds: readonly number[]): Promise<Set<number>> {
    if (userIds.length === 0) return new Set();
    const idOf = new Map(userIds.map((id) => [userKey(id).pk, id]));
    const items = await batchGetAll(
      this.doc,
      this.tableName,
      userIds.map((id) => userKey(id)),
    );
    const on = new Set<number>();
    for (const item of items) {
      const id = idOf.get(String(item['pk']));
      if (id !== undefined && choiceOf(item['authorTopics']) === 'on') on.add(id);
    }
    return on;
  }

  /** Turns it on or off (one UpdateItem, 1 WCU; creates the profile of a reader never seen). */
  async choose(userId: number, on: boolean): Promise<AuthorTopicsChoice> {
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: userKey(userId),
        UpdateExpression: 'SET #kind = :user, #id = :id, authorTopics = :c',
        ExpressionAttributeNames: { '#kind': 'kind', '#id': 'id' },
        ExpressionAttributeValues: { ':user': KIND.user, ':id': userId, ':c': on ? 'on' : 'off' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return choiceOf(out.Attributes?.['authorTopics']);
  }

  /**
   * Telegram refused to open a topic in the reader's chat: `refused`, only if it is still `on`
   * (a reader who changed it meanwhile keeps their choice). One conditional UpdateItem, 1 WCU.
   */
  async refuse(userId: number): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: userKey(userId),
          UpdateExpression: 'SET authorTopics = :refused',
          ConditionExpression: 'authorTopics = :on',
          ExpressionAttributeValues: { ':refused': 'refused', ':on': 'on' },
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  /** The reader's topic for an author, if the bot opened one (GetItem, 0.5 RCU, strongly consistent: 1 RCU). */
  async topic(userId: number, handle: string): Promise<number | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: readerTopicKey(userId, handle),
        ConsistentRead: true,
      }),
    );
    const id = out.Item?.['threadId'];
    return typeof id === 'number' ? id : undefined;
  }

  /**
   * Remembers the topic just opened for an author, unless another sender remembered one first
   * (conditional PutItem, 1 WCU): returns the topic that stands, ours or theirs.
   */
  async remember(userId: number, handle: string, threadId: number, at: number): Promise<number> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...readerTopicKey(userId, handle), kind: KIND.readerTopic, threadId, createdAt: at },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return threadId;
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      return (await this.topic(userId, handle)) ?? threadId;
    }
  }

  /** Forgets a topic that is gone, if it is still the one stored (conditional DeleteItem, 1 WCU). */
  async forget(userId: number, handle: string, threadId: number): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: readerTopicKey(userId, handle),
          ConditionExpression: 'threadId = :t',
          ExpressionAttributeValues: { ':t': threadId },
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }
}
