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
 * Exactly once per (article, recipient) rests on a conditional lease per recipient (see
 * AlertRepository.claimRecipient); exact counts rest on tallying each batch once. When the
 * last batch is tallied, whoever claims the run's report tells the admins.
 *
 * Telegram has no idempotency key, so one duplicate is possible in one case only: a send
 * that reached Telegram but whose answer was lost (a timeout), retried. Nothing else resends.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Telegram } from 'telegraf';
import { articleCard, type View } from '../bot/views';
import type { ArticleMeta } from '../core/model';
import type { ArticleRepositoryPort, SubscriptionRepositoryPort } from '../core/ports';
import { escapeHtml } from '../core/text';
import { classifyTelegramError } from '../telegram/errors';
import {
  type AlertRepository,
  type AlertRun,
  type FinalStatus,
  isRunComplete,
  type Tally,
} from './alert-repository';
import { type Clock, FloodDetector, type Pacer, PacerDeadlineError, systemClock } from './pacer';
import type { AlertMessage } from './queue';

/** How the sender reaches Telegram: one HTML message with its keyboard. */
export interface AlertTransport {
  /** Rejects with what Telegram answered (telegraf's TelegramError) or the network error. */
  sendHtml(chatId: number, view: View, signal: AbortSignal): Promise<void>;
}

/** An {@link AlertTransport} over telegraf's `Telegram` client (`new Telegram(token, { apiRoot })`). */
export function telegrafTransport(telegram: Pick<Telegram, 'callApi'>): AlertTransport {
  return {
    async sendHtml(chatId, view, signal) {
      await telegram.callApi(
        'sendMessage',
        {
          chat_id: chatId,
          text: view.text,
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...(view.reply_markup ? { reply_markup: view.reply_markup } : {}),
        },
        // telegraf types the signal as the abort-controller polyfill's; Node's own
        // AbortSignal is what node-fetch actually receives and honours.
        { signal: signal as unknown as NonNullable<Parameters<Telegram['callApi']>[2]>['signal'] },
      );
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
}

export interface SenderDeps {
  alerts: AlertRepository;
  articles: Pick<ArticleRepositoryPort, 'getArticle' | 'addToCounter'>;
  subscriptions: Pick<SubscriptionRepositoryPort, 'setUserActive'>;
  transport: AlertTransport;
  /** Shared by every send of this process. */
  pacer: Pacer;
  logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  /** Who gets the delivery report. */
  adminIds: readonly number[];
  clock?: Clock;
  options?: Partial<SenderOptions>;
}

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

type Delivery =
  | { kind: 'sent' }
  | { kind: 'unreachable'; reason: string }
  | { kind: 'rejected'; reason: string }
  | { kind: 'gave-up'; reason: string };

type RecipientOutcome = { status: FinalStatus | 'retry'; decided: boolean };

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
  };
}

/** The delivery report's text (HTML; the title is escaped). */
export function reportText(report: AlertReport): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return `Alert for “${escapeHtml(report.title)}”: ${n(report.sent)} sent, ${n(report.blocked)} blocked, ${n(report.failed)} failed`;
}

/** The alert's heading above the article card. */
export function alertView(meta: ArticleMeta): View {
  return articleCard(meta, { heading: `New from ${meta.authorName}` });
}

/** Sends alert messages; build one per process with {@link createAlertSender}. */
export class AlertSender {
  readonly options: SenderOptions;
  readonly stats: SenderStats = { attempts: 0, rateLimited: 0, transientErrors: 0, globalPauses: 0 };
  private readonly clock: Clock;
  private readonly limiter: Limiter;
  private readonly flood: FloodDetector;

  constructor(private readonly deps: SenderDeps) {
    this.options = { ...defaultSenderOptions(deps.pacer.ratePerSecond), ...deps.options };
    this.clock = deps.clock ?? systemClock;
    this.limiter = new Limiter(this.options.concurrency);
    this.flood = new FloodDetector(this.options.flood.window, this.options.flood.ratio);
  }

