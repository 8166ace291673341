/**
 * Fault injection: the next matching call(s) answer one of Telegram's errors, or are delayed.
 */
import type { FaultSpec, InjectedFault } from '../types';
import { BotApiError, defaultFaultDescription } from './errors';
import { intParam, type Params } from './params';
import { UNSUPPORTED } from './rich/rich-errors';

type FaultMatch = Pick<FaultSpec, 'method' | 'chatId' | 'times'>;

/**
 * Telegram's answer when a chat or client cannot show rich messages. The Bot API documents no
 * text for it; `RICH_MESSAGE_UNSUPPORTED` is the error name Telegram's servers give MTProto
 * clients for the same refusal, and the Bot API passes such names through after "Bad Request: ".
 */
export const RICH_MESSAGE_UNSUPPORTED = `Bad Request: ${UNSUPPORTED}`;

/** Builders for the usual faults, e.g. `standIn.injectFault(faults.tooManyRequests(3, { method: 'sendMessage' }))`. */
export const faults = {
  /** 429 `Too Many Requests: retry after N` with `parameters.retry_after: N`. */
  tooManyRequests: (retryAfter: number, match: FaultMatch = {}): FaultSpec => ({
    ...match,
    errorCode: 429,
    retryAfter,
  }),
  /** 403 `Forbidden: bot was blocked by the user`. */
  blockedByUser: (match: FaultMatch = {}): FaultSpec => ({ ...match, errorCode: 403 }),
  /** 400 `Bad Request: chat not found`. */
  chatNotFound: (match: FaultMatch = {}): FaultSpec => ({ ...match, errorCode: 400 }),
  /** 500 `Internal Server Error`. */
  serverError: (match: FaultMatch = {}): FaultSpec => ({ ...match, errorCode: 500 }),
  /** A successful answer that takes `delayMs`. */
  slow: (delayMs: number, match: FaultMatch = {}): FaultSpec => ({ ...match, delayMs }),
  /**
   * 400 `Bad Request: RICH_MESSAGE_UNSUPPORTED` for the next sendRichMessage (by default); for a
   * lasting refusal in one chat use `standIn.setRichMessagesAvailable(chatId, false)`.
   */
  richMessagesUnavailable: (match: FaultMatch = {}): FaultSpec => ({
    method: 'sendRichMessage',
    ...match,
    errorCode: 400,
    description: RICH_MESSAGE_UNSUPPORTED,
  }),
};

/** The faults waiting to hit calls. */
export class FaultBook {
  private active: InjectedFault[] = [];

  inject(fault: FaultSpec): InjectedFault {
    const injected: InjectedFault = { ...fault, remaining: fault.times ?? 1, hits: 0 };
    this.active.push(injected);
    return injected;
  }

  clear(): void {
    this.active = [];
  }

  /** The first fault matching this call, counted as hit. */
  take(method: string, params: Params): InjectedFault | undefined {
    const chatId = intParam(params, 'chat_id');
    const fault = this.active.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (candidate.method === undefined || candidate.method.toLowerCase() === method.toLowerCase()) &&
        (candidate.chatId === undefined || candidate.chatId === chatId),
    );
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    fault.hits += 1;
    if (fault.remaining <= 0) this.active = this.active.filter((f) => f !== fault);
    return fault;
  }
}

/** The error a fault answers, or undefined when it only delays. */
export function faultError(fault: InjectedFault): BotApiError | undefined {
  if (fault.errorCode === undefined && fault.retryAfter === undefined) return undefined;
  const code = fault.errorCode ?? 429;
  const retryAfter = fault.retryAfter ?? 1;
  return new BotApiError(
    code,
    fault.description ?? defaultFaultDescription(code, retryAfter),
    code === 429 ? { retry_after: retryAfter } : undefined,
  );
}
