/**
 * Admin API keys (issue 17, item 9): several named keys, each with scopes, in the one admin
 * secret. The secret holds either
 *
 * - a bare key (what HERALD_ADMIN_KEY and the deploy always made): one key named `default`
 *   with every scope, so existing setups keep working; or
 * - a keyring, JSON: `{"keys":[{"name":"cms","key":"<≥ 24 characters>","scopes":["publish"]},…]}`.
 *
 * Scopes: `publish` (articles, authors, feeds), `moderate` (comments, bans), `read` (stats and
 * every GET of published content). docs/admin-api.md documents the format and rotation.
 */
import { secretMatches } from '../http-edge';

export const ADMIN_SCOPES = ['publish', 'moderate', 'read'] as const;
export type AdminScope = (typeof ADMIN_SCOPES)[number];

export interface AdminKey {
  /** Logged on every call and written to the audit trail: never the key itself. */
  name: string;
  key: string;
  scopes: readonly AdminScope[];
}

/** The secret is neither a bare key nor a valid keyring; `message` says what to fix. */
export class KeyringError extends Error {
  override name = 'KeyringError';
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const MIN_KEY_LENGTH = 24;

/**
 * Parses the admin secret into keys.
 *
 * @throws KeyringError naming the entry and the rule when the keyring is malformed.
 */
export function parseKeyring(secret: string): AdminKey[] {
  const text = secret.trim();
  if (text === '') throw new KeyringError('the admin secret is empty');
  if (!text.startsWith('{')) return [{ name: 'default', key: text, scopes: ADMIN_SCOPES }];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new KeyringError('the admin secret starts with "{" but is not valid JSON');
  }
  const list = typeof data === 'object' && data !== null ? (data as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(list) || list.length === 0)
    throw new KeyringError('the admin keyring needs "keys": a non-empty array');
  const names = new Set<string>();
  return list.map((entry: unknown, i) => {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const { name, key, scopes } = e;
    if (typeof name !== 'string' || !NAME.test(name))
      throw new KeyringError(`keys[${i}].name must be 1–40 characters of a–z, 0–9, _ or -`);
    if (names.has(name)) throw new KeyringError(`keys[${i}].name "${name}" is used twice`);
    names.add(name);
    if (typeof key !== 'string' || key.length < MIN_KEY_LENGTH || /\s/.test(key))
      throw new KeyringError(`keys[${i}].key must be at least ${MIN_KEY_LENGTH} characters without spaces`);
    if (
      !Array.isArray(scopes) ||
      scopes.length === 0 ||
      !scopes.every((s): s is AdminScope => (ADMIN_SCOPES as readonly unknown[]).includes(s))
    )
      throw new KeyringError(`keys[${i}].scopes must list some of ${ADMIN_SCOPES.join(', ')}`);
    return { name, key, scopes: [...new Set(scopes)] };
  });
}

/** The key `presented` matches, compared in constant time against every key; undefined if none. */
export function findKey(keys: readonly AdminKey[], presented: string | undefined): AdminKey | undefined {
  let found: AdminKey | undefined;
  // Every key is compared (no early exit), so timing says nothing about which one matched.
  for (const k of keys) if (secretMatches(presented, k.key) && found === undefined) found = k;
  return found;
}

/**
 * How long a read keyring is trusted: a revoked key (removed from the secret) stops working within
 * this long, on every warm instance.
 */
export const KEYRING_TTL_MS = 60_000;
/**
 * An unknown key makes the keyring be read again at once (a key just added works immediately),
 * but at most this often, so a flood of wrong keys cannot hammer Secrets Manager.
 */
export const KEYRING_REFRESH_MIN_MS = 10_000;

/**
 * The keyring with a bounded cache: trusted for {@link KEYRING_TTL_MS}, read again early on an
 * unknown key at most every {@link KEYRING_REFRESH_MIN_MS}.
 */
export function createKeyring(
  read: () => Promise<string>,
  clock: () => number = Date.now,
): (presented: string | undefined) => Promise<AdminKey | undefined> {
  let cached: { keys: AdminKey[]; at: number } | undefined;
  const load = async () => {
    cached = { keys: parseKeyring(await read()), at: clock() };
    return cached.keys;
  };
  return async (presented) => {
    const now = clock();
    const keys = cached && now - cached.at < KEYRING_TTL_MS ? cached.keys : await load();
    const hit = findKey(keys, presented);
    if (hit || presented === undefined || !cached || now - cached.at < KEYRING_REFRESH_MIN_MS) return hit;
    return findKey(await load(), presented);
  };
}
