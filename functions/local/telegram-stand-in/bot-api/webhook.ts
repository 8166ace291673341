/**
 * How the bot receives updates: setWebhook, deleteWebhook, getWebhookInfo and getUpdates (with
 * long polling). The queue itself belongs to the user side's delivery.
 */

import type { WebhookState } from '../update-queue';
import type { ApiContext } from './context';
import type { Answer, MethodTable } from './dispatcher';
import { BotApiError, badRequest, GET_UPDATES_TERMINATED, GET_UPDATES_WITH_WEBHOOK } from './errors';
import { boolParam, canonicalJson, intParam, type Params, stringParam } from './params';

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function webhookMethods({ updates }: ApiContext): MethodTable {
  const removeWebhook = (): Answer => {
    const had = updates.webhook !== undefined;
    updates.webhook = undefined;
    return { result: true, description: had ? 'Webhook was deleted' : 'Webhook is already deleted' };
  };

  const applyAllowedUpdates = (params: Params): void => {
    const raw = params.allowed_updates;
    if (raw === undefined || raw === null || raw === '') return;
    if (!Array.isArray(raw) || !raw.every((kind) => typeof kind === 'string')) {
      throw badRequest("can't parse allowed updates JSON object");
    }
    // An empty list means "the default set" in Telegram.
    updates.allowedUpdates = raw.length > 0 ? (raw as string[]) : undefined;
  };

  return {
    setWebhook: (params) => {
      const url = stringParam(params, 'url') ?? '';
      if (boolParam(params, 'drop_pending_updates') === true) updates.queue = [];
      applyAllowedUpdates(params);
      if (url === '') return removeWebhook();
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw badRequest('bad webhook: HTTPS url must be provided for webhook');
      }
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
        throw badRequest('bad webhook: HTTPS url must be provided for webhook');
      }
      // Stand-in rule: it only ever sends traffic to this machine.
      if (!isLoopbackHost(parsed.hostname)) {
        throw badRequest('bad webhook: the Bot API stand-in delivers only to loopback addresses');
      }
      const secret = stringParam(params, 'secret_token');
      if (secret !== undefined && secret !== '') {
        if (secret.length > 256) throw badRequest('secret token is too long');
        if (!/^[A-Za-z0-9_-]+$/.test(secret)) throw badRequest('secret token contains unallowed characters');
      }
      const maxConnections = intParam(params, 'max_connections');
      const next: WebhookState = {
        url,
        maxConnections:
          maxConnections !== undefined && maxConnections >= 1 && maxConnections <= 100 ? maxConnections : 40,
      };
      if (secret !== undefined && secret !== '') next.secretToken = secret;
      const same = updates.webhook !== undefined && canonicalJson(updates.webhook) === canonicalJson(next);
      updates.webhook = next;
      // A long poll still waiting is cut off, like Telegram does once a webhook is set.
      updates.wake('conflict');
      return { result: true, description: same ? 'Webhook is already set' : 'Webhook was set' };
    },
    deleteWebhook: (params) => {
      if (boolParam(params, 'drop_pending_updates') === true) updates.queue = [];
      return removeWebhook();
    },
    getWebhookInfo: () => {
      const webhook = updates.webhook;
      const info: Record<string, unknown> = {
        url: webhook?.url ?? '',
        has_custom_certificate: false,
        pending_update_count: updates.queue.length,
      };
      if (webhook !== undefined) {
        info.ip_address = '127.0.0.1';
        info.max_connections = webhook.maxConnections;
        if (updates.allowedUpdates !== undefined) info.allowed_updates = [...updates.allowedUpdates];
        if (webhook.lastErrorDate !== undefined) {
          info.last_error_date = webhook.lastErrorDate;
          info.last_error_message = webhook.lastErrorMessage;
        }
      }
      return { result: info };
    },
    getUpdates: async (params, context) => {
      if (updates.webhook !== undefined) throw new BotApiError(409, GET_UPDATES_WITH_WEBHOOK);
      applyAllowedUpdates(params);
      const offset = intParam(params, 'offset');
      if (offset !== undefined && offset > 0)
        updates.queue = updates.queue.filter((update) => update.update_id >= offset);
      if (offset !== undefined && offset < 0) updates.queue = updates.queue.slice(offset);
      const limit = Math.min(Math.max(intParam(params, 'limit') ?? 100, 1), 100);
      const timeout = Math.max(intParam(params, 'timeout') ?? 0, 0);
      updates.endHeldPoll();
      if (updates.queue.length === 0 && timeout > 0 && !updates.stopped) {
        const reason = await updates.waitForUpdate(timeout * 1000, context.signal);
        if (reason === 'conflict') {
          throw new BotApiError(
            409,
            updates.webhook !== undefined ? GET_UPDATES_WITH_WEBHOOK : GET_UPDATES_TERMINATED,
          );
        }
      }
      // Updates stay queued until a later offset confirms them, so a lost answer loses nothing.
      return { result: updates.queue.slice(0, limit) };
    },
  };
}
