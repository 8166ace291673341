/**
 * Least privilege, in one place: exactly which DynamoDB actions each function may call (and,
 * where it writes only its own bookkeeping, on which partitions), read
 * off the code paths its handler runs (functions/handlers/*), and the helpers that grant them,
 * a secret's value and sending to a queue — each the exact action the code calls.
 *
 * Why not `table.grantReadWriteData()`: it hands out Scan, BatchWriteItem, DeleteItem,
 * ConditionCheckItem and DescribeTable to functions that never call them, and `index/*` to
 * functions that query no index. A function missing an action here fails with
 * AccessDeniedException on AWS only, so test/infra/table-access.test.ts checks these lists
 * against the SDK commands each handler's bundle can send, and test/infra/herald-stack.test.ts
lists every function's actions.
 *
 * Transactions: IAM has no TransactWriteItems/TransactGetItems action. Each element of a
 * transaction is authorised as its own action — Put → PutItem, Update → UpdateItem,
 * Delete → DeleteItem, ConditionCheck → ConditionCheckItem, Get → GetItem — on the table it
 * names ("Using IAM with DynamoDB transactions", DynamoDB Developer Guide). A function whose
 * transactions hold a ConditionCheck needs `ConditionCheckItem` in its list.
 */

import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { alertBatchKey, openRunKey } from '../../functions/store/alert-repository';
import { articlePartition, CHANNELS_PK, CHAT_PREFIX, FEED_SOURCES_PK } from '../../functions/store/keys';
import { TABLE } from '../../functions/store/table-definition';

/** The data-plane actions Herald's code uses (IAM names without the `dynamodb:` prefix). */
export type ItemAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem'
  | 'ConditionCheckItem';

/** An action allowed only on items whose partition key matches (IAM `dynamodb:LeadingKeys`). */
export interface KeyRestrictedAction {
  readonly action: ItemAction;
  /** Partition-key patterns (IAM `StringLike`: `*` matches any characters). */
  readonly partitionKeys: readonly string[];
}

export interface TableAccess {
  /** Actions on the table itself (items and base-table queries). */
  readonly table: readonly ItemAction[];
  /** Secondary indexes the function queries; an index gets `Query` and nothing else. */
  readonly queriedIndexes: readonly string[];
  /** Actions the function needs on a few partitions only: allowed there and nowhere else. */
  readonly keyRestricted?: readonly KeyRestrictedAction[];
  /**
   * The element kinds of the TransactWriteItems the function sends, as the actions they are
   * authorised as; each must also be granted above. Declared so a new transaction (say one
   * with a ConditionCheck) cannot go unnoticed: test/infra/table-access.test.ts requires it.
   */
  readonly transactionElements?: readonly ItemAction[];
}

/** The partition of every alert run's batch tallies: `ALERT#<article id>`. */
const ALERT_PARTITIONS = alertBatchKey('*', 'any').pk;
/** Every article's partition: `ART#<id>` (its channel posts and their report marker). */
const ARTICLE_PARTITIONS = articlePartition('*');
/** Every group's partition: `CHAT#<chat id>` (its subscriptions). */
const GROUP_PARTITIONS = `${CHAT_PREFIX}*`;
/** The one partition holding the open-run markers. */
const OPEN_RUNS_PARTITION = openRunKey('any').pk;

/** Every reader's partition (`USER#<id>`, functions/store/keys.ts `userPartition`). */
const USER_PARTITIONS = 'USER#*';
/** Every due shard of every slot (`DUE#<slot>#<shard>`, functions/store/keys.ts `dueShardPk`). */
const DUE_PARTITIONS = 'DUE#*';

/** The functions that touch the table (the registrar does not). */
export type TableUser = 'webhook' | 'admin' | 'fanout' | 'sender' | 'ingest' | 'digest' | 'channels';

/**
 * Per function, what its code path sends. The comments name the repository calls that need
 * each action; docs/data-model.md lists the keys.
 */
