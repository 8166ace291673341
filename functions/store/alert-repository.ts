/**
 * The alert pipeline's items on DynamoDB. Every item has a size bounded by a constant, so the
 * bookkeeping of a run costs the same per recipient at 1 k and at 1 M subscribers:
 *
 * - the run of an article (`ART#<id>` / `ALERTRUN`): fan-out progress and the delivery counters;
 * - one item per subscriber page the fan-out wrote ahead (`ALERT#<id>` / `PAGE#<n>`, ≤ 500 ids);
 * - one item per tallied queue message (`ALERT#<id>` / `BATCH#<batchId>`), created in the same
 *   TransactWriteItems that adds its counts to the run, so a batch is counted exactly once;
 * - one item per recipient (`ALERT#<id>#<shard>` / `CHAT#<userId>`, shard = userId mod
 *   {@link RECIPIENT_SHARDS}): the claim that makes a send happen at most once, then its outcome.
 *   Two writes per recipient would put 2,000 WCU/s on one partition key at 1,000 messages/s, over
 *   DynamoDB's 1,000 WCU/s per partition; spread over 16 keys it is 125 WCU/s each. Runs created
 *   before the sharding (no `shards` on the run) keep their recipients in `ALERT#<id>`;
 * - one marker per run not yet reported (`ALERTRUNS` / `OPEN#<id>`), so a restarted local
 *   runtime finds the runs whose queue messages it lost.
 *
 * docs/data-model.md ("Alerts") lists the items, each access pattern and its WCU.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type DeliveryHistogram, MAX_BUCKET } from '../core/delivery-time';
import { buildUpdate, type Item, isConditionalCheckFailed, num, optStr, putIfAbsent, str } from './dynamo';
import { articlePartition, type ItemKey } from './keys';

/** `kind` of the alert items (the fan-out stream filter passes only `article`). */
export const ALERT_KIND = {
  run: 'alertrun',
  recipient: 'alert',
  page: 'alertpage',
  batch: 'alertbatch',
  open: 'alertopen',
} as const;

/** The alert run of an article: `ART#<id>` / `ALERTRUN`. */
export function alertRunKey(articleId: string): ItemKey {
  return { pk: articlePartition(articleId), sk: 'ALERTRUN' };
}

/** The partition of one article's per-page, per-batch and per-recipient alert items. */
function alertPartition(articleId: string): string {
  return `ALERT#${articleId}`;
}

/**
 * Partition keys the recipients of one run are spread over (see the module comment): at
 * 1,000 messages/s and 2 writes per recipient, 125 WCU/s per key.
 */
export const RECIPIENT_SHARDS = 16;

/**
 * The claim and outcome of one recipient of one article's alert: `ALERT#<id>#<shard>` /
 * `CHAT#<userId>`, or `ALERT#<id>` / `CHAT#<userId>` for a run created with one shard.
 */
export function alertRecipientKey(articleId: string, userId: number, shards = RECIPIENT_SHARDS): ItemKey {
  const pk = shards > 1 ? `${alertPartition(articleId)}#${userId % shards}` : alertPartition(articleId);
  return { pk, sk: `CHAT#${userId}` };
}

const PAGE_PREFIX = 'PAGE#';
const BATCH_PREFIX = 'BATCH#';

/** A written-ahead subscriber page: `ALERT#<id>` / `PAGE#<n>` (n zero-padded, so pages sort). */
export function alertPageKey(articleId: string, page: number): ItemKey {
  return { pk: alertPartition(articleId), sk: `${PAGE_PREFIX}${String(page).padStart(8, '0')}` };
}

/** The tally of one queue message: `ALERT#<id>` / `BATCH#<batchId>`. */
export function alertBatchKey(articleId: string, batchId: string): ItemKey {
  return { pk: alertPartition(articleId), sk: `${BATCH_PREFIX}${batchId}` };
}

const OPEN_RUNS_PK = 'ALERTRUNS';

/** The marker of a run whose report is not yet sent: `ALERTRUNS` / `OPEN#<id>`. */
export function openRunKey(articleId: string): ItemKey {
  return { pk: OPEN_RUNS_PK, sk: `OPEN#${articleId}` };
}

/**
 * What became of an alert to one recipient. `unconfirmed`: the recipient was claimed and its
 * sender stopped before recording an outcome (a crash, or an outcome write that failed after
 * a send). Telegram has no idempotency key, so whether the message went out is unknown; it is
 * never sent again (at most once), and reported apart from `sent`.
 */
