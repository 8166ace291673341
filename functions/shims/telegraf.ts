/**
 * Telegraf's entry point for Lambda bundles, aliased in by esbuild (lib/constructs/herald-function.ts).
 * The package index also loads Scenes, session, Markup, Input, Format and Router, which Herald
 * never uses; this re-exports only the classes Herald imports from 'telegraf', straight from
 * their modules, so the rest stays out of the bundle. The bundled end-to-end test
 * (test/integration/handlers/webhook-bundle.test.ts) runs the bot through it.
 */
// Relative paths into the package: its "exports" map does not expose lib/ to bare imports.
// @ts-expect-error -- plain CommonJS module without typings at this path

// @ts-expect-error -- as above
export { Composer } from '../../node_modules/telegraf/lib/composer.js';
// @ts-expect-error -- as above
export { Context } from '../../node_modules/telegraf/lib/context.js';
// @ts-expect-error -- as above
export { TelegramError } from '../../node_modules/telegraf/lib/core/network/error.js';
export { Telegraf } from '../../node_modules/telegraf/lib/telegraf.js';
// @ts-expect-error -- as above
export { Telegram } from '../../node_modules/telegraf/lib/telegram.js';
