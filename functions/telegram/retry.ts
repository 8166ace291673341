/**
 * Retries a Bot API call made while handling an update: a 429 whose retry_after fits in the
 * remaining budget is waited out, 5xx and network failures are retried once after a short
 * backoff. Anything else (or a wait that would pass the handler's deadline) is given up
 * cleanly by rethrowing the original error.
 */
import { classifyTelegramError } from './errors';

export interface RetryOptions {
  /** Epoch ms after which no retry starts. */
  deadline: number;
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `call` with the retry policy above. */
export async function withRetry<T>(call: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const sleep = opts.sleep ?? defaultSleep;
  const now = opts.now ?? Date.now;
  const maxAttempts = opts.maxAttempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= maxAttempts) throw err;
      const failure = classifyTelegramError(err);
      let waitMs: number;
      if (failure.kind === 'rate-limited') waitMs = failure.retryAfter * 1000;
      else if (failure.kind === 'transient') waitMs = 200 * 2 ** (attempt - 1);
      else throw err;
      if (now() + waitMs >= opts.deadline) throw err;
      await sleep(waitMs);
    }
  }
}
