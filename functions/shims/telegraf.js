/**
 * Telegraf's entry point for Lambda bundles, aliased in by esbuild (lib/constructs/herald-function.ts).
 * The package index also loads Scenes, session, Markup, Input, Format and Router, which Herald
 * never uses; this exports only the classes Herald imports from 'telegraf', straight from their
 * modules, so the rest stays out of the bundle. Plain CommonJS (relative paths into the package,
 * whose "exports" map hides lib/ from bare imports). The bundled end-to-end test
 * (test/integration/handlers/webhook-bundle.test.ts) runs the bot through it.
 */
module.exports = {
  Telegraf: require('../../node_modules/telegraf/lib/telegraf.js').Telegraf,
  Context: require('../../node_modules/telegraf/lib/context.js').Context,
  Composer: require('../../node_modules/telegraf/lib/composer.js').Composer,
  TelegramError: require('../../node_modules/telegraf/lib/core/network/error.js').TelegramError,
  Telegram: require('../../node_modules/telegraf/lib/telegram.js').Telegram,
};
