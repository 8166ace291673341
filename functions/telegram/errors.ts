/**
 * Classifies what Telegram answered, by `error_code`, `description` and
 * `parameters.retry_after` — one place, used by the bot and by the alert sender.
 */
import { TelegramError } from 'telegraf';
import { isNetworkError } from '../core/mechanics/network';

export type TelegramFailure =
  /** 429: wait `retryAfter` seconds, then try again. */
  | { kind: 'rate-limited'; retryAfter: number }
  /** 5xx, timeouts, connection resets: try again with backoff. */
  | { kind: 'transient' }
  /** 403 (blocked, deactivated, kicked) or 400 "chat not found": never retry; stop sending to this chat. */
  | { kind: 'unreachable'; reason: string }
  /** Any other 4xx: our request is wrong; retrying cannot help. */
  | { kind: 'rejected'; reason: string }
  | { kind: 'unknown' };

/** Reads Telegram's error shape from a telegraf TelegramError or a raw `{ok:false}` body. */
export function classifyTelegramError(err: unknown): TelegramFailure {
  if (err instanceof TelegramError) {
    return classifyResponse(err.code, err.description, err.parameters?.retry_after);
  }
  if (err && typeof err === 'object') {
    const e = err as { name?: string; type?: string };
    if (e.name === 'AbortError' || e.name === 'TimeoutError' || e.type === 'request-timeout')
      return { kind: 'transient' };
    if (isNetworkError(err)) return { kind: 'transient' };
    if (e.type === 'system') return { kind: 'transient' };
  }
  return { kind: 'unknown' };
}

/** The same classification from the parts of a Bot API error envelope. */
export function classifyResponse(code: number, description: string, retryAfter?: number): TelegramFailure {
  if (code === 429) return { kind: 'rate-limited', retryAfter: Math.max(1, retryAfter ?? 1) };
  if (code >= 500) return { kind: 'transient' };
  if (code === 403) return { kind: 'unreachable', reason: description };
  if (
    code === 400 &&
    /chat not found|user is deactivated|bot was blocked|PEER_ID_INVALID/i.test(description)
  ) {
    return { kind: 'unreachable', reason: description };
  }
  if (code >= 400) return { kind: 'rejected', reason: description };
  return { kind: 'unknown' };
}
