/**
 * Per-update and per-user session state on DynamoDB: the update_id deduplication claim,
 * what the bot is waiting for from a user, and the user's profile item.
 *
 * DynamoDB Local never expires items and DynamoDB's TTL deletes them only eventually (often
 * hours late), so every item with `expiresAt` is judged by that attribute where it
 * matters: a claim is free again once expired, an expired pending entry reads as absent.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { PendingInput, SessionRepositoryPort, UpdateClaim, UpdateLease } from '../core/ports';
import {
  buildUpdate,
  conditionFailureItem,
  conditionHolds,
  type Item,
  isConditionalCheckFailed,
  num,
  optStr,
  takeMinuteQuota,
} from './dynamo';
import { KIND, pendingKey, searchQuotaKey, updateClaimKey, userKey } from './keys';

/** {@link SessionRepositoryPort} on Herald's DynamoDB table. */
export class SessionRepository implements SessionRepositoryPort {
  /**
   * @param doc a document client from functions/store/client.ts
   * @param tableName the table built from table-definition.ts
   * @param now the clock (tests pass their own to expire claims)
   */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private nowSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  /**
   * Claims a Telegram update_id with one conditional PutItem. The claim is a lease
   * (`leaseUntil`, epoch ms) until {@link completeUpdate} marks it done (`doneAt`): a claim
   * left behind by an instance that could not finish or release it (the store failed) is free
   * again once its lease expired, so a redelivery reaching any instance is processed. A done
   * claim holds for `ttlSeconds` (`expiresAt`, checked here on write, not left to TTL). On a
   * failed condition the old item comes back with the error (no extra read) and tells a
   * finished update from one still in progress. Claims written before leases existed have
   * neither attribute and count as done.
   */
  async claimUpdate(updateId: number, lease: UpdateLease): Promise<UpdateClaim> {
    const nowMs = this.now().getTime();
    const now = Math.floor(nowMs / 1000);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...updateClaimKey(updateId),
            kind: KIND.updateClaim,
            owner: lease.owner,
            leaseUntil: lease.leaseUntil,
            expiresAt: now + lease.ttlSeconds,
          },
          ConditionExpression:
            'attribute_not_exists(pk) OR expiresAt < :now OR (attribute_not_exists(doneAt) AND leaseUntil < :nowMs)',
          ExpressionAttributeValues: { ':now': now, ':nowMs': nowMs },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      const old = conditionFailureItem(err);
      if (old === undefined || 'doneAt' in old || !('leaseUntil' in old)) return 'done';
      // The SDK retried a put whose first answer was lost: the claim is ours already.
      const owner = old['owner'];
      const ours = typeof owner === 'object' && owner !== null && 'S' in owner && owner.S === lease.owner;
      return ours ? 'claimed' : 'in-progress';
    }
  }

  /** Marks the update done (one UpdateItem): from now on every delivery of it is a duplicate. */
  async completeUpdate(updateId: number, ttlSeconds: number): Promise<void> {
    const now = this.now();
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: updateClaimKey(updateId),
        UpdateExpression: 'SET kind = :kind, doneAt = :doneAt, expiresAt = :exp',
        ExpressionAttributeValues: {
          ':kind': KIND.updateClaim,
          ':doneAt': now.getTime(),
          ':exp': Math.floor(now.getTime() / 1000) + ttlSeconds,
        },
      }),
    );
  }

  /**
   * Deletes `owner`'s claim so Telegram's redelivery of the update is processed again; a claim
   * another delivery has taken over since (or that is gone) is left alone.
   */
  async releaseUpdate(updateId: number, owner: string): Promise<void> {
    await conditionHolds(() =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: updateClaimKey(updateId),
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      ),
    );
  }

  /**
   * Takes one of the user's searches for the minute containing `now` (a `/search`, a typed
   * search or an inline query): one UpdateItem `RATE#<u>`/`S#<minute>` that adds 1 only while
   * the count is below `perMinute` (1 WCU; a refused one costs the same). Old minutes are left
   * to TTL.
   *
   * @throws RangeError when `perMinute` is not a positive integer.
   */
  async takeSearchQuota(userId: number, perMinute: number, now: Date): Promise<boolean> {
    return takeMinuteQuota(
      this.doc,
      this.tableName,
      (minute) => searchQuotaKey(userId, minute),
      perMinute,
      now,
      120,
    );
  }

  /** Records what the bot waits for from the user (replacing any earlier wait) for `ttlSeconds`. */
  async setPending(userId: number, pending: PendingInput, ttlSeconds: number): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...pendingKey(userId),
          kind: KIND.pending,
          waitingFor: pending.kind,
          articleId: pending.articleId,
          ...(pending.promptMessageId === undefined ? {} : { promptMessageId: pending.promptMessageId }),
          expiresAt: this.nowSeconds() + ttlSeconds,
        },
      }),
    );
  }

  /**
   * Reads and removes what the bot was waiting for in one conditional DeleteItem
   * (`attribute_exists(pk)`, ALL_OLD). The condition is what makes it a take: of two
   * messages racing, only the delete that found the item succeeds (an unconditional delete
   * of a missing item succeeds too, and DynamoDB Local then returned the old item to both).
   * An expired entry is removed and reads as absent.
   */
  async takePending(userId: number): Promise<PendingInput | undefined> {
    let item: Item | undefined;
    const taken = await conditionHolds(async () => {
      const out = await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: pendingKey(userId),
          ConditionExpression: 'attribute_exists(pk)',
          ReturnValues: 'ALL_OLD',
        }),
      );
      item = out.Attributes;
    });
    if (!taken || item === undefined || num(item, 'expiresAt') <= this.nowSeconds()) return undefined;
    const articleId = optStr(item, 'articleId');
    if (item['waitingFor'] !== 'comment' || articleId === undefined) return undefined;
    const prompt = item['promptMessageId'];
    return { kind: 'comment', articleId, ...(typeof prompt === 'number' ? { promptMessageId: prompt } : {}) };
  }

  /**
   * The user's `/language` choice: one GetItem of the profile projecting `language`, strongly
   * consistent (the update right after a change must see it). Every message and button press
   * reads it once (bot/locale.ts): 1 read unit.
   */
  async getLanguage(userId: number): Promise<string | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: userKey(userId),
        // LANGUAGE is a DynamoDB reserved word.
        ProjectionExpression: '#language',
        ExpressionAttributeNames: { '#language': 'language' },
        ConsistentRead: true,
      }),
    );
    return out.Item === undefined ? undefined : optStr(out.Item, 'language');
  }

  /**
   * Stores the user's `/language` choice on the profile in one UpdateItem; a profile that does
   * not exist yet is created as {@link touchUser} would (active, firstSeen now).
   */
  async setLanguage(userId: number, locale: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: userKey(userId),
        ...buildUpdate({
          set: { kind: KIND.user, id: userId, language: locale },
          setIfNotExists: { firstSeen: this.now().toISOString(), active: true },
        }),
      }),
    );
  }

  /**
   * Records a user's profile in one UpdateItem: names and lastSeen are refreshed, firstSeen
   * and `active` are only initialised (a user marked inactive stays so until
   * setUserActive). A username or language the user no longer has is removed.
   */
  async touchUser(user: {
    id: number;
    firstName: string;
    username?: string;
    languageCode?: string;
  }): Promise<void> {
    const now = this.now().toISOString();
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: userKey(user.id),
        ...buildUpdate({
          set: {
            kind: KIND.user,
            id: user.id,
            firstName: user.firstName,
            username: user.username,
            languageCode: user.languageCode,
            lastSeen: now,
          },
          setIfNotExists: { firstSeen: now, active: true },
        }),
      }),
    );
  }
}
