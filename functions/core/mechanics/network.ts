/**
 * The one list of Node network error codes that mean "the connection failed, the request may
 * be retried": used for Bot API calls (functions/telegram/errors.ts) and for telling
 * infrastructure failures from bugs (functions/bot/create-bot.ts).
 */
export const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

/**
 * True for an error whose `code` (or its `cause`'s, as Node's fetch wraps them) is a network
 * failure.
 *
 * @param err anything thrown
 */
export function isNetworkError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = 'code' in err ? err.code : undefined;
  if (typeof code === 'string' && NETWORK_ERROR_CODES.has(code)) return true;
  const cause = 'cause' in err ? err.cause : undefined;
  return cause !== err && cause !== undefined && isNetworkError(cause);
}
