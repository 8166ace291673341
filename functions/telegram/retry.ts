/**
 * Retries a Bot API call made while handling an update: a 429 whose retry_after fits in the
 * remaining budget is waited out, 5xx and network failures are retried once after a short
 * backoff. Anything else (or a wait that would pass the handler's deadline) is given up
 * cleanly by rethrowing the original error.
 */
import { backoff, retry } from '../core/mechanics/retry';
import { classifyTelegramError } from './errors';

export interface RetryOptions {
  /** Epoch ms after which no retry starts. */
  deadline: number;
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** Runs `call` with the retry policy above. */
export function withRetry<T>(call: () => Promise<T>, opts: RetryOptions): Promise<T> {
  return retry(call, {
    ...opts,
    delayFor: (err, attempt) => {
      const failure = classifyTelegramError(err);
      if (failure.kind === 'rate-limited') return failure.retryAfter * 1000;
      if (failure.kind === 'transient') return backoff(200, attempt);
      return undefined;
    },
  });
}
