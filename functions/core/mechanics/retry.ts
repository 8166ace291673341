/**
 * The one retry loop of the codebase. The caller says how long to wait after a failure (or
 * that it must not be retried); the loop adds the attempt limit and a deadline no wait may
 * cross. A failure that is given up is rethrown as it was.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 3). */
  maxAttempts?: number;
  /** Epoch ms; a wait that would end at or after it is not started. */
  deadline?: number;
  /** Milliseconds to wait before the next attempt, or `undefined` when `err` must not be retried. */
  delayFor(err: unknown, attempt: number): number | undefined;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `call` until it succeeds, the policy refuses a failure, the attempts run out, or the
 * next wait would cross the deadline.
 *
 * @param call the operation; called once per attempt
 * @param policy how long to wait after which failure, and the limits
 */
export async function retry<T>(call: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  const sleep = policy.sleep ?? defaultSleep;
  const now = policy.now ?? Date.now;
  const maxAttempts = policy.maxAttempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= maxAttempts) throw err;
      const waitMs = policy.delayFor(err, attempt);
      if (waitMs === undefined) throw err;
      if (policy.deadline !== undefined && now() + waitMs >= policy.deadline) throw err;
      await sleep(waitMs);
    }
  }
}

/** Exponential backoff: `baseMs`, then twice that, and so on. */
export const backoff = (baseMs: number, attempt: number): number => baseMs * 2 ** (attempt - 1);
