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
import { type DeliveryMode, isDeliveryMode } from '../core/delivery-mode';
import { UnknownAuthorError } from '../core/errors';
import type { Follow, Followable, FollowersPort, SubscriptionRepositoryPort } from '../core/ports';
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
  TAG_SUB_PREFIX,
  tagFollowersPk,
  tagKey,
  tagSubscriptionKey,
  userKey,
  userPartition,
} from './keys';

/** The gsi1 partition of a followable's followers in one mode. */
function followersPk(target: Followable, mode: DeliveryMode): string {
  return target.kind === 'author' ? subscribersPk(target.handle, mode) : tagFollowersPk(target.tag, mode);
}

function followKey(userId: number, target: Followable) {
  return target.kind === 'author'
    ? subscriptionKey(userId, target.handle)
    : tagSubscriptionKey(userId, target.tag);
}

/** A subscription item's mode; items written before modes existed are instant. */
function modeOf(item: Item): DeliveryMode {
  const mode = item['mode'];
  return isDeliveryMode(mode) ? mode : 'instant';
}

function targetOf(item: Item): Followable {
  return item['kind'] === KIND.tagSubscription
    ? { kind: 'tag', tag: str(item, 'tag') }
    : { kind: 'author', handle: str(item, 'handle') };
}

/** Largest page of subscribers one call returns. */
export const MAX_SUBSCRIBERS_PAGE = 1000;

/** The attributes of a gsi1 LastEvaluatedKey (table keys plus index keys). */
const CURSOR_FIELDS = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;

function encodeCursor(key: Item): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Decodes a cursor issued by {@link encodeCursor} for the list in partition `gsi1pk`, or throws. */
function decodeCursor(cursor: string, gsi1pk: string): Item {
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
    key['gsi1pk'] === gsi1pk;
  if (!valid) throw new InvalidCursorError(`subscriber cursor does not belong to ${gsi1pk}`);
  return key as Item;
}

