/**
 * The alert sender: takes one queue message (an article and up to 50 recipients) and sends
 * each recipient the article card, exactly once, paced, and with Telegram's errors handled:
 *
 * - 429 → that recipient waits `retry_after` and tries again; when most recent answers are
 *   429s the shared pacer pauses every send (see `FloodDetector` in pacer.ts);
 * - 5xx, timeouts, network errors → retried with exponential backoff up to `maxAttempts`,
 *   then left to the queue's redelivery (or, on the last delivery, counted `failed`);
 * - 403 and 400 "chat not found" → the user is marked inactive and counted `blocked`;
 * - any other 4xx → counted `failed` (retrying cannot fix our request).
 *
 * At most once per (article, recipient): a conditional claim per recipient before its send
 * (AlertRepository.claimRecipient), its outcome recorded after. A claim is never taken
 * twice: a recipient found `sending` after its sender stopped (a crash, or an outcome write
 * that failed after the send) is settled `unconfirmed`, not sent again. Telegram has no
 * idempotency key, so this is the trade: a sender that dies between claim and send loses
 * the alerts it held (≤ `concurrency` recipients, reported as unconfirmed) instead of
 * duplicating the ones it had sent. A failed outcome write of a live process is not lost:
 * the sender remembers the outcome and records it on the message's redelivery.
 * Exact counts rest on tallying each batch once. When the last batch is tallied, whoever
 * claims the run's report tells the admins.
 *
 * One duplicate remains possible: a send that reached Telegram but whose answer was lost
 * (a timeout), retried within the same claim.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Telegram } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { digestRunSlot } from '../core/delivery';
import {
  type DeliveryHistogram,
  type DeliveryTimes,
  deliveryTimes,
  describeDeliveryTimes,
  recordDelivery,
  STARS_PER_PAID_MESSAGE,
  starsFor,
} from '../core/delivery-time';
import type { ArticleMeta } from '../core/model';
import type { ArticleRepositoryPort, SubscriptionRepositoryPort } from '../core/ports';
import { escapeHtml } from '../core/text';
import {
  type AlertRepository,
  type AlertRun,
  type ClaimResult,
  emptyTally,
  type FinalStatus,
  isRunComplete,
  type RecipientStatus,
  type Tally,
} from '../store/alert-repository';
import { classifyTelegramError } from '../telegram/errors';
import { type Clock, FloodDetector, type Grant, type Pacer, PacerDeadlineError, systemClock } from './pacer';
import type { AlertMessage } from './queue';
import { type AboutAuthor, type ReaderTopicStore, readerTopicFor, type TopicOpening } from './reader-topics';

/** How one message is sent, besides its text. */
export interface SendOptions {
  /** Above the free rate: `allow_paid_broadcast` (0.1 Star, up to 1,000 messages/s). */
  paidBroadcast?: boolean;
  /** A group's forum topic (`message_thread_id`). */
  threadId?: number;
}

/** How the sender reaches Telegram: one HTML message with its keyboard. */
export interface AlertTransport {
  /** Rejects with what Telegram answered (telegraf's TelegramError) or the network error. */
  sendHtml(chatId: number, view: View, signal: AbortSignal, opts?: SendOptions): Promise<void>;
  /** Opens a topic in a chat (createForumTopic); resolves to its `message_thread_id`. */
  createTopic?(chatId: number, name: string, signal: AbortSignal): Promise<number>;
}

/** An {@link AlertTransport} over telegraf's `Telegram` client (`new Telegram(token, { apiRoot })`). */
export function telegrafTransport(telegram: Pick<Telegram, 'callApi'>): AlertTransport {
  return {
    async sendHtml(chatId, view, signal, opts = {}) {
      await telegram.callApi(
        'sendMessage',
        {
          chat_id: chatId,
          ...(opts.threadId !== undefined ? { message_thread_id: opts.threadId } : {}),
          text: view.text,
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...(view.reply_markup ? { reply_markup: view.reply_markup } : {}),
          ...(view.disable_notification ? { disable_notification: true } : {}),
          // Bot API 7.10; telegraf 4.16's types predate it (@grammyjs/types has it).
          ...(opts.paidBroadcast === true ? { allow_paid_broadcast: true } : {}),
        } as Parameters<Telegram['callApi']>[1],
        // telegraf types the signal as the abort-controller polyfill's; Node's own
        // AbortSignal is what node-fetch actually receives and honours.
        { signal: signal as unknown as NonNullable<Parameters<Telegram['callApi']>[2]>['signal'] },
      );
    },
    async createTopic(chatId, name, signal) {
      // Private chats take it since Bot API 9.3; telegraf 4.16 knows the method from groups only.
      const topic = await telegram.callApi(
        'createForumTopic',
        { chat_id: chatId, name },
        { signal: signal as unknown as NonNullable<Parameters<Telegram['callApi']>[2]>['signal'] },
      );
      return topic.message_thread_id;
    },
  };
}

