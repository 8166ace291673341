/**
 * Channels on DynamoDB: the connected channels (one item each in the `CHANNELS` partition, listed
 * by one bounded Query) and, per article, where it was posted (`ART#<id>` / `CHPOST#<chatId>`).
 *
 * A post is claimed with a conditional write before it is sent and its outcome recorded after,
 * exactly like an alert recipient (alert-repository.ts): a claim is never taken twice, and a
 * claim whose sender is gone is settled `unconfirmed`, never sent again — Telegram has no
 * idempotency key, and a duplicate post in a public channel is worse than a missing one, which
 * the delivery report names.
 */
import { createHash } from 'node:crypto';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Channel,
  type ChannelPatch,
  type ChannelPost,
  type ChannelPostStatus,
  type ChannelRepositoryPort,
  type ChannelRule,
  type ChannelStatus,
  MAX_CHANNELS,
} from '../core/channels';
import {
  buildUpdate,
  conditionHolds,
  type Item,
  num,
  optStr,
  putIfAbsent,
  queryAll,
  queryUpTo,
  str,
} from './dynamo';
import {
  articlePartition,
  CHANNEL_POST_PREFIX,
  CHANNELS_PK,
  channelKey,
  channelPostKey,
  channelReportKey,
  KIND,
} from './keys';

/** Post items are kept 400 days: long enough to follow any edit a publisher makes to a recent article. */
const POST_TTL_SECONDS = 400 * 86_400;

function toRule(v: unknown): ChannelRule {
  if (typeof v === 'object' && v !== null) {
    const r = v as Record<string, unknown>;
    const list = (x: unknown) =>
      Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : [];
    if (r['mode'] === 'authors') return { mode: 'authors', authors: list(r['authors']) };
    if (r['mode'] === 'tags') return { mode: 'tags', tags: list(r['tags']) };
  }
  return { mode: 'all' };
}

function toChannel(item: Item): Channel {
  const status = str(item, 'status') as ChannelStatus;
  const title = optStr(item, 'title');
  const pausedReason = optStr(item, 'pausedReason');
  return {
    chatId: num(item, 'chatId'),
    ...(title !== undefined ? { title } : {}),
    rule: toRule(item['rule']),
    status,
    ...(pausedReason !== undefined ? { pausedReason } : {}),
    createdAt: str(item, 'createdAt'),
    updatedAt: str(item, 'updatedAt'),
  };
}

function toPost(item: Item): ChannelPost {
  const post: ChannelPost = {
    articleId: str(item, 'articleId'),
    chatId: num(item, 'chatId'),
    status: str(item, 'status') as ChannelPostStatus,
  };
  if (typeof item['messageId'] === 'number') post.messageId = item['messageId'];
  if (typeof item['postedAt'] === 'number') post.postedAt = item['postedAt'];
  if (typeof item['leaseUntil'] === 'number') post.leaseUntil = item['leaseUntil'];
  const textHash = optStr(item, 'textHash');
  if (textHash !== undefined) post.textHash = textHash;
  const removed = optStr(item, 'removed');
  if (removed === 'deleted' || removed === 'marked') post.removed = removed;
  const reason = optStr(item, 'reason');
  if (reason !== undefined) post.reason = reason;
  const owner = optStr(item, 'owner');
  if (owner !== undefined) post.owner = owner;
  return post;
}

/** What claiming a post found. */
export type PostClaim = { claimed: true } | { claimed: false; post: ChannelPost | undefined };

/** A fingerprint of what a post shows (text and buttons): an edit is sent only when it changes. */
export function postFingerprint(view: unknown): string {
  return createHash('sha256').update(JSON.stringify(view), 'utf8').digest('base64url').slice(0, 22);
}

