import {
  CALLBACK_VERSION,
  type CallbackAction,
  callback,
  decodeCallback,
  encodeCallback,
} from '../../../functions/bot/callback-data';
import { commentIdFor } from '../../../functions/bot/features/comments';

/**
 * The longest ids and handles the model allows (ARTICLE_ID_PATTERN, HANDLE_PATTERN), and the
 * deepest page a button may hold (the store serves offsets up to 10,000 rows, 5 a page).
 */
const MAX_PAGE = 1999;
const MAX_ID = `a${'-b'.repeat(19)}x`; // 40 characters
const MAX_HANDLE = 'h'.repeat(32);

const roundTrips: CallbackAction[] = [
  { a: 'open', id: 'article-00' },
  { a: 'open', id: MAX_ID },
  { a: 'full', id: MAX_ID, page: MAX_PAGE },
  { a: 'full', id: 'x', page: 0 },
  { a: 'latest', page: 0 },
  { a: 'latest', page: MAX_PAGE },
  { a: 'author', handle: MAX_HANDLE },
  { a: 'authorArticles', handle: MAX_HANDLE, page: MAX_PAGE },
  { a: 'authors', page: 12 },
  { a: 'sub', handle: 'jdoe' },
  { a: 'unsub', handle: MAX_HANDLE },
  { a: 'comments', id: MAX_ID, page: 3 },
  { a: 'postComment', id: MAX_ID },
  { a: 'deleteComment', id: 'article-00', commentId: '0tt5k3w8ac7lt' },
  { a: 'deleteComment', id: MAX_ID, commentId: '0tt5k3w8ac7lt' },
  { a: 'adminDelete', id: MAX_ID, confirm: true },
  { a: 'adminDelete', id: 'x', confirm: false },
  { a: 'share', id: MAX_ID },
  { a: 'search', page: 2, query: 'город' },
  { a: 'search', page: 0, query: 'time: 10:30 & <b>' },
  { a: 'noop' },
];

describe('encodeCallback / decodeCallback', () => {
  it.each(roundTrips.map((action) => [action.a, action] as const))(
    'round-trips %s within 64 bytes and carries the version',
    (_kind, action) => {
      // Prepare (the action)

      // Act
      const data = callback(action);
      const decoded = decodeCallback(data);

      // Assess
      expect(Buffer.byteLength(data, 'utf8')).toBeLessThanOrEqual(64);
      expect(data.startsWith(`${CALLBACK_VERSION}:`)).toBe(true);
      expect(decoded).toEqual(action);
    },
  );

  it('refuses to encode what would not fit, and callback() says so', () => {
    // Prepare: a search query whose Cyrillic letters take two bytes each
    const action: CallbackAction = { a: 'search', page: 0, query: 'ж'.repeat(40) };

    // Act
    const encoded = encodeCallback(action);

    // Assess
    expect(encoded).toBeUndefined();
    expect(() => callback(action)).toThrow(RangeError);
  });

  const malformed: Array<[string, string]> = [
    ['empty', ''],
    ['garbage', 'garbage'],
    ['another version', '9:o:x'],
    ['version 0', '0:o:x'],
    ['no action', '1'],
    ['empty action', '1:'],
    ['unknown action', '1:zz:1'],
    ['open without id', '1:o'],
    ['open with empty id', '1:o:'],
    ['open with upper-case id', '1:o:UPPER'],
    ['open with id starting with -', '1:o:-x'],
    ['open with a 49-character id', `1:o:${'a'.repeat(49)}`],
    ['open with an extra argument', '1:o:x:1'],
    ['open with a space', '1:o:x '],
    ['full without page', '1:f:x'],
    ['full with negative page', '1:f:x:-1'],
    ['full with 5-digit page', '1:f:x:10000'],
    ['latest beyond the deepest page', '1:l:2000'],
    ['comments beyond the deepest page', '1:c:x:9999'],
    ['search beyond the deepest page', '1:q:2000:bikes'],
    ['full with fractional page', '1:f:x:1.5'],
    ['latest with letters', '1:l:x'],
    ['latest without page', '1:l'],
    ['latest with two pages', '1:l:1:2'],
    ['author with upper case', '1:u:JDoe'],
    ['author with a one-letter handle', '1:u:j'],
    ['author with a 33-character handle', `1:u:${'h'.repeat(33)}`],
    ['author articles without page', '1:ua:jdoe'],
    ['subscribe with an @', '1:s:@jdoe'],
    ['delete without comment id', '1:dc:x'],
    ['delete with an empty comment id', '1:dc:x:'],
    ['delete with an upper-case comment id', '1:dc:x:ABC'],
    ['delete with a 21-character comment id', `1:dc:x:${'a'.repeat(21)}`],
    ['search with an empty query', '1:q:0:'],
    ['search without page', '1:q:abc'],
    ['noop with an argument', '1:n:1'],
    ['65 bytes', `1:o:${'a'.repeat(61)}`],
    ['65 bytes of a valid-looking search', `1:q:0:${'x'.repeat(59)}`],
  ];

  it.each(malformed)('rejects %s', (_name, data) => {
    // Prepare (the data)

    // Act
    const decoded = decodeCallback(data);

    // Assess
    expect(decoded).toBeUndefined();
  });

  it('accepts exactly 64 bytes', () => {
    // Prepare
    const data = `1:q:0:${'x'.repeat(58)}`;

    // Act
    const decoded = decodeCallback(data);

    // Assess
    expect(Buffer.byteLength(data)).toBe(64);
    expect(decoded).toEqual({ a: 'search', page: 0, query: 'x'.repeat(58) });
  });
});

describe('comment ids in delete buttons', () => {
  it('the longest id commentIdFor builds still fits a delete button for the longest article id', () => {
    // Prepare
    const id = commentIdFor(4_000_000_000, Number.MAX_SAFE_INTEGER);

    // Act
    const data = callback({ a: 'deleteComment', id: MAX_ID, commentId: id });

    // Assess
    expect(id.length).toBeLessThanOrEqual(18);
    expect(Buffer.byteLength(data, 'utf8')).toBeLessThanOrEqual(64);
    expect(decodeCallback(data)).toEqual({ a: 'deleteComment', id: MAX_ID, commentId: id });
  });
});
