/**
 * Telegram executes one Bot API method sent back in the body of the webhook's HTTP response.
 * Herald uses that for `answerCallbackQuery` — it returns nothing we need and its failure changes
 * nothing — so opening an article from a button costs one outbound Telegram call (sendMessage)
 * instead of two. Everything else (sendMessage, edits, answerInlineQuery) goes over HTTP so its
 * result and errors are seen.
 *
 * The webhook handler opens a slot per update; the update's HeraldTelegram (createBot's context
 * type) diverts the first eligible call of that update into it.
 */
import type { WebhookReplyTarget } from '../telegram/herald-telegram';

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

/**
 * Where the first eligible Bot API call of this update goes instead of being sent, when the
 * webhook opened a slot for it (functions/telegram/herald-telegram.ts calls `take`).
 */
export function webhookReplyTarget(slot: WebhookReplySlot): WebhookReplyTarget {
  return {
    take(method, payload) {
      if (!RIDE.has(method) || slot.payload !== undefined) return false;
      slot.payload = { ...payload, method };
      return true;
    },
  };
}
