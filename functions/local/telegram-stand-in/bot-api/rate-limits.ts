/**
 * Telegram's broadcast limits, as the stand-in models them (opt-in: `standIn.setRateLimits()`),
 * and paid broadcast (`allow_paid_broadcast`, Bot API 7.10).
 *
 * What Telegram documents (Bots FAQ, "Broadcasting to users"; Bot API, `allow_paid_broadcast`):
 * - bulk notifications to different chats: "not more than 30 messages per second or so", above
 *   that 429 errors;
 * - `allow_paid_broadcast: true`: "up to 1000 messages per second, ignoring broadcasting limits
 *   for a fee of 0.1 Telegram Stars per message", withdrawn from the bot's balance; the fee is
 *   for messages above the free amount.
 *
 * What it does not document, and the stand-in assumes: the free rate is a token bucket of 30
 * messages refilled at 30/s, and every message of the bot (a reply as much as a broadcast) takes
 * from it; a message with `allow_paid_broadcast` that finds it empty is paid for, within a second
 * bucket of 1,000 refilled at 1,000/s that every message also takes from. And (the pessimistic
 * reading, which the sender's policy must survive): once a bot goes over the limit it is in a **flood wait** for
 * `floodWaitSeconds`, and every call of the bot during it — any chat, any method that acts, an
 * interactive reply as much as a broadcast — answers `429 Too Many Requests: retry after N` with
 * N the whole seconds left (rounded up). Calls in flight when the wait starts are refused too.
 * Sending during the wait does not lengthen it. (A third-party library reports that a 429 flood
 * blocks all of a bot's calls; Telegram's per-chat limit of about 1 message/s is not modelled:
 * Herald never sends one chat two alerts.)
 *
 * Insufficient Stars: the Bot API documents no text; `BALANCE_TOO_LOW` is the name Telegram's
 * servers give MTProto clients for a payment the balance cannot cover, passed through after
 * "Bad Request: " as the Bot API does with such names.
 */
import { BotApiError, defaultFaultDescription } from './errors';
import { boolParam, type Params } from './params';

/** Telegram's broadcast limits, as configured for the stand-in. */
export interface RateLimitOptions {
  /** Free messages per second across chats (default 30). */
  freePerSecond?: number;
  /** With `allow_paid_broadcast` (default 1,000). */
  paidPerSecond?: number;
  /** How long going over the limit blocks the bot (default 3 s). */
  floodWaitSeconds?: number;
}

/** 400 when the Stars balance cannot pay for a paid message. */
export const BALANCE_TOO_LOW = 'Bad Request: BALANCE_TOO_LOW';

/** Methods that never count and are never refused: receiving updates and webhook setup. */
const UNLIMITED = new Set(['getupdates', 'getme', 'setwebhook', 'deletewebhook', 'getwebhookinfo']);

/** Methods that put a message in a chat: these are what the per-second limits count. */
function sendsMessage(method: string): boolean {
  const m = method.toLowerCase();
  return m.startsWith('send') || m === 'copymessage' || m === 'forwardmessage';
}

/** The admission of one call: refused with Telegram's error, or admitted with what to book once it succeeds. */
export type Admission = { refused: BotApiError } | { refused?: undefined; commit: () => void };

const ADMIT_FREELY: Admission = { commit: () => undefined };

/** The bot's sending record over the last second, its flood wait and its Stars. */
export class RateLimiter {
  /** Tenths of a Star on the bot's balance (integers: 0.1 Star is the unit). */
  private balanceTenths = 0;
  /** Tenths of a Star withdrawn for paid messages. */
  private spentTenths = 0;
  private limits: Required<RateLimitOptions> | undefined;
  /** Tokens of the free bucket and of the overall (paid) bucket, as of `refilledAt`. */
  private free = 0;
  private total = 0;
  private refilledAt = Number.NEGATIVE_INFINITY;
  private floodUntil = Number.NEGATIVE_INFINITY;
  /** Calls refused with 429 by the limits (not by injected faults). */
  refused = 0;
  /** Messages sent above the free rate with allow_paid_broadcast. */
  paidMessages = 0;

  constructor(private readonly now: () => number) {}

  /** Turns the limits on (`undefined`: off, the default; calls are never refused for rate). */
  configure(options: RateLimitOptions | undefined): void {
    this.limits =
      options === undefined
        ? undefined
        : {
            freePerSecond: options.freePerSecond ?? 30,
            paidPerSecond: options.paidPerSecond ?? 1000,
            floodWaitSeconds: options.floodWaitSeconds ?? 3,
          };
    this.free = this.limits?.freePerSecond ?? 0;
    this.total = this.limits?.paidPerSecond ?? 0;
    this.refilledAt = this.now();
    this.floodUntil = Number.NEGATIVE_INFINITY;
  }

  /** Sets the bot's Stars balance (whole or tenths, e.g. 12.5). */
  setStarBalance(stars: number): void {
    this.balanceTenths = Math.round(stars * 10);
  }

  get starBalance(): number {
    return this.balanceTenths / 10;
  }

  get starsSpent(): number {
    return this.spentTenths / 10;
  }

  /** When the current flood wait ends (ms), or -Infinity. */
  get floodWaitUntil(): number {
    return this.floodUntil;
  }

  /**
   * Decides one call before its method runs: refused (flood wait, over the limit, no Stars) or
   * admitted; an admitted message counts once the method succeeded (`commit`).
   *
   * @throws BotApiError 400 when `allow_paid_broadcast` is not a boolean.
   */
  admit(method: string, params: Params): Admission {
    const raw = params['allow_paid_broadcast'];
    const paidAllowed = raw === undefined ? false : boolParam(params, 'allow_paid_broadcast');
    if (paidAllowed === undefined)
      throw new BotApiError(400, "Bad Request: can't parse allow_paid_broadcast: expected a Boolean");
    const limits = this.limits;
    if (limits === undefined || UNLIMITED.has(method.toLowerCase())) return ADMIT_FREELY;
    const now = this.now();
    if (now < this.floodUntil) return this.refuse(now);
    if (!sendsMessage(method)) return ADMIT_FREELY;
    const elapsed = Math.max(0, now - this.refilledAt) / 1000;
    this.refilledAt = now;
    this.free = Math.min(limits.freePerSecond, this.free + elapsed * limits.freePerSecond);
    this.total = Math.min(limits.paidPerSecond, this.total + elapsed * limits.paidPerSecond);
    const free = this.free >= 1 && this.total >= 1;
    if (!free && (!paidAllowed || this.total < 1)) {
      this.floodUntil = now + limits.floodWaitSeconds * 1000;
      return this.refuse(now);
    }
    if (!free && this.balanceTenths < 1) return { refused: new BotApiError(400, BALANCE_TOO_LOW) };
    const paid = !free;
    this.total -= 1;
    if (free) this.free -= 1;
    return {
      commit: () => {
        if (paid) {
          this.balanceTenths -= 1;
          this.spentTenths += 1;
          this.paidMessages += 1;
        }
      },
    };
  }

  private refuse(now: number): Admission {
    this.refused += 1;
    const retryAfter = Math.max(1, Math.ceil((this.floodUntil - now) / 1000));
    return {
      refused: new BotApiError(429, defaultFaultDescription(429, retryAfter), { retry_after: retryAfter }),
    };
  }
}
