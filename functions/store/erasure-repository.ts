/**
 * A reader's erasure on DynamoDB (issue 17, item 2; the steps are core/use-cases/forget-reader.ts):
 * the records of share links they opened, their own links, and what is left of their partition.
 * Kept apart from the bot's repositories so the webhook's main bundle does not carry it: the
 * on-demand /forget_me builds it.
 */
import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { slotName } from '../core/delivery';
import type { ErasurePort } from '../core/ports';
import { batchWriteAll, queryUpTo, str } from './dynamo';
import {
  DIGEST_ENTRY_PREFIX,
  dueKey,
  GSI1,
  openerPk,
  SK_PROFILE,
  shareKey,
  userKey,
  userPartition,
} from './keys';

/**
 * Sort keys of the user's partition that their own step erases first (with a count, a due
 * marker or open records to go with them); forgetUser leaves them and says "more".
 */
const OWN_STEP = /^(SUB|TSUB|SHARED|DQ)#/;

/** {@link ErasurePort} on Herald's DynamoDB table. */
export class ErasureRepository implements ErasurePort {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Erases up to `max` records of the share links `userId` opened (`OPEN#<u>` markers under other
   * people's shares): one Query of gsi1 `OPENER#<u>` (keys only, `max + 1`), one BatchWriteItem per
   * 25. The shares' `opens` and the articles' `shareOpens` stay: they are anonymous totals. Markers
   * written before the opener index existed are not found; they expire by TTL like the rest.
   */
  async forgetOpener(userId: number, max: number): Promise<{ more: boolean }> {
    const { items, hasMore } = await queryUpTo(
      this.doc,
      {
        TableName: this.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': openerPk(userId) },
        ProjectionExpression: 'pk, sk',
      },
      max,
    );
    await batchWriteAll(
      this.doc,
      this.tableName,
      items.map((i) => ({ DeleteRequest: { Key: { pk: str(i, 'pk'), sk: str(i, 'sk') } } })),
    );
    return { more: hasMore };
  } /**
   * Erases up to about `max` items of what `userId` shared: for each of their links
   * (`USER#<u>`/`SHARED#<article>`), the share item and its friends' open markers (`SHARE#<code>`,
   * one Query keys only and BatchWriteItem), then the link. `more` when some remain (call again).
   */
  async forgetSharer(userId: number, max: number): Promise<{ more: boolean }> {
    const links = await queryUpTo(
      this.doc,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :shared)',
        ExpressionAttributeValues: { ':pk': userPartition(userId), ':shared': 'SHARED#' },
        ConsistentRead: true,
      },
      max,
    );
    let budget = max;
    for (const link of links.items) {
      const code = link['code'];
      if (typeof code === 'string') {
        const share = await queryUpTo(
          this.doc,
          {
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': shareKey(code).pk },
            ProjectionExpression: 'pk, sk',
          },
          budget,
        );
        await batchWriteAll(
          this.doc,
          this.tableName,
          share.items.map((i) => ({ DeleteRequest: { Key: { pk: str(i, 'pk'), sk: str(i, 'sk') } } })),
        );
        budget -= share.items.length;
        if (share.hasMore) return { more: true };
      }
      await this.doc.send(
        new DeleteCommand({ TableName: this.tableName, Key: { pk: str(link, 'pk'), sk: str(link, 'sk') } }),
      );
      budget -= 1;
      if (budget <= 0) return { more: true };
    }
    return { more: links.hasMore };
  }

  /**
   * Erases up to `max` of the articles waiting for the user's digest (`USER#<u>`/`DQ#<article>`)
   * and the due marker of each one's slot (`DUE#<slot>#<shard>`/`<u>`, found from the entry's
   * `dueAt`): one Query (strong, `max + 1`), one BatchWriteItem per 25 deletes (1 WCU each; a
   * marker already gone costs the same and changes nothing). Without its marker no digest run
   * visits the reader, and without entries a run that still did would send nothing
   * (alerts/digest-content.ts).
   */
  async forgetDigest(userId: number, max: number): Promise<{ more: boolean }> {
    const { items, hasMore } = await queryUpTo(
      this.doc,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :dq)',
        ExpressionAttributeValues: { ':pk': userPartition(userId), ':dq': DIGEST_ENTRY_PREFIX },
        ProjectionExpression: 'pk, sk, dueAt',
        ConsistentRead: true,
      },
      max,
    );
    const deletes = items.flatMap((i) => {
      const entry = { DeleteRequest: { Key: { pk: str(i, 'pk'), sk: str(i, 'sk') } } };
      const dueAt = i['dueAt'];
      return typeof dueAt === 'number'
        ? [entry, { DeleteRequest: { Key: dueKey(slotName(dueAt), userId) } }]
        : [entry];
    });
    await batchWriteAll(this.doc, this.tableName, deletes);
    return { more: hasMore };
  }

  /**
   * Erases up to `max` items left in the user's partition (`USER#<u>`: the profile with its
   * language and delivery settings, a pending input, anything else but follows, share links and
   * digest entries, which their own steps remove first with their counts and markers): one Query (keys only, `max + 1`) and one
   * BatchWriteItem per 25. The profile goes last, so an interrupted erasure is visibly unfinished.
   */
  async forgetUser(userId: number, max: number): Promise<{ more: boolean }> {
    const { items, hasMore } = await queryUpTo(
      this.doc,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': userKey(userId).pk },
        ProjectionExpression: 'pk, sk',
        ConsistentRead: true,
      },
      max,
    );
    // A follow, link or digest entry made while erasing is left to its own step: say "more" for it.
    const owned = items.filter((i) => !OWN_STEP.test(str(i, 'sk')));
    const keys = owned.map((i) => ({ pk: str(i, 'pk'), sk: str(i, 'sk') }));
    await batchWriteAll(
      this.doc,
      this.tableName,
      keys.filter((k) => k.sk !== SK_PROFILE).map((Key) => ({ DeleteRequest: { Key } })),
    );
    const more = hasMore || owned.length < items.length;
    if (!more) await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: userKey(userId) }));
    return { more };
  }
}
