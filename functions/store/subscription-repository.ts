/**
 * Subscriptions on DynamoDB. A subscription lives in its user's partition (so "my
 * subscriptions" is one Query) and, while the user is active, also in the author's
 * subscriber list on gsi1 (`SUBS#<handle>`), which the alert fan-out pages through.
 * Blocked users are taken out of that sparse index rather than filtered at send time.
 *
 * subscriberCount stays exact without transactions, even when the store fails between the
 * subscription write and the count and Telegram redelivers the update: the subscription item
 * carries a marker while an operation is in flight (`pending` = its op id while subscribing,
 * `removing` while unsubscribing), and the author's `ops` string set holds the op ids already
 * counted, so whoever finishes an interrupted operation counts it at most once. The protocol
 * lives in counted-operation.ts; docs/data-model.md, "Exact counters without transactions",
 * walks through the steps.
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SubscriptionRepositoryPort } from '../core/ports';
import { CountedOperations, type Counter, REMOVING } from './counted-operation';
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

/** The author's profile holds subscriberCount; only a real profile is counted on. */
function subscriberCounter(handle: string): Counter {
  return { key: authorKey(handle), attribute: 'subscriberCount', kind: KIND.author };
}

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
  /** Subscribe and unsubscribe, each counted exactly once on the author. */
  private readonly counted: CountedOperations;

  /**
   * @param doc a document client from functions/store/client.ts
   * @param tableName the table built from table-definition.ts
   * @param now the clock (tests pass their own)
   */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.counted = new CountedOperations(doc, tableName, now);
  }

  /**
   * Subscribes a user to an author and raises the author's subscriberCount by exactly one —
   * also when a store failure interrupts it and Telegram redelivers the update. A user
   * marked inactive is subscribed but left out of the fan-out index.
   *
   * Steps (normal path: 1 read + 4 writes): read the user's `active`; PutItem the
   * subscription with `pending = <op id>` (`attribute_not_exists(pk)`); `ADD subscriberCount 1,
   * ops {op}` on the author unless `ops` holds the op; REMOVE `pending`; DELETE the op from
   * `ops`. A put that finds the item returns false if it is complete (a double tap, even a
   * concurrent one); if it is still `pending`, this call takes the operation over and
   * finishes it — the redelivery of an interrupted subscribe — and returns true only if it
   * is the one that completes it. An unfinished unsubscribe in the way is finished first.
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
    const outcome = await this.counted.add({
      key: subscriptionKey(userId, handle),
      attributes: () => ({
        kind: KIND.subscription,
        userId,
        handle,
        createdAt: this.now().toISOString(),
        ...(active ? { gsi1pk: subscribersPk(handle), gsi1sk: String(userId) } : {}),
      }),
      counter: subscriberCounter(handle),
      op: { kind: 'sub', subject: userId },
      // An unsubscribed subscription is gone even before its item is: finish it, then subscribe.
      removalInFlight: 'finish-first',
      contendedMessage: `subscribe ${userId} to ${handle}: the subscription kept changing; try again`,
    });
    if (outcome === 'no-counter') throw new NotFoundError(`author ${handle} does not exist`);
    return outcome === 'added';
  }

  /**
   * Removes a subscription and lowers the author's subscriberCount by exactly one, also
   * across an interruption and a redelivery. False when there was none.
   *
   * Steps (normal path: 4 writes): mark the item `removing = <op id>` and take it out of the
   * fan-out index (condition: it exists and no operation is in flight on it); `ADD
   * subscriberCount -1, ops {op}` unless `ops` holds the op; DeleteItem (condition: still
   * ours); DELETE the op from `ops`. An item already `removing` is taken over and finished
   * (true only for the call that deletes it); an unfinished subscribe is finished first.
   */
  async unsubscribe(userId: number, handle: string): Promise<boolean> {
    return this.counted.remove({
      key: subscriptionKey(userId, handle),
      counter: subscriberCounter(handle),
      op: { kind: 'unsub', subject: userId },
      // The user asked to leave: out of the fan-out index from the first write on.
      unset: ['gsi1pk', 'gsi1sk'],
      contendedMessage: `unsubscribe ${userId} from ${handle}: the subscription kept changing; try again`,
    });
  }

  /**
   * True when the user is subscribed to the author (strongly consistent: right after a tap).
   * A subscription being removed (`removing`, e.g. an unsubscribe awaiting its redelivery)
   * no longer counts; one still `pending` does — it exists and is in the fan-out index.
   */
  async isSubscribed(userId: number, handle: string): Promise<boolean> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: subscriptionKey(userId, handle),
        ProjectionExpression: 'pk, #removing',
        ExpressionAttributeNames: { '#removing': REMOVING },
        ConsistentRead: true,
      }),
    );
    return out.Item !== undefined && out.Item[REMOVING] === undefined;
  }

  /**
   * The handles a user is subscribed to, alphabetically (one Query of the user's partition),
   * leaving out subscriptions being removed.
   */
  async listForUser(userId: number): Promise<string[]> {
    return (await this.subscriptionItems(userId))
      .filter((item) => item[REMOVING] === undefined)
      .map((item) => str(item, 'handle'));
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
      // A subscription being removed stays out of the index.
      (sub) => (sub['gsi1pk'] !== undefined) !== active && sub[REMOVING] === undefined,
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
                // Never resurrect a subscription removed (or being removed) since the Query.
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#removing)',
                ExpressionAttributeNames: { '#removing': REMOVING },
              }
            : { UpdateExpression: 'REMOVE gsi1pk, gsi1sk', ConditionExpression: 'attribute_exists(pk)' }),
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }
}
