/**
 * The webhook edge, independent of Lambda: checks Telegram's secret header in constant time,
 * parses the body, deduplicates `update_id` with a conditional write, hands the update to the
 * bot and maps the outcome to an HTTP status. Every request ends in one log line carrying an
 * `outcome` key (handled, duplicate, in-progress, timeout, unauthorized, bad-request, unavailable, bot-error): the stack
 * turns those into CloudWatch metrics with metric filters, so the bundle carries no metrics code.
 * The 401: wrong/missing secret (nothing written);
 * 400: not an update; 503: the store failed or another delivery holds the update (Telegram
 * redelivers); 200 otherwise — including timeouts and
 * bot errors, which are logged and answered to the user, so Telegram never redelivers forever.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Context, Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { SessionRepositoryPort, UpdateClaim } from '../core/ports';
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
  sessions: Pick<SessionRepositoryPort, 'claimUpdate' | 'completeUpdate' | 'releaseUpdate'>;
  webhookSecret: string;
  logger: Logger;
  dedupeTtlSeconds: number;
  /** The update's time budget, counted from the start of the invocation. */
  handlerTimeoutMs: number;
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

/** Time kept back from the invocation's end for the completion write and the response. */
export const RESPONSE_RESERVE_MS = 750;
/** Added to a claim's lease: clocks of two instances may disagree by this much. */
const LEASE_SKEW_MS = 1_000;

/** When this invocation must have answered, if the runtime knows (Lambda's remaining time). */
export interface InvocationTiming {
  /** Epoch ms at which the invocation started (before a cold start read its secrets). */
  invocationStart?: number;
  /** Epoch ms at which the runtime ends the invocation. */
  invocationEnd?: number;
}

const HANDLER_TIMED_OUT = Symbol('handler timed out');

/**
 * Builds the handler function shared by the Lambda entry point, `npm start` and the tests.
 *
 * Exactly once, per update_id: a delivery claims the id with a lease that outlasts the
 * invocation, processes the update and marks it done. A store failure releases the claim
 * (or, when the release fails too, leaves a lease that expires), so Telegram's redelivery is
 * processed on whichever instance it reaches; a copy arriving while another delivery holds
 * the lease gets 503 and comes back later. A handler that outlasts the time budget is not a
 * store failure: it may still be running, so its claim is kept (503, "in progress") until it
 * settles and marks the update done — never handed to a second run while it may finish.
 */
export function createWebhookHandler(
  deps: WebhookDeps,
): (event: WebhookEvent, timing?: InvocationTiming) => Promise<WebhookResult> {
  const { bot, sessions, logger } = deps;
  return async (event, timing = {}) => {
    // The budget counts from the start of the invocation: secrets, the claim and the bot all spend it.
    const started = Date.now();
    const deadline = Math.min(
      (timing.invocationStart ?? started) + deps.handlerTimeoutMs,
      (timing.invocationEnd ?? Number.POSITIVE_INFINITY) - RESPONSE_RESERVE_MS,
    );
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

    const owner = randomUUID();
    let claim: UpdateClaim;
    try {
      claim = await sessions.claimUpdate(update.update_id, {
        owner,
        leaseUntil: deadline + RESPONSE_RESERVE_MS + LEASE_SKEW_MS,
        ttlSeconds: deps.dedupeTtlSeconds,
      });
    } catch (err) {
      logger.error('could not record the update; Telegram will redeliver', {
        ...keys,
        outcome: 'unavailable',
        error: err as Error,
      });
      return json(503, { error: 'store unavailable' });
    }
    if (claim === 'done') {
      logger.info('duplicate update ignored', { ...keys, outcome: 'duplicate' });
      return json(200, { ok: true, duplicate: true });
    }
    if (claim === 'in-progress') {
      // Answering 200 here would lose the update if the holder then fails: let Telegram come back.
      logger.info('update is being processed by another delivery', { ...keys, outcome: 'in-progress' });
      return json(503, { error: 'in progress', inProgress: true });
    }

    const reply = openWebhookReply(update, deadline);
    const handled = bot.handleUpdate(update).then(
      () => undefined,
      (err: unknown) => ({ err }),
    );
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      handled,
      new Promise<typeof HANDLER_TIMED_OUT>((resolve) => {
        timer = setTimeout(() => resolve(HANDLER_TIMED_OUT), Math.max(0, deadline - Date.now()));
      }),
    ]);
    clearTimeout(timer);

    if (outcome === HANDLER_TIMED_OUT) {
      // Not a store failure: the handler is still running, so the claim stays — no other
      // delivery runs it while it may still finish. When it settles it marks the update done
      // (or, on a store failure, releases it); until then a redelivery finds it in progress.
      // Only a handler stalled past its lease (a Lambda frozen after this answer and not
      // thawed in time) can be taken over by a redelivery.
      void handled.then((late) => settle(update, owner, keys, late));
      logger.warn('update outlasted its time budget; Telegram will redeliver', {
        ...keys,
        outcome: 'timeout',
        durationMs: Date.now() - started,
      });
      return json(503, { error: 'in progress', inProgress: true });
    }
    if (outcome !== undefined && !(outcome.err instanceof RetryableUpdateError)) {
      // bot.catch handles everything else; reaching here is a bug worth a loud log, not a redelivery loop.
      logger.error('unhandled error escaped the bot', {
        ...keys,
        outcome: 'bot-error',
        error: outcome.err as Error,
      });
    }
    if (!(await settle(update, owner, keys, outcome))) {
      logger.warn('update will be redelivered', { ...keys, outcome: 'unavailable' });
      return json(503, { error: 'temporarily unavailable' });
    }
    if (outcome !== undefined) return json(200, { ok: true });
    logger.info('update handled', { ...keys, outcome: 'handled', durationMs: Date.now() - started });
    // A method in the body is executed by Telegram (see webhook-reply.ts).
    return json(200, reply.payload ?? { ok: true });
  };

  /**
   * Records how a handled update ended: done, or — after a store failure — released so the
   * redelivery is processed at once (if the release fails too, the lease expires by itself and
   * the redelivery is processed then, on any instance). False when Telegram should redeliver.
   */
  async function settle(
    update: Update,
    owner: string,
    keys: Record<string, unknown>,
    outcome: { err: unknown } | undefined,
  ): Promise<boolean> {
    if (outcome?.err instanceof RetryableUpdateError) {
      await sessions.releaseUpdate(update.update_id, owner).catch((releaseErr: unknown) => {
        logger.error('could not release the update claim', { ...keys, error: releaseErr as Error });
      });
      return false;
    }
    try {
      await sessions.completeUpdate(update.update_id, deps.dedupeTtlSeconds);
    } catch (err) {
      // Processed; only the mark is missing. Telegram does not redeliver a 200, and a copy
      // arriving after the lease would be processed again: logged so that stays visible.
      logger.error('could not mark the update done', { ...keys, error: err as Error });
    }
    return true;
  }
}
