/**
 * The alert pipeline's items on DynamoDB: one alert run per article (progress of the
 * fan-out and the exact delivery counts) and one idempotency item per (article, recipient).
 *
 * No transactions (dynalite has none): every step is one conditional write whose condition
 * makes a retry or a duplicate delivery harmless. docs/data-model.md ("Alerts") lists the
 * items and each access pattern.
 *
 * Keys live here rather than in functions/store/keys.ts because only the alert pipeline
 * reads or writes them; the run shares the article's partition (`ART#<id>`).
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  buildUpdate,
  type Item,
  isConditionalCheckFailed,
  num,
  optStr,
  putIfAbsent,
  str,
} from '../store/dynamo';
import { articlePartition, type ItemKey } from '../store/keys';

/** `kind` of the alert items (the fan-out stream filter passes only `article`). */
export const ALERT_KIND = { run: 'alertrun', recipient: 'alert' } as const;

/** The alert run of an article: `ART#<id>` / `ALERTRUN`. */
export function alertRunKey(articleId: string): ItemKey {
  return { pk: articlePartition(articleId), sk: 'ALERTRUN' };
}

/** The idempotency item of one recipient of one article's alert: `ALERT#<id>` / `CHAT#<userId>`. */
export function alertRecipientKey(articleId: string, userId: number): ItemKey {
  return { pk: `ALERT#${articleId}`, sk: `CHAT#${userId}` };
}

/** What became of an alert to one recipient. */
export type FinalStatus = 'sent' | 'blocked' | 'failed';
/** `sending` is leased to one worker; `retry` was given back for a later delivery. */
export type RecipientStatus = 'sending' | 'retry' | FinalStatus;

/** A page of subscribers the fan-out recorded before enqueueing it (write-ahead). */
export interface PendingPage {
  page: number;
  userIds: number[];
  /** The subscriber cursor after this page; absent on the last page. */
  next?: string;
}

/** An article's alert run as stored. */
export interface AlertRun {
  articleId: string;
  title: string;
  authorHandle: string;
  startedAt: string;
  /** Recipients enqueued so far (final once `fanoutDone`). */
  total: number;
  /** Queue messages enqueued so far (recipient batches). */
  batches: number;
  /** Subscriber pages the fan-out has finished. */
  pages: number;
  /** Where the fan-out resumes; absent before the first page and after the last. */
  cursor?: string;
  pending?: PendingPage;
  /** Every subscriber page is enqueued; `total` is final. */
  fanoutDone: boolean;
  sent: number;
  blocked: number;
  failed: number;
  /** Batches tallied into sent/blocked/failed. */
  countedBatches: number;
  /** Set exactly once, by whoever claims the delivery report. */
  done: boolean;
  doneAt?: string;
}

/** Outcome counts of one batch. */
export interface Tally {
  sent: number;
  blocked: number;
  failed: number;
}

/** True when every enqueued recipient has a final outcome and no more will be enqueued. */
export function isRunComplete(run: AlertRun): boolean {
  return run.fanoutDone && run.sent + run.blocked + run.failed >= run.total;
}

/** Recipient items are kept this long (they only guard against replays; SQS keeps messages ≤ 14 days). */
const RECIPIENT_TTL_SECONDS = 30 * 86_400;

function toRun(item: Item): AlertRun {
  const pending = item['pending'] as { page?: unknown; userIds?: unknown; next?: unknown } | undefined;
  const counted = item['counted'];
  const cursor = optStr(item, 'cursor');
  const doneAt = optStr(item, 'doneAt');
  return {
    articleId: str(item, 'articleId'),
    title: str(item, 'title'),
    authorHandle: str(item, 'authorHandle'),
    startedAt: str(item, 'startedAt'),
    total: num(item, 'total'),
    batches: num(item, 'batches'),
    pages: num(item, 'pages'),
    ...(cursor !== undefined ? { cursor } : {}),
    ...(pending && typeof pending.page === 'number' && Array.isArray(pending.userIds)
      ? {
          pending: {
            page: pending.page,
            userIds: pending.userIds.map(Number),
            ...(typeof pending.next === 'string' ? { next: pending.next } : {}),
          },
        }
      : {}),
    fanoutDone: item['fanoutDone'] === true,
    sent: num(item, 'sent'),
    blocked: num(item, 'blocked'),
    failed: num(item, 'failed'),
    countedBatches: counted instanceof Set ? counted.size : 0,
    done: item['done'] === true,
    ...(doneAt !== undefined ? { doneAt } : {}),
  };
}

