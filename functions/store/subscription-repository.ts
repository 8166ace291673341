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
 * counted, so whoever finishes an interrupted operation counts it at most once.
 * docs/data-model.md, "Exact counters without transactions", walks through the steps.
 */
import { randomBytes } from 'node:crypto';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SubscriptionRepositoryPort } from '../core/ports';
import { type Item, isConditionalCheckFailed, optStr, str } from './dynamo';
import { InvalidCursorError, NotFoundError } from './errors';
import {
  authorKey,
  GSI1,
  type ItemKey,
  KIND,
  SUB_PREFIX,
  subscribersPk,
  subscriptionKey,
  userKey,
  userPartition,
} from './keys';

/** Largest page of subscribers one call returns. */
export const MAX_SUBSCRIBERS_PAGE = 1000;

/** Marker on a subscription item while its subscribe is in flight (value: the op id). */
const PENDING = 'pending';
/** Marker on a subscription item while its unsubscribe is in flight (value: the op id). */
const REMOVING = 'removing';
/** Set on a marked item by a caller that took the operation over from the one that started it. */
const TAKEN_BY = 'takenBy';
/** String set on the author: the op ids already counted in subscriberCount. */
const OPS = 'ops';
type Marker = typeof PENDING | typeof REMOVING;

/**
 * Attempts of "write, find another caller's operation in the way, finish it, write again".
 * Each round either finishes or finds the item changed by someone else, so a handful of
 * concurrent taps settle in two or three; the bound only stops a pathological loop.
 */
const MAX_ROUNDS = 8;
/**
 * Age after which an op id in `ops` is held by no caller any more and may be dropped. A
 * webhook invocation ends within its 30 s deadline (and any Lambda within 15 min), so an
 * hour leaves a wide margin.
 */
const STALE_OP_MS = 60 * 60 * 1000;

/** Who may finish an operation in flight: the caller that started it, or one that took it over. */
interface Holder {
  /** The op id: the item's marker and the guard on the author's count. */
  op: string;
  /** Our token in the item's `takenBy`, when we took the operation over. */
  takenBy?: string;
}

function randomToken(): string {
  return randomBytes(6).toString('base64url');
}

/** `<kind>:<userId>:<ms since epoch, base 36>:<random>`: unique per logical operation. */
function newOpId(kind: 'sub' | 'unsub', userId: number, now: Date): string {
  return `${kind}:${userId}:${now.getTime().toString(36)}:${randomToken()}`;
}

/** The op ids in an `ops` set that are older than {@link STALE_OP_MS} (foreign formats are kept). */
function staleOps(ops: unknown, now: Date): string[] {
  if (!(ops instanceof Set)) return [];
  const cutoff = now.getTime() - STALE_OP_MS;
  return [...ops].filter((id): id is string => {
    if (typeof id !== 'string') return false;
    const ms = Number.parseInt(id.split(':').at(-2) ?? '', 36);
    return Number.isFinite(ms) && ms < cutoff;
  });
}

