/**
 * Where user-side Updates wait for the bot: the getUpdates queue, the webhook the bot set, the
 * update kinds it allowed, and the long poll currently held. The Bot API side configures it
 * (setWebhook, getUpdates); the user side fills it.
 */
import type { Update } from 'telegraf/types';

/** Update kinds Telegram leaves out unless allowed_updates names them. */
const OPT_IN_UPDATES = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

export interface WebhookState {
  url: string;
  secretToken?: string;
  maxConnections: number;
  lastErrorDate?: number;
  lastErrorMessage?: string;
}

export type WakeReason = 'update' | 'conflict' | 'stop' | 'timeout';

interface Poller {
  wake: (reason: WakeReason) => void;
}

export class UpdateQueue {
  /** Updates not yet confirmed by a later getUpdates offset, or not yet accepted by the webhook. */
  queue: Update[] = [];
  webhook: WebhookState | undefined;
  allowedUpdates: string[] | undefined;
  stopped = false;
  private poller: Poller | undefined;

  /** Whether allowed_updates lets this kind of Update through. */
  isAllowed(update: Update): boolean {
    const kind = Object.keys(update).find((key) => key !== 'update_id') ?? '';
    if (this.allowedUpdates === undefined) return !OPT_IN_UPDATES.has(kind);
    return this.allowedUpdates.includes(kind);
  }

  /** Ends the held long poll, if any, with this reason. */
  wake(reason: WakeReason): void {
    this.poller?.wake(reason);
  }

  /** Holds a long poll until an update arrives, another poll or a webhook ends it, or time runs out. */
  waitForUpdate(ms: number, signal: AbortSignal): Promise<WakeReason> {
    return new Promise((resolve) => {
      const finish = (reason: WakeReason): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (this.poller === poller) this.poller = undefined;
        resolve(reason);
      };
      const onAbort = (): void => finish('stop');
      const poller: Poller = { wake: finish };
      const timer = setTimeout(() => finish('timeout'), ms);
      signal.addEventListener('abort', onAbort);
      this.poller = poller;
    });
  }

  /** A newer getUpdates ends the held one, as on Telegram. */
  endHeldPoll(): void {
    this.wake('conflict');
    this.poller = undefined;
  }
}