export type FinalStatus = 'sent' | 'blocked' | 'failed' | 'unconfirmed';
/** `sending` is claimed by one worker; `retry` was given back, before anything reached Telegram. */
export type RecipientStatus = 'sending' | 'retry' | FinalStatus;

/** A page of subscribers the fan-out recorded before enqueueing it (write-ahead). */
export interface PendingPage {
  page: number;
  /** Readers' user ids, or on a page of groups their chat ids (negative). */
  userIds: number[];
  /** Recipients whose alert goes out without a sound (their quiet hours, `silent`). */
  silentUserIds?: number[];
  /** The language of each recipient's alert whose language is known (user id → locale). */
  locales?: Record<string, string>;
  /** The forum topic of a group that follows from one (`message_thread_id`), by chat id. */
  threads?: Record<string, number>;
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
  /** Every subscriber page is enqueued; `total` is final. */
  fanoutDone: boolean;
  sent: number;
  blocked: number;
  failed: number;
  unconfirmed: number;
  /** Queue messages tallied into the counts (the `end` message included). */
  countedBatches: number;
  /** Set exactly once, by whoever claims the delivery report. */
  done: boolean;
  doneAt?: string;
  /** Partition keys its recipients are spread over (1 for runs created before sharding). */
  shards: number;
  /** When each sent recipient had its message, as offsets from `startedAt` (core/delivery-time.ts). */
  histogram: DeliveryHistogram;
  /** Messages sent above the free rate with `allow_paid_broadcast` (0.1 Star each). */
  paidMessages: number;
}

/** What a batch adds to its run besides the outcome counts. */
export interface BatchExtras {
  /** Send times of the batch's sent recipients. */
  histogram?: DeliveryHistogram;
  /** Of them, sent above the free rate (paid broadcast). */
  paidMessages?: number;
}

/** Where a run's timing starts and how its recipients are keyed: fixed for the run's life. */
export interface RunLayout {
  startedAtMs: number;
  shards: number;
}

/** `h<bucket>`: one top-level number per histogram bucket, so ADD needs no map to exist. */
const HISTOGRAM_ATTRIBUTE = /^h(\d{1,4})$/;

/** Outcome counts of one batch. */
export interface Tally {
  sent: number;
  blocked: number;
  failed: number;
  unconfirmed: number;
}

/** A tally of zero. */
export function emptyTally(): Tally {
  return { sent: 0, blocked: 0, failed: 0, unconfirmed: 0 };
}

/** True when every enqueued recipient has a final outcome and no more will be enqueued. */
export function isRunComplete(run: AlertRun): boolean {
  return run.fanoutDone && run.sent + run.blocked + run.failed + run.unconfirmed >= run.total;
}

/**
 * Per-article alert items are kept this long: they guard against replays, and SQS keeps a
 * message ≤ 14 days.
 */
const ALERT_ITEM_TTL_SECONDS = 30 * 86_400;

/** An alert run item as read (the admin statistics read the run item themselves). */
export function toRun(item: Item): AlertRun {
  const cursor = optStr(item, 'cursor');
  const doneAt = optStr(item, 'doneAt');
  const count = (name: string) => (typeof item[name] === 'number' ? (item[name] as number) : 0);
  return {
    articleId: str(item, 'articleId'),
    title: str(item, 'title'),
    authorHandle: str(item, 'authorHandle'),
    startedAt: str(item, 'startedAt'),
    total: num(item, 'total'),
    batches: num(item, 'batches'),
    pages: num(item, 'pages'),
    ...(cursor !== undefined ? { cursor } : {}),
    fanoutDone: item['fanoutDone'] === true,
    sent: count('sent'),
    blocked: count('blocked'),
    failed: count('failed'),
    unconfirmed: count('unconfirmed'),
    countedBatches: count('countedBatches'),
    done: item['done'] === true,
    ...(doneAt !== undefined ? { doneAt } : {}),
    shards: typeof item['shards'] === 'number' ? item['shards'] : 1,
    histogram: histogramOf(item),
    paidMessages: count('paidMessages'),
  };
}

function histogramOf(item: Item): DeliveryHistogram {
  const hist: DeliveryHistogram = new Map();
  for (const [name, value] of Object.entries(item)) {
    const m = HISTOGRAM_ATTRIBUTE.exec(name);
    if (m?.[1] !== undefined && typeof value === 'number' && value > 0) hist.set(Number(m[1]), value);
  }
  return hist;
}