/** The condition "the item's operation is still `h`'s to finish", with its placeholders. */
function heldBy(marker: Marker, h: Holder) {
  return {
    ConditionExpression: `#marker = :op AND ${h.takenBy === undefined ? 'attribute_not_exists(#takenBy)' : '#takenBy = :me'}`,
    ExpressionAttributeNames: { '#marker': marker, '#takenBy': TAKEN_BY },
    ExpressionAttributeValues: { ':op': h.op, ...(h.takenBy === undefined ? {} : { ':me': h.takenBy }) },
  };
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
    const key = subscriptionKey(userId, handle);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const op = newOpId('sub', userId, this.now());
      const created = await this.putIfAbsent({
        ...key,
        kind: KIND.subscription,
        userId,
        handle,
        createdAt: this.now().toISOString(),
        ...(active ? { gsi1pk: subscribersPk(handle), gsi1sk: String(userId) } : {}),
        [PENDING]: op,
      });
      if (created) return this.finishSubscribe(handle, key, { op });
      const found = await this.read(key);
      if (found === undefined) continue; // removed since the put: put again
      // Our put was stored but its answer lost (the SDK's retry then failed the condition).
      if (found[PENDING] === op) return this.finishSubscribe(handle, key, { op });
      if (found[PENDING] !== undefined) {
        const holder = await this.takeOver(key, PENDING, found);
        if (holder) return this.finishSubscribe(handle, key, holder);
      } else if (found[REMOVING] !== undefined) {
        // An unsubscribe came first and did not finish: finish it, then subscribe afresh.
        const holder = await this.takeOver(key, REMOVING, found);
        if (holder) await this.finishUnsubscribe(handle, key, holder);
      } else {
        return false;
      }
    }
    throw new Error(`subscribe ${userId} to ${handle}: the subscription kept changing; try again`);
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
    const key = subscriptionKey(userId, handle);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const op = newOpId('unsub', userId, this.now());
      if (await this.markRemoving(key, op)) return this.finishUnsubscribe(handle, key, { op });
      const found = await this.read(key);
      if (found === undefined) return false;
      if (found[REMOVING] === op) return this.finishUnsubscribe(handle, key, { op });
      if (found[REMOVING] !== undefined) {
        const holder = await this.takeOver(key, REMOVING, found);
        if (holder) return this.finishUnsubscribe(handle, key, holder);
      } else if (found[PENDING] !== undefined) {
        // A subscribe came first and did not finish: count it, then remove it.
        const holder = await this.takeOver(key, PENDING, found);
        if (holder) await this.finishSubscribeQuietly(handle, key, holder);
      }
      // Otherwise the item changed between the write and the read: try again.
    }
    throw new Error(`unsubscribe ${userId} from ${handle}: the subscription kept changing; try again`);
  }

  /** PutItem if no item has the key; false when one does. */
  private async putIfAbsent(item: Item): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  /** The whole item, strongly consistent (the markers decide what to do next). */
  private async read(key: ItemKey): Promise<Item | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return out.Item;
  }

  /**
   * Marks a subscription `removing` and takes it out of the fan-out index at once (the user
   * asked to leave: no alert from here on). False when it does not exist or an operation is
   * in flight on it.
   */
  private async markRemoving(key: ItemKey, op: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET #removing = :op REMOVE gsi1pk, gsi1sk',
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(#removing) AND attribute_not_exists(#pending)',
          ExpressionAttributeNames: { '#removing': REMOVING, '#pending': PENDING },
          ExpressionAttributeValues: { ':op': op },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  /**
   * Takes over an operation that another caller started and did not finish — it failed, or
   * it is still running — by writing our token to `takenBy`. From then on only we can clear
   * the marker: the starter's (or an earlier taker's) last step fails its condition. The
   * count itself stays guarded by the op id, whoever reaches it first. Undefined when the
   * item changed meanwhile (the caller looks again).
   */
  private async takeOver(key: ItemKey, marker: Marker, seen: Item): Promise<Holder | undefined> {
    const op = str(seen, marker);
    const previous = optStr(seen, TAKEN_BY);
    const me = randomToken();
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET #takenBy = :me',
          ConditionExpression: `#marker = :op AND ${previous === undefined ? 'attribute_not_exists(#takenBy)' : '#takenBy = :previous'}`,
          ExpressionAttributeNames: { '#marker': marker, '#takenBy': TAKEN_BY },
          ExpressionAttributeValues: {
            ':me': me,
            ':op': op,
            ...(previous === undefined ? {} : { ':previous': previous }),
          },
        }),
      );
      return { op, takenBy: me };
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
    // Our write may have been stored with its answer lost (the SDK's retry then fails).
    const now = await this.read(key);
    return now?.[marker] === op && now[TAKEN_BY] === me ? { op, takenBy: me } : undefined;
  }

  /**
   * Steps 2–4 of a subscribe: count the op once, clear `pending`, forget the op. False when
   * another caller took the operation over (that caller reports the subscription).
   */
  private async finishSubscribe(handle: string, key: ItemKey, h: Holder): Promise<boolean> {
    const stale = await this.countOnce(handle, 1, h.op);
    if (stale === undefined) {
      // No such author: take the subscription back, if it is still ours to take.
      try {
        await this.doc.send(
          new DeleteCommand({ TableName: this.tableName, Key: key, ...heldBy(PENDING, h) }),
        );
      } catch (err) {
        if (!isConditionalCheckFailed(err)) throw err;
      }
      throw new NotFoundError(`author ${handle} does not exist`);
    }
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'REMOVE #marker, #takenBy',
          ...heldBy(PENDING, h),
        }),
      );
    } catch (err) {
      // Taken over (or, rarely, our own write stored with its answer lost): not ours to report.
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
    await this.forget(handle, h, stale);
    return true;
  }

  /** {@link finishSubscribe} on behalf of an unsubscribe: an unknown author leaves nothing to do. */
  private async finishSubscribeQuietly(handle: string, key: ItemKey, h: Holder): Promise<void> {
    try {
      await this.finishSubscribe(handle, key, h);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }

  /**
   * Steps 2–4 of an unsubscribe: count −1 once, delete the item, forget the op. False when
   * another caller took the operation over (that caller reports the removal).
   */
  private async finishUnsubscribe(handle: string, key: ItemKey, h: Holder): Promise<boolean> {
    // Undefined: the author's profile is gone, so there is no count left to lower.
    const stale = await this.countOnce(handle, -1, h.op);
    try {
      await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: key, ...heldBy(REMOVING, h) }));
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
    if (stale !== undefined) await this.forget(handle, h, stale);
    return true;
  }

  /**
   * Adds `by` to the author's subscriberCount and `op` to its `ops`, unless `ops` already
   * holds `op` (counted before: by an attempt whose answer was lost, or by another caller).
   * Counts only on a real profile (never creates one). Returns the stale op ids the author
   * carries (to drop with ours), or undefined when there is no such author.
   */
  private async countOnce(handle: string, by: number, op: string): Promise<string[] | undefined> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: authorKey(handle),
          UpdateExpression: 'ADD subscriberCount :by, #ops :ops',
          ConditionExpression: '#kind = :author AND NOT contains(#ops, :op)',
          ExpressionAttributeNames: { '#kind': 'kind', '#ops': OPS },
          ExpressionAttributeValues: { ':by': by, ':ops': new Set([op]), ':op': op, ':author': KIND.author },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return staleOps(out.Attributes?.[OPS], this.now());
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
    // Counted before, or no author: an author's profile is never removed, so its presence
    // tells. (ReturnValuesOnConditionCheckFailure would tell on AWS, but dynalite accepts it
    // and returns nothing; one read on this rare path keeps a single, tested code path.)
    const author = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: authorKey(handle),
        ProjectionExpression: '#kind',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ConsistentRead: true,
      }),
    );
    return author.Item?.['kind'] === KIND.author ? [] : undefined;
  }

  /**
   * Drops op ids from the author's `ops`: our own when no one else can ever count it (we
   * started the operation and finished it without a take-over, so no one else held it), and
   * any stale ones. A taken-over op id stays until it is stale: its starter may still be
   * about to count it, and the id in `ops` is what stops that.
   */
  private async forget(handle: string, h: Holder, stale: string[]): Promise<void> {
    const ids = h.takenBy === undefined ? [h.op, ...stale] : stale;
    if (ids.length === 0) return;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: authorKey(handle),
          UpdateExpression: 'DELETE #ops :ids',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#ops': OPS },
          ExpressionAttributeValues: { ':ids': new Set(ids) },
        }),
      );
    } catch {
      // Deliberately ignored, whatever the error: the operation is complete and counted, and
      // failing it now would make Telegram redeliver finished work (and tell the user
      // "already subscribed"). The id left behind is ~40 inert bytes; a later subscribe or
      // unsubscribe of this author drops it once it is stale.
    }
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
