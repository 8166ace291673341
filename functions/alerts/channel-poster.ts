/**
 * Channel auto-posting: each new article is posted once, as a card, to every connected channel
 * whose rule wants it; an edit of the article edits those posts; a deleted article's posts are
 * deleted (or marked, once Telegram's 48 hours for deleting have passed).
 *
 * Driven by the table's stream like the alert fan-out, through its own event source
 * (CHANNEL_STREAM_FILTER_PATTERNS in stream-filter.ts): a new article's INSERT, an edit's card
 * revision (`CARDREV`), an article's REMOVE. Channels are few (≤ 200), so the posts are sent
 * from the stream handler itself, through the same {@link Pacer} as the alerts in one process,
 * and at most one message per {@link ChannelPosterOptions.perChatSpacingMs} into any one
 * channel (Telegram allows about 20 a minute in one chat).
 *
 * Exactly once per (article, channel), as for alert recipients: the post is claimed with a
 * conditional write before the send and its message id recorded after; a claim whose sender
 * died is settled `unconfirmed` and never posted again. A post that could not be sent yet (5xx,
 * too many 429s, the deadline) is given back and the stream record retried; a post Telegram
 * refuses because the bot was removed or lost its rights pauses the channel, and only the call
 * that paused it tells the admins. When every post of an article is final, one delivery report
 * goes to the admins (claimed once).
 */
import { randomUUID } from 'node:crypto';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { Telegram } from 'telegraf';
import { type Channel, type ChannelPost, channelWants } from '../core/channels';
import type { ArticleMeta } from '../core/model';
import type { ArticleRepositoryPort } from '../core/ports';
import { escapeHtml } from '../core/text';
import { type ChannelRepository, postFingerprint } from '../store/channel-repository';
import { KIND, SK_META } from '../store/keys';
import { classifyTelegramError } from '../telegram/errors';
import { type Clock, type Pacer, PacerDeadlineError, systemClock } from './pacer';
import type { View } from './sender';

/** How the poster reaches Telegram. Each rejects with what Telegram answered (telegraf's TelegramError). */
export interface ChannelTransport {
  send(chatId: number, view: View, signal: AbortSignal): Promise<{ messageId: number }>;
  edit(chatId: number, messageId: number, view: View, signal: AbortSignal): Promise<void>;
  remove(chatId: number, messageId: number, signal: AbortSignal): Promise<void>;
}

type CallOptions = NonNullable<Parameters<Telegram['callApi']>[2]>;
// telegraf types the signal as the abort-controller polyfill's; Node's own AbortSignal is what
// node-fetch receives and honours.
const opts = (signal: AbortSignal): CallOptions => ({ signal: signal as unknown as CallOptions['signal'] });
const html = (view: View) => ({
  text: view.text,
  parse_mode: 'HTML' as const,
  link_preview_options: { is_disabled: true },
  ...(view.reply_markup ? { reply_markup: view.reply_markup } : {}),
});

/** A {@link ChannelTransport} over telegraf's `Telegram` client. */
export function telegrafChannelTransport(telegram: Pick<Telegram, 'callApi'>): ChannelTransport {
  return {
    async send(chatId, view, signal) {
      const message = await telegram.callApi('sendMessage', { chat_id: chatId, ...html(view) }, opts(signal));
      return { messageId: message.message_id };
    },
    async edit(chatId, messageId, view, signal) {
      await telegram.callApi(
        'editMessageText',
        { chat_id: chatId, message_id: messageId, ...html(view) },
        opts(signal),
      );
    },
    async remove(chatId, messageId, signal) {
      await telegram.callApi('deleteMessage', { chat_id: chatId, message_id: messageId }, opts(signal));
    },
  };
}

export interface ChannelPosterOptions {
  /** Least time between two messages into one channel from this process (Telegram: ~20 a minute). */
  perChatSpacingMs: number;
  /** How long a claim protects a post; longer than one post's handling. */
  leaseMs: number;
  /** Attempts per post on 5xx/timeouts before giving it back to the stream's retry. */
  maxAttempts: number;
  /** 429 answers waited out per post before giving it back. */
  maxRateLimitRetries: number;
  requestTimeoutMs: number;
  backoffBaseMs: number;
  /** Channels posted to at once. */
  concurrency: number;
}

export const DEFAULT_CHANNEL_POSTER_OPTIONS: ChannelPosterOptions = {
  perChatSpacingMs: 3_000,
  leaseMs: 5 * 60_000,
  maxAttempts: 4,
  maxRateLimitRetries: 3,
  requestTimeoutMs: 10_000,
  backoffBaseMs: 250,
  concurrency: 8,
};

