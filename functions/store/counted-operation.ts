/**
 * Counted operations: adding or removing an item (a subscription, a comment) together with
 * ±1 on a counter that another item holds (the author's `subscriberCount`, the article meta's
 * `replies`), counted exactly once without transactions — also when the store fails between
 * the two writes and the call is repeated (a Telegram redelivery, the SDK's own retry, a
 * double tap).
 *
 * While an operation is in flight its item carries a marker whose value is the op id
 * (`pending` while adding, `removing` while removing), and the counter's item carries `ops`,
 * a string set of the op ids already counted, so whoever finishes an interrupted operation
 * counts it at most once. A caller that finds another's operation in flight takes it over
 * (`takenBy`) and finishes it. docs/data-model.md, "Exact counters without transactions",
 * walks through the steps.
 */
import { randomBytes } from 'node:crypto';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Item, isConditionalCheckFailed, optStr, putIfAbsent, str } from './dynamo';
import type { ItemKey } from './keys';

/** Marker on an item while its add is in flight (value: the op id). */
export const PENDING = 'pending';
/** Marker on an item while its removal is in flight (value: the op id). */
export const REMOVING = 'removing';
/** Set on a marked item by a caller that took the operation over from the one that started it. */
const TAKEN_BY = 'takenBy';
/** String set on the counter's item: the op ids already counted whose operation may be in flight. */
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

/** The item that holds the count an operation moves. */
export interface Counter {
  /** The counter item's key (an author profile, an article meta). */
  key: ItemKey;
  /**
   * The number attribute moved by ±1 (`subscriberCount`, `replies`). It is written into the
   * update expression as is, so it must not be a DynamoDB reserved word.
   */
  attribute: string;
  /**
   * The `kind` the counter item must have. Without it, any item at `key` is the counter
   * item. Either way the count never creates one.
   */
  kind?: string;
}

/** Names an operation's op ids: `<kind>:<subject>:<ms since epoch, base 36>:<random>`. */
export interface OpName {
  /** What the operation does, e.g. `sub`, `unsub`, `cmt`, `del`. */
  kind: string;
  /** What it is about, e.g. the user id or the comment id (no `:` in it). */
  subject: string | number;
}

/**
 * How an add ended for this call. `added`: this call completed it. `present`: the item was
 * there already and complete, or another caller took the add over and reports it.
 * `no-counter`: the counter item does not exist, and the item was taken back if it was still
 * this call's to take.
 */
export type AddOutcome = 'added' | 'present' | 'no-counter';

/** What {@link CountedOperations.add} puts and counts. */
export interface AddRequest {
  /** The item's key. */
  key: ItemKey;
  /** The item's other attributes, without the marker; called for each put, after its op id is made. */
  attributes: () => Item;
  counter: Counter;
  op: OpName;
  /**
   * What a removal still in flight on the item means. `finish-first`: the item is as good as
   * gone (an unsubscribed subscription), so the removal is finished and the item added
   * afresh. `present`: the item still counts as there until it is deleted (a comment).
   */
  removalInFlight: 'finish-first' | 'present';
  /** The message of the Error thrown when other callers kept changing the item. */
  contendedMessage: string;
}

/** What {@link CountedOperations.remove} removes and counts. */
export interface RemoveRequest {
  /** The item's key. */
  key: ItemKey;
  counter: Counter;
  op: OpName;
  /** Attributes removed in the same write that sets the marker (e.g. index keys: out of an index at once). */
  unset?: readonly string[];
  /** The message of the Error thrown when other callers kept changing the item. */
  contendedMessage: string;
}

/** Who may finish an operation in flight: the caller that started it, or one that took it over. */
interface Holder {
  /** The op id: the item's marker and the guard on the count. */
  op: string;
  /** Our token in the item's `takenBy`, when we took the operation over. */
  takenBy?: string;
}

function randomToken(): string {
  return randomBytes(6).toString('base64url');
}

