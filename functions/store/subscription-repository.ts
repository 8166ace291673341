/**
 * Subscriptions on DynamoDB. A subscription lives in its user's partition (so "my
 * subscriptions" is one Query) and, while the user is active, also in the author's
 * subscriber list on gsi1 (`SUBS#<handle>`), which the alert fan-out pages through.
 * Blocked users are taken out of that sparse index rather than filtered at send time.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SubscriptionRepositoryPort } from '../core/ports';
import { type Item, isConditionalCheckFailed, str } from './dynamo';
import { InvalidCursorError, NotFoundError } from './errors';
import {
  authorKey,
  GSI1,
  KIND,
  SUB_PREFIX,
  subscribersPk,
  subscriptionKey,
  userKey,
  userPartition,
} from './keys';

/** Largest page of subscribers one call returns. */
export const MAX_SUBSCRIBERS_PAGE = 1000;

/** The attributes of a gsi1 LastEvaluatedKey (table keys plus index keys). */
const CURSOR_FIELDS = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;

function encodeCursor(key: Item): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Decodes a cursor issued by {@link encodeCursor} for this author's list, or throws. */
function decodeCursor(cursor: string, handle: string): Item {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('subscriber cursor is not valid');
  }
  if (typeof parsed !== 'object' || parsed === null)
    throw new InvalidCursorError('subscriber cursor is not valid');
  const key = parsed as Record<string, unknown>;
  const valid =
    Object.keys(key).length === CURSOR_FIELDS.length &&
    CURSOR_FIELDS.every((f) => typeof key[f] === 'string') &&
    key['gsi1pk'] === subscribersPk(handle);
  if (!valid)
    throw new InvalidCursorError(`subscriber cursor does not belong to the subscribers of ${handle}`);
  return key as Item;
}

/** {@link SubscriptionRepositoryPort} on Herald's DynamoDB table. */
export class SubscriptionRepository implements SubscriptionRepositoryPort {
  /**
   * @param doc a document client from functions/store/client.ts
   * @param tableName the table built from table-definition.ts
   * @param now the clock (tests pass their own)
   */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Subscribes a user to an author: a conditional PutItem (a second tap, even a concurrent
   * one, finds the item and returns false), then `ADD subscriberCount 1` on the author —
   * so the count rises exactly once per subscription. A user marked inactive is
   * subscribed but left out of the fan-out index.
   *
   * @throws NotFoundError when the author does not exist (the subscription is removed again).
   */
  async subscribe(userId: number, handle: string): Promise<boolean> {
    const profile = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: userKey(userId),
        ProjectionExpression: 'active',
        ConsistentRead: true,
      }),
    );
    const active = profile.Item?.['active'] !== false;
    const key = subscriptionKey(userId, handle);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key,
            kind: KIND.subscription,
            userId,
            handle,
            createdAt: this.now().toISOString(),
            ...(active ? { gsi1pk: subscribersPk(handle), gsi1sk: String(userId) } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
    try {
      await this.addSubscriberCount(handle, 1);
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
      throw new NotFoundError(`author ${handle} does not exist`);
    }
    return true;
  }

  /**
   * Removes a subscription (conditional DeleteItem: only the call that removed it lowers
   * the count) and lowers the author's subscriberCount by one. False when there was none.
   */
  async unsubscribe(userId: number, handle: string): Promise<boolean> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: subscriptionKey(userId, handle),
          ConditionExpression: 'attribute_exists(pk)',
          ReturnValues: 'ALL_OLD',
        }),
      );
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
    try {
      await this.addSubscriberCount(handle, -1);
    } catch (err) {
      // The author's profile is gone: there is no count left to lower.
      if (!isConditionalCheckFailed(err)) throw err;
    }
    return true;
  }

  /** Counts on the author's profile only if it is a real profile (never creates one). */
  private async addSubscriberCount(handle: string, by: number): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: authorKey(handle),
        UpdateExpression: 'ADD subscriberCount :by',
        ConditionExpression: '#kind = :author',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: { ':by': by, ':author': KIND.author },
      }),
    );
  }

  /** True when the user is subscribed to the author (strongly consistent: right after a tap). */
  async isSubscribed(userId: number, handle: string): Promise<boolean> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: subscriptionKey(userId, handle),
        ProjectionExpression: 'pk',
        ConsistentRead: true,
      }),
    );
    return out.Item !== undefined;
  }

  /** The handles a user is subscribed to, alphabetically (one Query of the user's partition). */
  async listForUser(userId: number): Promise<string[]> {
    return (await this.subscriptionItems(userId)).map((item) => str(item, 'handle'));
  }

  private async subscriptionItems(userId: number): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sub)',
          ExpressionAttributeValues: { ':pk': userPartition(userId), ':sub': SUB_PREFIX },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  }

  /**
   * One page of an author's active subscribers from gsi1 (`SUBS#<handle>`): a Query with
   * `Limit`, continued from `cursor`. `next` is the opaque continuation (absent at the
   * end; a final page may also come back empty, as DynamoDB can only tell after reading).
   *
   * @throws InvalidCursorError when `cursor` was not issued for this author's list.
   * @throws RangeError when `limit` is not an integer from 1 to {@link MAX_SUBSCRIBERS_PAGE}.
   */
  async subscribersPage(
    handle: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ userIds: number[]; next?: string }> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SUBSCRIBERS_PAGE) {
      throw new RangeError(`limit must be an integer from 1 to ${MAX_SUBSCRIBERS_PAGE}, got ${limit}`);
    }
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': subscribersPk(handle) },
        Limit: limit,
        ExclusiveStartKey: cursor === undefined ? undefined : decodeCursor(cursor, handle),
      }),
    );
    const userIds = (out.Items ?? []).map((item) => Number(str(item, 'gsi1sk')));
    return out.LastEvaluatedKey ? { userIds, next: encodeCursor(out.LastEvaluatedKey) } : { userIds };
  }

  /**
   * Marks a user active or not (a user who blocked the bot is inactive) and moves each of
   * their subscriptions into or out of the fan-out index. Idempotent: running it again,
   * e.g. after a crash part-way, finishes the job.
   */
  async setUserActive(userId: number, active: boolean): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: userKey(userId),
        UpdateExpression: 'SET #kind = :user, #id = :id, active = :active',
        ExpressionAttributeNames: { '#kind': 'kind', '#id': 'id' },
        ExpressionAttributeValues: { ':user': KIND.user, ':id': userId, ':active': active },
      }),
    );
    const toMove = (await this.subscriptionItems(userId)).filter(
      (sub) => (sub['gsi1pk'] !== undefined) !== active,
    );
    // A user has a handful of subscriptions: move them all at once.
    await Promise.all(toMove.map((sub) => this.setListed(userId, str(sub, 'handle'), active)));
  }

  private async setListed(userId: number, handle: string, listed: boolean): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: subscriptionKey(userId, handle),
          ...(listed
            ? {
                UpdateExpression: 'SET gsi1pk = :pk, gsi1sk = :sk',
                ExpressionAttributeValues: { ':pk': subscribersPk(handle), ':sk': String(userId) },
              }
            : { UpdateExpression: 'REMOVE gsi1pk, gsi1sk' }),
          // Never resurrect a subscription removed since the Query.
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }
}