  /**
   * Handles one delivery of one queue message. Reads the article once, sends to every
   * recipient not yet done, and tallies the batch when all are final.
   *
   * `complete: false` means some recipients are left for a redelivery (report the message
   * as failed to the queue); they were given back, so the redelivery handles them at once.
   */
  async processMessage(message: AlertMessage, ctx: MessageContext): Promise<MessageResult> {
    const decided: Tally = { sent: 0, blocked: 0, failed: 0 };
    const tally: Tally = { sent: 0, blocked: 0, failed: 0 };
    let retry = 0;

    if (message.userIds.length > 0) {
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
        const view = alertView(meta);
        const outcomes = await Promise.all(
          message.userIds.map((userId) =>
            this.limiter.run(() => this.processRecipient(meta.id, userId, view, ctx)),
          ),
        );
        for (const o of outcomes) {
          if (o.status === 'retry') retry += 1;
          else {
            tally[o.status] += 1;
            if (o.decided) decided[o.status] += 1;
          }
        }
      }
    }
    if (retry > 0) return { complete: false, decided, retry };

    const { run } = await this.deps.alerts.countBatch(message.articleId, message.batchId, tally);
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
    const report: AlertReport = {
      articleId: run.articleId,
      title: run.title,
      total: run.total,
      sent: run.sent,
      blocked: run.blocked,
      failed: run.failed,
    };
    try {
      if (run.sent > 0) await this.deps.articles.addToCounter(run.articleId, 'alertsSent', run.sent);
    } catch (err) {
      // Give the claim back so the redelivery of this message finishes the job.
      await this.deps.alerts.releaseReport(run.articleId);
      throw err;
    }
    this.deps.logger.info('alert run done', { ...report });
    if (run.total > 0) await this.sendReport(report, ctx);
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
          reason: outcome.reason,
        });
      }
    }
  }

  private async processRecipient(
    articleId: string,
    userId: number,
    view: View,
    ctx: MessageContext,
  ): Promise<RecipientOutcome> {
    if (ctx.deadline !== undefined && this.clock.now() >= ctx.deadline)
      return { status: 'retry', decided: false };
    const { alerts } = this.deps;
    const owner = randomUUID();
    const claim = await alerts.claimRecipient(articleId, userId, owner, this.options.leaseMs);
    if (!claim.claimed) {
      // Final: an earlier delivery finished it (count it, send nothing). Leased: another
      // worker is on it right now, or crashed holding it; the redelivery comes after the lease.
      return claim.status === 'sending' || claim.status === 'retry'
        ? { status: 'retry', decided: false }
        : { status: claim.status, decided: false };
    }

    let delivery: Delivery;
    try {
      delivery = await this.deliver(userId, view, ctx.deadline);
    } catch (err) {
      await alerts.releaseRecipient(articleId, userId, owner).catch(() => undefined);
      throw err;
    }

    let status: FinalStatus | 'retry';
    let reason: string | undefined;
    switch (delivery.kind) {
      case 'sent':
        status = 'sent';
        break;
      case 'unreachable':
        // Out of the fan-out index before the outcome is recorded: a crash in between
        // repeats the 403 and the marking, never the other way round.
        await this.deps.subscriptions.setUserActive(userId, false);
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
    }
    if (status === 'retry') {
      await alerts.releaseRecipient(articleId, userId, owner);
      return { status, decided: false };
    }
    const recorded = await alerts.finishRecipient(articleId, userId, owner, status, reason);
    if (!recorded) {
      // Our lease ran out and another worker took the recipient over: it records (and
      // counts) its own outcome. leaseMs is too short for this pipeline if this shows up.
      this.deps.logger.warn('alert lease lost before the outcome was recorded', { articleId, userId });
      return { status: 'retry', decided: false };
    }
    return { status, decided: true };
  }

  /** Sends one message with the pacing and retry policy above; never throws for Telegram's answers. */
  private async deliver(chatId: number, view: View, deadline: number | undefined): Promise<Delivery> {
    const o = this.options;
    let transient = 0;
    let limited = 0;
    for (;;) {
      try {
        await this.deps.pacer.acquire(deadline);
      } catch (err) {
        if (err instanceof PacerDeadlineError) return { kind: 'gave-up', reason: 'deadline' };
        throw err;
      }
      this.stats.attempts += 1;
      let failure: ReturnType<typeof classifyTelegramError>;
      try {
        await this.deps.transport.sendHtml(chatId, view, AbortSignal.timeout(o.requestTimeoutMs));
        this.flood.record(false);
        return { kind: 'sent' };
      } catch (err) {
        failure = classifyTelegramError(err);
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
          this.deps.pacer.pause(waitMs);
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