/** What an admin is told when an article's alert run is over. */
export interface AlertReport {
  articleId: string;
  title: string;
  total: number;
  sent: number;
  blocked: number;
  failed: number;
  /** Claimed by a sender that stopped before recording the outcome: maybe sent, never resent. */
  unconfirmed: number;
  /** First, last, and 50/90/99 % times from the run's start; absent when nothing was sent. */
  times?: DeliveryTimes;
  /** Telegram Stars spent on paid broadcast (0.1 per message above the free rate). */
  stars: number;
}

export interface SenderOptions {
  /** Recipients handled at once (claimed, waiting for a slot, or sending). */
  concurrency: number;
  /** How long a claim protects a recipient from other workers; must exceed one recipient's
   * longest handling and stay below the queue's visibility timeout (so a crashed attempt is
   * retried by the redelivery). */
  leaseMs: number;
  /** Sends per recipient on 5xx/timeouts before leaving it to the queue's redelivery. */
  maxAttempts: number;
  /** 429 answers per recipient waited out before leaving it to the redelivery. */
  maxRateLimitRetries: number;
  /** The queue's maxReceiveCount: on this delivery, a recipient that still fails is counted `failed`. */
  maxReceiveCount: number;
  /** One sendMessage call's timeout. */
  requestTimeoutMs: number;
  /** First backoff after a transient failure; doubled per attempt, with jitter. */
  backoffBaseMs: number;
  /** When a 429 pauses everyone; see `FloodDetector`. */
  flood: { window: number; ratio: number };
  /**
   * Added to `retry_after` when a flood pauses every send. Telegram's retry_after is whole
   * seconds, rounded up from the time left: a reader's reply refused during the same flood
   * retries up to 1 s after the flood ended. Resuming the broadcast later than that lets the
   * reply through first, so it waits no longer than its own retry_after (docs/architecture.md,
   * "One Telegram budget").
   */
  floodResumeGapMs: number;
  /**
   * Paid broadcast: Stars one run may spend above the free rate (0.1 per message). Absent: never
   * paid. Enforced per process against the run's tallied count: with N sender instances each
   * may overshoot by the paid messages it has in flight (≤ concurrency × 0.1 Star).
   */
  starsCapPerRun?: number;
  /**
   * This sender is the only one (the local runtime): a recipient claimed by another sender
   * instance was claimed before a restart, and its sender is gone, whatever its lease says.
   */
  singleInstance: boolean;
}

/** The key of the group card among a message's views by language (no locale looks like it). */
const GROUP_VIEW = '#group';

export interface SenderDeps {
  alerts: AlertRepository;
  articles: Pick<ArticleRepositoryPort, 'getArticle' | 'addToCounter'>;
  subscriptions: Pick<SubscriptionRepositoryPort, 'setUserActive'>;
  transport: AlertTransport;
  /**
   * The groups that follow authors (store/group-repository.ts): a group recipient (a negative
   * chat id) that kicked the bot loses its subscriptions, one that became a supergroup moves to
   * its new id, one whose topic was deleted moves to the chat itself.
   */
  groups?: {
    removeChat(chatId: number): Promise<number>;
    migrateChat(fromChatId: number, toChatId: number): Promise<number>;
    leaveTopic(chatId: number, threadId: number): Promise<number>;
  };
  /**
   * Readers' topics per author in their private chats (alerts/reader-topics.ts): a reader who
   * chose them gets each part about an author in that author's topic. Absent: the main chat.
   */
  readerTopics?: ReaderTopicStore;
  /** Shared by every send of this process. */
  pacer: Pacer;
  logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  /** Who gets the delivery report. */
  adminIds: readonly number[];
  /**
   * The alert message for an article in a recipient's language (undefined: not known, the
   * default). The bot draws it (its card and buttons); the composition root passes it in, so
   * alerts/ does not depend on bot/.
   */
  renderAlert: (meta: ArticleMeta, locale: string | undefined) => View;
  /**
   * The alert for a group (a negative chat id): the card with buttons that open the bot, since a
   * press in a group must not act for whoever pressed it there. Absent: groups get `renderAlert`'s.
   */
  renderGroupAlert?: (meta: ArticleMeta) => View;
  /** Each reader's digest, for the messages of digest runs (`digest_<slot>`); none: they fail. */
  buildDigest?: DigestBuilder;
  clock?: Clock;
  options?: Partial<SenderOptions>;
}

/** A message as the sender sends it: Telegram HTML and its inline keyboard. */
export interface View {
  text: string;
  reply_markup?: InlineKeyboardMarkup;
  /** Sent without a sound (the reader's quiet hours). */
  disable_notification?: boolean;
  /** The followed author it is about: their topic, for a reader with topics per author. */
  author?: AboutAuthor;
}