/** Telegram deletes a message only within 48 hours of its sending; older posts are marked instead. */
export const DELETE_WINDOW_MS = 48 * 3_600_000;

export interface ChannelPosterDeps {
  channels: ChannelRepository;
  articles: Pick<ArticleRepositoryPort, 'getArticle'>;
  transport: ChannelTransport;
  /** The process's pacer, shared with the alert sender (one rate for everything the bot sends). */
  pacer: Pacer;
  logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  /** Who is told about paused channels and gets the delivery report. */
  adminIds: readonly number[];
  /** The card posted in a channel (the bot draws it: its text and deep-link buttons). */
  renderPost: (meta: ArticleMeta) => View;
  /** What a post becomes when its article was deleted and the post is too old to delete. */
  renderRemoved: (title: string) => View;
  clock?: Clock;
  options?: Partial<ChannelPosterOptions>;
}

/** What posting one article did, counted over every channel that wanted it (final outcomes only). */
export interface ChannelReport {
  articleId: string;
  title: string;
  posted: number;
  failed: number;
  unconfirmed: number;
  /** Channels paused by this article's posts (the bot removed, or its right to post taken away). */
  paused: number[];
}

/** Some posts of an article are left for the stream's retry (5xx, 429s, the deadline). */
export class ChannelRetryError extends Error {
  override name = 'ChannelRetryError';
}

type Delivery<T> =
  | { kind: 'done'; value: T }
  | { kind: 'refused'; reason: string; pause: boolean }
  | { kind: 'gave-up'; reason: string };

/** A refusal that means the channel is out of reach for the bot (removed, kicked, rights taken away). */
function refusalPauses(kind: 'unreachable' | 'rejected', reason: string): boolean {
  return kind === 'unreachable' || /rights|CHAT_WRITE_FORBIDDEN|not enough/i.test(reason);
}

/** The delivery report's text (HTML; the title is escaped). */
export function channelReportText(r: ChannelReport): string {
  const parts = [`${r.posted} posted`, `${r.failed} failed`];
  if (r.unconfirmed > 0) parts.push(`${r.unconfirmed} unconfirmed`);
  const paused = r.paused.length > 0 ? ` Paused: ${r.paused.join(', ')}.` : '';
  return `Channels for “${escapeHtml(r.title)}”: ${parts.join(', ')}.${paused}`;
}

/** What the admins are told, once, when a channel pauses itself. */
export function channelPausedText(chatId: number, title: string | undefined, reason: string): string {
  const name = title !== undefined ? `“${escapeHtml(title)}” (${chatId})` : String(chatId);
  return `Channel ${name} is paused: Telegram refused a post (${escapeHtml(reason)}). Give the bot back its right to post, then resume it with /channels or PATCH /admin/channels/${chatId}.`;
}

export class ChannelPoster {
  readonly options: ChannelPosterOptions;
  private readonly clock: Clock;
  /** When each channel may next get a message from this process. */
  private readonly nextInChat = new Map<number, number>();

  constructor(private readonly deps: ChannelPosterDeps) {
    this.options = { ...DEFAULT_CHANNEL_POSTER_OPTIONS, ...deps.options };
    this.clock = deps.clock ?? systemClock;
  }

  /**
   * Posts a new article to every active channel whose rule wants it, once each.
   *
   * @throws ChannelRetryError when some posts are left for a retry (the others are recorded).
   */
  async postArticle(meta: ArticleMeta, deadline?: number): Promise<ChannelReport> {
    const wanted = (await this.deps.channels.listChannels()).filter((c) => channelWants(c, meta));
    const report: ChannelReport = {
      articleId: meta.id,
      title: meta.title,
      posted: 0,
      failed: 0,
      unconfirmed: 0,
      paused: [],
    };
    if (wanted.length === 0) return report;
    const view = this.deps.renderPost(meta);
    const outcomes = await this.eachLimited(wanted, (c) => this.postTo(meta.id, c, view, deadline, report));
    const retry = outcomes.filter((o) => o === 'retry').length;
    for (const o of outcomes) if (o !== 'retry') report[o] += 1;
    if (retry > 0) throw new ChannelRetryError(`${retry} channel post(s) of ${meta.id} left for a retry`);
    if (await this.deps.channels.claimReport(meta.id))
      await this.tellAdmins(channelReportText(report), deadline);
    this.deps.logger.info('channel posts done', { ...report });
    return report;
  }

