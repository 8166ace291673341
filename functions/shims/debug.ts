/**
 * Stand-in for the `debug` package in Lambda bundles: Telegraf's debug output is never enabled
 * there (structured logs come from Powertools), so every namespace gets a no-op logger.
 * CommonJS on purpose: Telegraf calls `require('debug')('telegraf:client')` directly.
 */
type Debugger = ((...args: unknown[]) => void) & { enabled: boolean; extend: (ns: string) => Debugger };
function createDebug(_namespace: string): Debugger {
  const log = (() => undefined) as unknown as Debugger;
  log.enabled = false;
  log.extend = createDebug;
  return log;
}
createDebug.default = createDebug;
export = createDebug;
