/**
 * Telegraf's entry point for Lambda bundles, aliased in by esbuild (lib/constructs/herald-function.ts).
 * The package index also loads Scenes, session, Markup, Input, Format and Router, which Herald
 * never uses; this exports only the classes Herald imports from 'telegraf', straight from their
 * modules, so the rest stays out of the bundle (15 kB of the webhook's 196 kB). Plain CommonJS.
 * `herald-telegraf-lib` is no package: the bundler's alias (and jest's moduleNameMapper) name the
 * directory of telegraf's public entry, resolved by Node, because the package's "exports" map
 * hides lib/ from bare imports. The bundled end-to-end test
 * (test/integration/handlers/webhook-bundle.test.ts) runs the bot through it.
 */
module.exports = {
  Telegraf: require('herald-telegraf-lib/telegraf.js').Telegraf,
  Context: require('herald-telegraf-lib/context.js').Context,
  Composer: require('herald-telegraf-lib/composer.js').Composer,
  TelegramError: require('herald-telegraf-lib/core/network/error.js').TelegramError,
  Telegram: require('herald-telegraf-lib/telegram.js').Telegram,
};