  /**
   * Brings an article's posts in line with its card after an edit: each sent post whose text
   * changed is edited (posts in paused or disconnected channels are left alone).
   *
   * @throws ChannelRetryError when an edit could not be made yet.
   */
  async syncArticle(articleId: string, deadline?: number): Promise<{ edited: number }> {
    const posts = (await this.deps.channels.postsOf(articleId)).filter(
      (p) => p.status === 'sent' && !p.removed,
    );
    if (posts.length === 0) return { edited: 0 };
    const meta = await this.deps.articles.getArticle(articleId, true);
    if (!meta) return { edited: 0 };
    const view = this.deps.renderPost(meta);
    const hash = postFingerprint(view);
    const active = await this.activeChannels();
    let edited = 0;
    let retry = 0;
    for (const post of posts) {
      if (post.textHash === hash || post.messageId === undefined) continue;
      const channel = active.get(post.chatId);
      if (!channel) continue;
      const messageId = post.messageId;
      const out = await this.deliver(post.chatId, deadline, async (signal) => {
        try {
          await this.deps.transport.edit(post.chatId, messageId, view, signal);
        } catch (err) {
          // Already showing this text (an edit whose record was lost): nothing to do.
          if (/message is not modified/.test(String((err as { description?: string }).description))) return;
          throw err;
        }
      });
      if (out.kind === 'done') {
        await this.deps.channels.recordEdit(articleId, post.chatId, hash);
        edited += 1;
      } else if (out.kind === 'refused') await this.refused(channel, out);
      else retry += 1;
    }
    if (retry > 0) throw new ChannelRetryError(`${retry} channel edit(s) of ${articleId} left for a retry`);
    return { edited };
  }

  /**
   * An article was deleted: its posts are deleted, or — older than Telegram's 48 hours, or
   * refused — edited to say the article was removed.
   *
   * @throws ChannelRetryError when a post could not be handled yet.
   */
  async removeArticle(
    articleId: string,
    title: string,
    deadline?: number,
  ): Promise<{ deleted: number; marked: number }> {
    const posts = (await this.deps.channels.postsOf(articleId)).filter(
      (p) => p.status === 'sent' && !p.removed,
    );
    const active = await this.activeChannels();
    let deleted = 0;
    let marked = 0;
    let retry = 0;
    for (const post of posts) {
      const channel = active.get(post.chatId);
      if (!channel || post.messageId === undefined) continue;
      const out = await this.removePost(post, post.messageId, title, deadline);
      if (out === 'deleted') deleted += 1;
      else if (out === 'marked') marked += 1;
      else if (out === 'refused')
        // The bot can neither delete nor edit there any more (removed, rights taken): nothing to do.
        this.deps.logger.warn('channel post of a deleted article left as it is', {
          articleId,
          chatId: post.chatId,
        });
      else retry += 1;
    }
    if (retry > 0) throw new ChannelRetryError(`${retry} channel post(s) of ${articleId} not removed yet`);
    return { deleted, marked };
  }

  private async removePost(
    post: ChannelPost,
    messageId: number,
    title: string,
    deadline: number | undefined,
  ): Promise<'deleted' | 'marked' | 'refused' | 'retry'> {
    const young = post.postedAt !== undefined && this.clock.now() - post.postedAt < DELETE_WINDOW_MS - 60_000;
    if (young) {
      const out = await this.deliver(post.chatId, deadline, (signal) =>
        this.deps.transport.remove(post.chatId, messageId, signal),
      );
      if (out.kind === 'done') {
        await this.deps.channels.recordRemoved(post.articleId, post.chatId, 'deleted');
        return 'deleted';
      }
      if (out.kind === 'gave-up') return 'retry';
      // "message can't be deleted" (the clocks disagree on the 48 hours): mark it instead.
    }
    const out = await this.deliver(post.chatId, deadline, (signal) =>
      this.deps.transport.edit(post.chatId, messageId, this.deps.renderRemoved(title), signal),
    );
    if (out.kind === 'done') {
      await this.deps.channels.recordRemoved(post.articleId, post.chatId, 'marked');
      return 'marked';
    }
    return out.kind === 'gave-up' ? 'retry' : 'refused';
  }

  private async activeChannels(): Promise<Map<number, Channel>> {
    const all = await this.deps.channels.listChannels();
    return new Map(all.filter((c) => c.status === 'active').map((c) => [c.chatId, c]));
  }

