/**
 * The alert queue between the fan-out and the sender: a port with an SQS implementation
 * (AWS) and an in-memory one (the local runtime and the tests), which copies the SQS
 * behaviour the sender relies on: at-least-once delivery, a receive count, a message that
 * failed becomes visible again after a delay, and a dead-letter list after too many tries.
 */
import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
// zod/mini: the sender and fan-out bundles need only this small schema (~20 kB, not ~440 kB).
import * as z from 'zod/mini';
import { digestRunSlot } from '../core/delivery';
import { ARTICLE_ID_PATTERN } from '../core/ids';
import type { CallCounter } from './call-counter';
import { type Clock, systemClock } from './pacer';

/** Recipients per queue message: a message is the unit SQS retries and the sender tallies. */
export const RECIPIENTS_PER_MESSAGE = 50;
/** SendMessageBatch's limit per call. */
export const MESSAGES_PER_SEND_BATCH = 10;
/** The batch id of the message the fan-out sends once every page is enqueued. */
export const END_BATCH_ID = 'end';

/**
 * One queue message: up to {@link RECIPIENTS_PER_MESSAGE} subscribers of one article.
 * `batchId` is deterministic per (article, page, chunk), so a fan-out retry re-sends the
 * same ids and the sender counts each batch once.
 */
export const alertMessageSchema = z.strictObject({
  /** An article id, or a digest run's id (`digest_<yyyymmddhhmm>`, never an article id: `_`). */
  articleId: z
    .string()
    .check(
      z.refine(
        (id) => ARTICLE_ID_PATTERN.test(id) || digestRunSlot(id) !== undefined,
        'must be an article id or a digest run id',
      ),
    ),
  batchId: z
    .string()
    .check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 characters of A–Z, a–z, 0–9, _ or -')),
  // A reader's user id, or a group's chat id (negative) for a group that follows the author.
  userIds: z
    .array(
      z.number().check(
        z.int('must be a chat id'),
        z.refine((n) => n !== 0, 'must be a chat id'),
      ),
    )
    .check(z.maxLength(RECIPIENTS_PER_MESSAGE, `must list at most ${RECIPIENTS_PER_MESSAGE} recipients`)),
  /** Sent with `disable_notification` (the recipients' quiet hours). */
  silent: z.optional(z.boolean()),
  /** The language of each recipient's alert (user id → locale) where known; English otherwise. */
  locales: z.optional(
    z.record(
      z.string().check(z.regex(/^\d{1,16}$/, 'must be a user id')),
      // A language tag (`ar`, and room for a regional one such as `pt-BR` should a locale need it).
      z.string().check(z.regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a language code')),
    ),
  ),
  /** The forum topic of a group recipient (`message_thread_id`), by chat id. */
  threads: z.optional(
    z.record(
      z.string().check(z.regex(/^-\d+$/, 'must be a group chat id')),
      z.number().check(z.int(), z.positive()),
    ),
  ),
});
export type AlertMessage = z.infer<typeof alertMessageSchema>;

/**
 * Parses a queue message body.
 *
 * @throws a zod error (or SyntaxError) when the body is not an alert message.
 */
export function parseAlertMessage(body: string): AlertMessage {
  return alertMessageSchema.parse(JSON.parse(body));
}

/** Where the fan-out puts alert messages. */
export interface AlertQueue {
  /** Enqueues every message (in calls of up to 10); resolves when all are accepted. */
  send(messages: readonly AlertMessage[]): Promise<void>;
}

/** Splits `items` into chunks of `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Rounds of re-sending the entries SQS reported as failed before giving up. */
const MAX_SEND_ROUNDS = 5;

/** {@link AlertQueue} on SQS: SendMessageBatch, 10 entries per call, failed entries retried. */
export class SqsAlertQueue implements AlertQueue {
  /**
   * @param client an SQS client (built once per cold start)
   * @param queueUrl the alert queue
   * @param counter counts SendMessageBatch calls (the benchmark's hook); optional
   */
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly counter?: CallCounter,
    private readonly sleep: (ms: number) => Promise<void> = systemClock.sleep,
  ) {}

  /**
   * @throws Error when SQS still refuses some entries after several rounds (the caller's
   * retry re-sends them; duplicates are harmless downstream).
   */
  async send(messages: readonly AlertMessage[]): Promise<void> {
    for (const group of chunk(messages, MESSAGES_PER_SEND_BATCH)) {
      // Entry ids only need to be unique within one call; the batch id is, and it makes a
      // failure report name the batch.
      let pending: SendMessageBatchRequestEntry[] = group.map((m) => ({
        Id: `${m.articleId}_${m.batchId}`.slice(0, 80),
        MessageBody: JSON.stringify(m),
      }));
      for (let round = 0; pending.length > 0; round++) {
        if (round >= MAX_SEND_ROUNDS) {
          throw new Error(`SQS refused ${pending.length} alert message(s) after ${round} rounds`);
        }
        if (round > 0) await this.sleep(100 * 2 ** round);
        this.counter?.add('SendMessageBatch');
        const out = await this.client.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending }),
        );
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        const senderFault = (out.Failed ?? []).find((f) => f.SenderFault);
        // A sender fault (a malformed entry) fails the same way every time.
        if (senderFault)
          throw new Error(
            `SQS rejected alert message ${senderFault.Id}: ${senderFault.Message ?? senderFault.Code}`,
          );
        pending = pending.filter((e) => failed.has(e.Id));
      }
    }
  }
}

