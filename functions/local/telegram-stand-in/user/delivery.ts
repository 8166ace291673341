/**
 * Hands user-side Updates to the bot: in process (`options.deliver`), else by POSTing them to
 * the webhook the bot set (one at a time and in order, the failed one first again), else into
 * the getUpdates queue. A webhook answer naming a `method` is run as an API call, as Telegram does.
 */
import { type ClientRequest, request as httpRequest } from 'node:http';
import type { Update } from 'telegraf/types';
import { decodeJsonParams, isRecord, type Params } from '../bot-api/params';
import type { DeliverResult, DeliveryRecord } from '../types';
import type { UpdateQueue, WebhookState } from '../update-queue';

interface WebhookOutcome {
  ok: boolean;
  status?: number;
  error?: string;
  body?: string;
}

export interface DeliveryOptions {
  queue: UpdateQueue;
  deliver: ((update: Update) => Promise<unknown>) | undefined;
  /** Runs an API call the webhook answered with. */
  invoke: (method: string, params: Params) => Promise<unknown>;
  now: () => number;
  firstUpdateId: number;
  /** Shared with the facade, which exposes them as public arrays. */
  updates: Update[];
  deliveries: DeliveryRecord[];
}

export class Delivery {
  lastDelivery: DeliveryRecord | undefined;
  private nextUpdateId: number;
  private webhookChain: Promise<void> = Promise.resolve();
  private readonly outgoing = new Set<ClientRequest>();

  constructor(private readonly options: DeliveryOptions) {
    this.nextUpdateId = options.firstUpdateId;
  }

  /** Assigns the update_id, records the Update and hands it to the bot. */
  async dispatch(body: Record<string, unknown>, givenId?: number): Promise<Update> {
    const { queue, deliver, now } = this.options;
    const updateId = givenId ?? this.nextUpdateId;
    this.nextUpdateId = Math.max(this.nextUpdateId, updateId + 1);
    // The user side builds Updates field by field from the same shapes the Bot API returns;
    // typegram's intersections (New & NonChannel & …) are not worth re-deriving for that.
    const update = { update_id: updateId, ...body } as unknown as Update;
    this.options.updates.push(update);
    if (!queue.isAllowed(update)) {
      this.record({ update_id: updateId, via: 'filtered', ok: true, at: now() });
      return update;
    }
    if (deliver !== undefined) {
      try {
        const answer = await deliver(update);
        this.record({ update_id: updateId, via: 'deliver', ok: true, at: now() });
        if (isDeliverResult(answer) && answer.statusCode >= 200 && answer.statusCode < 300) {
          await this.runWebhookReply(answer.body);
        }
      } catch (error) {
        this.record({ update_id: updateId, via: 'deliver', ok: false, error: String(error), at: now() });
        throw error;
      }
      return update;
    }
    queue.queue.push(update);
    if (queue.webhook !== undefined) {
      // One delivery at a time and in order, like Telegram with max_connections reached.
      const run = this.webhookChain.then(() => this.flushWebhook());
      this.webhookChain = run.catch(() => undefined);
      await run;
    } else {
      this.record({ update_id: updateId, via: 'queue', ok: true, at: now() });
      queue.wake('update');
    }
    return update;
  }

  /** Ends webhook requests in flight (so jest can exit). */
  stop(): void {
    for (const request of this.outgoing) request.destroy();
  }

  /** Posts queued updates to the webhook in order; stops at the first failure (retried next time). */
  private async flushWebhook(): Promise<void> {
    const { queue, now } = this.options;
    while (queue.webhook !== undefined && !queue.stopped) {
      const webhook = queue.webhook;
      const update = queue.queue[0];
      if (update === undefined) return;
      const outcome = await this.postWebhook(webhook, update);
      const record: DeliveryRecord = {
        update_id: update.update_id,
        via: 'webhook',
        ok: outcome.ok,
        at: now(),
      };
      if (outcome.status !== undefined) record.status = outcome.status;
      if (outcome.error !== undefined) record.error = outcome.error;
      this.record(record);
      if (!outcome.ok) {
        webhook.lastErrorDate = Math.floor(now() / 1000);
        webhook.lastErrorMessage = outcome.error ?? 'Connection refused';
        return;
      }
      queue.queue.shift();
      await this.runWebhookReply(outcome.body);
    }
  }

  private postWebhook(webhook: WebhookState, update: Update): Promise<WebhookOutcome> {
    const payload = JSON.stringify(update);
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
    };
    if (webhook.secretToken !== undefined) headers['X-Telegram-Bot-Api-Secret-Token'] = webhook.secretToken;
    return new Promise<WebhookOutcome>((resolve) => {
      // agent: false — a fresh connection each time, so no keep-alive socket outlives a test.
      const request = httpRequest(webhook.url, { method: 'POST', headers, agent: false }, (response) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          this.outgoing.delete(request);
          const ok = status >= 200 && status < 300;
          const outcome: WebhookOutcome = { ok, status, body: Buffer.concat(chunks).toString('utf8') };
          if (!ok)
            outcome.error =
              `Wrong response from the webhook: ${status} ${response.statusMessage ?? ''}`.trim();
          resolve(outcome);
        });
        response.on('error', (error) => {
          this.outgoing.delete(request);
          resolve({ ok: false, status, error: error.message });
        });
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        this.outgoing.delete(request);
        resolve({ ok: false, error: error.code === 'ECONNREFUSED' ? 'Connection refused' : error.message });
      });
      this.outgoing.add(request);
      request.end(payload);
    });
  }

  /** Telegram runs a method the webhook answered with (`{"method": ...}`) as an API call. */
  private async runWebhookReply(body: string | undefined): Promise<void> {
    if (body === undefined || body.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return;
    }
    if (!isRecord(parsed) || typeof parsed.method !== 'string') return;
    const { method, ...params } = parsed;
    await this.options.invoke(method, decodeJsonParams(params));
  }

  private record(record: DeliveryRecord): void {
    this.options.deliveries.push(record);
    this.lastDelivery = record;
  }
}

/** An in-process webhook's answer (a DeliverResult); anything else carries no method. */
function isDeliverResult(v: unknown): v is DeliverResult {
  return (
    isRecord(v) && typeof v.statusCode === 'number' && (v.body === undefined || typeof v.body === 'string')
  );
}
