/**
 * Small building blocks shared by the repositories: conditional writes and transactions
 * with their failed conditions mapped to outcomes, batch writes and reads that finish their
 * unprocessed parts, bounded queries, paging argument checks and typed reads of item
 * attributes.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  type NativeAttributeValue,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ItemKey } from './keys';

/** An item as the document client returns it; read attributes with the helpers below. */
export type Item = Record<string, NativeAttributeValue>;

/** One element of a BatchWriteItem request. */
export type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: ItemKey } };

/** True for the error a failed `ConditionExpression` raises (and only for it). */
export function isConditionalCheckFailed(err: unknown): boolean {
  return err instanceof Error && err.name === 'ConditionalCheckFailedException';
}

/**
 * Runs one conditional write: true when it was applied, false when its condition failed.
 * Every other error (throttling, validation, network) is rethrown. The one place the store
 * turns `ConditionalCheckFailedException` into an answer.
 */
export async function conditionHolds(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (err) {
    if (isConditionalCheckFailed(err)) return false;
    throw err;
  }
}

/**
 * The old item a failed condition returned (`ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`),
 * still in DynamoDB's attribute-value form (the document client does not convert errors):
 * use it for which attributes exist, not for their values.
 */
export function conditionFailureItem(err: unknown): Record<string, unknown> | undefined {
  if (!isConditionalCheckFailed(err) || typeof err !== 'object' || err === null || !('Item' in err))
    return undefined;
  const item = err.Item;
  return typeof item === 'object' && item !== null ? { ...item } : undefined;
}

/**
 * Deletes an item and lowers a counter on another item by one, in one TransactWriteItems (both
 * conditioned on `attribute_exists(pk)`): an unsubscribe with the author's subscriberCount, a
 * comment delete with the article's replies. False when the item was already gone. When the
 * counter's item is missing (nothing to lower), the item is still deleted, on its own.
 */
export async function deleteWithCount(
  doc: DynamoDBDocumentClient,
  tableName: string,
  key: ItemKey,
  counter: { key: ItemKey; attribute: string },
): Promise<boolean> {
  const exists = 'attribute_exists(pk)';
  const outcome = await transactWrite(doc, [
    { Delete: { TableName: tableName, Key: key, ConditionExpression: exists } },
    {
      Update: {
        TableName: tableName,
        Key: counter.key,
        UpdateExpression: 'ADD #count :minus',
        ConditionExpression: exists,
        ExpressionAttributeNames: { '#count': counter.attribute },
        ExpressionAttributeValues: { ':minus': -1 },
      },
    },
  ]);
  if (outcome.committed) return true;
  if (outcome.failed.includes(0)) return false;
  return conditionHolds(() =>
    doc.send(new DeleteCommand({ TableName: tableName, Key: key, ConditionExpression: exists })),
  );
}

/**
 * PutItem unless an item with the same key exists (`attribute_not_exists(pk)`): the building
 * block of every "create once" in the store. False when the item was already there.
 */
export async function putIfAbsent(
  doc: DynamoDBDocumentClient,
  tableName: string,
  item: Item,
): Promise<boolean> {
  return conditionHolds(() =>
    doc.send(
      new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
    ),
  );
}

/** One element of a TransactWriteItems request (document-client form). */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * How a transaction ended. `committed`: every item was written. Otherwise nothing was
 * written, and `failed` lists the indexes (in the request) of the items whose condition
 * failed — at least one.
 */
export type TransactOutcome = { committed: true } | { committed: false; failed: number[] };

/**
 * Attempts of a transaction that DynamoDB cancelled because another transaction held one
 * of its items (`TransactionConflict`): concurrent taps on one hot author settle in a few.
 */
const MAX_CONFLICT_ROUNDS = 8;

/** DynamoDB's cancellation reason codes, one per item of the request (`None` for the innocent ones). */
function cancellationCodes(err: unknown): string[] | undefined {
  if (!(err instanceof Error) || err.name !== 'TransactionCanceledException') return undefined;
  const reasons: unknown = (err as { CancellationReasons?: unknown }).CancellationReasons;
  if (!Array.isArray(reasons)) return undefined;
  return reasons.map((r: unknown) =>
    typeof r === 'object' && r !== null && typeof (r as { Code?: unknown }).Code === 'string'
      ? String((r as { Code: string }).Code)
      : 'None',
  );
}

