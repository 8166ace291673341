/**
 * Stand-in for `node-fetch` 2, aliased in by esbuild for Lambda bundles (see
 * lib/constructs/herald-function.ts). Telegraf's client calls `fetch(url, { method, headers,
 * body, agent, signal, timeout })` and reads `status`, `statusText` and `json()`: Node ≥ 18's
 * own fetch does all of that (it keeps connections alive by itself, so `agent` is not needed;
 * the handler's deadline bounds each call instead of node-fetch's `timeout`). Saves ~20 kB and
 * the whatwg-url/tr46 chain. Exercised end to end by test/integration/handlers/webhook-bundle.test.ts.
 */
const nodeFetch = (url: string | URL, init?: RequestInit): Promise<Response> => globalThis.fetch(url, init);
export default nodeFetch;
