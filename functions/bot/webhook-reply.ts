/**
 * Telegram executes one Bot API method sent back in the body of the webhook's HTTP response.
 * Herald uses that for `answerCallbackQuery` — it returns nothing we need and its failure changes
 * nothing — so opening an article from a button costs one outbound Telegram call (sendMessage)
 * instead of two. Everything else (sendMessage, edits, answerInlineQuery) goes over HTTP so its
 * result and errors are seen.
 *
 * The webhook handler opens a slot per update; a middleware in createBot diverts the first
 * eligible call of that update into it.
 */
import type { Telegram } from 'telegraf';

export interface WebhookReplySlot {
  payload?: { method: string } & Record<string, unknown>;
  /** Epoch ms: the update's time budget ends here (counted from the start of the invocation). */
  deadline: number;
}

/** Methods that may ride in the webhook response. */
const RIDE = new Set(['answerCallbackQuery']);
const slots = new WeakMap<object, WebhookReplySlot>();

/** Opens the slot for an update about to be handled (the webhook handler calls this). */
export function openWebhookReply(update: object, deadline: number): WebhookReplySlot {
  const slot: WebhookReplySlot = { deadline };
  slots.set(update, slot);
  return slot;
}

/** The slot of an update being handled by the webhook, if any. */
export function webhookReplySlot(update: object): WebhookReplySlot | undefined {
  return slots.get(update);
}

/** Diverts the first eligible call of this update's Telegram client into its slot, if it has one. */
export function installWebhookReply(telegram: Telegram, update: object): void {
  const slot = slots.get(update);
  if (!slot) return;
  const next = telegram.callApi.bind(telegram);
  telegram.callApi = ((method: string, payload: Record<string, unknown>, extra?: unknown) => {
    if (RIDE.has(method) && slot.payload === undefined) {
      slot.payload = { ...payload, method };
      return Promise.resolve(true);
    }
    return (next as (m: string, p: unknown, e?: unknown) => Promise<unknown>)(method, payload, extra);
  }) as typeof telegram.callApi;
}
