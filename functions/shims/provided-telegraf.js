/**
 * telegraf for on-demand side bundles (functions/bot/on-demand.ts): the main bundle's own copy,
 * handed over on a global before the first side file loads. One copy means one TelegramError
 * class (so `instanceof` works across files) and no second 60 kB of telegraf in a side file.
 * Plain CommonJS: it is aliased in for `telegraf` by lib/constructs/bundle.ts.
 */
const provided = globalThis[Symbol.for('herald.provided.telegraf')];
if (provided === undefined)
  throw new Error('on-demand module loaded before the main bundle provided telegraf');
module.exports = provided;