/** A recipient claim: either this worker holds the lease, or what the item says now. */
export type ClaimResult =
  | { claimed: true }
  | { claimed: false; status: RecipientStatus; leaseUntil?: number };

/** The alert items of Herald's table. */
export class AlertRepository {
  /**
   * @param doc a document client from functions/store/client.ts
   * @param tableName the table built from table-definition.ts
   * @param now the clock in ms (tests pass their own to expire leases)
   */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  // ----- the run -------------------------------------------------------------------------

  /**
   * Creates the run of an article with a conditional PutItem, or returns the one that
   * exists (a stream retry or a replay resumes it instead of starting over).
   */
  async createRun(article: {
    id: string;
    title: string;
    authorHandle: string;
  }): Promise<{ created: boolean; run: AlertRun }> {
    const item = {
      ...alertRunKey(article.id),
      kind: ALERT_KIND.run,
      articleId: article.id,
      title: article.title,
      authorHandle: article.authorHandle,
      startedAt: new Date(this.now()).toISOString(),
      total: 0,
      batches: 0,
      pages: 0,
      fanoutDone: false,
      sent: 0,
      blocked: 0,
      failed: 0,
      done: false,
    };
    if (await putIfAbsent(this.doc, this.tableName, item)) return { created: true, run: toRun(item) };
    const run = await this.getRun(article.id);
    if (!run) throw new Error(`alert run of ${article.id} vanished while it was being created`);
    return { created: false, run };
  }