/**
 * What one reader of a digest run is sent: their digest in one or more parts, and what to do
 * once it went out (forget the entries it listed). Undefined: nothing is waiting for them.
 */
export interface DigestContent {
  views: View[];
  sent(): Promise<void>;
}

/**
 * Builds a reader's digest for a slot (alerts/digest-content.ts); `perAuthor`: one part per
 * author (or more), each naming its author, for a reader with topics per author.
 */
export type DigestBuilder = (
  userId: number,
  slot: number,
  opts?: { perAuthor?: boolean },
) => Promise<DigestContent | undefined>;

/** Where one delivery of a message stands. */
export interface MessageContext {
  /** 1 on the first delivery (SQS's ApproximateReceiveCount). */
  receiveCount: number;
  /** Clock time after which no new send starts (the Lambda's remaining time, less a margin). */
  deadline?: number;
}

export interface MessageResult {
  /** Every recipient has a final outcome and the batch is tallied: delete the message. */
  complete: boolean;
  /** Outcomes this delivery decided (not those found from an earlier delivery): for metrics. */
  decided: Tally;
  /** Recipients left for a later delivery. */
  retry: number;
  /** Present when this message finished the run and claimed its report. */
  report?: AlertReport;
}

/** Counters for the benchmark and logs. */
export interface SenderStats {
  /** sendMessage calls made (alerts and reports). */
  attempts: number;
  rateLimited: number;
  transientErrors: number;
  /** 429s that paused every send. */
  globalPauses: number;
}

/**
 * Where one send goes besides its chat: `paidFor`, the run whose Stars budget may pay for it
 * (alerts; absent, free only, as for the delivery report); `threadId`, a group's forum topic.
 */
interface DeliverOptions {
  paidFor?: string;
  threadId?: number;
}

type Delivery =
  | { kind: 'sent'; at: number; paid: boolean }
  /** A group became a supergroup (400 with `migrate_to_chat_id`). */
  | { kind: 'moved'; to: number }
  /** A group's forum topic is gone ("message thread not found"). */
  | { kind: 'thread-gone' }
  | { kind: 'unreachable'; reason: string }
  | { kind: 'rejected'; reason: string }
  | { kind: 'gave-up'; reason: string };

type RecipientOutcome = {
  status: FinalStatus | 'retry';
  decided: boolean;
  /** When this delivery sent it (clock ms, its last part), and how many of its messages were above the free rate. */
  sent?: { at: number; paid: number };
};

/** What a batch's deliveries sent: when each recipient got theirs, and the paid messages. */
type Sends = { at: number[]; paid: number };

/** A recipient's stored status as an outcome this delivery did not decide. */
function foundOutcome(status: RecipientStatus | undefined): RecipientOutcome {
  return status === undefined || status === 'sending' || status === 'retry'
    ? { status: 'retry', decided: false }
    : { status, decided: false };
}

/**
 * Adds outcomes to the batch's tally, this delivery's decisions and its sends; returns how many
 * are left to retry.
 */
function countOutcomes(
  outcomes: readonly RecipientOutcome[],
  tally: Tally,
  decided: Tally,
  sends: Sends,
): number {
  let retry = 0;
  for (const o of outcomes) {
    if (o.status === 'retry') retry += 1;
    else {
      tally[o.status] += 1;
      if (o.decided) decided[o.status] += 1;
    }
    if (o.sent) {
      sends.at.push(o.sent.at);
      sends.paid += o.sent.paid;
    }
  }
  return retry;
}

/** Runs at most `size` tasks at once, first come, first served. */
class Limiter {
  private active = 0;
  private readonly queue: Array<() => void> = [];

  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.active += 1;
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}

/** The sender's defaults for a pacer of `ratePerSecond`. */
export function defaultSenderOptions(ratePerSecond: number): SenderOptions {
  return {
    // Enough in flight to keep the pacer busy while some recipients wait out a 429, a slow
    // answer or slow storage writes (about one second of sends), never fewer than 8, never
    // more than 256. A recipient is claimed only once it has a worker, so this also bounds
    // how long a claimed recipient waits for its slot (≈ 1 s).
    concurrency: Math.min(256, Math.max(8, Math.ceil(ratePerSecond))),
    leaseMs: 5 * 60_000,
    maxAttempts: 4,
    maxRateLimitRetries: 5,
    maxReceiveCount: 5,
    requestTimeoutMs: 10_000,
    backoffBaseMs: 250,
    flood: { window: 20, ratio: 0.5 },
    floodResumeGapMs: 1_500,
    singleInstance: false,
  };
}

