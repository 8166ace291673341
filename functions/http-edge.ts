/**
 * What both HTTP edges (the Telegram webhook and the admin API) need: a constant-time credential
 * check and case-insensitive header lookup. Kept free of Telegraf and the AWS SDK so either
 * Lambda bundles only this.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a presented secret with the expected one in constant time. Both are hashed first, so
 * neither the content nor the length of the secret leaks through timing; an empty expected
 * secret matches nothing.
 */
export function secretMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined || expected.length === 0) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** A header's value by lower-case name (API Gateway lower-cases names; other callers may not). */
export function headerValue(
  headers: Readonly<Record<string, string | undefined>> | undefined,
  name: string,
): string | undefined {
  if (!headers) return undefined;
  const direct = headers[name];
  if (direct !== undefined) return direct;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}
