/**
 * Groups on DynamoDB: a group's subscriptions (`CHAT#<chatId>` / `SUB#<handle>` for an author,
 * `SUB##<tag>` for a tag, listed on gsi1 under `GSUBS#<handle>` / `GSUBS##<tag>` for the alert fan-out, apart from the readers' `SUBS#` so the readers'
 * fan-out is unchanged) and the cached getChatMember answers (`CHAT#<chatId>` / `MEMBER#<userId>`,
 * expiry checked on read: DynamoDB's TTL deletes only eventually).
 *
 * A group has one subscription per author or tag; subscribing again from another forum topic moves it
 * there. The gsi1 sort key carries the target (`<chatId>#<threadId or 0>`), so a page of the
 * index is all the fan-out needs, with no read per group.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  CachedMember,
  ChatTarget,
  GroupFollowable,
  GroupRepositoryPort,
  GroupSubscription,
} from '../core/channels';
import type { Followable } from '../core/ports';
import { conditionHolds, type Item, num, queryAll, str } from './dynamo';
import { InvalidCursorError } from './errors';
import {
  chatMemberKey,
  chatPartition,
  GSI1,
  groupFollowName,
  groupSubscribersPk,
  groupSubscriptionKey,
  KIND,
  SUB_PREFIX,
} from './keys';

/** Largest page of group targets one call returns. */
const MAX_PAGE = 1000;

function targetSortKey(t: ChatTarget): string {
  return `${t.chatId}#${t.threadId ?? 0}`;
}

function parseTarget(sk: string): ChatTarget {
  const [chat, thread] = sk.split('#');
  const threadId = Number(thread);
  return { chatId: Number(chat), ...(threadId > 0 ? { threadId } : {}) };
}

const followable = (f: GroupFollowable): Followable =>
  typeof f === 'string' ? { kind: 'author', handle: f } : f;

/** The followed author or tag of a subscription. */
function followedOf(sub: GroupSubscription): Followable {
  return sub.tag !== undefined ? { kind: 'tag', tag: sub.tag } : { kind: 'author', handle: sub.handle };
}

/** The item attributes naming what is followed. */
const followedFields = (f: Followable) => (f.kind === 'author' ? { handle: f.handle } : { tag: f.tag });

function toSubscription(item: Item): GroupSubscription {
  const threadId = num(item, 'threadId');
  const base = {
    chatId: num(item, 'chatId'),
    ...(threadId > 0 ? { threadId } : {}),
    createdAt: str(item, 'createdAt'),
  };
  return typeof item.tag === 'string' ? { ...base, tag: item.tag } : { ...base, handle: str(item, 'handle') };
}

