/**
 * Runs one Bot API call: finds the method (without regard to case, like Telegram), applies an
 * injected fault, calls the handler, records the call and builds Telegram's envelope.
 */
import type { RecordedCall } from '../types';
import { BotApiError, errorBody } from './errors';
import { type FaultBook, faultError } from './faults';
import type { Params } from './params';
import type { RateLimiter } from './rate-limits';

export interface Answer {
  result: unknown;
  description?: string;
}

export interface CallContext {
  signal: AbortSignal;
}

export type Handler = (params: Params, context: CallContext) => Answer | Promise<Answer>;

/** A method family contributes its handlers under their canonical names. */
export type MethodTable = Record<string, Handler>;

export interface Outcome {
  status: number;
  body: Record<string, unknown>;
}

export class Dispatcher {
  private readonly handlers: Map<string, { name: string; handler: Handler }>;
  private readonly sleepers = new Set<() => void>();
  private readonly callWaiters = new Set<() => void>();

  constructor(
    table: MethodTable,
    /** Shared with the facade, which exposes it as a public array. */
    readonly calls: RecordedCall[],
    private readonly faults: FaultBook,
    private readonly now: () => number,
    private readonly limits?: RateLimiter,
  ) {
    this.handlers = new Map(
      Object.entries(table).map(([name, handler]) => [name.toLowerCase(), { name, handler }]),
    );
  }

  /** Runs one API call as if it came over HTTP; used by the server and for webhook replies. */
  async invoke(methodName: string, params: Params, signal: AbortSignal): Promise<Outcome> {
    const entry = this.handlers.get(methodName.toLowerCase());
    if (entry === undefined) {
      const failure = new BotApiError(404, 'Not Found: method not found');
      this.recordRejected(methodName, params, failure);
      return { status: 404, body: errorBody(failure) };
    }
    const call: RecordedCall = { method: entry.name, params, ok: false, at: this.now(), pending: true };
    this.calls.push(call);
    this.notifyCallWaiters();
    try {
      const fault = this.faults.take(entry.name, params);
      if (fault?.delayMs !== undefined && fault.delayMs > 0) await this.sleep(fault.delayMs);
      const injected = fault === undefined ? undefined : faultError(fault);
      if (injected !== undefined) throw injected;
      const admission = this.limits?.admit(entry.name, params);
      if (admission?.refused !== undefined) throw admission.refused;
      const answer = await entry.handler(params, { signal });
      admission?.commit();
      call.ok = true;
      call.result = answer.result;
      const body: Record<string, unknown> = { ok: true, result: answer.result };
      if (answer.description !== undefined) body.description = answer.description;
      return { status: 200, body };
    } catch (error) {
      const failure =
        error instanceof BotApiError
          ? error
          : new BotApiError(500, `Internal Server Error: stand-in failure: ${String(error)}`);
      call.errorCode = failure.code;
      call.description = failure.description;
      return { status: failure.code, body: errorBody(failure) };
    } finally {
      delete call.pending;
      this.notifyCallWaiters();
    }
  }

  /** Records a call refused before it reached a method (bad token, unreadable body). */
  recordRejected(method: string, params: Params, error: BotApiError): void {
    this.calls.push({
      method,
      params,
      ok: false,
      errorCode: error.code,
      description: error.description,
      at: this.now(),
    });
    this.notifyCallWaiters();
  }

  /**
   * Resolves once `done` returns a value, re-checked after every recorded or answered call;
   * rejects with `timeoutMessage` after `timeoutMs`.
   */
  waitUntil<T>(done: () => T | undefined, timeoutMs: number, timeoutMessage: string): Promise<T> {
    const ready = done();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise<T>((resolve, reject) => {
      const check = (): void => {
        const result = done();
        if (result === undefined) return;
        clearTimeout(timer);
        this.callWaiters.delete(check);
        resolve(result);
      };
      const timer = setTimeout(() => {
        this.callWaiters.delete(check);
        reject(new Error(timeoutMessage));
      }, timeoutMs);
      this.callWaiters.add(check);
    });
  }

  /** Cuts every delay short, so a held call never outlives the server. */
  wakeSleepers(): void {
    for (const wake of this.sleepers) wake();
  }

  private notifyCallWaiters(): void {
    for (const waiter of [...this.callWaiters]) waiter();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}
