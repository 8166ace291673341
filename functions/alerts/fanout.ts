/**
 * The alert fan-out: turns a newly published article into queue messages of up to 50
 * subscribers each. On AWS the table's stream calls it (INSERTs of article meta items only,
 * see handlers/fanout.ts); locally the runtime's stream reader (functions/local/stream-reader.ts)
 * calls the same handler with the same events.
 *
 * Resumable and replay-safe: the run item records how far the fan-out got (`pages`,
 * `cursor`) and writes each page ahead before enqueueing it, so a retry continues where the
 * last attempt stopped and re-sends at most the one page it was on — under the same batch
 * ids, which the sender recognises.
 */

import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { digestRunId } from '../core/delivery';
import type { Followable, SubscriptionRepositoryPort } from '../core/ports';
import type { AlertRepository, AlertRun, PendingPage } from '../store/alert-repository';
import type { DigestRepository } from '../store/digest-repository';
import { DUE_SHARDS, KIND, SK_META } from '../store/keys';
import {
  articleSources,
  claimDeliveries,
  type DeliveryDeps,
  type FollowerSource,
  type RoutedArticle,
  routePage,
} from './delivery-router';
import {
  type AlertMessage,
  type AlertQueue,
  chunk,
  END_BATCH_ID,
  MESSAGES_PER_SEND_BATCH,
  RECIPIENTS_PER_MESSAGE,
} from './queue';
/**
 * Subscribers read per Query page: exactly one SendMessageBatch call of 10 messages × 50
 * recipients. (A page of 100 would need a call per 2 messages, 5× the SQS calls.) 500
 * subscription index items are ~75 KB, well under a Query's 1 MB page.
 */
export const FANOUT_PAGE_SIZE = RECIPIENTS_PER_MESSAGE * MESSAGES_PER_SEND_BATCH;

/** What the fan-out needs to know about the article (tags, name and summary feed digests). */
export type AlertArticle = RoutedArticle;

export interface FanoutDeps {
  alerts: AlertRepository;
  subscriptions: Pick<SubscriptionRepositoryPort, 'subscribersPage'>;
  /**
   * The groups that follow an author or a tag (store/group-repository.ts; a string is a handle);
   * without it only readers get alerts.
   */
  groups?: {
    subscribersPage(
      followed: string | Followable,
      cursor: string | undefined,
      limit: number,
    ): Promise<{ targets: { chatId: number; threadId?: number }[]; next?: string }>;
  };
  queue: AlertQueue;
  logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  /** Clock in ms (default Date.now), for the deadline, quiet hours and digest times. */
  now?: () => number;
  /**
   * Delivery modes, tags, quiet hours and digests. Without it (older callers) only the
   * author's instant subscribers are read and everyone is alerted at once.
   */
  delivery?: DeliveryDeps;
}

export interface FanoutOptions {
  /** Clock time by which to stop (a Lambda's remaining time less a margin); the retry resumes. */
  deadline?: number;
  /** Subscribers per Query page (tests use small pages to exercise resuming). */
  pageSize?: number;
}

export interface FanoutResult {
  /** False when the run already existed (a retry or a replay that resumed it). */
  created: boolean;
  /** Recipients enqueued by the whole run (not only by this call). */
  total: number;
  /** Pages this call enqueued. */
  pagesEnqueued: number;
}

/** The fan-out stopped at its deadline; the stream's retry resumes from the stored cursor. */
export class FanoutDeadlineError extends Error {
  override name = 'FanoutDeadlineError';
}

/**
 * The messages of one page, with batch ids fixed by (page, position), each with its
 * recipients' languages; those in their quiet hours (`silent`) in messages of their own.
 */
