/**
 * The Lambda bundles replace some packages with Node's own features (lib/constructs/herald-function.ts,
 * BUNDLE_ALIASES). These checks catch a Telegraf upgrade that moves what the shims point at.
 */
import { Composer, Context, Telegraf, Telegram, TelegramError } from 'telegraf';
import createDebug from '../../functions/shims/debug';
import nodeFetch from '../../functions/shims/node-fetch';

const shim = require('../../functions/shims/telegraf.js') as Record<string, unknown>;

describe('bundle shims', () => {
  test('the telegraf shim exports the very classes the package exports', () => {
    expect(shim).toEqual({ Telegraf, Context, Composer, TelegramError, Telegram });
    expect(shim['Telegraf']).toBe(Telegraf);
    expect(shim['Telegram']).toBe(Telegram);
  });

  test('the debug shim is callable the way Telegraf calls it, and silent', () => {
    const log = createDebug('telegraf:client');
    expect(log.enabled).toBe(false);
    expect(log('anything')).toBeUndefined();
  });

  test('the node-fetch shim is the global fetch', async () => {
    const res = await nodeFetch('data:application/json,{"ok":true}');
    expect(await res.json()).toEqual({ ok: true });
  });
});