/** The delivery report's text (HTML; the title is escaped). */
export function reportText(report: AlertReport): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const unconfirmed = report.unconfirmed > 0 ? `, ${n(report.unconfirmed)} unconfirmed` : '';
  const lines = [
    `Alert for “${escapeHtml(report.title)}”: ${n(report.sent)} sent, ${n(report.blocked)} blocked, ${n(report.failed)} failed${unconfirmed}`,
  ];
  if (report.times) lines.push(describeDeliveryTimes(report.times));
  if (report.stars > 0) lines.push(`Paid broadcast: ${report.stars.toLocaleString('en-US')} Stars`);
  return lines.join('\n');
}

/** A run's counts, times and Stars as the delivery report states them (final once the run is complete). */
export function reportOf(run: AlertRun): AlertReport {
  const times = deliveryTimes(run.histogram);
  return {
    articleId: run.articleId,
    title: run.title,
    total: run.total,
    sent: run.sent,
    blocked: run.blocked,
    failed: run.failed,
    unconfirmed: run.unconfirmed,
    stars: starsFor(run.paidMessages),
    ...(times ? { times } : {}),
  };
}

/**
 * Paid messages of the runs this process sends, so a run stops paying at its Stars cap: the
 * run's tallied count (from each batch's tally) plus what this process granted since.
 */
class PaidBudget {
  private readonly runs = new Map<string, { tallied: number; since: number }>();

  constructor(private readonly capMessages: number) {}

  /** May the next send of this run be paid? */
  allows(articleId: string): boolean {
    const r = this.runs.get(articleId);
    return this.capMessages > 0 && (r === undefined || r.tallied + r.since < this.capMessages);
  }

  granted(articleId: string): void {
    const r = this.runs.get(articleId) ?? { tallied: 0, since: 0 };
    r.since += 1;
    this.runs.set(articleId, r);
  }

  /** The run's count as stored after a batch, which includes this batch's paid messages. */
  tallied(articleId: string, paidMessages: number, ofThisBatch: number): void {
    const r = this.runs.get(articleId) ?? { tallied: 0, since: 0 };
    r.tallied = Math.max(r.tallied, paidMessages);
    r.since = Math.max(0, r.since - ofThisBatch);
    if (this.runs.size >= 1000 && !this.runs.has(articleId)) {
      const oldest = this.runs.keys().next().value;
      if (oldest !== undefined) this.runs.delete(oldest);
    }
    this.runs.set(articleId, r);
  }
}

/** Sends alert messages; build one per process with {@link createAlertSender}. */
export class AlertSender {
  readonly options: SenderOptions;
  readonly stats: SenderStats = { attempts: 0, rateLimited: 0, transientErrors: 0, globalPauses: 0 };
  private readonly clock: Clock;
  private readonly limiter: Limiter;
  private readonly flood: FloodDetector;
  private readonly paidBudget: PaidBudget;
  /** Names this sender's claims, so a single-instance runtime knows a claim of an earlier run. */
  readonly instance = randomUUID();
  /** Outcomes sent but not recorded (the write failed), by `<article>/<user>`: recorded on redelivery. */
  private readonly unrecorded = new Map<
    string,
    { owner: string; status: Exclude<FinalStatus, 'unconfirmed'>; reason?: string }
  >();

  constructor(private readonly deps: SenderDeps) {
    this.options = { ...defaultSenderOptions(deps.pacer.ratePerSecond), ...deps.options };
    this.clock = deps.clock ?? systemClock;
    this.limiter = new Limiter(this.options.concurrency);
    this.flood = new FloodDetector(this.options.flood.window, this.options.flood.ratio);
    const cap = this.options.starsCapPerRun ?? 0;
    this.paidBudget = new PaidBudget(Math.floor(cap / STARS_PER_PAID_MESSAGE + 1e-9));
  }