/**
 * Writes `items` in one TransactWriteItems: all of them or none. A cancellation whose
 * reasons are only failed conditions becomes `{ committed: false, failed }` (the item
 * indexes), so callers decide by index what it means ("the author does not exist", "already
 * subscribed"); a cancellation by a conflicting transaction is retried with backoff. Any
 * other cancellation or error is rethrown.
 *
 * `token` is the ClientRequestToken: DynamoDB applies a transaction with the same token at
 * most once in 10 minutes and answers a repeat with success, so a caller that retries the
 * same logical operation (the same comment id) gets the first answer. The request must then
 * be identical each time; without a token the SDK makes one per call, reused by its own
 * retries.
 *
 * @throws the TransactionCanceledException when items still conflict after several rounds.
 */
export async function transactWrite(
  doc: DynamoDBDocumentClient,
  items: readonly TransactItem[],
  opts: { token?: string } = {},
): Promise<TransactOutcome> {
  for (let round = 0; ; round++) {
    try {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [...items],
          ...(opts.token === undefined ? {} : { ClientRequestToken: opts.token }),
        }),
      );
      return { committed: true };
    } catch (err) {
      const codes = cancellationCodes(err);
      if (codes === undefined) throw err;
      const failed = codes.flatMap((c, i) => (c === 'ConditionalCheckFailed' ? [i] : []));
      const others = codes.filter((c) => c !== 'None' && c !== 'ConditionalCheckFailed');
      if (others.length === 0 && failed.length > 0) return { committed: false, failed };
      const conflictOnly = others.every((c) => c === 'TransactionConflict');
      if (!conflictOnly || round + 1 >= MAX_CONFLICT_ROUNDS) throw err;
      await sleep(backoffMs(round));
    }
  }
}

/**
 * Runs a single-item write, retrying it with backoff while DynamoDB rejects it with
 * `TransactionConflictException`: the item is part of a transaction in flight (a comment or a
 * share open on the article meta a view is counting on). The SDK does not retry that error,
 * and the transaction holds the item only for milliseconds. DynamoDB Local runs transactions
 * one at a time, so only a real table raises it (the contract suite races them there).
 */
export async function retryOnTransactionConflict<T>(write: () => Promise<T>): Promise<T> {
  for (let round = 0; ; round++) {
    try {
      return await write();
    } catch (err) {
      const conflict = err instanceof Error && err.name === 'TransactionConflictException';
      if (!conflict || round + 1 >= MAX_CONFLICT_ROUNDS) throw err;
      await sleep(backoffMs(round));
    }
  }
}

/**
 * A ClientRequestToken (≤ 36 characters) naming one logical operation, e.g.
 * `requestToken('cmt', articleId, commentId)`: the same parts give the same token.
 */
export function requestToken(...parts: readonly (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u0000'), 'utf8').digest('base64url').slice(0, 32);
}

/** BatchWriteItem's limit per call. */
const BATCH_WRITE_SIZE = 25;
/** BatchGetItem's limit per call. */
const BATCH_GET_SIZE = 100;
/** Rounds of retrying unprocessed items (throttling) before giving up with an error. */
const MAX_BATCH_ROUNDS = 8;
/** Chunks written at the same time: enough for speed, few enough not to self-throttle. */
const BATCH_PARALLELISM = 4;

function backoffMs(round: number): number {
  return Math.min(1000, 25 * 2 ** round) * (0.5 + Math.random() / 2);
}

function requestKey(r: WriteRequest): string {
  const key = 'PutRequest' in r ? r.PutRequest.Item : r.DeleteRequest.Key;
  return `${String(key['pk'])}\u0000${String(key['sk'])}`;
}

/**
 * Writes all requests with BatchWriteItem, 25 per call, retrying unprocessed items with
 * backoff. A later request for the same key replaces an earlier one (DynamoDB rejects a
 * batch that names a key twice).
 *
 * @throws Error when items are still unprocessed after several rounds.
 */
export async function batchWriteAll(
  doc: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
): Promise<void> {
  const unique = [...new Map(requests.map((r) => [requestKey(r), r])).values()];
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < unique.length; i += BATCH_WRITE_SIZE)
    chunks.push(unique.slice(i, i + BATCH_WRITE_SIZE));
  for (let i = 0; i < chunks.length; i += BATCH_PARALLELISM) {
    await Promise.all(
      chunks.slice(i, i + BATCH_PARALLELISM).map((chunk) => writeChunk(doc, tableName, chunk)),
    );
  }
}