/** {@link SubscriptionRepositoryPort} on Herald's DynamoDB table. */
export class SubscriptionRepository implements SubscriptionRepositoryPort, FollowersPort {
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
   * The subscription's delivery mode is `mode`, or else the reader's default mode (their
   * profile's `defaultMode`, instant when unset); it decides which of the author's follower
   * partitions (one per mode) lists the subscriber.
   *
   * Calls: GetItem the user's `active` and `defaultMode` (strong), then one TransactWriteItems of two items:
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
  async subscribe(userId: number, handle: string, locale?: string, mode?: DeliveryMode): Promise<boolean> {
    const { active, mode: chosen } = await this.newFollowState(userId, mode);
    const outcome = await transactWrite(this.doc, [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...subscriptionKey(userId, handle),
            kind: KIND.subscription,
            userId,
            handle,
            mode: chosen,
            createdAt: this.now().toISOString(),
            ...(locale !== undefined ? { locale } : {}),
            ...(active
              ? { gsi1pk: subscribersPk(handle, chosen), gsi1sk: subscriberSortKey(userId, locale) }
              : {}),
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
    return (await this.subscriptionMode(userId, handle)) !== undefined;
  }

  /**
   * The mode of the user's subscription to the author, or undefined when there is none: one
   * GetItem projecting `mode` (strongly consistent), the same call {@link isSubscribed} makes.
   */
  async subscriptionMode(userId: number, handle: string): Promise<DeliveryMode | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: subscriptionKey(userId, handle),
        ProjectionExpression: 'pk, #mode',
        ExpressionAttributeNames: { '#mode': 'mode' },
        ConsistentRead: true,
      }),
    );
    return out.Item === undefined ? undefined : modeOf(out.Item);
  }

  /** The handles a user is subscribed to, alphabetically (one Query of the user's partition). */
  async listForUser(userId: number): Promise<string[]> {
    return (await this.listModesForUser(userId)).map((s) => s.handle);
  }

  /** The user's subscriptions to authors with their modes, by handle (the same one Query). */
  async listModesForUser(userId: number): Promise<Array<{ handle: string; mode: DeliveryMode }>> {
    return (await this.subscriptionItems(userId)).map((item) => ({
      handle: str(item, 'handle'),
      mode: modeOf(item),
    }));
  }

  private subscriptionItems(userId: number, prefix = SUB_PREFIX): Promise<Item[]> {
    return queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sub)',
      ExpressionAttributeValues: { ':pk': userPartition(userId), ':sub': prefix },
      ConsistentRead: true,
    });
  }

  /**
   * One page of an author's active instant subscribers from gsi1 (`SUBS#<handle>`): see
   * {@link followersPage}.
   */
  async subscribersPage(
    handle: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ userIds: number[]; locales?: Record<string, string>; next?: string }> {
    return this.followersPage({ kind: 'author', handle }, 'instant', cursor, limit);
  }

  /**
   * One page of the active followers of an author or a tag in one delivery mode, from gsi1
   * (`SUBS#<handle>[#<mode>]`, `TSUBS#<mode>#<tag>`): a Query with `Limit`, continued from
   * `cursor`. `next` is the opaque continuation (absent at the end; a final page may also
   * come back empty, as DynamoDB can only tell after reading).
   *
   * @throws InvalidCursorError when `cursor` was not issued for this list.
   * @throws RangeError when `limit` is not an integer from 1 to {@link MAX_SUBSCRIBERS_PAGE}.
   */
  async followersPage(
    target: Followable,
    mode: DeliveryMode,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ userIds: number[]; locales?: Record<string, string>; next?: string }> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SUBSCRIBERS_PAGE) {
      throw new RangeError(`limit must be an integer from 1 to ${MAX_SUBSCRIBERS_PAGE}, got ${limit}`);
    }
    const pk = followersPk(target, mode);
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        Limit: limit,
        ExclusiveStartKey: cursor === undefined ? undefined : decodeCursor(cursor, pk),
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

  /** Whether the user is active and the mode of a new follow (the given one, or their default). */
  private async newFollowState(
    userId: number,
    mode: DeliveryMode | undefined,
  ): Promise<{ active: boolean; mode: DeliveryMode }> {
    const profile = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: userKey(userId),
        ProjectionExpression: 'active, defaultMode',
        ConsistentRead: true,
      }),
    );
    const stored = profile.Item?.['defaultMode'];
    return {
      active: profile.Item?.['active'] !== false,
      mode: mode ?? (isDeliveryMode(stored) ? stored : 'instant'),
    };
  }

  /**
   * Follows a tag (normalised by the caller, core/tags.ts) in `mode` or the reader's default
   * mode, and raises the tag's subscriberCount by exactly one. A tag needs no item of its own
   * beforehand: the count's `ADD` creates it. Calls: GetItem (user, strong) and one
   * TransactWriteItems (the follow, `attribute_not_exists(pk)`, and `ADD subscriberCount` on
   * `TAG#<tag>`). False when the reader already follows it.
   */
  async subscribeTag(userId: number, tag: string, locale?: string, mode?: DeliveryMode): Promise<boolean> {
    const { active, mode: chosen } = await this.newFollowState(userId, mode);
    const outcome = await transactWrite(this.doc, [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...tagSubscriptionKey(userId, tag),
            kind: KIND.tagSubscription,
            userId,
            tag,
            mode: chosen,
            createdAt: this.now().toISOString(),
            ...(locale !== undefined ? { locale } : {}),
            ...(active
              ? { gsi1pk: tagFollowersPk(tag, chosen), gsi1sk: subscriberSortKey(userId, locale) }
              : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: tagKey(tag),
          UpdateExpression: 'SET #kind = :tag, #name = :name ADD subscriberCount :one',
          ExpressionAttributeNames: { '#kind': 'kind', '#name': 'tag' },
          ExpressionAttributeValues: { ':tag': KIND.tag, ':name': tag, ':one': 1 },
        },
      },
    ]);
    return outcome.committed;
  }

  /** Stops following a tag and lowers its subscriberCount (one TransactWriteItems). False when not following. */
  async unsubscribeTag(userId: number, tag: string): Promise<boolean> {
    return deleteWithCount(this.doc, this.tableName, tagSubscriptionKey(userId, tag), {
      key: tagKey(tag),
      attribute: 'subscriberCount',
    });
  }

  /** Everything a reader follows with its mode: authors, then tags, each alphabetically (two Queries). */
  async listFollows(userId: number): Promise<Follow[]> {
    const [authors, tags] = await Promise.all([
      this.subscriptionItems(userId),
      this.subscriptionItems(userId, TAG_SUB_PREFIX),
    ]);
    return [...authors, ...tags].map((item) => ({ target: targetOf(item), mode: modeOf(item) }));
  }

  /**
   * Changes the delivery mode of one follow and moves it to that mode's follower partition
   * (an inactive reader's follow stays out of every partition). Calls: GetItem (strong) and
   * one conditional UpdateItem; the condition on the listing seen makes a concurrent
   * block/unblock win rather than be undone. False when the reader does not follow it.
   */
  async setMode(userId: number, target: Followable, mode: DeliveryMode): Promise<boolean> {
    const key = followKey(userId, target);
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    if (!out.Item) return false;
    const listed = out.Item['gsi1pk'] !== undefined;
    return conditionHolds(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          ConditionExpression: listed
            ? 'gsi1pk = :old'
            : 'attribute_exists(pk) AND attribute_not_exists(gsi1pk)',
          UpdateExpression: listed ? 'SET #mode = :mode, gsi1pk = :pk' : 'SET #mode = :mode',
          ExpressionAttributeNames: { '#mode': 'mode' },
          ExpressionAttributeValues: {
            ':mode': mode,
            ...(listed ? { ':old': out.Item?.['gsi1pk'], ':pk': followersPk(target, mode) } : {}),
          },
        }),
      ),
    );
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
    const [authors, tags] = await Promise.all([
      this.subscriptionItems(userId),
      this.subscriptionItems(userId, TAG_SUB_PREFIX),
    ]);
    const toMove = [...authors, ...tags].filter((sub) => (sub['gsi1pk'] !== undefined) !== active);
    // A user has a handful of subscriptions: move them all at once.
    await Promise.all(
      toMove.map((sub) => this.setListed(userId, targetOf(sub), modeOf(sub), active, optStr(sub, 'locale'))),
    );
  }

  /**
   * Writes a reader's new language on each of their follows (and into the index key of those
   * listed for the fan-out): two Queries of the user's partition (authors, tags), then one
   * conditional UpdateItem per follow in another language. Idempotent, like {@link setUserActive}.
   */
  async setUserLocale(userId: number, locale: string): Promise<void> {
    const [authors, tags] = await Promise.all([
      this.subscriptionItems(userId),
      this.subscriptionItems(userId, TAG_SUB_PREFIX),
    ]);
    const toChange = [...authors, ...tags].filter((sub) => sub['locale'] !== locale);
    await Promise.all(
      toChange.map((sub) =>
        conditionHolds(() =>
          this.doc.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: followKey(userId, targetOf(sub)),
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
    target: Followable,
    mode: DeliveryMode,
    listed: boolean,
    locale: string | undefined,
  ): Promise<void> {
    // A subscription removed since the Query is left alone (never resurrected); one whose
    // mode changed since is listed under its new mode by setMode, not here.
    await conditionHolds(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: followKey(userId, target),
          ConditionExpression: 'attribute_exists(pk)',
          ...(listed
            ? {
                UpdateExpression: 'SET gsi1pk = :pk, gsi1sk = :sk',
                ExpressionAttributeValues: {
                  ':pk': followersPk(target, mode),
                  ':sk': subscriberSortKey(userId, locale),
                },
              }
            : { UpdateExpression: 'REMOVE gsi1pk, gsi1sk' }),
        }),
      ),
    );
  }
}