function pageMessages(articleId: string, page: PendingPage): AlertMessage[] {
  const message = (userIds: number[], batchId: string, silent: boolean): AlertMessage => {
    const locales: Record<string, string> = {};
    for (const id of userIds) {
      const locale = page.locales?.[String(id)];
      if (locale !== undefined) locales[String(id)] = locale;
    }
    const threads: Record<string, number> = {};
    for (const id of userIds) {
      const thread = page.threads?.[String(id)];
      if (thread !== undefined) threads[String(id)] = thread;
    }
    return {
      articleId,
      batchId,
      userIds,
      ...(Object.keys(locales).length > 0 ? { locales } : {}),
      ...(Object.keys(threads).length > 0 ? { threads } : {}),
      ...(silent ? { silent: true } : {}),
    };
  };
  return [
    ...chunk(page.userIds, RECIPIENTS_PER_MESSAGE).map((ids, i) => message(ids, `p${page.page}-${i}`, false)),
    ...chunk(page.silentUserIds ?? [], RECIPIENTS_PER_MESSAGE).map((ids, i) =>
      message(ids, `p${page.page}-s${i}`, true),
    ),
  ];
}

/**
 * The lists a run reads one after another (the author's and each tag's followers by mode, or
 * a slot's due shards), and what becomes of each page read.
 */
interface RecipientLists {
  count: number;
  read(
    index: number,
    cursor: string | undefined,
    limit: number,
  ): Promise<{
    userIds: number[];
    locales?: Record<string, string>;
    /** On a list of groups: the forum topic of each group that follows from one, by chat id. */
    threads?: Record<string, number>;
    next?: string;
  }>;
  /** Who of a page is enqueued now, loud or silent (the rest went elsewhere, e.g. a digest). */
  route(index: number, page: number, userIds: number[]): Promise<{ loud: number[]; silent: number[] }>;
}

/**
 * The run's cursor: `<list>|<cursor within it>`. A cursor without the prefix was written
 * before runs read several lists, and is within the first.
 */
function parseRunCursor(cursor: string | undefined): { index: number; inner: string | undefined } {
  if (cursor === undefined) return { index: 0, inner: undefined };
  const m = /^(\d+)\|([\s\S]*)$/.exec(cursor);
  if (!m) return { index: 0, inner: cursor };
  return { index: Number(m[1]), inner: m[2] === '' ? undefined : m[2] };
}

function runCursor(index: number, inner: string | undefined): string {
  return `${index}|${inner ?? ''}`;
}

/**
 * Enqueues an alert for every active instant follower of the article's author and tags (once
 * each, with or without a sound), and queues it for the digests of daily and weekly followers,
 * once per article. See delivery-router.ts for who goes where.
 *
 * Order per page: Query → route (claims, settings, digest entries) → write-ahead on the run →
 * SendMessageBatch → advance the run (a conditional update of cursor and totals). When every
 * page is in, a last `end` message lets the sender finish the run even if every batch was
 * tallied before `fanoutDone` was set.
 *
 * @throws FanoutDeadlineError when `deadline` passes between pages (retry to resume).
 */