  /**
   * Handles one delivery of one queue message. Reads the article once, sends to every
   * recipient not yet done, and tallies the batch when all are final.
   *
   * `complete: false` means some recipients are left for a redelivery (report the message
   * as failed to the queue); they were given back, so the redelivery handles them at once.
   */
  async processMessage(message: AlertMessage, ctx: MessageContext): Promise<MessageResult> {
    const decided = emptyTally();
    const tally = emptyTally();
    let retry = 0;
    const sends: Sends = { at: [], paid: 0 };

    const digestSlot = digestRunSlot(message.articleId);
    if (message.userIds.length > 0 && digestSlot !== undefined) {
      const build = this.deps.buildDigest;
      if (!build) throw new Error('a digest run reached a sender without buildDigest');
      const topicsOn = await this.readersWithTopicsOn(message.userIds);
      const outcomes = await Promise.all(
        message.userIds.map((userId) =>
          this.limiter.run(() =>
            this.processRecipient(
              message.articleId,
              userId,
              (perAuthor) => build(userId, digestSlot, { perAuthor }),
              ctx,
              { perAuthor: topicsOn.has(userId) },
            ),
          ),
        ),
      );
      retry = countOutcomes(outcomes, tally, decided, sends);
    } else if (message.userIds.length > 0) {
      const meta = await this.deps.articles.getArticle(message.articleId);
      if (!meta) {
        // Right after publication an eventually consistent read may not see the article yet;
        // only on the last delivery is it treated as gone (deleted before its alert went out).
        if (ctx.receiveCount < this.options.maxReceiveCount) {
          this.deps.logger.warn('alert article not found; leaving the batch for a redelivery', {
            articleId: message.articleId,
            batchId: message.batchId,
          });
          return { complete: false, decided, retry: message.userIds.length };
        }
        this.deps.logger.error('alert article is gone; counting its recipients as failed', {
          articleId: message.articleId,
          batchId: message.batchId,
        });
        tally.failed = message.userIds.length;
        decided.failed = message.userIds.length;
      } else {
        // Drawn once per language in the message, not per recipient.
        const contents = new Map<string | undefined, DigestContent>();
        const renderGroup = this.deps.renderGroupAlert;
        const contentFor = (userId: number): DigestContent => {
          const locale = message.locales?.[String(userId)];
          const group = userId < 0 && renderGroup !== undefined;
          const key = group ? GROUP_VIEW : locale;
          let content = contents.get(key);
          if (content === undefined) {
            const view: View = {
              ...(group ? renderGroup(meta) : this.deps.renderAlert(meta, locale)),
              author: { handle: meta.authorHandle, name: meta.authorName },
            };
            content = {
              views: [message.silent ? { ...view, disable_notification: true } : view],
              sent: async () => undefined,
            };
            contents.set(key, content);
          }
          return content;
        };
        const topicsOn = await this.readersWithTopicsOn(message.userIds);
        const outcomes = await Promise.all(
          message.userIds.map((userId) => {
            const threadId = message.threads?.[String(userId)];
            return this.limiter.run(() =>
              this.processRecipient(meta.id, userId, async () => contentFor(userId), ctx, {
                perAuthor: topicsOn.has(userId),
                ...(threadId !== undefined ? { threadId } : {}),
              }),
            );
          }),
        );
        retry = countOutcomes(outcomes, tally, decided, sends);
      }
    }
    // Send times and paid sends of recipients that must wait for a redelivery are lost with
    // this delivery's tally: the histogram then misses them (a retried batch is rare; its
    // counts stay exact).
    if (retry > 0) return { complete: false, decided, retry };

    let histogram: DeliveryHistogram | undefined;
    if (sends.at.length > 0) {
      const { startedAtMs } = await this.deps.alerts.layout(message.articleId);
      histogram = new Map();
      for (const at of sends.at) recordDelivery(histogram, at - startedAtMs);
    }
    const { run } = await this.deps.alerts.countBatch(message.articleId, message.batchId, tally, {
      ...(histogram ? { histogram } : {}),
      ...(sends.paid > 0 ? { paidMessages: sends.paid } : {}),
    });
    this.paidBudget.tallied(message.articleId, run.paidMessages, sends.paid);
    const report = await this.finishRun(run, ctx);
    return { complete: true, decided, retry: 0, ...(report ? { report } : {}) };
  }

  /**
   * When the run is complete, claims its report (exactly one caller wins), adds the sent
   * count to the article's `alertsSent`, and tells every admin. A run with no subscribers
   * is marked done without a report (a bulk import would otherwise flood the admins).
   */
  private async finishRun(run: AlertRun, ctx: MessageContext): Promise<AlertReport | undefined> {
    if (run.done || !isRunComplete(run)) return undefined;
    if (!(await this.deps.alerts.claimReport(run.articleId))) return undefined;
    const report = reportOf(run);
    try {
      // A digest run is no article: its count stays in its report.
      if (run.sent > 0 && digestRunSlot(run.articleId) === undefined)
        await this.deps.articles.addToCounter(run.articleId, 'alertsSent', run.sent);
    } catch (err) {
      // Give the claim back so the redelivery of this message finishes the job.
      await this.deps.alerts.releaseReport(run.articleId);
      throw err;
    }
    this.deps.logger.info('alert run done', { ...report });
    // A digest run comes every 15 minutes: its report reaches the admins only when something
    // went wrong (it is always logged above, with its counts).
    const digest = digestRunSlot(run.articleId) !== undefined;
    const troubled = run.blocked + run.failed + run.unconfirmed > 0;
    if (run.total > 0 && (!digest || troubled)) await this.sendReport(report, ctx);
    // Only now: a restart before this point finds the run open and finishes the report.
    await this.deps.alerts.closeRun(run.articleId);
    return report;
  }

