/**
 * Subscriptions on DynamoDB. A subscription lives in its user's partition (so "my
 * subscriptions" is one Query) and, while the user is active, also in the author's
 * subscriber list on gsi1 (`SUBS#<handle>`), which the alert fan-out pages through.
 * Blocked users are taken out of that sparse index rather than filtered at send time.
 *
 * subscriberCount is exact because a subscription and its count are written in one
 * TransactWriteItems, each guarded by a condition on the item itself: there is no state in
 * between for a crash, a redelivery or a double tap to find.
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { UnknownAuthorError } from '../core/errors';
import type { SubscriptionRepositoryPort } from '../core/ports';
import { conditionHolds, deleteWithCount, type Item, optStr, queryAll, str, transactWrite } from './dynamo';
import { InvalidCursorError } from './errors';
import {
  authorKey,
  GSI1,
  KIND,
  parseSubscriberSortKey,
  SUB_PREFIX,
  subscriberSortKey,
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
   * Subscribes a user to an author and raises the author's subscriberCount by exactly one.
   * A user marked inactive is subscribed but left out of the fan-out index.
   *
   * Calls: GetItem the user's `active` (strong), then one TransactWriteItems of two items:
   * PutItem the subscription (`attribute_not_exists(pk)`) and `ADD subscriberCount 1` on the
   * author (`kind = author`). False when the subscription existed (a double tap, even a
   * concurrent one, or a redelivery: nothing written). No ClientRequestToken: the
   * subscription's own condition makes a repeat harmless, and a token would turn a real
   * subscribe after an unsubscribe within 10 minutes into a silent no-op.
   *
   * `locale` (the reader's language) is kept on the subscription and in its index key, so the
   * fan-out knows the language of each alert without reading profiles.
   *
   * @throws UnknownAuthorError when the author does not exist (nothing is written).
   */
  async subscribe(userId: number, handle: string, locale?: string): Promise<boolean> {
    const profile = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: userKey(userId),
        ProjectionExpression: 'active',
        ConsistentRead: true,
      }),
    );
    const active = profile.Item?.['active'] !== false;
    const outcome = await transactWrite(this.doc, [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...subscriptionKey(userId, handle),
            kind: KIND.subscription,
            userId,
            handle,
            createdAt: this.now().toISOString(),
            ...(locale !== undefined ? { locale } : {}),
            ...(active ? { gsi1pk: subscribersPk(handle), gsi1sk: subscriberSortKey(userId, locale) } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: authorKey(handle),
          UpdateExpression: 'ADD subscriberCount :one',
          // A counter-only placeholder (articles imported before the profile) is no author.
          ConditionExpression: '#kind = :author',
          ExpressionAttributeNames: { '#kind': 'kind' },
          ExpressionAttributeValues: { ':one': 1, ':author': KIND.author },
        },
      },
    ]);
    if (outcome.committed) return true;
    if (outcome.failed.includes(1)) throw new UnknownAuthorError(handle);
    return false;
  }

  /**
   * Removes a subscription and lowers the author's subscriberCount by exactly one, in one
   * TransactWriteItems: DeleteItem the subscription (`attribute_exists(pk)`) and `ADD
   * subscriberCount -1` on the author (`attribute_exists(pk)`). False when there was none.
   */
  async unsubscribe(userId: number, handle: string): Promise<boolean> {
    // No author item at all (authors are never deleted, so only hand-made data gets here): no
    // count to lower, but the subscription still goes.
    return deleteWithCount(this.doc, this.tableName, subscriptionKey(userId, handle), {
      key: authorKey(handle),
      attribute: 'subscriberCount',
    });
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

  private subscriptionItems(userId: number): Promise<Item[]> {
    return queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sub)',
      ExpressionAttributeValues: { ':pk': userPartition(userId), ':sub': SUB_PREFIX },
      ConsistentRead: true,
    });
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
  ): Promise<{ userIds: number[]; locales?: Record<string, string>; next?: string }> {
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
    const userIds: number[] = [];
    const locales: Record<string, string> = {};
    for (const item of out.Items ?? []) {
      const { userId, locale } = parseSubscriberSortKey(str(item, 'gsi1sk'));
      userIds.push(userId);
      if (locale !== undefined) locales[String(userId)] = locale;
    }
    return {
      userIds,
      ...(Object.keys(locales).length > 0 ? { locales } : {}),
      ...(out.LastEvaluatedKey ? { next: encodeCursor(out.LastEvaluatedKey) } : {}),
    };
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
    await Promise.all(
      toMove.map((sub) => this.setListed(userId, str(sub, 'handle'), active, optStr(sub, 'locale'))),
    );
  }

  /**
   * Writes a reader's new language on each of their subscriptions (and into the index key of
   * those listed for the fan-out): a Query of the user's partition, then one conditional
   * UpdateItem per subscription in another language. Idempotent, like {@link setUserActive}.
   */
  async setUserLocale(userId: number, locale: string): Promise<void> {
    const toChange = (await this.subscriptionItems(userId)).filter((sub) => sub['locale'] !== locale);
    await Promise.all(
      toChange.map((sub) =>
        conditionHolds(() =>
          this.doc.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: subscriptionKey(userId, str(sub, 'handle')),
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: { '#locale': 'locale' },
              ...(sub['gsi1pk'] !== undefined
                ? {
                    UpdateExpression: 'SET #locale = :locale, gsi1sk = :sk',
                    ExpressionAttributeValues: {
                      ':locale': locale,
                      ':sk': subscriberSortKey(userId, locale),
                    },
                  }
                : {
                    UpdateExpression: 'SET #locale = :locale',
                    ExpressionAttributeValues: { ':locale': locale },
                  }),
            }),
          ),
        ),
      ),
    );
  }

  private async setListed(
    userId: number,
    handle: string,
    listed: boolean,
    locale: string | undefined,
  ): Promise<void> {
    // A subscription removed since the Query is left alone (never resurrected).
    await conditionHolds(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: subscriptionKey(userId, handle),
          ConditionExpression: 'attribute_exists(pk)',
          ...(listed
            ? {
                UpdateExpression: 'SET gsi1pk = :pk, gsi1sk = :sk',
                ExpressionAttributeValues: {
                  ':pk': subscribersPk(handle),
                  ':sk': subscriberSortKey(userId, locale),
                },
              }
            : { UpdateExpression: 'REMOVE gsi1pk, gsi1sk' }),
        }),
      ),
    );
  }
}