export async function fanOut(
  deps: FanoutDeps,
  article: AlertArticle,
  opts: FanoutOptions = {},
): Promise<FanoutResult> {
  const now = deps.now ?? Date.now;
  const delivery = deps.delivery;
  const sources: FollowerSource[] = delivery
    ? articleSources(article)
    : [{ target: { kind: 'author', handle: article.authorHandle }, mode: 'instant' }];
  const groups = deps.groups;
  // The groups that follow the author, then those that follow each of its tags, come after every
  // reader's list. Tag lists need the delivery claims (below), so without them only the author's.
  const groupSources: Followable[] = groups
    ? [
        { kind: 'author', handle: article.authorHandle },
        ...(delivery ? (article.tags ?? []) : []).map((tag): Followable => ({ kind: 'tag', tag })),
      ]
    : [];
  const lists: RecipientLists = {
    count: sources.length + groupSources.length,
    read: async (index, cursor, limit) => {
      const followed = groupSources[index - sources.length];
      if (groups && followed) {
        const read = await groups.subscribersPage(followed, cursor, limit);
        const threads: Record<string, number> = {};
        for (const t of read.targets) if (t.threadId !== undefined) threads[String(t.chatId)] = t.threadId;
        return {
          userIds: read.targets.map((t) => t.chatId),
          ...(Object.keys(threads).length > 0 ? { threads } : {}),
          ...(read.next !== undefined ? { next: read.next } : {}),
        };
      }
      const source = sources[index];
      if (!source) throw new Error(`alert run of ${article.id} has no list ${index}`);
      return delivery
        ? delivery.followers.followersPage(source.target, source.mode, cursor, limit)
        : deps.subscriptions.subscribersPage(article.authorHandle, cursor, limit);
    },
    route: async (index, page, userIds) => {
      const source = sources[index];
      // A group has no quiet hours or digest: it gets the alert at once, once: a group that
      // follows the author and a tag, or two tags, is in several lists, and only the first
      // list's page that claims it (the readers' delivery claim, by chat id) sends.
      if (!source) {
        if (!delivery || groupSources.length < 2) return { loud: userIds, silent: [] };
        return { loud: await claimDeliveries(delivery, article.id, userIds, page), silent: [] };
      }
      if (!delivery) return { loud: userIds, silent: [] };
      const routed = await routePage(delivery, article, source, page, userIds, now());
      return { loud: routed.loud, silent: routed.silent };
    },
  };
  return runFanout(deps, article, lists, opts);
}

/**
 * Enqueues the digest of every reader due in `slot` (epoch ms of a 15-minute boundary): one
 * run per slot (`digest_<yyyymmddhhmm>`), reading the slot's due shards with Queries, never
 * a Scan. The sender builds each reader's message from their waiting entries. Once per slot:
 * a second call resumes or finds the run done.
 */
