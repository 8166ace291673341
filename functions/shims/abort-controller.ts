/** Stand-in for the `abort-controller` polyfill in Lambda bundles: Node ships AbortController. */
export default globalThis.AbortController;
export const AbortController = globalThis.AbortController;
export const AbortSignal = globalThis.AbortSignal;