  /** The report goes to each admin at most once; an admin who cannot be reached is logged. */
  private async sendReport(report: AlertReport, ctx: MessageContext): Promise<void> {
    const view: View = { text: reportText(report) };
    for (const adminId of this.deps.adminIds) {
      const outcome = await this.deliver(adminId, view, ctx.deadline);
      if (outcome.kind !== 'sent') {
        this.deps.logger.warn('delivery report not sent', {
          adminId,
          articleId: report.articleId,
          outcome: outcome.kind,
          ...('reason' in outcome ? { reason: outcome.reason } : {}),
        });
      }
    }
  }

  /**
   * The readers of a queue message (not groups: negative ids) who want each author in their own
   * topic, read in one BatchGetItem per 100 (none without the topic store).
   */
  private async readersWithTopicsOn(userIds: readonly number[]): Promise<Set<number>> {
    const topics = this.deps.readerTopics;
    if (!topics) return new Set();
    return topics.withTopicsOn(userIds.filter((id) => id > 0));
  }

  /**
   * Claims one recipient, then prepares what they get (an alert's card, or their digest read
   * only once they are claimed, so two deliveries never build it twice) and sends it.
   */
  private async processRecipient(
    articleId: string,
    userId: number,
    prepare: (perAuthor: boolean) => Promise<DigestContent | undefined>,
    ctx: MessageContext,
    where: { perAuthor: boolean; threadId?: number },
  ): Promise<RecipientOutcome> {
    const { threadId } = where;
    const { alerts } = this.deps;
    const key = `${articleId}/${userId}`;
    const known = this.unrecorded.get(key);
    if (known) {
      // Sent by this process, its outcome write failed: record it now, never send again.
      const recorded = await alerts.finishRecipient(
        articleId,
        userId,
        known.owner,
        known.status,
        known.reason,
      );
      this.unrecorded.delete(key);
      if (recorded) return { status: known.status, decided: true };
      return foundOutcome(await alerts.recipientStatus(articleId, userId));
    }
    if (ctx.deadline !== undefined && this.clock.now() >= ctx.deadline)
      return { status: 'retry', decided: false };
    const owner = randomUUID();
    const claim = await alerts.claimRecipient(articleId, userId, owner, this.options.leaseMs, this.instance);
    if (!claim.claimed) return this.settleClaimed(articleId, userId, claim);

    let delivery: Delivery = { kind: 'sent', at: this.clock.now(), paid: false };
    let content: DigestContent | undefined;
    let parts = 0;
    let paidParts = 0;
    try {
      const topics = where.perAuthor ? this.deps.readerTopics : undefined;
      const perAuthor = topics !== undefined;
      content = await prepare(perAuthor);
      // Parts go in order; the first that does not go out decides (a redelivery sends all again).
      for (const view of content?.views ?? []) {
        delivery =
          perAuthor && topics && view.author
            ? await this.deliverToReaderTopic(topics, userId, view, view.author, ctx.deadline, articleId)
            : await this.deliverToGroupOrUser(userId, view, ctx.deadline, {
                paidFor: articleId,
                ...(threadId !== undefined ? { threadId } : {}),
              });
        if (delivery.kind !== 'sent') break;
        parts += 1;
        if (delivery.paid) paidParts += 1;
      }
    } catch (err) {
      await alerts.releaseRecipient(articleId, userId, owner).catch(() => undefined);
      throw err;
    }
    if (delivery.kind === 'sent' && content) {
      // Its entries go only once it was sent; if this fails they are listed again next time.
      await content.sent().catch((err: unknown) =>
        this.deps.logger.error('digest sent but its entries were not cleared', {
          userId,
          error: err as Error,
        }),
      );
    }

    let status: Exclude<FinalStatus, 'unconfirmed'> | 'retry';
    let reason: string | undefined;
    switch (delivery.kind) {
      case 'sent':
        status = 'sent';
        if (!content) reason = 'nothing to send';
        break;
      case 'unreachable':
        // Out of the fan-out index before the outcome is recorded: a crash in between
        // repeats the 403 and the marking, never the other way round. Nothing was delivered,
        // so a failed marking gives the recipient back.
        try {
          // A group that removed the bot stops following; a reader is marked inactive.
          if (userId < 0 && this.deps.groups) await this.deps.groups.removeChat(userId);
          else await this.deps.subscriptions.setUserActive(userId, false);
        } catch (err) {
          await alerts.releaseRecipient(articleId, userId, owner).catch(() => undefined);
          throw err;
        }
        status = 'blocked';
        reason = delivery.reason;
        break;
      case 'rejected':
        this.deps.logger.error('Telegram rejected an alert', { articleId, userId, reason: delivery.reason });
        status = 'failed';
        reason = delivery.reason;
        break;
      case 'gave-up':
        status = ctx.receiveCount >= this.options.maxReceiveCount ? 'failed' : 'retry';
        reason = delivery.reason;
        break;
      case 'moved':
      case 'thread-gone':
        // Only a second move in a row gets here (deliverToGroupOrUser follows one).
        status = 'failed';
        reason = delivery.kind;
        break;
    }
    if (status === 'retry') {
      await alerts.releaseRecipient(articleId, userId, owner);
      return { status, decided: false };
    }
    let recorded: boolean;
    try {
      recorded = await alerts.finishRecipient(articleId, userId, owner, status, reason);
    } catch (err) {
      // The message went out; only its record failed (e.g. throttling). Keep the outcome for
      // the redelivery, which records it instead of sending again.
      this.unrecorded.set(key, { owner, status, ...(reason !== undefined ? { reason } : {}) });
      throw err;
    }
    if (!recorded) {
      // Our claim was settled `unconfirmed` by another worker after its lease ran out: that
      // worker counted it. leaseMs is too short for this pipeline if this shows up.
      this.deps.logger.warn('alert claim settled by another worker before the outcome was recorded', {
        articleId,
        userId,
      });
      return foundOutcome(await alerts.recipientStatus(articleId, userId));
    }
    return {
      status,
      decided: true,
      ...(delivery.kind === 'sent' && parts > 0 ? { sent: { at: delivery.at, paid: paidParts } } : {}),
    };
  }