function newOpId(name: OpName, now: Date): string {
  return `${name.kind}:${name.subject}:${now.getTime().toString(36)}:${randomToken()}`;
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

/**
 * Adds and removes items whose number is kept on a counter item, exactly once per logical
 * operation. Normal path: an add makes 4 writes (put, count, clear the marker, drop the op
 * id), a removal 4 writes (mark, count, delete, drop the op id).
 */
export class CountedOperations {
  /**
   * @param doc a document client from functions/store/client.ts
   * @param tableName the table built from table-definition.ts
   * @param now the clock for op ids and their staleness (tests pass their own)
   */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Puts an item and adds 1 to its counter, once. Steps: PutItem with `pending = <op id>`
   * (`attribute_not_exists(pk)`); `ADD <attribute> 1, ops {op}` on the counter item unless
   * `ops` holds the op; REMOVE `pending`; DELETE the op from `ops`. A put that finds the item
   * complete is `present`; one that finds it still `pending` takes the add over and finishes
   * it (the redelivery of an interrupted add) and is `added` only if it completes it.
   *
   * @throws Error with `contendedMessage` when the item kept changing for {@link MAX_ROUNDS} rounds.
   */
  async add(request: AddRequest): Promise<AddOutcome> {
    const { key, counter } = request;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const op = newOpId(request.op, this.now());
      const created = await putIfAbsent(this.doc, this.tableName, {
        ...key,
        ...request.attributes(),
        [PENDING]: op,
      });
      if (created) return this.finishAdd(key, counter, { op });
      const found = await this.read(key);
      if (found === undefined) continue; // removed since the put: put again
      // Our put was stored but its answer lost (the SDK's retry then failed the condition).
      if (found[PENDING] === op) return this.finishAdd(key, counter, { op });
      if (found[PENDING] !== undefined) {
        const holder = await this.takeOver(key, PENDING, found);
        if (holder) return this.finishAdd(key, counter, holder);
      } else if (found[REMOVING] !== undefined && request.removalInFlight === 'finish-first') {
        // A removal came first and did not finish: finish it, then add afresh.
        const holder = await this.takeOver(key, REMOVING, found);
        if (holder) await this.finishRemove(key, counter, holder);
      } else {
        return 'present';
      }
    }
    throw new Error(request.contendedMessage);
  }

  /**
   * Removes an item and adds −1 to its counter, once; false when there was no item. Steps:
   * mark the item `removing = <op id>` (condition: it exists and no operation is in flight on
   * it); `ADD <attribute> -1, ops {op}` unless `ops` holds the op; DeleteItem (condition: still
   * ours); DELETE the op from `ops`. An item already `removing` is taken over and finished
   * (true only for the call that deletes it); an unfinished add is finished first.
   *
   * @throws Error with `contendedMessage` when the item kept changing for {@link MAX_ROUNDS} rounds.
   */
  async remove(request: RemoveRequest): Promise<boolean> {
    const { key, counter, unset = [] } = request;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const op = newOpId(request.op, this.now());
      if (await this.markRemoving(key, op, unset)) return this.finishRemove(key, counter, { op });
      const found = await this.read(key);
      if (found === undefined) return false;
      if (found[REMOVING] === op) return this.finishRemove(key, counter, { op });
      if (found[REMOVING] !== undefined) {
        const holder = await this.takeOver(key, REMOVING, found);
        if (holder) return this.finishRemove(key, counter, holder);
      } else if (found[PENDING] !== undefined) {
        // An add came first and did not finish: count it (or take it back when the counter
        // item is gone, which leaves nothing to remove), then remove it.
        const holder = await this.takeOver(key, PENDING, found);
        if (holder) await this.finishAdd(key, counter, holder);
      }
      // Otherwise the item changed between the write and the read: try again.
    }
    throw new Error(request.contendedMessage);
  }

  /** The whole item, strongly consistent (the markers decide what to do next). */
  private async read(key: ItemKey): Promise<Item | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return out.Item;
  }

  /**
   * Marks an item `removing`, removing the `unset` attributes in the same write. False when
   * it does not exist or an operation is in flight on it.
   */
  private async markRemoving(key: ItemKey, op: string, unset: readonly string[]): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET #removing = :op${unset.length === 0 ? '' : ` REMOVE ${unset.join(', ')}`}`,
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
   * Steps 2–4 of an add: count +1 once, clear `pending`, forget the op. `present` when
   * another caller took the operation over (that caller reports the add).
   */
  private async finishAdd(key: ItemKey, counter: Counter, h: Holder): Promise<AddOutcome> {
    const stale = await this.countOnce(counter, 1, h.op);
    if (stale === undefined) {
      // No counter item: take the item back, if it is still ours to take.
      try {
        await this.doc.send(
          new DeleteCommand({ TableName: this.tableName, Key: key, ...heldBy(PENDING, h) }),
        );
      } catch (err) {
        if (!isConditionalCheckFailed(err)) throw err;
      }
      return 'no-counter';
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
      if (isConditionalCheckFailed(err)) return 'present';
      throw err;
    }
    await this.forget(counter, h, stale);
    return 'added';
  }

  /**
   * Steps 2–4 of a removal: count −1 once, delete the item, forget the op. False when
   * another caller took the operation over (that caller reports the removal).
   */
  private async finishRemove(key: ItemKey, counter: Counter, h: Holder): Promise<boolean> {
    // Undefined: the counter item is gone, so there is no count left to lower.
    const stale = await this.countOnce(counter, -1, h.op);
    try {
      await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: key, ...heldBy(REMOVING, h) }));
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
    if (stale !== undefined) await this.forget(counter, h, stale);
    return true;
  }

  /**
   * Adds `by` to the counter and `op` to its item's `ops`, unless `ops` already holds `op`
   * (counted before: by an attempt whose answer was lost, or by another caller). Counts only
   * on an existing counter item (never creates one). Returns the stale op ids the counter
   * item carries (to drop with ours), or undefined when there is no counter item.
   */
  private async countOnce(counter: Counter, by: 1 | -1, op: string): Promise<string[] | undefined> {
    const { kind } = counter;
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: counter.key,
          UpdateExpression: `ADD ${counter.attribute} :by, #ops :ops`,
          ConditionExpression: `${kind === undefined ? 'attribute_exists(pk)' : '#kind = :kind'} AND NOT contains(#ops, :op)`,
          ExpressionAttributeNames: { '#ops': OPS, ...(kind === undefined ? {} : { '#kind': 'kind' }) },
          ExpressionAttributeValues: {
            ':by': by,
            ':ops': new Set([op]),
            ':op': op,
            ...(kind === undefined ? {} : { ':kind': kind }),
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return staleOps(out.Attributes?.[OPS], this.now());
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
    // Counted before, or no counter item: the counter item's presence tells.
    // (ReturnValuesOnConditionCheckFailure would tell on AWS, but dynalite accepts it and
    // returns nothing; one read on this rare path keeps a single, tested code path.)
    const found = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: counter.key,
        ...(kind === undefined
          ? { ProjectionExpression: 'pk' }
          : { ProjectionExpression: '#kind', ExpressionAttributeNames: { '#kind': 'kind' } }),
        ConsistentRead: true,
      }),
    );
    const exists = kind === undefined ? found.Item !== undefined : found.Item?.['kind'] === kind;
    return exists ? [] : undefined;
  }

  /**
   * Drops op ids from the counter item's `ops`: our own when no one else can ever count it
   * (we started the operation and finished it without a take-over, so no one else held it),
   * and any stale ones. A taken-over op id stays until it is stale: its starter may still be
   * about to count it, and the id in `ops` is what stops that.
   */
  private async forget(counter: Counter, h: Holder, stale: string[]): Promise<void> {
    const ids = h.takenBy === undefined ? [h.op, ...stale] : stale;
    if (ids.length === 0) return;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: counter.key,
          UpdateExpression: 'DELETE #ops :ids',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#ops': OPS },
          ExpressionAttributeValues: { ':ids': new Set(ids) },
        }),
      );
    } catch {
      // Deliberately ignored, whatever the error: the operation is complete and counted, and
      // failing it now would make Telegram redeliver finished work (answered as a duplicate).
      // The id left behind is ~40 inert bytes; a later operation on this counter drops it
      // once it is stale.
    }
  }
}
