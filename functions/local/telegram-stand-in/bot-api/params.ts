/**
 * Reading Bot API parameters the way Telegram does: query string and body merged, numbers and
 * booleans accepted as text, JSON-carrying fields decoded when a urlencoded client sent strings.
 */

export type Params = Record<string, unknown>;

/** Parameters that carry JSON; urlencoded clients send them as strings. */
const JSON_PARAMS = new Set([
  'reply_markup',
  'entities',
  'results',
  'allowed_updates',
  'commands',
  'scope',
  'menu_button',
  'reply_parameters',
  'link_preview_options',
  'button',
  'caption_entities',
  'message_ids',
  'rich_message',
]);

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON with sorted keys, so two equal objects compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** A string parameter; numbers and booleans are accepted as their text, like Telegram does. */
export function stringParam(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function intParam(params: Params, name: string): number | undefined {
  const value = params[name];
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

export function boolParam(params: Params, name: string): boolean | undefined {
  const value = params[name];
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1' || value === 1) return true;
  if (value === 'false' || value === '0' || value === 0) return false;
  return undefined;
}

/** Turns JSON strings in the known JSON parameters into values; leaves unparsable ones as strings. */
export function decodeJsonParams(params: Params): Params {
  for (const [key, value] of Object.entries(params)) {
    if (JSON_PARAMS.has(key) && typeof value === 'string' && /^\s*[[{]/.test(value)) {
      try {
        params[key] = JSON.parse(value) as unknown;
      } catch {
        // Left as a string: the method's validation reports it the way Telegram would.
      }
    }
  }
  return params;
}

export function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}

/** Sets an optional field, or removes it when the value is undefined. */
export function setOptional<T extends object, K extends keyof T>(
  target: T,
  key: K,
  value: T[K] | undefined,
): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}