  private async postTo(
    articleId: string,
    channel: Channel,
    view: View,
    deadline: number | undefined,
    report: ChannelReport,
  ): Promise<'posted' | 'failed' | 'unconfirmed' | 'retry'> {
    const { channels } = this.deps;
    const owner = randomUUID();
    const claim = await channels.claimPost(articleId, channel.chatId, owner, this.options.leaseMs);
    if (!claim.claimed) return this.settleFound(articleId, claim.post);
    let out: Delivery<{ messageId: number }>;
    try {
      out = await this.deliver(channel.chatId, deadline, (signal) =>
        this.deps.transport.send(channel.chatId, view, signal),
      );
    } catch (err) {
      await channels.finishPost(articleId, channel.chatId, owner, { status: 'retry' }).catch(() => undefined);
      throw err;
    }
    if (out.kind === 'done') {
      await channels.finishPost(articleId, channel.chatId, owner, {
        status: 'sent',
        messageId: out.value.messageId,
        textHash: postFingerprint(view),
      });
      return 'posted';
    }
    if (out.kind === 'gave-up') {
      await channels.finishPost(articleId, channel.chatId, owner, { status: 'retry' });
      return 'retry';
    }
    if (await this.refused(channel, out)) report.paused.push(channel.chatId);
    await channels.finishPost(articleId, channel.chatId, owner, { status: 'failed', reason: out.reason });
    return 'failed';
  }

  /** A post someone else claimed: final → its outcome; a live claim → retry later; a dead one → unconfirmed. */
  private async settleFound(
    articleId: string,
    post: ChannelPost | undefined,
  ): Promise<'posted' | 'failed' | 'unconfirmed' | 'retry'> {
    if (!post) return 'retry';
    if (post.status === 'sent') return 'posted';
    if (post.status === 'failed') return 'failed';
    if (post.status === 'unconfirmed') return 'unconfirmed';
    if (post.status === 'sending' && post.leaseUntil !== undefined && post.leaseUntil < this.clock.now()) {
      if (await this.deps.channels.settleUnconfirmed(articleId, post.chatId, post.leaseUntil)) {
        this.deps.logger.warn('channel post settled as unconfirmed: its sender stopped after claiming it', {
          articleId,
          chatId: post.chatId,
        });
        return 'unconfirmed';
      }
    }
    return 'retry';
  }

  /** Pauses the channel on a refusal that means the bot cannot post there; the pausing call tells the admins. True when this call paused it. */
  private async refused(channel: Channel, out: { reason: string; pause: boolean }): Promise<boolean> {
    if (!out.pause) {
      this.deps.logger.error('Telegram refused a channel post', {
        chatId: channel.chatId,
        reason: out.reason,
      });
      return false;
    }
    const paused = await this.deps.channels.pauseForFailure(channel.chatId, out.reason);
    if (paused) {
      this.deps.logger.warn('channel paused: Telegram refused a post', {
        chatId: channel.chatId,
        reason: out.reason,
      });
      await this.tellAdmins(channelPausedText(channel.chatId, channel.title, out.reason), undefined);
    }
    return paused;
  }

  private async tellAdmins(text: string, deadline: number | undefined): Promise<void> {
    for (const adminId of this.deps.adminIds) {
      const out = await this.deliver(adminId, deadline, (signal) =>
        this.deps.transport.send(adminId, { text }, signal),
      );
      if (out.kind !== 'done')
        this.deps.logger.warn('admin not told about channels', { adminId, reason: out.reason });
    }
  }

  /** Waits for this chat's turn (per-chat spacing, then the shared pacer), with the retry policy. Never throws for Telegram's answers. */
  private async deliver<T>(
    chatId: number,
    deadline: number | undefined,
    call: (signal: AbortSignal) => Promise<T>,
  ): Promise<Delivery<T>> {
    const o = this.options;
    let transient = 0;
    let limited = 0;
    for (;;) {
      if (chatId < 0) {
        const at = Math.max(this.clock.now(), this.nextInChat.get(chatId) ?? 0);
        this.nextInChat.set(chatId, at + o.perChatSpacingMs);
        if (deadline !== undefined && at >= deadline) return { kind: 'gave-up', reason: 'deadline' };
        if (at > this.clock.now()) await this.clock.sleep(at - this.clock.now());
      }
      try {
        await this.deps.pacer.acquire(deadline);
      } catch (err) {
        if (err instanceof PacerDeadlineError) return { kind: 'gave-up', reason: 'deadline' };
        throw err;
      }
      let waitMs: number;
      try {
        return { kind: 'done', value: await call(AbortSignal.timeout(o.requestTimeoutMs)) };
      } catch (err) {
        const failure = classifyTelegramError(err);
        if (failure.kind === 'unreachable' || failure.kind === 'rejected')
          return {
            kind: 'refused',
            reason: failure.reason,
            pause: refusalPauses(failure.kind, failure.reason),
          };
        if (failure.kind === 'rate-limited') {
          limited += 1;
          if (limited > o.maxRateLimitRetries) return { kind: 'gave-up', reason: `429 ${limited} times` };
          waitMs = failure.retryAfter * 1000;
          // The chat's own limit: nothing else goes into it before retry_after either.
          if (chatId < 0) this.nextInChat.set(chatId, this.clock.now() + waitMs);
        } else {
          if (failure.kind === 'unknown')
            this.deps.logger.error('unexpected error posting to a channel', { chatId, error: err as Error });
          transient += 1;
          if (transient >= o.maxAttempts)
            return { kind: 'gave-up', reason: `${failure.kind} error ${transient} times` };
          waitMs = o.backoffBaseMs * 2 ** (transient - 1) * (0.5 + Math.random() / 2);
        }
      }
      if (deadline !== undefined && this.clock.now() + waitMs >= deadline)
        return { kind: 'gave-up', reason: 'deadline' };
      await this.clock.sleep(waitMs);
    }
  }