export async function fanOutDigestSlot(
  deps: Omit<FanoutDeps, 'subscriptions'> & { digests: Pick<DigestRepository, 'duePage'> },
  slot: number,
  opts: FanoutOptions = {},
): Promise<FanoutResult> {
  const lists: RecipientLists = {
    count: DUE_SHARDS,
    read: (shard, cursor, limit) => deps.digests.duePage(slot, shard, cursor, limit),
    route: async (_index, _page, userIds) => ({ loud: userIds, silent: [] }),
  };
  const run = {
    id: digestRunId(slot),
    title: `Digests of ${new Date(slot).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    authorHandle: 'digest',
  };
  return runFanout(deps, run, lists, opts);
}

/** What running any fan-out needs: the run's items, the queue, a logger and the clock. */
type RunDeps = Pick<FanoutDeps, 'alerts' | 'queue' | 'logger' | 'now'>;

async function runFanout(
  deps: RunDeps,
  article: Pick<AlertArticle, 'id' | 'title' | 'authorHandle'>,
  lists: RecipientLists,
  opts: FanoutOptions,
): Promise<FanoutResult> {
  const now = deps.now ?? Date.now;
  const pageSize = opts.pageSize ?? FANOUT_PAGE_SIZE;
  const { created, run: initial } = await deps.alerts.createRun(article);
  let run: AlertRun = initial;
  let pagesEnqueued = 0;
  if (!created)
    deps.logger.info('alert run exists; resuming it', {
      articleId: article.id,
      pages: run.pages,
      fanoutDone: run.fanoutDone,
    });

  while (!run.fanoutDone) {
    if (opts.deadline !== undefined && now() >= opts.deadline) {
      throw new FanoutDeadlineError(
        `fan-out of ${article.id} stopped at its deadline after page ${run.pages}`,
      );
    }
    // A page written ahead by an attempt that stopped before advancing goes out as recorded;
    // otherwise read the next one, route it and write it ahead (a racing fan-out's copy wins).
    let page = created ? undefined : await deps.alerts.getPage(article.id, run.pages);
    if (!page) page = await readPage(deps, article.id, lists, run, pageSize);
    const messages = pageMessages(article.id, page);
    if (messages.length > 0) await deps.queue.send(messages);
    const advanced = await deps.alerts.advance(article.id, page.page, page.next, {
      recipients: page.userIds.length + (page.silentUserIds?.length ?? 0),
      batches: messages.length,
    });
    if (advanced) pagesEnqueued += 1;
    // Another fan-out advanced this page first: carry on from where it is.
    run = advanced ?? (await mustGetRun(deps, article.id));
  }
  // Sent on every call that finds the fan-out done: a crash right after `fanoutDone` must
  // not leave the run without its finishing message. A second one is counted once.
  await deps.queue.send([{ articleId: article.id, batchId: END_BATCH_ID, userIds: [] }]);
  deps.logger.info('alert fan-out done', {
    articleId: article.id,
    total: run.total,
    batches: run.batches,
    pagesEnqueued,
  });
  return { created, total: run.total, pagesEnqueued };
}

/** The languages of the readers a page enqueues (the others went to digests). */
function localesOf(
  locales: Record<string, string>,
  routed: { loud: number[]; silent: number[] } | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of [...(routed?.loud ?? []), ...(routed?.silent ?? [])]) {
    const locale = locales[String(id)];
    if (locale !== undefined) out[String(id)] = locale;
  }
  return out;
}

/**
 * Reads and routes the run's next page. An empty list is passed over within the same page (a
 * new article's daily and weekly lists are often empty); a list that returned readers ends
 * the page, so one page number never covers two lists' readers (its delivery claims are the
 * page's own).
 */
async function readPage(
  deps: RunDeps,
  runId: string,
  lists: RecipientLists,
  run: AlertRun,
  pageSize: number,
): Promise<PendingPage> {
  let { index, inner } = parseRunCursor(run.cursor);
  for (;;) {
    const read = await lists.read(index, inner, pageSize);
    const routed = read.userIds.length > 0 ? await lists.route(index, run.pages, read.userIds) : undefined;
    let next: string | undefined;
    if (read.next !== undefined) next = runCursor(index, read.next);
    else if (index + 1 < lists.count) next = runCursor(index + 1, undefined);
    if (routed === undefined && next !== undefined && read.next === undefined) {
      index += 1;
      inner = undefined;
      continue;
    }
    const page: PendingPage = {
      page: run.pages,
      userIds: routed?.loud ?? [],
      ...(routed && routed.silent.length > 0 ? { silentUserIds: routed.silent } : {}),
      ...(read.locales !== undefined ? { locales: localesOf(read.locales, routed) } : {}),
      ...(read.threads !== undefined ? { threads: read.threads } : {}),
      ...(next !== undefined ? { next } : {}),
    };
    // An empty page has nothing to protect; only a page with recipients is written ahead.
    if (page.userIds.length + (page.silentUserIds?.length ?? 0) === 0) return page;
    return deps.alerts.writeAhead(runId, page);
  }
}

/**
 * Puts back on the queue what a run still owes after its queue messages were lost (the local
 * runtime's in-memory queue when `npm start` stopped): every batch of every advanced page
 * that is not tallied yet, and the `end` message once the fan-out is done. Recipients already
 * final are not sent again (their items say so), so re-enqueueing a batch is harmless. A run
 * that is reported (or gone) only loses its open marker.
 *
 * The page the fan-out was on when it stopped is not re-enqueued here: the stream delivers
 * the record again (its position was not checkpointed) and the resumed fan-out sends it.
 */
export async function requeueRun(
  deps: Pick<FanoutDeps, 'alerts' | 'queue' | 'logger'>,
  articleId: string,
): Promise<{ messages: number }> {
  const run = await deps.alerts.getRun(articleId);
  if (!run || run.done) {
    await deps.alerts.closeRun(articleId);
    return { messages: 0 };
  }
  const counted = await deps.alerts.countedBatchIds(articleId);
  const pages = (await deps.alerts.listPages(articleId)).filter((p) => p.page < run.pages);
  const messages = pages.flatMap((p) => pageMessages(articleId, p)).filter((m) => !counted.has(m.batchId));
  if (run.fanoutDone) messages.push({ articleId, batchId: END_BATCH_ID, userIds: [] });
  if (messages.length > 0) await deps.queue.send(messages);
  deps.logger.info('alert run re-enqueued after a restart', { articleId, messages: messages.length });
  return { messages: messages.length };
}

async function mustGetRun(deps: RunDeps, articleId: string): Promise<AlertRun> {
  const run = await deps.alerts.getRun(articleId);
  if (!run) throw new Error(`alert run of ${articleId} disappeared during the fan-out`);
  return run;
}

/**
 * The article of a stream record that should alert: an INSERT of an article meta item.
 * Anything else (an update, a removal, another item kind) gives undefined — an edit never
 * alerts again. The Lambda event filter already passes only these; this is the backstop.
 */
export function articleFromStreamRecord(record: DynamoDBRecord): AlertArticle | undefined {
  if (record.eventName !== 'INSERT') return undefined;
  const image = record.dynamodb?.NewImage;
  if (!image) return undefined;
  // aws-lambda's AttributeValue and the SDK's describe the same wire shape with different
  // optionality; unmarshall only reads it.
  const item = unmarshall(image as Record<string, AttributeValue>);
  if (item['kind'] !== KIND.article || item['sk'] !== SK_META) return undefined;
  // Published with alerts off (a back-fill): the stream filter drops these too.
  if (item['silent'] === true) return undefined;
  const { id, title, authorHandle, authorName, summary, tags } = item;
  if (typeof id !== 'string' || typeof title !== 'string' || typeof authorHandle !== 'string')
    return undefined;
  const tagList = Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
  return {
    id,
    title,
    authorHandle,
    ...(typeof authorName === 'string' ? { authorName } : {}),
    ...(typeof summary === 'string' ? { summary } : {}),
    ...(tagList.length > 0 ? { tags: tagList } : {}),
  };
}

/** Time kept back from the invocation's remaining time: a page in progress (Query, 1 SQS call, 2 writes) finishes. */
const DEADLINE_MARGIN_MS = 5_000;

/** A fan-out invocation: what the Lambda exports, and what the local stream reader calls. */
export type FanoutStreamHandler = (
  event: DynamoDBStreamEvent,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
) => Promise<DynamoDBBatchResponse>;

/**
 * Builds the fan-out's stream handler: one fan-out per new article, records in order; a
 * record that fails (or hits the deadline) is reported in `batchItemFailures` by sequence
 * number, so the stream retries from it and the fan-out resumes from the run's stored cursor.
 */
export function createFanoutStreamHandler(deps: FanoutDeps): FanoutStreamHandler {
  const { logger } = deps;
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  return async (event, context) => {
    const deadline = (deps.now ?? Date.now)() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS;
    const recordHandler = async (record: DynamoDBRecord): Promise<void> => {
      const article = articleFromStreamRecord(record);
      if (!article) {
        // An update, a removal or another item kind: never alerts (the event filter should
        // already have dropped it).
        logger.debug('stream record ignored', { eventName: record.eventName });
        return;
      }
      try {
        await fanOut(deps, article, { deadline });
      } catch (err) {
        const details = { articleId: article.id, error: err as Error };
        // Stopping at the deadline is planned for (a very large audience): the retry resumes.
        if (err instanceof FanoutDeadlineError)
          logger.warn('alert fan-out stopped at its deadline; the stream will resume it', details);
        else logger.error('alert fan-out failed; the stream will retry it', details);
        throw err;
      }
    };
    // A batch where every record failed is reported like a partial one (no throw): the stream
    // retries from the first failed sequence number either way, and the failures are logged
    // above; records that keep failing land in the stream's failure queue, which has an alarm.
    return processPartialResponse(event, recordHandler, processor, {
      context: context as Context,
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
  };
}