  /** The run of an article (strongly consistent), or undefined. */
  async getRun(articleId: string): Promise<AlertRun | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: alertRunKey(articleId), ConsistentRead: true }),
    );
    return out.Item ? toRun(out.Item) : undefined;
  }

  /**
   * Records the page the fan-out is about to enqueue, before enqueueing it: a retry after a
   * crash re-sends exactly these recipients under the same batch ids, even if subscriptions
   * changed meanwhile. False when another fan-out got there first (re-read the run).
   */
  async writeAhead(articleId: string, pending: PendingPage): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: alertRunKey(articleId),
          UpdateExpression: 'SET pending = :pending',
          ConditionExpression: 'pages = :page AND attribute_not_exists(pending)',
          ExpressionAttributeValues: { ':pending': pending, ':page': pending.page },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  /**
   * Marks page `page` enqueued: moves the cursor, adds its recipients and batches to the
   * totals and, after the last page, sets `fanoutDone`. Conditional on the page number, so
   * it counts each page once. Undefined when another fan-out already advanced past it.
   */
  async advance(
    articleId: string,
    page: number,
    next: string | undefined,
    added: { recipients: number; batches: number },
  ): Promise<AlertRun | undefined> {
    // `cursor` and `total` are reserved words: buildUpdate names every attribute by placeholder.
    const update = buildUpdate({
      set: { pages: page + 1, fanoutDone: next === undefined, cursor: next },
      add: { total: added.recipients, batches: added.batches },
      remove: ['pending'],
    });
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: alertRunKey(articleId),
          ...update,
          ConditionExpression: '#pages = :page',
          ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':page': page },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? toRun(out.Attributes) : undefined;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return undefined;
      throw err;
    }
  }

  /**
   * Adds one batch's outcomes to the run, once: the batch id joins a string set in the same
   * UpdateItem, and the condition refuses a batch already in it. Returns the run after the
   * update and whether this call counted the batch.
   *
   * @throws Error when the run does not exist (a message for an article never fanned out).
   */
  async countBatch(
    articleId: string,
    batchId: string,
    tally: Tally,
  ): Promise<{ counted: boolean; run: AlertRun }> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: alertRunKey(articleId),
          UpdateExpression: 'ADD sent :sent, blocked :blocked, failed :failed, counted :batch',
          ConditionExpression: 'attribute_exists(pk) AND NOT contains(counted, :batchId)',
          ExpressionAttributeValues: {
            ':sent': tally.sent,
            ':blocked': tally.blocked,
            ':failed': tally.failed,
            ':batch': new Set([batchId]),
            ':batchId': batchId,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      if (!out.Attributes) throw new Error(`alert run of ${articleId}: UpdateItem returned no attributes`);
      return { counted: true, run: toRun(out.Attributes) };
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
    const run = await this.getRun(articleId);
    if (!run) throw new Error(`no alert run for article ${articleId}`);
    return { counted: false, run };
  }

  /**
   * Marks the run done; true for exactly one caller, who sends the delivery report.
   * Only a complete run can be claimed (checked by the caller on a consistent copy; the
   * counters never go down, so a run seen complete stays complete).
   */
  async claimReport(articleId: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: alertRunKey(articleId),
          UpdateExpression: 'SET done = :true, doneAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND done <> :true',
          ExpressionAttributeValues: { ':true': true, ':at': new Date(this.now()).toISOString() },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  /** Gives the report back (its side effects failed before anything was sent), so a retry can claim it. */
  async releaseReport(articleId: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: alertRunKey(articleId),
        UpdateExpression: 'SET done = :false REMOVE doneAt',
        ExpressionAttributeValues: { ':false': false },
      }),
    );
  }

  // ----- recipients ----------------------------------------------------------------------

  /**
   * Leases one recipient for `leaseMs` to `owner`: succeeds when no attempt exists, the
   * last one was given back (`retry`), or its lease ran out (a crashed worker). A final
   * status (sent / blocked / failed) is never claimed again, so a completed alert is never
   * resent. When the claim fails, returns the item's current status (one consistent read).
   */
  async claimRecipient(
    articleId: string,
    userId: number,
    owner: string,
    leaseMs: number,
  ): Promise<ClaimResult> {
    const now = this.now();
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: alertRecipientKey(articleId, userId),
          UpdateExpression:
            'SET #kind = :kind, #status = :sending, leaseUntil = :lease, #owner = :owner, expiresAt = :expires ADD attempts :one',
          ConditionExpression:
            'attribute_not_exists(pk) OR #status = :retry OR (#status = :sending AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#kind': 'kind', '#status': 'status', '#owner': 'owner' },
          ExpressionAttributeValues: {
            ':kind': ALERT_KIND.recipient,
            ':sending': 'sending',
            ':retry': 'retry',
            ':lease': now + leaseMs,
            ':owner': owner,
            ':now': now,
            ':one': 1,
            ':expires': Math.floor(now / 1000) + RECIPIENT_TTL_SECONDS,
          },
        }),
      );
      return { claimed: true };
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: alertRecipientKey(articleId, userId),
        ConsistentRead: true,
      }),
    );
    // Deleted in between (not something Herald does): let a later delivery claim it.
    if (!out.Item) return { claimed: false, status: 'retry' };
    const lease = out.Item['leaseUntil'];
    return {
      claimed: false,
      status: str(out.Item, 'status') as RecipientStatus,
      ...(typeof lease === 'number' ? { leaseUntil: lease } : {}),
    };
  }

  /**
   * Records the final outcome of a leased recipient. False when the lease was lost to
   * another worker meanwhile (that worker records its own outcome).
   */
  async finishRecipient(
    articleId: string,
    userId: number,
    owner: string,
    status: FinalStatus,
    reason?: string,
  ): Promise<boolean> {
    return this.updateOwned(articleId, userId, owner, {
      UpdateExpression: 'SET #status = :status, finishedAt = :at, outcome = :reason REMOVE leaseUntil',
      values: { ':status': status, ':at': new Date(this.now()).toISOString(), ':reason': reason ?? status },
    });
  }

  /** Gives a leased recipient back (`retry`), so the next delivery of its message claims it at once. */
  async releaseRecipient(articleId: string, userId: number, owner: string): Promise<boolean> {
    return this.updateOwned(articleId, userId, owner, {
      UpdateExpression: 'SET #status = :status REMOVE leaseUntil',
      values: { ':status': 'retry' },
    });
  }

  private async updateOwned(
    articleId: string,
    userId: number,
    owner: string,
    update: { UpdateExpression: string; values: Item },
  ): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: alertRecipientKey(articleId, userId),
          UpdateExpression: update.UpdateExpression,
          ConditionExpression: '#owner = :owner AND #status = :sending',
          ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
          ExpressionAttributeValues: { ...update.values, ':owner': owner, ':sending': 'sending' },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  /** A recipient's status (consistent read), or undefined when never attempted. */
  async recipientStatus(articleId: string, userId: number): Promise<RecipientStatus | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: alertRecipientKey(articleId, userId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? (str(out.Item, 'status') as RecipientStatus) : undefined;
  }
}
