/**
 * Fault injection for repository tests: a document client on a test store whose k-th call
 * can fail or wait on command. It works through the SDK's middleware stack, so the
 * repository under test and the store are the real ones; only the wire between them fails.
 */
import { createDynamoClient, toDocumentClient } from '../../functions/store/client';

/**
 * How an armed store call fails. `request-lost`: it never reaches the store. `answer-lost`:
 * the store applies it and the caller gets an error. `retried`: the store applies it, the
 * answer is lost and the same serialized request is sent again (what the SDK's retry does,
 * with the same ClientRequestToken) — the caller gets the second answer.
 */
export type Fault = 'request-lost' | 'answer-lost' | 'retried';

/** A document client whose calls can fail or wait on command (see {@link faultyClient}). */
export interface FaultyClient {
  doc: ReturnType<typeof toDocumentClient>;
  /** Every operation sent through it, e.g. `PutItem`. */
  calls: string[];
  /** Makes the `at`-th call from now (0-based) fail once. */
  fail(at: number, fault: Fault): void;
  /** Makes the `at`-th call from now wait: `reached` resolves when it waits, `release()` sends it. */
  hold(at: number): { reached: Promise<void>; release: () => void };
  destroy(): void;
}

/**
 * A document client on the store at `endpoint` that records every call and fails or holds
 * the one armed with `fail` or `hold`. A failure throws an Error named `SimulatedFailure`.
 */
export function faultyClient(endpoint: string): FaultyClient {
  const client = createDynamoClient({ region: 'us-east-1', endpoint });
  const doc = toDocumentClient(client);
  const calls: string[] = [];
  let armed: { at: number; fault: Fault | { gate: Promise<void>; reached: () => void } } | undefined;
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const op = String(context.commandName).replace(/Command$/, '');
      const n = calls.push(op) - 1;
      const plan = armed?.at === n ? armed : undefined;
      if (plan === undefined) return next(args);
      armed = undefined;
      const crash = Object.assign(new Error(`simulated failure of ${op}`), { name: 'SimulatedFailure' });
      if (typeof plan.fault === 'object') {
        plan.fault.reached();
        await plan.fault.gate;
        return next(args);
      }
      if (plan.fault === 'request-lost') throw crash;
      if (plan.fault === 'answer-lost') {
        await next(args);
        throw crash;
      }
      await next(args).catch(() => undefined); // the lost first answer, whatever it was
      return next(args);
    },
    // After serialization, like the SDK's own retries: a resent request is byte for byte the
    // first one, including the ClientRequestToken the SDK generates for a transaction.
    { step: 'build', name: 'faultInjection' },
  );
  return {
    doc,
    calls,
    fail: (at, fault) => {
      armed = { at: calls.length + at, fault };
    },
    hold: (at) => {
      let release = () => {};
      let reached = () => {};
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const reachedP = new Promise<void>((r) => {
        reached = r;
      });
      armed = { at: calls.length + at, fault: { gate, reached } };
      return { reached: reachedP, release };
    },
    destroy: () => client.destroy(),
  };
}

/** Runs `fn`, turning a simulated failure into the string 'throws' (any other error is rethrown). */
export async function outcome<T>(fn: () => Promise<T>): Promise<T | 'throws'> {
  try {
    return await fn();
  } catch (err) {
    if ((err as Error).name !== 'SimulatedFailure') throw err;
    return 'throws';
  }
}