function toPage(item: Item): PendingPage {
  const ids = item['userIds'];
  const silent = item['silentUserIds'];
  const next = optStr(item, 'next');
  const locales = item['locales'];
  const threads = item['threads'];
  return {
    page: num(item, 'page'),
    userIds: Array.isArray(ids) ? ids.map(Number) : [],
    ...(Array.isArray(silent) && silent.length > 0 ? { silentUserIds: silent.map(Number) } : {}),
    ...(typeof threads === 'object' && threads !== null && !Array.isArray(threads)
      ? { threads: threads as Record<string, number> }
      : {}),
    ...(typeof locales === 'object' && locales !== null && !Array.isArray(locales)
      ? { locales: locales as Record<string, string> }
      : {}),
    ...(next !== undefined ? { next } : {}),
  };
}

/** True when a TransactWriteItems was cancelled because the condition of item `index` failed. */
function transactionConditionFailed(err: unknown, index: number): boolean {
  if (!(err instanceof Error) || err.name !== 'TransactionCanceledException') return false;
  const reasons = (err as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
  return reasons?.[index]?.Code === 'ConditionalCheckFailed';
}

/** A recipient claim: either this worker holds it, or what the item says now. */
export type ClaimResult =
  | { claimed: true }
  | { claimed: false; status: RecipientStatus; leaseUntil?: number; instance?: string };

/** The alert items of Herald's table. */
export class AlertRepository {
  /** Run layouts by article id: fixed once a run exists, so read once per process. */
  private readonly layouts = new Map<string, RunLayout>();

  /**
   * @param doc a document client from functions/store/client.ts
   * @param tableName the table built from table-definition.ts
   * @param now the clock in ms (tests pass their own to expire claims)
   */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  private expiresAt(): number {
    return Math.floor(this.now() / 1000) + ALERT_ITEM_TTL_SECONDS;
  }

  // ----- the run -------------------------------------------------------------------------

  /**
   * Creates the run of an article with a conditional PutItem, or returns the one that
   * exists (a stream retry or a replay resumes it instead of starting over). The run's
   * open marker is written first (an idempotent PutItem), so a run is never without it.
   */
  async createRun(article: {
    id: string;
    title: string;
    authorHandle: string;
  }): Promise<{ created: boolean; run: AlertRun }> {
    const existing = await this.getRun(article.id);
    if (existing) return { created: false, run: existing };
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...openRunKey(article.id), kind: ALERT_KIND.open, articleId: article.id },
      }),
    );
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
      unconfirmed: 0,
      countedBatches: 0,
      done: false,
      shards: RECIPIENT_SHARDS,
    };
    if (await putIfAbsent(this.doc, this.tableName, item)) {
      const run = toRun(item);
      this.remember(run);
      return { created: true, run };
    }
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
   * Where a run's timing starts and how its recipients are keyed. One consistent read per
   * article per process (the layout never changes), then from memory.
   *
   * @throws Error when the run does not exist.
   */
  async layout(articleId: string): Promise<RunLayout> {
    const known = this.layouts.get(articleId);
    if (known) return known;
    const run = await this.getRun(articleId);
    if (!run) throw new Error(`no alert run for article ${articleId}`);
    return this.remember(run);
  }

  private remember(run: AlertRun): RunLayout {
    const layout = { startedAtMs: Date.parse(run.startedAt), shards: run.shards };
    // Bounded: a process sees few runs at once; forget the oldest beyond 1,000.
    if (this.layouts.size >= 1000 && !this.layouts.has(run.articleId)) {
      const oldest = this.layouts.keys().next().value;
      if (oldest !== undefined) this.layouts.delete(oldest);
    }
    this.layouts.set(run.articleId, layout);
    return layout;
  }

  private async recipientKey(articleId: string, userId: number): Promise<ItemKey> {
    return alertRecipientKey(articleId, userId, (await this.layout(articleId)).shards);
  }

  /** Article ids of the runs whose report is not sent yet (the open markers), oldest key first. */
  async openRuns(): Promise<string[]> {
    const ids: string[] = [];
    let startKey: Item | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': OPEN_RUNS_PK },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of out.Items ?? []) ids.push(str(item, 'articleId'));
      startKey = out.LastEvaluatedKey;
    } while (startKey !== undefined);
    return ids;
  }

  /** Removes a run's open marker (after its report, or when the run is gone). Idempotent. */
  async closeRun(articleId: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: openRunKey(articleId) }));
  }

  /**
   * Records the page the fan-out is about to enqueue, before enqueueing it: a retry after a
   * crash re-sends exactly these recipients under the same batch ids, even if subscriptions
   * changed meanwhile. One PutItem of its own item (≤ 500 ids, ≈ 5 KB), created once: when
   * another fan-out wrote this page first, returns the page as that one recorded it.
   */
  async writeAhead(articleId: string, page: PendingPage): Promise<PendingPage> {
    const item = {
      ...alertPageKey(articleId, page.page),
      kind: ALERT_KIND.page,
      page: page.page,
      userIds: page.userIds,
      ...(page.silentUserIds && page.silentUserIds.length > 0 ? { silentUserIds: page.silentUserIds } : {}),
      ...(page.locales !== undefined ? { locales: page.locales } : {}),
      ...(page.threads !== undefined ? { threads: page.threads } : {}),
      ...(page.next !== undefined ? { next: page.next } : {}),
      expiresAt: this.expiresAt(),
    };
    if (await putIfAbsent(this.doc, this.tableName, item)) return page;
    const stored = await this.getPage(articleId, page.page);
    if (!stored) throw new Error(`alert page ${page.page} of ${articleId} vanished while it was written`);
    return stored;
  }

  /** A written-ahead page (strongly consistent), or undefined. */
  async getPage(articleId: string, page: number): Promise<PendingPage | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: alertPageKey(articleId, page),
        ConsistentRead: true,
      }),
    );
    return out.Item ? toPage(out.Item) : undefined;
  }

  /** Every written-ahead page of a run, in page order (recovery only: a Query of the run's pages). */
  async listPages(articleId: string): Promise<PendingPage[]> {
    return (await this.queryPrefix(articleId, PAGE_PREFIX)).map(toPage);
  }

  /** The batch ids already tallied (recovery only). */
  async countedBatchIds(articleId: string): Promise<Set<string>> {
    const items = await this.queryPrefix(articleId, BATCH_PREFIX);
    return new Set(items.map((i) => str(i, 'sk').slice(BATCH_PREFIX.length)));
  }

  private async queryPrefix(articleId: string, prefix: string): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': alertPartition(articleId), ':prefix': prefix },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
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
   * Adds one batch's outcomes to the run, once: one TransactWriteItems creates the batch's
   * own item (`attribute_not_exists`) and ADDs its counts to the run. A batch already tallied
   * cancels the transaction and changes nothing. Neither item grows with the audience (the
   * old design added each batch id to a set on the run, rewriting an ever larger item).
   * Returns the run after the update (one consistent GetItem) and whether this call counted.
   *
   * The batch's send times go into the run's histogram in the same update (one ADD per bucket
   * the batch touched, usually 1–3), and its paid messages into `paidMessages`: no write per
   * message. The run item stays bounded: at most {@link MAX_BUCKET} + 1 histogram numbers.
   *
   * @throws Error when the run does not exist (a message for an article never fanned out).
   */
  async countBatch(
    articleId: string,
    batchId: string,
    tally: Tally,
    extras: BatchExtras = {},
  ): Promise<{ counted: boolean; run: AlertRun }> {
    let counted = true;
    const names: Record<string, string> = {};
    const values: Record<string, number> = {};
    const adds: string[] = [];
    for (const [bucket, n] of extras.histogram ?? []) {
      if (!Number.isInteger(bucket) || bucket < 0 || bucket > MAX_BUCKET || n <= 0) continue;
      names[`#h${bucket}`] = `h${bucket}`;
      values[`:h${bucket}`] = n;
      adds.push(`#h${bucket} :h${bucket}`);
    }
    if ((extras.paidMessages ?? 0) > 0) {
      values[':paid'] = extras.paidMessages ?? 0;
      adds.push('paidMessages :paid');
    }
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...alertBatchKey(articleId, batchId),
                  kind: ALERT_KIND.batch,
                  ...tally,
                  expiresAt: this.expiresAt(),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: alertRunKey(articleId),
                UpdateExpression: [
                  'ADD sent :sent, blocked :blocked, failed :failed, unconfirmed :unconfirmed, countedBatches :one',
                  ...adds,
                ].join(', '),
                ConditionExpression: 'attribute_exists(pk)',
                ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
                ExpressionAttributeValues: {
                  ':sent': tally.sent,
                  ':blocked': tally.blocked,
                  ':failed': tally.failed,
                  ':unconfirmed': tally.unconfirmed,
                  ':one': 1,
                  ...values,
                },
              },
            },
          ],
        }),
      );
    } catch (err) {
      if (transactionConditionFailed(err, 1)) throw new Error(`no alert run for article ${articleId}`);
      if (!transactionConditionFailed(err, 0)) throw err;
      counted = false;
    }
    const run = await this.getRun(articleId);
    if (!run) throw new Error(`no alert run for article ${articleId}`);
    return { counted, run };
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
   * Claims one recipient for `owner` (of sender instance `instance`) until `now + leaseMs`:
   * succeeds only when no attempt exists or the last one was given back (`retry`, recorded
   * before anything reached Telegram). A recipient found `sending` is never claimed again,
   * even once its lease ran out: its sender may have sent and failed to record it, and a
   * second claim would send twice (see {@link reconcile}). When the claim fails, returns the
   * item as it is now (one consistent read).
   */
  async claimRecipient(
    articleId: string,
    userId: number,
    owner: string,
    leaseMs: number,
    instance = 'unknown',
  ): Promise<ClaimResult> {
    const now = this.now();
    const key = await this.recipientKey(articleId, userId);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression:
            'SET #kind = :kind, #status = :sending, leaseUntil = :lease, #owner = :owner, instance = :instance, expiresAt = :expires ADD attempts :one',
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :retry',
          ExpressionAttributeNames: { '#kind': 'kind', '#status': 'status', '#owner': 'owner' },
          ExpressionAttributeValues: {
            ':kind': ALERT_KIND.recipient,
            ':sending': 'sending',
            ':retry': 'retry',
            ':lease': now + leaseMs,
            ':owner': owner,
            ':instance': instance,
            ':one': 1,
            ':expires': this.expiresAt(),
          },
        }),
      );
      return { claimed: true };
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    // Deleted in between (not something Herald does): let a later delivery claim it.
    if (!out.Item) return { claimed: false, status: 'retry' };
    const lease = out.Item['leaseUntil'];
    const instance_ = optStr(out.Item, 'instance');
    return {
      claimed: false,
      status: str(out.Item, 'status') as RecipientStatus,
      ...(typeof lease === 'number' ? { leaseUntil: lease } : {}),
      ...(instance_ !== undefined ? { instance: instance_ } : {}),
    };
  }

  /**
   * Settles a recipient left `sending` by a sender that is gone (its lease ran out, or it was
   * another instance of a single-instance runtime): marks it `unconfirmed`, never to be sent
   * again. Conditional on the claim seen (`leaseUntil`), so exactly one caller settles it and
   * a slow owner that records its outcome first wins. `settled`: this call changed it.
   */
  async reconcile(
    articleId: string,
    userId: number,
    seenLeaseUntil: number,
  ): Promise<{ settled: boolean; status: RecipientStatus | undefined }> {
    const key = await this.recipientKey(articleId, userId);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET #status = :unconfirmed, finishedAt = :at, outcome = :why REMOVE leaseUntil',
          ConditionExpression: '#status = :sending AND leaseUntil = :seen',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':unconfirmed': 'unconfirmed',
            ':sending': 'sending',
            ':seen': seenLeaseUntil,
            ':at': new Date(this.now()).toISOString(),
            ':why': 'sender stopped before recording an outcome',
          },
        }),
      );
      return { settled: true, status: 'unconfirmed' };
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
    return { settled: false, status: await this.recipientStatus(articleId, userId) };
  }

  /**
   * Records the final outcome of a claimed recipient. False when the claim is no longer this
   * owner's (it was settled as `unconfirmed` meanwhile; read the status to count it).
   */
  async finishRecipient(
    articleId: string,
    userId: number,
    owner: string,
    status: Exclude<FinalStatus, 'unconfirmed'>,
    reason?: string,
  ): Promise<boolean> {
    return this.updateOwned(articleId, userId, owner, {
      UpdateExpression: 'SET #status = :status, finishedAt = :at, outcome = :reason REMOVE leaseUntil',
      values: { ':status': status, ':at': new Date(this.now()).toISOString(), ':reason': reason ?? status },
    });
  }

  /**
   * Gives a claimed recipient back (`retry`), so the next delivery of its message claims it
   * at once. Only for attempts where nothing can have reached Telegram.
   */
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
    const key = await this.recipientKey(articleId, userId);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
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
        Key: await this.recipientKey(articleId, userId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? (str(out.Item, 'status') as RecipientStatus) : undefined;
  }
}