async function writeChunk(
  doc: DynamoDBDocumentClient,
  tableName: string,
  chunk: WriteRequest[],
): Promise<void> {
  let pending: WriteRequest[] = chunk;
  for (let round = 0; pending.length > 0; round++) {
    if (round >= MAX_BATCH_ROUNDS) {
      throw new Error(`BatchWriteItem left ${pending.length} item(s) unprocessed after ${round} rounds`);
    }
    if (round > 0) await sleep(backoffMs(round));
    const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
    pending = (out.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
  }
}

/**
 * Reads items by key with BatchGetItem (100 keys per call, unprocessed keys retried) and
 * returns them in the order of `keys` (a repeated key gives the item again); missing
 * items are left out. Reads are eventually consistent.
 */
export async function batchGetAll(
  doc: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly ItemKey[],
): Promise<Item[]> {
  const found = new Map<string, Item>();
  const id = (k: { pk?: unknown; sk?: unknown }) => `${String(k.pk)}\u0000${String(k.sk)}`;
  // DynamoDB rejects a request that names a key twice.
  const unique = [...new Map(keys.map((k) => [id(k), { pk: k.pk, sk: k.sk }])).values()];
  for (let i = 0; i < unique.length; i += BATCH_GET_SIZE) {
    let pending: Item[] = unique.slice(i, i + BATCH_GET_SIZE);
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_BATCH_ROUNDS) {
        throw new Error(`BatchGetItem left ${pending.length} key(s) unprocessed after ${round} rounds`);
      }
      if (round > 0) await sleep(backoffMs(round));
      const out = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending } } }));
      for (const item of out.Responses?.[tableName] ?? []) found.set(id(item), item);
      pending = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return keys.flatMap((k) => {
    const item = found.get(id(k));
    return item ? [item] : [];
  });
}

/**
 * Runs a Query, following LastEvaluatedKey, until at least `max` items were read or the
 * results end. Returns at most `max` items and whether more exist beyond them.
 */
export async function queryUpTo(
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
  max: number,
): Promise<{ items: Item[]; hasMore: boolean }> {
  const items: Item[] = [];
  // A caller's own start key (a cursor) is where the first page begins.
  let startKey: Item | undefined = input.ExclusiveStartKey;
  do {
    const out = await doc.send(
      new QueryCommand({ ...input, Limit: max + 1 - items.length, ExclusiveStartKey: startKey }),
    );
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey !== undefined && items.length <= max);
  return { items: items.slice(0, max), hasMore: items.length > max };
}

/**
 * One page of an offset-paged listing: checks the arguments, reads `offset + limit` rows
 * (and one more, to know whether a next page exists) and drops the first `offset`. The one
 * implementation behind every ◀ ▶ list of the bot (see "Pages are numbers" in
 * docs/data-model.md).
 *
 * @throws RangeError on invalid paging arguments (see {@link assertPaging}).
 */
export async function queryOffsetPage(
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
  offset: number,
  limit: number,
): Promise<{ items: Item[]; hasMore: boolean }> {
  assertPaging(offset, limit);
  const { items, hasMore } = await queryUpTo(doc, input, offset + limit);
  return { items: items.slice(offset), hasMore };
}

/** Every page of a Query, in order, following LastEvaluatedKey to the end. */
export async function* queryPages(
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
): AsyncGenerator<Item[]> {
  let startKey: Item | undefined;
  do {
    const out = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    yield out.Items ?? [];
    startKey = out.LastEvaluatedKey;
  } while (startKey !== undefined);
}

/** Every item a Query returns (for partitions known to be small, e.g. a user's subscriptions). */
export async function queryAll(doc: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of queryPages(doc, input)) items.push(...page);
  return items;
}

/**
 * Takes one unit of a per-minute allowance on `key`'s counter: one UpdateItem that adds 1 only
 * while the count is below `perMinute` (a comment quota, a search quota). False when exhausted.
 * The counter expires through TTL `graceSeconds` after its minute.
 *
 * @throws RangeError when `perMinute` is not a positive integer.
 */
