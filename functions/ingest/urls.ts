/**
 * URL rules shared by the feed parsers, the HTML converter and the fetcher: resolve against
 * a base with the WHATWG URL parser, and keep only http(s).
 */

/** Longest URL Herald stores (the article schema's limit). */
export const MAX_URL_LENGTH = 2048;

/**
 * Resolves `ref` against `base` and returns it only if the result is an http(s) URL of at
 * most {@link MAX_URL_LENGTH} characters without credentials; otherwise undefined. A
 * protocol-relative `//host/x` without a base is taken as https.
 */
export function resolveHttpUrl(ref: string | undefined, base?: string): string | undefined {
  if (ref === undefined) return undefined;
  const trimmed = ref.trim();
  if (trimmed === '') return undefined;
  let url: URL;
  try {
    url =
      base === undefined && trimmed.startsWith('//') ? new URL(`https:${trimmed}`) : new URL(trimmed, base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  const href = url.href;
  return href.length <= MAX_URL_LENGTH ? href : undefined;
}
