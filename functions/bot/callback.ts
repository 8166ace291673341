/**
 * Callback data of inline buttons, `<version>:<code>:<fields…>`, always ≤ 64 bytes (Telegram's
 * limit). Each feature defines its own buttons with {@link defineCallback} next to its handlers;
 * the router only asks each definition whether data is its own ({@link CallbackDef.match}), so no
 * code outside a feature reads that feature's codes. The version lets a future layout change keep
 * answering old buttons politely: an unknown version or a malformed payload matches nothing and
 * gets "this button is out of date".
 */
import { ARTICLE_ID_PATTERN, HANDLE_PATTERN } from '../core/ids';

export const CALLBACK_VERSION = '1';
const MAX_BYTES = 64;

/** One positional field: how a value is written into the data and read back (undefined = malformed). */
export interface Field<T> {
  format(value: T): string;
  parse(text: string): T | undefined;
  /** The value of a trailing field that is absent from the data (written as nothing). */
  absent?: T;
  /** Takes the rest of the data, ':' included (only as the last field). */
  rest?: boolean;
}

const matching = (pattern: RegExp): Field<string> => ({
  format: (v) => v,
  parse: (s) => (pattern.test(s) ? s : undefined),
});

/**
 * The deepest page a button can hold: the store pages by offset up to 10,000 rows, 5 a page
 * (store/dynamo.ts MAX_OFFSET). A deeper page can only be forged; it reads as out of date.
 */
const MAX_PAGE = 1999;

/** The field kinds Herald's buttons use. */
export const field = {
  articleId: matching(ARTICLE_ID_PATTERN),
  handle: matching(HANDLE_PATTERN),
  /**
   * A comment id is 7 base-36 digits of time plus the update_id in base 36 (at most 11 for a safe
   * integer): ≤ 18 characters, so `1:dc:<40-char article id>:<comment id>` is exactly ≤ 64 bytes.
   */
  commentId: matching(/^[0-9a-z]{1,18}$/),
  page: {
    format: (v: number) => String(v),
    parse: (s: string) => (/^\d{1,4}$/.test(s) && Number(s) <= MAX_PAGE ? Number(s) : undefined),
  } satisfies Field<number>,
  yesNo: {
    format: (v: boolean) => (v ? 'y' : 'n'),
    parse: (s: string) => (s === 'y' ? true : s === 'n' ? false : undefined),
  } satisfies Field<boolean>,
  /** Free text to the end of the data (it may contain ':'); never empty. */
  text: { format: (v: string) => v, parse: (s: string) => (s === '' ? undefined : s), rest: true },
  /**
   * A trailing marker with a few values, left out for `absent`: buttons from before the marker
   * existed (and the common case) keep their shorter data.
   */
  marker<const V extends string>(codes: Record<string, V>, absent: V): Field<V> {
    const byValue = new Map(Object.entries(codes).map(([code, value]) => [value, code]));
    return {
      format: (v) => byValue.get(v) ?? '',
      // Own keys only: 'constructor' is not a marker.
      parse: (s) => (Object.hasOwn(codes, s) ? codes[s] : undefined),
      absent,
    };
  },
} as const;

/**
 * The code of a button's data (`1:ad:…` → `ad`), or undefined when it is not this version's.
 * Only for routing a press to a feature that is not loaded yet (bot/on-demand.ts); the feature's
 * own definition still decides whether the data is well formed.
 */
export function callbackCode(data: string): string | undefined {
  const m = /^(\d+):([a-z]{1,3})(?::|$)/.exec(data);
  return m?.[1] === CALLBACK_VERSION ? m[2] : undefined;
}

type ValuesOf<S> = { [K in keyof S]: S[K] extends Field<infer T> ? T : never };

/** A button kind: its code, and how its values become data and back. */
export interface CallbackDef<V> {
  readonly code: string;
  /** The data for these values, or undefined when it would pass 64 bytes (e.g. a long search query). */
  tryEncode(values: V): string | undefined;
  /** Like tryEncode, for buttons whose values are bounded (ids, handles, pages): throws if it does not fit. */
  encode(values: V): string;
  /** The values when `data` is this kind's and well formed; otherwise undefined. */
  match(data: string): V | undefined;
}

/**
 * Defines a button kind: `defineCallback('s', { handle: field.handle })` writes `1:s:jdoe`.
 * Fields are written in the order of the spec; a field with `absent` may be left out at the end.
 */
export function defineCallback<S extends Record<string, Field<unknown>>>(
  code: string,
  spec: S,
): CallbackDef<ValuesOf<S>> {
  if (!/^[a-z]{1,3}$/.test(code)) throw new Error(`callback code ${code} must be 1–3 letters a-z`);
  const fields = Object.entries(spec) as Array<[keyof S & string, Field<unknown>]>;
  const prefix = `${CALLBACK_VERSION}:${code}`;
  const tryEncode = (values: ValuesOf<S>): string | undefined => {
    const parts = [prefix];
    for (const [name, f] of fields) {
      const value = values[name];
      if (f.absent !== undefined && value === f.absent) continue;
      parts.push(f.format(value));
    }
    const data = parts.join(':');
    return Buffer.byteLength(data, 'utf8') <= MAX_BYTES ? data : undefined;
  };
  return {
    code,
    tryEncode,
    encode(values) {
      const data = tryEncode(values);
      if (data === undefined) throw new RangeError(`callback data ${prefix} exceeds ${MAX_BYTES} bytes`);
      return data;
    },
    match(data) {
      if (Buffer.byteLength(data, 'utf8') > MAX_BYTES) return undefined;
      if (data !== prefix && !data.startsWith(`${prefix}:`)) return undefined;
      const args = data === prefix ? [] : data.slice(prefix.length + 1).split(':');
      const values: Record<string, unknown> = {};
      let i = 0;
      for (const [name, f] of fields) {
        const text = f.rest ? args.slice(i).join(':') : args[i];
        i = f.rest ? args.length : i + 1;
        if (text === undefined) {
          if (f.absent === undefined) return undefined;
          values[name] = f.absent;
          continue;
        }
        const value = f.parse(text);
        if (value === undefined) return undefined;
        values[name] = value;
      }
      return i >= args.length ? (values as ValuesOf<S>) : undefined;
    },
  };
}