export async function takeMinuteQuota(
  doc: DynamoDBDocumentClient,
  tableName: string,
  key: (minuteStart: number) => ItemKey,
  perMinute: number,
  now: Date,
  graceSeconds: number,
): Promise<boolean> {
  if (!Number.isInteger(perMinute) || perMinute < 1) {
    throw new RangeError(`perMinute must be a positive integer, got ${perMinute}`);
  }
  const minuteStart = Math.floor(now.getTime() / 60_000) * 60;
  return conditionHolds(() =>
    doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key(minuteStart),
        UpdateExpression: 'SET #kind = :kind, expiresAt = :expiresAt ADD #n :one',
        ConditionExpression: 'attribute_not_exists(#n) OR #n < :limit',
        ExpressionAttributeNames: { '#kind': 'kind', '#n': 'n' },
        ExpressionAttributeValues: {
          ':kind': 'rate',
          ':expiresAt': minuteStart + 60 + graceSeconds,
          ':one': 1,
          ':limit': perMinute,
        },
      }),
    ),
  );
}

/** Largest page a listing returns. */
export const MAX_PAGE_SIZE = 100;
/**
 * Deepest offset a listing serves. Offset paging reads every row before the page, so the
 * depth is bounded; 10,000 rows of a projected index are ~2 MB (~250 RCU) at worst.
 */
export const MAX_OFFSET = 10_000;

/**
 * Checks offset-paging arguments.
 *
 * @throws RangeError when `offset` is not an integer in [0, {@link MAX_OFFSET}] or `limit`
 * not an integer in [1, {@link MAX_PAGE_SIZE}].
 */
export function assertPaging(offset: number, limit: number): void {
  if (!Number.isInteger(offset) || offset < 0 || offset > MAX_OFFSET) {
    throw new RangeError(`offset must be an integer from 0 to ${MAX_OFFSET}, got ${offset}`);
  }
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${limit}`);
  }
}

/** A string attribute; throws when the stored item lacks it (the item is corrupt). */
export function str(item: Item, name: string): string {
  const v = item[name];
  if (typeof v !== 'string') throw new TypeError(`item ${item['pk']}/${item['sk']}: ${name} is not a string`);
  return v;
}

/** An optional string attribute. */
export function optStr(item: Item, name: string): string | undefined {
  const v = item[name];
  return typeof v === 'string' ? v : undefined;
}

/** A number attribute; a counter that was never written reads as 0. */
export function num(item: Item, name: string): number {
  const v = item[name];
  return typeof v === 'number' ? v : 0;
}

/** The parts of an UpdateItem request that {@link buildUpdate} produces. */
export interface UpdateParts {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  /** Absent when the expression uses no values (DynamoDB rejects an empty map). */
  ExpressionAttributeValues?: Record<string, NativeAttributeValue>;
}

/**
 * Builds an update expression with a placeholder for every attribute name (so reserved
 * words never matter). `set` entries whose value is `undefined` become REMOVE (an optional
 * field that was cleared); `setIfNotExists` only initialises (counters an update must keep);
 * `add` adds atomically. Conditions may use the names as `#<name>`: every attribute named
 * here gets that placeholder; callers add placeholders for any other name they use.
 */
export function buildUpdate(parts: {
  set?: Record<string, NativeAttributeValue>;
  setIfNotExists?: Record<string, NativeAttributeValue>;
  add?: Record<string, number>;
  remove?: readonly string[];
}): UpdateParts {
  const names: Record<string, string> = {};
  const values: Record<string, NativeAttributeValue> = {};
  const sets: string[] = [];
  const removes: string[] = [];
  const adds: string[] = [];
  const name = (n: string) => {
    names[`#${n}`] = n;
    return `#${n}`;
  };
  for (const [n, v] of Object.entries(parts.set ?? {})) {
    if (v === undefined) removes.push(name(n));
    else {
      values[`:${n}`] = v;
      sets.push(`${name(n)} = :${n}`);
    }
  }
  for (const [n, v] of Object.entries(parts.setIfNotExists ?? {})) {
    values[`:${n}`] = v;
    sets.push(`${name(n)} = if_not_exists(${name(n)}, :${n})`);
  }
  for (const [n, v] of Object.entries(parts.add ?? {})) {
    values[`:${n}`] = v;
    adds.push(`${name(n)} :${n}`);
  }
  for (const n of parts.remove ?? []) removes.push(name(n));
  const clauses = [
    sets.length > 0 ? `SET ${sets.join(', ')}` : '',
    removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '',
    adds.length > 0 ? `ADD ${adds.join(', ')}` : '',
  ].filter((c) => c !== '');
  return {
    UpdateExpression: clauses.join(' '),
    ExpressionAttributeNames: names,
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  };
}
