/**
 * Stand-in for the `whatwg-url` package, aliased in by esbuild (see lib/constructs/herald-function.ts).
 *
 * Telegraf's HTTP client (node-fetch 2) imports whatwg-url, which drags in tr46 and its
 * Unicode tables (~290 kB) only to polyfill what Node ≥ 18 already ships. Re-exporting Node's
 * own classes keeps node-fetch working and shrinks the webhook bundle to about a third.
 */
export const URL = globalThis.URL;
export const URLSearchParams = globalThis.URLSearchParams;

/** node-fetch's ESM build does `import whatwgUrl from 'whatwg-url'` and reads `whatwgUrl.URL`. */
export default { URL, URLSearchParams };
