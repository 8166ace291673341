/**
 * The webhook edge, independent of Lambda: checks Telegram's secret header in constant time,
 * parses the body, deduplicates `update_id` with a conditional write, hands the update to the
 * bot and maps the outcome to an HTTP status. Every request ends in one log line carrying an
 * `outcome` key (handled, duplicate, unauthorized, bad-request, unavailable, bot-error): the stack
 * turns those into CloudWatch metrics with metric filters, so the bundle carries no metrics code.
 * The 401: wrong/missing secret (nothing written);
 * 400: not an update; 503: the store failed (Telegram redelivers); 200 otherwise — including
 * bot errors, which are logged and answered to the user, so Telegram never redelivers forever.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Context, Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { SessionRepositoryPort } from '../core/ports';
import { headerValue, secretMatches } from '../http-edge';
import { RetryableUpdateError } from './create-bot';
import { openWebhookReply } from './webhook-reply';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** The minimum an update must have; the rest is Telegraf's business (unknown types are ignored). */
function isUpdateShaped(v: unknown): v is Update {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const id = (v as { update_id?: unknown }).update_id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0;
}

export interface WebhookDeps {
  bot: Telegraf<Context>;
  sessions: Pick<SessionRepositoryPort, 'claimUpdate' | 'releaseUpdate'>;
  webhookSecret: string;
  logger: Logger;
  dedupeTtlSeconds: number;
}

export type WebhookEvent = Pick<APIGatewayProxyEventV2, 'headers' | 'body' | 'isBase64Encoded'>;
export type WebhookResult = APIGatewayProxyStructuredResultV2 & { statusCode: number };

const json = (statusCode: number, body: Record<string, unknown>): WebhookResult => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** What a log line may say about an update: ids and kinds, never texts. */
export function updateLogKeys(update: Update): Record<string, unknown> {
  const u = update as Update & Record<string, unknown>;
  const type = Object.keys(u).find((k) => k !== 'update_id') ?? 'unknown';
  const payload = u[type] as
    | { chat?: { id?: number }; message?: { chat?: { id?: number } }; from?: { id?: number }; text?: unknown }
    | undefined;
  const text = typeof payload?.text === 'string' ? payload.text : undefined;
  const command = text?.startsWith('/') ? text.split(/[\s@]/, 1)[0]?.slice(0, 32) : undefined;
  return {
    updateId: update.update_id,
    updateType: type,
    chatId: payload?.chat?.id ?? payload?.message?.chat?.id,
    userId: payload?.from?.id,
    command,
  };
}

/** Builds the handler function shared by the Lambda entry point, `npm start` and the tests. */
export function createWebhookHandler(deps: WebhookDeps): (event: WebhookEvent) => Promise<WebhookResult> {
  const { bot, sessions, logger } = deps;
  /**
   * Claims this process could not release because the store failed during the release too.
   * Telegram usually redelivers to the same warm instance, which then processes the update
   * instead of dropping it as a duplicate. (A cold instance still would drop it: closing that
   * last window needs a completion write on every update — see docs/architecture.md.)
   */
  const unreleased = new Set<number>();
  return async (event) => {
    if (!secretMatches(headerValue(event.headers, SECRET_HEADER), deps.webhookSecret)) {
      logger.warn('webhook call rejected: wrong or missing secret token', { outcome: 'unauthorized' });
      return json(401, { error: 'unauthorized' });
    }
    let update: Update;
    try {
      const raw = event.isBase64Encoded
        ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
        : (event.body ?? '');
      const parsed: unknown = JSON.parse(raw);
      if (!isUpdateShaped(parsed)) {
        logger.warn('webhook body is not an update', { outcome: 'bad-request' });
        return json(400, { error: 'body is not a Telegram Update (update_id missing or invalid)' });
      }
      update = parsed;
    } catch {
      logger.warn('webhook body is not JSON', { outcome: 'bad-request' });
      return json(400, { error: 'body is not valid JSON' });
    }
    const keys = updateLogKeys(update);
    const started = Date.now();

    let claimed: boolean;
    try {
      claimed = await sessions.claimUpdate(update.update_id, deps.dedupeTtlSeconds);
    } catch (err) {
      logger.error('could not record the update; Telegram will redeliver', {
        ...keys,
        outcome: 'unavailable',
        error: err as Error,
      });
      return json(503, { error: 'store unavailable' });
    }
    if (!claimed && unreleased.delete(update.update_id)) {
      logger.info('processing a redelivery whose claim could not be released', keys);
      claimed = true;
    }
    if (!claimed) {
      logger.info('duplicate update ignored', { ...keys, outcome: 'duplicate' });
      return json(200, { ok: true, duplicate: true });
    }

    const reply = openWebhookReply(update);
    try {
      await bot.handleUpdate(update);
    } catch (err) {
      if (err instanceof RetryableUpdateError) {
        // Forget the claim so the redelivery is processed, not deduplicated.
        await sessions.releaseUpdate(update.update_id).catch((releaseErr: unknown) => {
          unreleased.add(update.update_id);
          // Bounded: in a long outage keep only the most recent ids.
          if (unreleased.size > 1000) unreleased.delete(unreleased.values().next().value as number);
          logger.error('could not release the update claim', { ...keys, error: releaseErr as Error });
        });
        logger.warn('update will be redelivered', { ...keys, outcome: 'unavailable' });
        return json(503, { error: 'temporarily unavailable' });
      }
      // bot.catch handles everything else; reaching here is a bug worth a loud log, not a redelivery loop.
      logger.error('unhandled error escaped the bot', { ...keys, outcome: 'bot-error', error: err as Error });
      return json(200, { ok: true });
    }
    logger.info('update handled', { ...keys, outcome: 'handled', durationMs: Date.now() - started });
    // A method in the body is executed by Telegram (see webhook-reply.ts).
    return json(200, reply.payload ?? { ok: true });
  };
}