/** One receipt of a message from the in-memory queue. */
export interface Delivery {
  /** Stable per message (SQS's messageId). */
  messageId: string;
  message: AlertMessage;
  /** 1 on the first receipt (SQS's ApproximateReceiveCount). */
  receiveCount: number;
}

interface Stored {
  messageId: string;
  body: string;
  receiveCount: number;
  visibleAt: number;
}

export interface InMemoryAlertQueueOptions {
  /** How long a received message stays hidden before it is delivered again unless acknowledged. */
  visibilityTimeoutMs?: number;
  /** After this many receipts a message that fails again goes to {@link InMemoryAlertQueue.deadLetters}. */
  maxReceiveCount?: number;
  counter?: CallCounter;
  clock?: Clock;
}

/**
 * {@link AlertQueue} in memory, for one process. Bodies are stored as JSON (what SQS carries)
 * and parsed on receipt, so a message that would not survive SQS does not survive here.
 */
export class InMemoryAlertQueue implements AlertQueue {
  /** Messages that failed `maxReceiveCount` times (the dead-letter queue). */
  readonly deadLetters: AlertMessage[] = [];
  readonly visibilityTimeoutMs: number;
  readonly maxReceiveCount: number;
  private readonly stored = new Map<string, Stored>();
  private readonly counter?: CallCounter;
  private readonly clock: Clock;
  private nextId = 1;

  constructor(opts: InMemoryAlertQueueOptions = {}) {
    this.visibilityTimeoutMs = opts.visibilityTimeoutMs ?? 30_000;
    this.maxReceiveCount = opts.maxReceiveCount ?? 5;
    this.counter = opts.counter;
    this.clock = opts.clock ?? systemClock;
  }

  async send(messages: readonly AlertMessage[]): Promise<void> {
    for (const group of chunk(messages, MESSAGES_PER_SEND_BATCH)) {
      this.counter?.add('SendMessageBatch');
      for (const m of group) {
        const messageId = `m-${this.nextId++}`;
        this.stored.set(messageId, { messageId, body: JSON.stringify(m), receiveCount: 0, visibleAt: 0 });
      }
    }
  }

  /** Up to `max` visible messages, each hidden for the visibility timeout (ReceiveMessage). */
  receive(max = MESSAGES_PER_SEND_BATCH): Delivery[] {
    const now = this.clock.now();
    const out: Delivery[] = [];
    for (const s of this.stored.values()) {
      if (out.length >= max) break;
      if (s.visibleAt > now) continue;
      s.receiveCount += 1;
      s.visibleAt = now + this.visibilityTimeoutMs;
      out.push({ messageId: s.messageId, message: parseAlertMessage(s.body), receiveCount: s.receiveCount });
    }
    if (out.length > 0) this.counter?.add('ReceiveMessage');
    return out;
  }

  /** Deletes a processed message (DeleteMessage). */
  ack(messageId: string): void {
    this.stored.delete(messageId);
  }

  /**
   * Reports a failed message: visible again after `delayMs` (default: at once), or moved to
   * the dead letters once it has been received `maxReceiveCount` times.
   */
  nack(messageId: string, delayMs = 0): void {
    const s = this.stored.get(messageId);
    if (!s) return;
    if (s.receiveCount >= this.maxReceiveCount) {
      this.stored.delete(messageId);
      this.deadLetters.push(parseAlertMessage(s.body));
      return;
    }
    s.visibleAt = this.clock.now() + delayMs;
  }

  /** Messages not yet deleted (visible or in flight). */
  get size(): number {
    return this.stored.size;
  }

  /** When the next hidden message becomes visible (undefined when the queue is empty). */
  nextVisibleAt(): number | undefined {
    let next: number | undefined;
    for (const s of this.stored.values()) if (next === undefined || s.visibleAt < next) next = s.visibleAt;
    return next;
  }
}