/** Connected channels and their posts on Herald's DynamoDB table. */
export class ChannelRepository implements ChannelRepositoryPort {
  /**
   * @param doc a document client from functions/store/client.ts
   * @param tableName the table built from table-definition.ts
   * @param now the clock in ms (tests pass their own)
   */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every connected channel, by chat id (one Query of the `CHANNELS` partition, at most {@link MAX_CHANNELS}). */
  async listChannels(): Promise<Channel[]> {
    const { items } = await queryUpTo(
      this.doc,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': CHANNELS_PK },
      },
      MAX_CHANNELS,
    );
    return items.map(toChannel);
  }

  /** One channel (strongly consistent: right after a change). */
  async getChannel(chatId: number): Promise<Channel | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: channelKey(chatId), ConsistentRead: true }),
    );
    return out.Item ? toChannel(out.Item) : undefined;
  }

  /**
   * Connects a channel (PutItem, `attribute_not_exists(pk)`). Undefined when it is already
   * connected (nothing written); the caller checks the {@link MAX_CHANNELS} bound first.
   */
  async addChannel(input: {
    chatId: number;
    rule: ChannelRule;
    status: ChannelStatus;
    title?: string;
  }): Promise<Channel | undefined> {
    const at = new Date(this.now()).toISOString();
    const channel: Channel = { ...input, createdAt: at, updatedAt: at };
    const created = await putIfAbsent(this.doc, this.tableName, {
      ...channelKey(input.chatId),
      kind: KIND.channel,
      ...channel,
    });
    return created ? channel : undefined;
  }

  /**
   * Changes a channel's rule, title or paused state (UpdateItem, `attribute_exists(pk)`,
   * ALL_NEW). Resuming clears the pause reason. Undefined when there is no such channel.
   */
  async updateChannel(chatId: number, patch: ChannelPatch): Promise<Channel | undefined> {
    const set: Record<string, unknown> = { updatedAt: new Date(this.now()).toISOString() };
    if (patch.rule !== undefined) set['rule'] = patch.rule;
    if (patch.title !== undefined) set['title'] = patch.title;
    if (patch.paused === true) {
      set['status'] = 'paused';
      set['pausedReason'] = 'admin';
    } else if (patch.paused === false) {
      set['status'] = 'active';
      set['pausedReason'] = undefined;
    }
    let out: Item | undefined;
    const applied = await conditionHolds(async () => {
      const res = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: channelKey(chatId),
          ...buildUpdate({ set }),
          ConditionExpression: 'attribute_exists(pk)',
          ReturnValues: 'ALL_NEW',
        }),
      );
      out = res.Attributes;
    });
    return applied && out ? toChannel(out) : undefined;
  }

  /**
   * Pauses an active channel because Telegram refused a post (UpdateItem, condition `status =
   * active`). True only for the call that paused it, so the admins are told once however many
   * posts fail together.
   */
  async pauseForFailure(chatId: number, reason: string): Promise<boolean> {
    return conditionHolds(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: channelKey(chatId),
          UpdateExpression: 'SET #status = :paused, pausedReason = :reason, updatedAt = :at',
          ConditionExpression: '#status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':paused': 'paused',
            ':active': 'active',
            ':reason': reason.slice(0, 300),
            ':at': new Date(this.now()).toISOString(),
          },
        }),
      ),
    );
  }

  /** Disconnects a channel (DeleteItem, `attribute_exists(pk)`); its posts stay, so edits and deletes of them stop. */
  async removeChannel(chatId: number): Promise<boolean> {
    return conditionHolds(() =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: channelKey(chatId),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    );
  }

  // ----- posts -------------------------------------------------------------------------------

  /**
   * Claims the post of an article in a channel before sending it: UpdateItem SET status =
   * sending, owner, leaseUntil, ADD attempts; condition: no post yet, or one given back
   * (`retry`). On a failed condition the stored post comes back with the error (no extra read).
   */
  async claimPost(articleId: string, chatId: number, owner: string, leaseMs: number): Promise<PostClaim> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: channelPostKey(articleId, chatId),
          UpdateExpression:
            'SET #kind = :kind, articleId = :a, chatId = :c, #status = :sending, #owner = :owner, leaseUntil = :lease, expiresAt = :exp ADD attempts :one',
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :retry',
          ExpressionAttributeNames: { '#kind': 'kind', '#status': 'status', '#owner': 'owner' },
          ExpressionAttributeValues: {
            ':kind': KIND.channelPost,
            ':a': articleId,
            ':c': chatId,
            ':sending': 'sending',
            ':retry': 'retry',
            ':owner': owner,
            ':lease': this.now() + leaseMs,
            ':exp': Math.floor(this.now() / 1000) + POST_TTL_SECONDS,
            ':one': 1,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { claimed: true };
    } catch (err) {
      if (!(err instanceof Error) || err.name !== 'ConditionalCheckFailedException') throw err;
      // The document client leaves the returned item in attribute-value form: read it again.
      return { claimed: false, post: await this.getPost(articleId, chatId) };
    }
  }

  /**
   * Records a claimed post's outcome (condition: still ours and `sending`). False when the claim
   * was settled by someone else meanwhile.
   */
  async finishPost(
    articleId: string,
    chatId: number,
    owner: string,
    outcome:
      | { status: 'sent'; messageId: number; textHash: string }
      | { status: 'failed'; reason: string }
      | { status: 'retry' },
  ): Promise<boolean> {
    const set: Record<string, unknown> = { status: outcome.status, leaseUntil: undefined, owner: undefined };
    if (outcome.status === 'sent') {
      set['messageId'] = outcome.messageId;
      set['textHash'] = outcome.textHash;
      set['postedAt'] = this.now();
    }
    if (outcome.status === 'failed') set['reason'] = outcome.reason.slice(0, 300);
    const update = buildUpdate({ set });
    return conditionHolds(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: channelPostKey(articleId, chatId),
          ...update,
          ConditionExpression: '#owner = :me AND #status = :sending',
          ExpressionAttributeNames: {
            ...update.ExpressionAttributeNames,
            '#owner': 'owner',
            '#status': 'status',
          },
          ExpressionAttributeValues: {
            ...update.ExpressionAttributeValues,
            ':me': owner,
            ':sending': 'sending',
          },
        }),
      ),
    );
  }

  /**
   * Settles a claim whose sender is gone (its lease ran out) as `unconfirmed`: it may have been
   * posted, so it is never posted again. Condition: still `sending` with the lease seen.
   */
  async settleUnconfirmed(articleId: string, chatId: number, leaseUntil: number): Promise<boolean> {
    return conditionHolds(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: channelPostKey(articleId, chatId),
          UpdateExpression: 'SET #status = :unconfirmed REMOVE #owner, leaseUntil',
          ConditionExpression: '#status = :sending AND leaseUntil = :seen',
          ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
          ExpressionAttributeValues: {
            ':unconfirmed': 'unconfirmed',
            ':sending': 'sending',
            ':seen': leaseUntil,
          },
        }),
      ),
    );
  }

  /** One post (strongly consistent). */
  async getPost(articleId: string, chatId: number): Promise<ChannelPost | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: channelPostKey(articleId, chatId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? toPost(out.Item) : undefined;
  }

  /** Every channel post of an article (one Query of its partition, `begins_with(sk, CHPOST#)`). */
  async postsOf(articleId: string): Promise<ChannelPost[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': articlePartition(articleId), ':prefix': CHANNEL_POST_PREFIX },
      ConsistentRead: true,
    });
    return items.map(toPost);
  }

  /** Records the text an edit sent (condition: the post exists and was sent). */
  async recordEdit(articleId: string, chatId: number, textHash: string): Promise<void> {
    await conditionHolds(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: channelPostKey(articleId, chatId),
          UpdateExpression: 'SET textHash = :h',
          ConditionExpression: '#status = :sent',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':h': textHash, ':sent': 'sent' },
        }),
      ),
    );
  }

  /** Records that a post followed its article's deletion: deleted, or marked (too old to delete). */
  async recordRemoved(articleId: string, chatId: number, how: 'deleted' | 'marked'): Promise<void> {
    await conditionHolds(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: channelPostKey(articleId, chatId),
          UpdateExpression: 'SET removed = :how',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':how': how },
        }),
      ),
    );
  }

  /** Claims the delivery report of an article's channel posts (PutItem `attribute_not_exists`): true once. */
  async claimReport(articleId: string): Promise<boolean> {
    return putIfAbsent(this.doc, this.tableName, {
      ...channelReportKey(articleId),
      kind: KIND.channelPost,
      articleId,
      status: 'report',
      expiresAt: Math.floor(this.now() / 1000) + POST_TTL_SECONDS,
    });
  }
}