/** Group subscriptions and the group-admin cache on Herald's DynamoDB table. */
export class GroupRepository implements GroupRepositoryPort {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Subscribes a group (or one topic of it) to an author: PutItem of the subscription with its
   * gsi1 target. An existing subscription of the chat to that author is replaced (moved to this
   * topic). `created` is false when it existed.
   */
  async subscribe(target: ChatTarget, followed: GroupFollowable): Promise<{ created: boolean }> {
    const f = followable(followed);
    const name = groupFollowName(f);
    const out = await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...groupSubscriptionKey(target.chatId, name),
          kind: KIND.groupSubscription,
          chatId: target.chatId,
          ...(target.threadId !== undefined ? { threadId: target.threadId } : {}),
          ...followedFields(f),
          createdAt: new Date(this.now()).toISOString(),
          gsi1pk: groupSubscribersPk(name),
          gsi1sk: targetSortKey(target),
        },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return { created: out.Attributes === undefined };
  }

  /** Removes a group's subscription to an author or tag (DeleteItem, `attribute_exists(pk)`); false when there was none. */
  async unsubscribe(chatId: number, followed: GroupFollowable): Promise<boolean> {
    return conditionHolds(() =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: groupSubscriptionKey(chatId, groupFollowName(followable(followed))),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    );
  }

  /** A group's subscriptions, authors and tags (one Query of its partition). */
  async listForChat(chatId: number): Promise<GroupSubscription[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sub)',
      ExpressionAttributeValues: { ':pk': chatPartition(chatId), ':sub': SUB_PREFIX },
      ConsistentRead: true,
    });
    return items.map(toSubscription);
  }

  /**
   * One page of the groups subscribed to an author or tag (Query gsi1 `GSUBS#<handle>` or
   * `GSUBS##<tag>`, `Limit`),
   * continued from `cursor` (the gsi1 sort key of the last target returned).
   *
   * @throws RangeError on a bad limit; InvalidCursorError on a cursor that is not a target.
   */
  async subscribersPage(
    followed: GroupFollowable,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ targets: ChatTarget[]; next?: string }> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
      throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE}, got ${limit}`);
    if (cursor !== undefined && !/^-\d+#\d+$/.test(cursor))
      throw new InvalidCursorError('group subscriber cursor is not valid');
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI1,
        KeyConditionExpression: cursor === undefined ? 'gsi1pk = :pk' : 'gsi1pk = :pk AND gsi1sk > :after',
        ExpressionAttributeValues: {
          ':pk': groupSubscribersPk(groupFollowName(followable(followed))),
          ...(cursor !== undefined ? { ':after': cursor } : {}),
        },
        Limit: limit,
      }),
    );
    const sks = (out.Items ?? []).map((item) => str(item, 'gsi1sk'));
    const last = sks.at(-1);
    return {
      targets: sks.map(parseTarget),
      ...(out.LastEvaluatedKey && last !== undefined ? { next: last } : {}),
    };
  }

  /**
   * A group became a supergroup (`migrate_to_chat_id`): every subscription moves to the new id
   * (PutItem each under the new chat, then DeleteItem the old). Idempotent: a crash part-way is
   * finished by running it again. Returns how many moved.
   */
  async migrateChat(fromChatId: number, toChatId: number): Promise<number> {
    const subs = await this.listForChat(fromChatId);
    for (const sub of subs) {
      const f = followedOf(sub);
      const name = groupFollowName(f);
      // A supergroup made from a group has no topics yet: the subscription goes to the chat.
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...groupSubscriptionKey(toChatId, name),
            kind: KIND.groupSubscription,
            chatId: toChatId,
            ...followedFields(f),
            createdAt: sub.createdAt,
            migratedFrom: fromChatId,
            gsi1pk: groupSubscribersPk(name),
            gsi1sk: targetSortKey({ chatId: toChatId }),
          },
        }),
      );
      await this.unsubscribe(fromChatId, f);
    }
    return subs.length;
  }

  /** The bot left or was kicked from a group: its subscriptions stop (each deleted). Returns how many. */
  async removeChat(chatId: number): Promise<number> {
    const subs = await this.listForChat(chatId);
    let removed = 0;
    for (const sub of subs) if (await this.unsubscribe(chatId, followedOf(sub))) removed += 1;
    return removed;
  }

  /**
   * A forum topic is gone ("message thread not found"): the subscriptions that posted into it
   * move to the chat itself (UpdateItem threadId and the gsi1 target, condition: still in that
   * topic). Returns how many moved.
   */
  async leaveTopic(chatId: number, threadId: number): Promise<number> {
    const subs = (await this.listForChat(chatId)).filter((s) => s.threadId === threadId);
    let moved = 0;
    for (const sub of subs) {
      const ok = await conditionHolds(() =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: groupSubscriptionKey(chatId, groupFollowName(followedOf(sub))),
            UpdateExpression: 'SET gsi1sk = :sk REMOVE threadId',
            ConditionExpression: 'threadId = :t',
            ExpressionAttributeValues: { ':sk': targetSortKey({ chatId }), ':t': threadId },
          }),
        ),
      );
      if (ok) moved += 1;
    }
    return moved;
  }

  // ----- admin cache -------------------------------------------------------------------------

  /** A cached getChatMember answer, or undefined when none is cached or it expired (checked on read). */
  async cachedMember(chatId: number, userId: number): Promise<CachedMember | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: chatMemberKey(chatId, userId) }),
    );
    const item = out.Item;
    if (!item) return undefined;
    const expiresAt = num(item, 'expiresAt');
    if (expiresAt <= Math.floor(this.now() / 1000)) return undefined;
    return { status: str(item, 'status') as CachedMember['status'], expiresAt };
  }

  /** Caches a getChatMember answer for `ttlSeconds` (PutItem, `expiresAt` is the table's TTL). */
  async cacheMember(
    chatId: number,
    userId: number,
    status: CachedMember['status'],
    ttlSeconds: number,
  ): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...chatMemberKey(chatId, userId),
          kind: KIND.chatMember,
          status,
          expiresAt: Math.floor(this.now() / 1000) + ttlSeconds,
        },
      }),
    );
  }
}