  /**
   * A recipient someone else claimed. Final: an earlier delivery finished it (count it, send
   * nothing). `sending` by a live sender: leave it to the redelivery. `sending` by a sender
   * that is gone (lease run out, or a previous run of a single-instance runtime): settle it
   * `unconfirmed`, never resend.
   */
  private async settleClaimed(
    articleId: string,
    userId: number,
    claim: Extract<ClaimResult, { claimed: false }>,
  ): Promise<RecipientOutcome> {
    if (claim.status !== 'sending' || claim.leaseUntil === undefined) return foundOutcome(claim.status);
    const gone =
      claim.leaseUntil < this.clock.now() ||
      (this.options.singleInstance && claim.instance !== this.instance);
    if (!gone) return { status: 'retry', decided: false };
    const settled = await this.deps.alerts.reconcile(articleId, userId, claim.leaseUntil);
    if (!settled.settled) return foundOutcome(settled.status);
    this.deps.logger.warn('alert recipient settled as unconfirmed: its sender stopped after claiming it', {
      articleId,
      userId,
    });
    return { status: 'unconfirmed', decided: true };
  }

  /**
   * {@link deliver} into the reader's topic for `author` (opened on the first message about
   * them), or into their main chat when there is none or Telegram refuses one (reader-topics.ts).
   * A topic found gone is forgotten and this message goes to the main chat.
   */
  private async deliverToReaderTopic(
    topics: ReaderTopicStore,
    userId: number,
    view: View,
    author: AboutAuthor,
    deadline: number | undefined,
    paidFor: string,
  ): Promise<Delivery> {
    const threadId = await readerTopicFor(
      topics,
      userId,
      author,
      (name) => this.openTopic(userId, name, deadline),
      this.clock.now(),
    );
    if (threadId === undefined) return this.deliver(userId, view, deadline, { paidFor });
    const first = await this.deliver(userId, view, deadline, { paidFor, threadId });
    if (first.kind !== 'thread-gone') return first;
    await topics.forget(userId, author.handle, threadId);
    this.deps.logger.info("reader's topic is gone; sending to the chat", { userId, threadId });
    return this.deliver(userId, view, deadline, { paidFor });
  }

  /**
   * Asks Telegram for a topic in a private chat, paced like any send; one try (a failure sends
   * this message to the main chat, the next message tries again).
   */
  private async openTopic(chatId: number, name: string, deadline: number | undefined): Promise<TopicOpening> {
    const create = this.deps.transport.createTopic;
    if (!create) return { kind: 'failed', reason: 'the transport cannot open topics' };
    try {
      await this.deps.pacer.acquire(deadline);
    } catch (err) {
      if (err instanceof PacerDeadlineError) return { kind: 'failed', reason: 'deadline' };
      throw err;
    }
    this.stats.attempts += 1;
    try {
      const threadId = await create.call(
        this.deps.transport,
        chatId,
        name,
        AbortSignal.timeout(this.options.requestTimeoutMs),
      );
      return { kind: 'opened', threadId };
    } catch (err) {
      const failure = classifyTelegramError(err);
      if (failure.kind === 'rejected' && /the chat is not a forum/.test(failure.reason))
        return { kind: 'refused' };
      this.deps.logger.warn('could not open a topic in a private chat', { chatId, failure: failure.kind });
      return { kind: 'failed', reason: failure.kind };
    }
  }

