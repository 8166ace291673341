/**
 * Herald's Bot API client: Telegraf's `Telegram` extended (not patched) with the two things
 * every call made while handling an update needs — retries of 429/5xx/network failures within
 * the update's deadline ({@link withRetry}), and the webhook reply: the first call of a method
 * that may ride in the webhook's HTTP response is put there instead of being sent
 * (functions/bot/webhook-reply.ts). createBot installs it through Telegraf's `contextType`, so
 * each update's context carries one.
 */
import { Telegram } from 'telegraf';
import type { Telegram as BotApi, Opts } from 'telegraf/types';
import { withRetry } from './retry';

/** Where a call that rides in the webhook response goes; `take` is false when it must be sent. */
export interface WebhookReplyTarget {
  take(method: string, payload: object): boolean;
}

/** What one update's calls need to know. */
export interface UpdateCallOptions {
  /** Epoch ms after which no retry starts. */
  deadline: number;
  webhookReply?: WebhookReplyTarget;
  /**
   * Paid broadcast is on: replies carry `allow_paid_broadcast` too. Telegram counts every message
   * of the bot against its free rate, so during a paid broadcast an unflagged reply would be
   * refused; flagged, it costs 0.1 Star only while the broadcast uses the free rate up
   * (docs/architecture.md, "One Telegram budget").
   */
  paidBroadcast?: boolean;
}

/** Methods that put a message in a chat (what Telegram's broadcast limits count). */
const SENDS_MESSAGE = /^(send(?!ChatAction)|copyMessage|forwardMessage)/;

export class HeraldTelegram extends Telegram {
  constructor(
    token: string,
    options: Telegram['options'],
    private readonly update: UpdateCallOptions,
  ) {
    super(token, options);
  }

  override callApi<M extends keyof BotApi>(
    method: M,
    payload: Opts<M>,
    opts?: Parameters<Telegram['callApi']>[2],
  ): Promise<ReturnType<BotApi[M]>> {
    if (this.update.webhookReply?.take(method, payload)) return Promise.resolve(webhookReplyResult(method));
    const body: Opts<M> =
      this.update.paidBroadcast === true && SENDS_MESSAGE.test(method)
        ? { ...payload, allow_paid_broadcast: true }
        : payload;
    return withRetry(() => super.callApi(method, body, opts), { deadline: this.update.deadline });
  }
}

/**
 * What a method diverted into the webhook response resolves to: Telegram answers it after the
 * handler returned, so the handler sees `true`, as Telegraf's own webhook reply gives it.
 */
function webhookReplyResult<M extends keyof BotApi>(_method: M): ReturnType<BotApi[M]> {
  // Only methods answering `true` ride (webhook-reply.ts RIDE); the type cannot say so per method.
  return true as ReturnType<BotApi[M]>;
}
