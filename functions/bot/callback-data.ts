/**
 * Callback data of inline buttons: `<version>:<action>:<args>`, always ≤ 64 bytes (Telegram's
 * limit). The version lets a future layout change keep answering old buttons politely; an
 * unknown version or a malformed payload parses to `undefined` ("this button is out of date").
 */
import { ARTICLE_ID_PATTERN, HANDLE_PATTERN } from '../core/ids';

export const CALLBACK_VERSION = '1';

export type CallbackAction =
  | { a: 'open'; id: string }
  | { a: 'full'; id: string; page: number }
  | { a: 'latest'; page: number }
  | { a: 'author'; handle: string }
  | { a: 'authorArticles'; handle: string; page: number }
  | { a: 'authors'; page: number }
  | { a: 'sub'; handle: string }
  | { a: 'unsub'; handle: string }
  | { a: 'comments'; id: string; page: number }
  | { a: 'postComment'; id: string }
  | { a: 'deleteComment'; id: string; commentId: string }
  | { a: 'share'; id: string }
  | { a: 'search'; page: number; query: string }
  /** Admin confirmation of /delete_article: `confirm` deletes, otherwise keeps. */
  | { a: 'adminDelete'; id: string; confirm: boolean }
  | { a: 'noop' };

const CODES = {
  open: 'o',
  full: 'f',
  latest: 'l',
  author: 'u',
  authorArticles: 'ua',
  authors: 'al',
  sub: 's',
  unsub: 'x',
  comments: 'c',
  postComment: 'pc',
  deleteComment: 'dc',
  share: 'sh',
  search: 'q',
  adminDelete: 'ad',
  noop: 'n',
} as const satisfies Record<CallbackAction['a'], string>;

const MAX_BYTES = 64;
/**
 * A comment id is 7 base-36 digits of time plus the update_id in base 36 (at most 11 for a safe
 * integer): ≤ 18 characters, so `1:dc:<40-char article id>:<comment id>` is exactly ≤ 64 bytes.
 */
const COMMENT_ID = /^[0-9a-z]{1,18}$/;
const PAGE = /^\d{1,4}$/;
/**
 * The deepest page a button can hold: the store pages by offset up to 10,000 rows, 5 a page
 * (store/dynamo.ts MAX_OFFSET). A deeper page can only be forged; it reads as out of date.
 */
const MAX_PAGE = 1999;

/** Encodes an action; returns undefined when it would not fit in 64 bytes (e.g. a long search query). */
export function encodeCallback(action: CallbackAction): string | undefined {
  const parts: string[] = [CALLBACK_VERSION, CODES[action.a]];
  switch (action.a) {
    case 'open':
    case 'postComment':
    case 'share':
      parts.push(action.id);
      break;
    case 'full':
    case 'comments':
      parts.push(action.id, String(action.page));
      break;
    case 'latest':
    case 'authors':
      parts.push(String(action.page));
      break;
    case 'author':
    case 'sub':
    case 'unsub':
      parts.push(action.handle);
      break;
    case 'authorArticles':
      parts.push(action.handle, String(action.page));
      break;
    case 'deleteComment':
      parts.push(action.id, action.commentId);
      break;
    case 'adminDelete':
      parts.push(action.id, action.confirm ? 'y' : 'n');
      break;
    case 'search':
      parts.push(String(action.page), action.query);
      break;
    case 'noop':
      break;
  }
  const data = parts.join(':');
  return Buffer.byteLength(data, 'utf8') <= MAX_BYTES ? data : undefined;
}

/** Like {@link encodeCallback} but for actions that always fit (ids and handles are bounded). */
export function callback(action: CallbackAction): string {
  const data = encodeCallback(action);
  if (data === undefined) throw new RangeError(`callback data for ${action.a} exceeds 64 bytes`);
  return data;
}

/** Parses callback data; anything unknown, malformed or from an unsupported version → undefined. */
export function decodeCallback(data: string): CallbackAction | undefined {
  if (Buffer.byteLength(data, 'utf8') > MAX_BYTES) return undefined;
  const [version, code, ...args] = data.split(':');
  if (version !== CALLBACK_VERSION) return undefined;
  const id = (s: string | undefined) => (s !== undefined && ARTICLE_ID_PATTERN.test(s) ? s : undefined);
  const handle = (s: string | undefined) => (s !== undefined && HANDLE_PATTERN.test(s) ? s : undefined);
  const page = (s: string | undefined) =>
    s !== undefined && PAGE.test(s) && Number(s) <= MAX_PAGE ? Number(s) : undefined;
  const [x, y] = args;
  const one = args.length === 1;
  const two = args.length === 2;
  switch (code) {
    case 'o': {
      const v = id(x);
      return one && v ? { a: 'open', id: v } : undefined;
    }
    case 'pc': {
      const v = id(x);
      return one && v ? { a: 'postComment', id: v } : undefined;
    }
    case 'sh': {
      const v = id(x);
      return one && v ? { a: 'share', id: v } : undefined;
    }
    case 'f':
    case 'c': {
      const v = id(x);
      const p = page(y);
      if (!two || !v || p === undefined) return undefined;
      return code === 'f' ? { a: 'full', id: v, page: p } : { a: 'comments', id: v, page: p };
    }
    case 'l':
    case 'al': {
      const p = page(x);
      if (!one || p === undefined) return undefined;
      return code === 'l' ? { a: 'latest', page: p } : { a: 'authors', page: p };
    }
    case 'u':
    case 's':
    case 'x': {
      const h = handle(x);
      if (!one || !h) return undefined;
      return code === 'u'
        ? { a: 'author', handle: h }
        : code === 's'
          ? { a: 'sub', handle: h }
          : { a: 'unsub', handle: h };
    }
    case 'ua': {
      const h = handle(x);
      const p = page(y);
      return two && h && p !== undefined ? { a: 'authorArticles', handle: h, page: p } : undefined;
    }
    case 'ad': {
      const v = id(x);
      return two && v && (y === 'y' || y === 'n')
        ? { a: 'adminDelete', id: v, confirm: y === 'y' }
        : undefined;
    }
    case 'dc': {
      const v = id(x);
      return two && v && y !== undefined && COMMENT_ID.test(y)
        ? { a: 'deleteComment', id: v, commentId: y }
        : undefined;
    }
    case 'q': {
      const p = page(x);
      // The query may itself contain ':'; everything after the page is the query.
      const query = args.slice(1).join(':');
      return p !== undefined && query.length > 0 ? { a: 'search', page: p, query } : undefined;
    }
    case 'n':
      return args.length === 0 ? { a: 'noop' } : undefined;
    default:
      return undefined;
  }
}
