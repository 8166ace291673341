/**
 * Stand-in for `p-timeout` in Lambda bundles. Herald builds Telegraf with `handlerTimeout:
 * Infinity` (functions/bot/create-bot.ts: the webhook keeps the time budget itself, counted from
 * the start of the invocation), and for Infinity p-timeout only hands the promise back — which is
 * all this does. Any finite timeout is a wiring mistake and fails loudly.
 * CommonJS on purpose: Telegraf `require`s it.
 */
class TimeoutError extends Error {
  override name = 'TimeoutError';
}
function pTimeout<T>(promise: PromiseLike<T>, milliseconds: number): Promise<T> {
  if (milliseconds !== Number.POSITIVE_INFINITY) {
    throw new Error('finite handlerTimeout (see shims/p-timeout)');
  }
  return Promise.resolve(promise);
}
const shim = Object.assign(pTimeout, { default: pTimeout, TimeoutError });
export = shim;