  /**
   * {@link deliver}, following a group where Telegram says it went: to the supergroup it became
   * (its subscriptions move there), or out of a deleted forum topic into the chat. Once each.
   */
  private async deliverToGroupOrUser(
    chatId: number,
    view: View,
    deadline: number | undefined,
    opts: DeliverOptions,
  ): Promise<Delivery> {
    const first = await this.deliver(chatId, view, deadline, opts);
    // A second try goes to the chat itself, never to a topic.
    const { threadId, ...inChat } = opts;
    const { groups } = this.deps;
    if (!groups) return first;
    if (first.kind === 'moved') {
      await groups.migrateChat(chatId, first.to);
      this.deps.logger.info('group became a supergroup; its subscriptions moved', { chatId, to: first.to });
      return this.deliver(first.to, view, deadline, inChat);
    }
    if (first.kind === 'thread-gone' && threadId !== undefined) {
      await groups.leaveTopic(chatId, threadId);
      this.deps.logger.info("group's forum topic is gone; its subscriptions moved to the chat", {
        chatId,
        threadId,
      });
      return this.deliver(chatId, view, deadline, inChat);
    }
    return first;
  }

  /**
   * Sends one message with the pacing and retry policy above; never throws for Telegram's
   * answers. `paidFor`: the run whose Stars budget may pay for it (alerts); absent, free only
   * (the delivery report).
   */
  private async deliver(
    chatId: number,
    view: View,
    deadline: number | undefined,
    { paidFor, threadId }: DeliverOptions = {},
  ): Promise<Delivery> {
    const o = this.options;
    let transient = 0;
    let limited = 0;
    for (;;) {
      let grant: Grant;
      let mayPay: boolean;
      try {
        mayPay = paidFor !== undefined && this.paidBudget.allows(paidFor);
        grant = await this.deps.pacer.acquire(deadline, { paid: mayPay });
      } catch (err) {
        if (err instanceof PacerDeadlineError) return { kind: 'gave-up', reason: 'deadline' };
        throw err;
      }
      this.stats.attempts += 1;
      let failure: ReturnType<typeof classifyTelegramError>;
      try {
        // Telegram counts every message of the bot against its free rate: while this run may
        // pay, each of its sends carries the flag (Telegram charges only those above the free
        // rate); `grant.paid` is this process's count of which those are.
        await this.deps.transport.sendHtml(chatId, view, AbortSignal.timeout(o.requestTimeoutMs), {
          paidBroadcast: mayPay,
          ...(threadId !== undefined ? { threadId } : {}),
        });
        this.flood.record(false);
        if (grant.paid && paidFor !== undefined) this.paidBudget.granted(paidFor);
        return { kind: 'sent', at: this.clock.now(), paid: grant.paid };
      } catch (err) {
        const movedTo = (err as { parameters?: { migrate_to_chat_id?: number } }).parameters
          ?.migrate_to_chat_id;
        if (movedTo !== undefined) return { kind: 'moved', to: movedTo };
        failure = classifyTelegramError(err);
        if (
          failure.kind === 'rejected' &&
          threadId !== undefined &&
          /message thread not found/.test(failure.reason)
        )
          return { kind: 'thread-gone' };
        if (failure.kind === 'unknown') {
          this.deps.logger.error('unexpected error sending an alert', { chatId, error: err as Error });
        }
      }
      let waitMs: number;
      if (failure.kind === 'rate-limited') {
        this.stats.rateLimited += 1;
        waitMs = failure.retryAfter * 1000;
        if (this.flood.record(true)) {
          this.stats.globalPauses += 1;
          this.deps.pacer.pause(waitMs + o.floodResumeGapMs);
          this.deps.logger.warn('Telegram is rate limiting the bot; pausing every send', {
            retryAfter: failure.retryAfter,
          });
        }
        limited += 1;
        if (limited > o.maxRateLimitRetries) return { kind: 'gave-up', reason: `429 ${limited} times` };
      } else {
        this.flood.record(false);
        if (failure.kind === 'unreachable' || failure.kind === 'rejected') return failure;
        // transient or unknown: back off and retry a few times.
        this.stats.transientErrors += 1;
        transient += 1;
        if (transient >= o.maxAttempts)
          return { kind: 'gave-up', reason: `${failure.kind} error ${transient} times` };
        waitMs = o.backoffBaseMs * 2 ** (transient - 1) * (0.5 + Math.random() / 2);
      }
      if (deadline !== undefined && this.clock.now() + waitMs >= deadline)
        return { kind: 'gave-up', reason: 'deadline' };
      await this.clock.sleep(waitMs);
    }
  }
}

/** Builds the sender of a process (one per Lambda container, one per local runtime). */
export function createAlertSender(deps: SenderDeps): AlertSender {
  return new AlertSender(deps);
}
