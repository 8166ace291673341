/**
 * Digest and delivery bookkeeping on DynamoDB. No item grows with the audience:
 *
 * - one delivery marker per (article, reader) of an article that has tags
 *   (`ALERT#<id>` / `TO#<userId>`): the conditional write that makes a reader who follows the
 *   author and several of the tags get the article once, in the most immediate mode (the
 *   fan-out reads instant followers before daily before weekly, so the first claim wins);
 * - one entry per article waiting for a reader's digest, or held through their quiet hours
 *   (`USER#<id>` / `DQ#<articleId>`), with what the digest shows and when it is due;
 * - one due marker per reader per slot (`DUE#<yyyymmddhhmm>#<shard>` / `<userId>`), written
 *   with the entry: the digest run of a slot Queries its 16 shards, never Scans;
 * - the scheduler's cursor (`DIGEST` / `CURSOR`): the last slot it started.
 *
 * docs/data-model.md ("Digests") lists each access pattern and its WCU/RCU.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type DigestEntry, slotName } from '../core/delivery';
import { batchWriteAll, conditionHolds, type Item, queryAll, str } from './dynamo';
import {
  DIGEST_CURSOR_KEY,
  DIGEST_ENTRY_PREFIX,
  digestEntryKey,
  dueKey,
  dueShardPk,
  type ItemKey,
  KIND,
  userPartition,
} from './keys';

/** Entries, due markers and delivery markers expire (TTL) this long after their last write. */
const KEEP_SECONDS = 60 * 86_400;

/** The delivery marker of (article, reader): in the article's alert partition, beside the recipients. */
function deliveryMarkerKey(articleId: string, userId: number): ItemKey {
  return { pk: `ALERT#${articleId}`, sk: `TO#${userId}` };
}

function entryOf(item: Item): DigestEntry {
  const reason = item['reason'];
  return {
    articleId: str(item, 'articleId'),
    title: str(item, 'title'),
    authorHandle: str(item, 'authorHandle'),
    authorName: str(item, 'authorName'),
    summary: typeof item['summary'] === 'string' ? item['summary'] : '',
    reason: reason === 'weekly' || reason === 'held' ? reason : 'daily',
    dueAt: typeof item['dueAt'] === 'number' ? item['dueAt'] : 0,
    queuedAt: str(item, 'queuedAt'),
  };
}

/** Digest entries, due markers, delivery markers and the scheduler's cursor. */
export class DigestRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  private expiresAt(): number {
    return Math.floor(this.now() / 1000) + KEEP_SECONDS;
  }

  /**
   * Claims the delivery of an article to a reader for fan-out page `page` (PutItem with
   * `attribute_not_exists(pk) OR page = :page`). True when this page delivers it: the first
   * claim, or this same page claiming again after a retry. False when another page (another
   * source or an earlier mode) already did. 1 WCU either way.
   */
  async claimDelivery(articleId: string, userId: number, page: number): Promise<boolean> {
    return conditionHolds(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...deliveryMarkerKey(articleId, userId),
            kind: KIND.alertTo,
            page,
            expiresAt: this.expiresAt(),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR #page = :page',
          ExpressionAttributeNames: { '#page': 'page' },
          ExpressionAttributeValues: { ':page': page },
        }),
      ),
    );
  }

  /**
   * Queues an article for a reader's digest (or holds it through quiet hours) and marks the
   * reader due in the entry's slot: two PutItems (1 WCU each), both idempotent, so a fan-out
   * retry rewrites the same items.
   */
  async queue(userId: number, entry: Omit<DigestEntry, 'queuedAt'>): Promise<void> {
    const expiresAt = this.expiresAt();
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...digestEntryKey(userId, entry.articleId),
          kind: KIND.digestEntry,
          ...entry,
          queuedAt: new Date(this.now()).toISOString(),
          expiresAt,
        },
      }),
    );
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...dueKey(slotName(entry.dueAt), userId), kind: KIND.digestDue, userId, expiresAt },
      }),
    );
  }

  /** A reader's waiting entries, oldest queued first (one Query of their partition, strong). */
  async entries(userId: number): Promise<DigestEntry[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :dq)',
      ExpressionAttributeValues: { ':pk': userPartition(userId), ':dq': DIGEST_ENTRY_PREFIX },
      ConsistentRead: true,
    });
    return items.map(entryOf).sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
  }

  /** Deletes entries that went out (BatchWriteItem, 25 a call; 1 WCU each). */
  async remove(userId: number, articleIds: readonly string[]): Promise<void> {
    await batchWriteAll(
      this.doc,
      this.tableName,
      articleIds.map((id) => ({ DeleteRequest: { Key: digestEntryKey(userId, id) } })),
    );
  }

  /**
   * One page of the readers due in one shard of a slot: a Query of `DUE#<slot>#<shard>`.
   * `next` is the LastEvaluatedKey's sort key (the user id), absent at the end.
   */
  async duePage(
    slot: number,
    shard: number,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ userIds: number[]; next?: string }> {
    const pk = dueShardPk(slotName(slot), shard);
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ProjectionExpression: 'sk',
        Limit: limit,
        ...(cursor !== undefined ? { ExclusiveStartKey: { pk, sk: cursor } } : {}),
      }),
    );
    const userIds = (out.Items ?? []).map((item) => Number(str(item, 'sk')));
    const last = out.LastEvaluatedKey?.['sk'];
    return typeof last === 'string' ? { userIds, next: last } : { userIds };
  }

  /** The last slot the scheduler started, or undefined before its first run. */
  async cursor(): Promise<number | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: DIGEST_CURSOR_KEY, ConsistentRead: true }),
    );
    const slot = out.Item?.['slot'];
    return typeof slot === 'number' ? slot : undefined;
  }

  /**
   * Moves the cursor to `slot` if it is behind it (conditional UpdateItem): two overlapping
   * scheduler runs never move it backwards. False when it was already there or beyond.
   */
  async advanceCursor(slot: number): Promise<boolean> {
    return conditionHolds(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: DIGEST_CURSOR_KEY,
          UpdateExpression: 'SET #kind = :kind, slot = :slot',
          ConditionExpression: 'attribute_not_exists(slot) OR slot < :slot',
          ExpressionAttributeNames: { '#kind': 'kind' },
          ExpressionAttributeValues: { ':kind': KIND.digestCursor, ':slot': slot },
        }),
      ),
    );
  }
}
