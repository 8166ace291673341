/**
 * The admin audit trail on DynamoDB: one item per admin write, `AUDIT#<YYYY-MM-DD>` /
 * `<ISO time>#<random>`, expiring 90 days later through the table's TTL (`expiresAt`). Admin writes
 * are rare (a CMS publishing, a moderator banning), far below a partition's 1,000 WCU/s even
 * during a bulk import, so one partition per day is enough and a day lists with one Query.
 */
import { randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, AuditRepositoryPort } from '../core/ports';
import { assertPaging, type Item, num, queryUpTo, str } from './dynamo';
import { auditPk, KIND } from './keys';

/** How long an audit item is kept. */
export const AUDIT_TTL_SECONDS = 90 * 24 * 60 * 60;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CURSOR = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[0-9a-f]{8}$/;

function toEntry(item: Item): AuditEntry {
  const detail = item['detail'];
  return {
    at: str(item, 'at'),
    by: str(item, 'by'),
    action: str(item, 'action'),
    target: str(item, 'target'),
    statusCode: num(item, 'statusCode'),
    ...(typeof detail === 'object' && detail !== null ? { detail: detail as Record<string, string> } : {}),
  };
}

/** {@link AuditRepositoryPort} on Herald's table. */
export class AuditRepository implements AuditRepositoryPort {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** PutItem of one entry (1 WCU; ~0.2–0.5 KB), expiring 90 days after `at`. */
  async record(entry: AuditEntry): Promise<void> {
    const at = new Date(entry.at);
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: auditPk(at.toISOString().slice(0, 10)),
          sk: `${at.toISOString()}#${randomBytes(4).toString('hex')}`,
          kind: KIND.audit,
          ...entry,
          expiresAt: Math.floor(at.getTime() / 1000) + AUDIT_TTL_SECONDS,
        },
      }),
    );
  }

  /**
   * A day's entries, newest first: one Query of `AUDIT#<day>` (`Limit` + 1), from the cursor (an
   * entry's sort key). ~0.3 KB an entry: a page of 100 is ~4 RCU.
   *
   * @throws RangeError on a malformed day, cursor or limit.
   */
  async listDay(
    day: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ items: AuditEntry[]; next?: string }> {
    assertPaging(0, limit);
    if (!DAY.test(day)) throw new RangeError('day must be YYYY-MM-DD');
    if (cursor !== undefined && !CURSOR.test(cursor)) throw new RangeError('not an audit cursor');
    const pk = auditPk(day);
    const { items, hasMore } = await queryUpTo(
      this.doc,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        ...(cursor === undefined ? {} : { ExclusiveStartKey: { pk, sk: cursor } }),
      },
      limit,
    );
    const last = items.at(-1);
    return { items: items.map(toEntry), ...(hasMore && last ? { next: str(last, 'sk') } : {}) };
  }
}