export const TABLE_ACCESS: Readonly<Record<TableUser, TableAccess>> = {
  // The bot: every reader feature, the bot's admin commands and the update dedupe.
  webhook: {
    table: [
      'GetItem', // cards, bodies, authors, shares, subscriptions, share openers
      'BatchGetItem', // inline results, author list, stats
      'ConditionCheckItem', // a comment's transaction checks that its author is not banned
      'Query', // title search, comments, a reader's subscriptions, comment sweep on /delete
      'PutItem', // update claims, pending inputs, subscriptions, comments, shares, share opens
      'UpdateItem', // views, counters, users, comment quota, subscriber/reply counts
      'DeleteItem', // released claims, taken pending inputs, unsubscribe, comment/article delete
      'BatchWriteItem', // the title index and comments of an article deleted by an admin command
    ],
    queriedIndexes: ['gsi1', 'gsi2'], // latest, authors, shares, stats; an author's articles
    // subscribe/unsubscribe + subscriberCount, comment add/delete + replies, a friend's first
    // share open + its counters, an admin's article delete + articleCount; the ban check.
    transactionElements: ['PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'],
  },
  // The admin HTTP API: publish articles and authors, delete articles and comments, stats.
  admin: {
    table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
    queriedIndexes: ['gsi1'], // stats, a reader's comments (COMMENTER#)
    transactionElements: ['UpdateItem', 'DeleteItem'], // article and comment deletes with their counts
  },
  // Alert runs (create with its open marker, write-ahead pages, advance) and an author's
  // subscribers page by page. Its bundle holds the whole AlertRepository; the tally
  // transaction and closing a run are the sender's, re-enqueueing a run is the local runtime's.
  // Delivery: reader settings in batches (BatchGetItem of profiles), the delivery claims of a
  // tagged article, digest entries and due markers (PutItem).
  fanout: {
    table: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem'],
    queriedIndexes: ['gsi1'],
  },
  // Reads the article, claims and finishes recipients, marks blocked users inactive (a Query
  // of the user's subscriptions, then updates), reports the run. It puts and deletes only
  // alert bookkeeping: the batch tally (the Put of countBatch's TransactWriteItems, in the
  // run's ALERT#<id> partition) and the run's open marker once reported (closeRun).
  sender: {
    table: ['GetItem', 'Query', 'UpdateItem'],
    queriedIndexes: [],
    keyRestricted: [
      // …and a group's subscriptions, moved when it became a supergroup (migrateChat), and a
      // reader's topic for an author, once opened (ReaderTopicRepository.remember)
      { action: 'PutItem', partitionKeys: [ALERT_PARTITIONS, GROUP_PARTITIONS, USER_PARTITIONS] },
      // …and a group's subscriptions, when it removed the bot or moved (removeChat, migrateChat),
      // and a reader's topic found deleted (ReaderTopicRepository.forget)
      { action: 'DeleteItem', partitionKeys: [OPEN_RUNS_PARTITION, GROUP_PARTITIONS, USER_PARTITIONS] },
      // A digest sent: its entries are deleted from the reader's partition (BatchWriteItem).
      { action: 'BatchWriteItem', partitionKeys: [USER_PARTITIONS] },
    ],
    transactionElements: ['PutItem', 'UpdateItem'], // countBatch: Put the tally, Update the run
  },
  // The digest schedule: the cursor (GetItem, UpdateItem), a slot's run as the fan-out writes
  // one (run, open marker and pages: GetItem, PutItem, UpdateItem), and the slot's due shards
  // (a Query of DUE# partitions only: never a Scan, never a reader's items).
  digest: {
    table: ['GetItem', 'PutItem', 'UpdateItem'],
    queriedIndexes: [],
    keyRestricted: [{ action: 'Query', partitionKeys: [DUE_PARTITIONS] }],
  },
  // Feed ingest: lists the sources (a Query of their one partition, and nothing else), saves
  // their state, creates authors and publishes articles (body Put, meta and counter Updates,
  // the title index's BatchWriteItem, reads of the author and the meta).
  ingest: {
    table: ['GetItem', 'PutItem', 'UpdateItem', 'BatchWriteItem'],
    queriedIndexes: [],
    keyRestricted: [{ action: 'Query', partitionKeys: [FEED_SOURCES_PK] }],
  },
  // The channel poster: lists the channels (a Query of their partition) and an article's posts
  // (a Query of its partition), reads the card and a post, claims and finishes posts, pauses a
  // channel (UpdateItem). It creates only its delivery-report marker, in the article's partition.
  channels: {
    table: ['GetItem', 'UpdateItem'],
    queriedIndexes: [],
    keyRestricted: [
      { action: 'Query', partitionKeys: [CHANNELS_PK, ARTICLE_PARTITIONS] },
      { action: 'PutItem', partitionKeys: [ARTICLE_PARTITIONS] },
    ],
  },
};

/** The ARN of a secondary index of `table`. */
export function indexArn(table: ITable, indexName: string): string {
  return `${table.tableArn}/index/${indexName}`;
}

/**
 * Grants `access` on `table` to `fn`: the table actions on the table ARN, `Query` on each
 * queried index by name (no `index/*` wildcard).
 *
 * @throws Error when an index is not one of the table's (a typo would grant nothing useful).
 */
export function grantTableAccess(fn: IFunction, table: ITable, access: TableAccess): void {
  const known = new Set(TABLE.globalSecondaryIndexes.map((i) => i.indexName));
  const unknown = access.queriedIndexes.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new Error(`not an index of the Herald table: ${unknown.join(', ')}`);
  const granted = new Set([...access.table, ...(access.keyRestricted ?? []).map((r) => r.action)]);
  const ungranted = (access.transactionElements ?? []).filter((a) => !granted.has(a));
  if (ungranted.length > 0) {
    throw new Error(`transaction elements need their actions granted too: ${ungranted.join(', ')}`);
  }
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: access.table.map((a) => `dynamodb:${a}`),
      resources: [table.tableArn],
    }),
  );
  if (access.queriedIndexes.length > 0) {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: access.queriedIndexes.map((name) => indexArn(table, name)),
      }),
    );
  }
  for (const { action, partitionKeys } of access.keyRestricted ?? []) {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [`dynamodb:${action}`],
        resources: [table.tableArn],
        // Every key the request names must match (one, for a single-item action).
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...partitionKeys] } },
      }),
    );
  }
}

/**
 * Lets `fn` read the secret's value: `secretsmanager:GetSecretValue` only (Powertools'
 * getSecret and the registrar call nothing else; `grantRead` adds DescribeSecret too). The
 * secrets use the AWS-managed key, so no KMS grant is needed.
 */
export function grantSecretValue(fn: IFunction, ...secrets: ISecret[]): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['secretsmanager:GetSecretValue'],
      resources: secrets.map((s) => s.secretArn),
    }),
  );
}

/**
 * Lets `fn` send to the queue: `sqs:SendMessage` (which also covers SendMessageBatch). The
 * queue URL comes from the environment, so GetQueueUrl and GetQueueAttributes, which
 * `grantSendMessages` adds, are never called. Queues are SQS-managed encrypted: no KMS grant.
 */
export function grantSendMessage(fn: IFunction, queue: IQueue): void {
  fn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
}