  private async eachLimited<T, R>(items: readonly T[], task: (item: T) => Promise<R>): Promise<R[]> {
    const out: R[] = new Array<R>(items.length);
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await task(items[i] as T);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, items.length) }, worker));
    return out;
  }
}

/** What a stream record asks of the poster. */
export type ChannelWork =
  | { kind: 'post'; meta: ArticleMeta }
  | { kind: 'sync'; articleId: string }
  | { kind: 'remove'; articleId: string; title: string };

/**
 * The poster's work for one stream record: a new article (INSERT of a meta item without
 * `silent`), an edit (INSERT or MODIFY of the card revision), a deletion (REMOVE of a meta
 * item). Anything else is undefined (the event filter drops it first; this is the backstop).
 */
export function channelWorkFromRecord(record: DynamoDBRecord): ChannelWork | undefined {
  const image = record.eventName === 'REMOVE' ? record.dynamodb?.OldImage : record.dynamodb?.NewImage;
  if (!image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>);
  if (item['kind'] === KIND.cardRevision && record.eventName !== 'REMOVE') {
    return typeof item['articleId'] === 'string' ? { kind: 'sync', articleId: item['articleId'] } : undefined;
  }
  if (item['kind'] !== KIND.article || item['sk'] !== SK_META) return undefined;
  if (typeof item['id'] !== 'string' || typeof item['title'] !== 'string') return undefined;
  if (record.eventName === 'REMOVE') return { kind: 'remove', articleId: item['id'], title: item['title'] };
  if (record.eventName !== 'INSERT' || item['silent'] === true) return undefined;
  return { kind: 'post', meta: item as unknown as ArticleMeta };
}

/** Runs one stream record's work. */
export async function runChannelWork(
  poster: ChannelPoster,
  work: ChannelWork,
  deadline?: number,
): Promise<void> {
  if (work.kind === 'post') await poster.postArticle(work.meta, deadline);
  else if (work.kind === 'sync') await poster.syncArticle(work.articleId, deadline);
  else await poster.removeArticle(work.articleId, work.title, deadline);
}

/** Time kept back from the invocation's remaining time: a post under way and its writes finish. */
const DEADLINE_MARGIN_MS = 12_000;

/** A channel-poster invocation: what the Lambda exports and what the local stream reader calls. */
export type ChannelStreamHandler = (
  event: DynamoDBStreamEvent,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
) => Promise<DynamoDBBatchResponse>;

/**
 * Builds the poster's stream handler: records in order; a record with posts left for later is
 * reported in `batchItemFailures`, so the stream retries from it and the claims already final
 * are not sent again.
 */
export function createChannelStreamHandler(
  poster: ChannelPoster,
  logger: Pick<Logger, 'debug' | 'warn' | 'error'>,
  now: () => number = Date.now,
): ChannelStreamHandler {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  return async (event, context) => {
    const deadline = now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS;
    const recordHandler = async (record: DynamoDBRecord): Promise<void> => {
      const work = channelWorkFromRecord(record);
      if (!work) {
        logger.debug('stream record ignored by the channel poster', { eventName: record.eventName });
        return;
      }
      try {
        await runChannelWork(poster, work, deadline);
      } catch (err) {
        const details = { work: work.kind, error: err as Error };
        if (err instanceof ChannelRetryError) logger.warn('channel posts left for the stream retry', details);
        else logger.error('channel posting failed; the stream will retry it', details);
        throw err;
      }
    };
    return processPartialResponse(event, recordHandler, processor, {
      context: context as Context,
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
  };
}
