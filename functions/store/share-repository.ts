/**
 * Share links on DynamoDB.
 *
 * Why stored random codes rather than HMAC-signed payloads: a code is 10 random base62
 * characters (~59 bits) — unguessable, so a tampered payload resolves to nothing and credits no
 * one — and the stored item is needed anyway to count distinct friends per share and to list a
 * user's shares; it needs no signing key to manage or rotate, and a link can be revoked by
 * deleting one item.
 *
 * Items:
 * - `USER#<sharerId>` / `SHARED#<articleId>` → the code (one link per sharer and article).
 * - `SHARE#<code>` / `META` → articleId, title, sharer, createdAt, opens;
 *   gsi1 `SHARER#<sharerId>` / `<createdAt>#<code>` lists a user's shares newest first.
 * - `SHARE#<code>` / `OPEN#<userId>` → one per distinct friend. Its conditional put, the share's
 *   `opens` and the article's `shareOpens` are one TransactWriteItems, so a first open counts
 *   once on both or not at all.
 */
import { randomInt } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { OffsetPage, OpenShareResult, Share, ShareRepositoryPort } from '../core/ports';
import { batchGetAll, type Item, num, putIfAbsent, queryOffsetPage, str, transactWrite } from './dynamo';
import { articleMetaKey, GSI1, openerPk, SK_META, sharedKey, shareKey, shareOpenKey, sharerPk } from './keys';

/** How long a record of who opened a share link is kept: it only serves "friends who opened". */
export const SHARE_OPEN_TTL_SECONDS = 180 * 86_400;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const SHARE_CODE_LENGTH = 10;

/** A fresh random share code from a CSPRNG. */
export function newShareCode(): string {
  let code = '';
  for (let i = 0; i < SHARE_CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

function toShare(item: Item): Share {
  return {
    code: str(item, 'code'),
    articleId: str(item, 'articleId'),
    title: str(item, 'title'),
    sharerId: num(item, 'userId'),
    sharerName: typeof item['sharerName'] === 'string' ? item['sharerName'] : '',
    createdAt: str(item, 'createdAt'),
    opens: num(item, 'opens'),
  };
}

export class ShareRepository implements ShareRepositoryPort {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Returns the sharer's link for the article, creating it on first use. The mapping item is
   * written first with a condition, so two concurrent taps agree on one code; the share item is
   * then written idempotently (a crash in between is repaired by the next call).
   */
  async getOrCreateShare(input: { articleId: string; title: string; sharerId: number; sharerName: string }) {
    let code = newShareCode();
    const created = await putIfAbsent(this.doc, this.tableName, {
      ...sharedKey(input.sharerId, input.articleId),
      kind: 'shared',
      code,
    });
    if (!created) {
      const existing = await this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: sharedKey(input.sharerId, input.articleId),
          ConsistentRead: true,
        }),
      );
      code = str(existing.Item ?? {}, 'code');
    }
    const createdAt = this.now().toISOString();
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: shareKey(code),
        UpdateExpression:
          'SET #kind = :kind, code = :code, articleId = :a, title = :t, userId = :u, sharerName = :n, ' +
          'createdAt = if_not_exists(createdAt, :c), opens = if_not_exists(opens, :zero), ' +
          'gsi1pk = :g, gsi1sk = if_not_exists(gsi1sk, :gs)',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: {
          ':kind': 'share',
          ':code': code,
          ':a': input.articleId,
          ':t': input.title,
          ':u': input.sharerId,
          ':n': input.sharerName,
          ':c': createdAt,
          ':zero': 0,
          ':g': sharerPk(input.sharerId),
          ':gs': `${createdAt}#${code}`,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { share: toShare(out.Attributes ?? {}), created };
  }

  /**
   * Counts a share of `articleId` by `sharerId` once (an inline card posted from a search):
   * PutItem `USER#<sharer>`/`SHARED#<articleId>` `attribute_not_exists(pk)`, the same item that
   * holds the sharer's link, so a link and any number of posted cards are one share. True when
   * this was the sharer's first share of the article (the caller adds it to the counter).
   */
  async countShare(sharerId: number, articleId: string): Promise<boolean> {
    // With its code already: a later getOrCreateShare finds it and writes the share item then.
    return putIfAbsent(this.doc, this.tableName, {
      ...sharedKey(sharerId, articleId),
      kind: 'shared',
      code: newShareCode(),
    });
  }

  /**
   * Resolves a code for an opener and counts a first open by a friend (not the sharer) once.
   *
   * Calls: one BatchGetItem of the share and this opener's marker (`OPEN#<user>`). A known
   * opener, or the sharer, is not counted: nothing is written. Otherwise one
   * TransactWriteItems: PutItem the marker (`attribute_not_exists(pk)`), `ADD opens 1` on the
   * share and `ADD shareOpens 1` on the article meta (both `attribute_exists(pk)`). Two
   * concurrent first opens by the same friend: the marker's condition lets one count. The
   * view itself is counted by the card's `openArticle` afterwards.
   */
  async openShare(code: string, openerId: number): Promise<OpenShareResult> {
    const [shareItem, marker] = await batchGetAll(this.doc, this.tableName, [
      shareKey(code),
      shareOpenKey(code, openerId),
    ]).then((items) => [items.find((i) => i['sk'] === SK_META), items.find((i) => i['sk'] !== SK_META)]);
    if (shareItem === undefined) return { status: 'not-found' };
    const share = toShare(shareItem);
    if (share.sharerId === openerId || marker !== undefined)
      return { status: 'opened', share, counted: false };
    const outcome = await transactWrite(this.doc, [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...shareOpenKey(code, openerId),
            kind: 'shareOpen',
            openedAt: this.now().toISOString(),
            // Found by the opener's erasure; gone by itself after SHARE_OPEN_TTL_SECONDS (it only
            // serves "friends who opened", which then may count this friend once more).
            gsi1pk: openerPk(openerId),
            gsi1sk: code,
            expiresAt: Math.floor(this.now().getTime() / 1000) + SHARE_OPEN_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: shareKey(code),
          UpdateExpression: 'ADD opens :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: articleMetaKey(share.articleId),
          UpdateExpression: 'ADD shareOpens :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
        },
      },
    ]);
    // Not committed: another open by this friend counted first, or the article is gone (the
    // card then says so); either way nothing was written.
    if (!outcome.committed) return { status: 'opened', share, counted: false };
    return { status: 'opened', share: { ...share, opens: share.opens + 1 }, counted: true };
  }

  /** A user's shares, newest first, from the sparse gsi1 partition `SHARER#<id>`. */

  async listByUser(userId: number, offset: number, limit: number): Promise<OffsetPage<Share>> {
    const { items, hasMore } = await queryOffsetPage(
      this.doc,
      {
        TableName: this.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': sharerPk(userId) },
        ScanIndexForward: false,
      },
      offset,
      limit,
    );
    return { items: items.map(toShare), hasMore };
  }
}
