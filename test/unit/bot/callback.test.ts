import { CALLBACK_VERSION, type CallbackDef, defineCallback, field } from '../../../functions/bot/callback';
import { deleteArticleButton } from '../../../functions/bot/features/admin';
import { fullTextButton, latestButton, openButton } from '../../../functions/bot/features/articles-buttons';
import {
  authorArticlesButton,
  authorButton,
  authorsButton,
} from '../../../functions/bot/features/authors-buttons';
import {
  commentsButton,
  deleteCommentButton,
  fullCommentButton,
  newerCommentsButton,
  olderCommentsButton,
  postCommentButton,
} from '../../../functions/bot/features/comments-buttons';
import { searchPageButton } from '../../../functions/bot/features/search-buttons';
import { shareButton } from '../../../functions/bot/features/share-buttons';
import {
  subscribeButton,
  subscriptionsPageButton,
  unsubscribeButton,
} from '../../../functions/bot/features/subscriptions-buttons';
import { pageNumberButton } from '../../../functions/bot/views';
import { commentIdFor } from '../../../functions/core/use-cases/comment';

/**
 * The longest ids and handles the model allows (ARTICLE_ID_PATTERN, HANDLE_PATTERN), and the
 * deepest page a button may hold (the store serves offsets up to 10,000 rows, 5 a page).
 */
const MAX_PAGE = 1999;
const MAX_ID = `a${'-b'.repeat(19)}x`; // 40 characters
const MAX_HANDLE = 'h'.repeat(32);

/** Every button kind the bot draws (the router's table is made of these). */
const ALL: Array<CallbackDef<unknown>> = [
  openButton,
  fullTextButton,
  latestButton,
  authorButton,
  authorArticlesButton,
  authorsButton,
  subscribeButton,
  unsubscribeButton,
  subscriptionsPageButton,
  commentsButton,
  olderCommentsButton,
  newerCommentsButton,
  fullCommentButton,
  postCommentButton,
  deleteCommentButton,
  shareButton,
  searchPageButton,
  deleteArticleButton,
  pageNumberButton,
];
/** The button kinds whose definition accepts `data` (a press is routed to at most one). */
const owners = (data: string) => ALL.filter((d) => d.match(data) !== undefined).map((d) => d.code);

/** [kind, data as it was written before each feature owned its buttons, the values it carries]. */
const legacy: Array<[CallbackDef<unknown>, string, object]> = [
  [openButton, '1:o:article-00', { id: 'article-00' }],
  [openButton, `1:o:${MAX_ID}`, { id: MAX_ID }],
  [fullTextButton, `1:f:${MAX_ID}:${MAX_PAGE}`, { id: MAX_ID, page: MAX_PAGE, from: 'card' }],
  [fullTextButton, '1:f:x:0', { id: 'x', page: 0, from: 'card' }],
  [latestButton, '1:l:0', { page: 0 }],
  [latestButton, `1:l:${MAX_PAGE}`, { page: MAX_PAGE }],
  [authorButton, `1:u:${MAX_HANDLE}`, { handle: MAX_HANDLE }],
  [authorArticlesButton, `1:ua:${MAX_HANDLE}:${MAX_PAGE}`, { handle: MAX_HANDLE, page: MAX_PAGE }],
  [authorsButton, '1:al:12', { page: 12 }],
  [subscribeButton, '1:s:jdoe', { handle: 'jdoe', from: 'card' }],
  [unsubscribeButton, `1:x:${MAX_HANDLE}`, { handle: MAX_HANDLE, from: 'card' }],
  [commentsButton, `1:c:${MAX_ID}:3`, { id: MAX_ID, page: 3, from: 'card' }],
  [postCommentButton, `1:pc:${MAX_ID}`, { id: MAX_ID }],
  [deleteCommentButton, '1:dc:article-00:0tt5k3w8ac7lt', { id: 'article-00', commentId: '0tt5k3w8ac7lt' }],
  [deleteArticleButton, `1:ad:${MAX_ID}:y`, { id: MAX_ID, confirm: true }],
  [deleteArticleButton, '1:ad:x:n', { id: 'x', confirm: false }],
  [shareButton, `1:sh:${MAX_ID}`, { id: MAX_ID }],
  [searchPageButton, '1:q:2:город', { page: 2, query: 'город' }],
  [searchPageButton, '1:q:0:time: 10:30 & <b>', { page: 0, query: 'time: 10:30 & <b>' }],
  [pageNumberButton, '1:n', {}],
  // Comment pages by cursor (issue 17, item 4): the longest id and comment id fill exactly 64 bytes.
  [olderCommentsButton, `1:co:${MAX_ID}:${'z'.repeat(18)}`, { id: MAX_ID, cursor: 'z'.repeat(18) }],
  [newerCommentsButton, `1:cn:${MAX_ID}:${'0'.repeat(18)}`, { id: MAX_ID, cursor: '0'.repeat(18) }],
  [fullCommentButton, `1:cf:${MAX_ID}:${'z'.repeat(18)}`, { id: MAX_ID, commentId: 'z'.repeat(18) }],
];

/** Buttons that now say which screen they are on (the data buttons from before did not). */
const withScreen: Array<[CallbackDef<unknown>, object, string]> = [
  [fullTextButton, { id: MAX_ID, page: MAX_PAGE, from: 'text' }, `1:f:${MAX_ID}:${MAX_PAGE}:t`],
  [subscribeButton, { handle: MAX_HANDLE, from: 'profile' }, `1:s:${MAX_HANDLE}:p`],
  [unsubscribeButton, { handle: MAX_HANDLE, from: 'profile' }, `1:x:${MAX_HANDLE}:p`],
  [unsubscribeButton, { handle: 'jdoe', from: 'list' }, '1:x:jdoe:l'],
  [commentsButton, { id: MAX_ID, page: MAX_PAGE, from: 'comments' }, `1:c:${MAX_ID}:${MAX_PAGE}:l`],
];

describe('button data', () => {
  it.each(legacy.map(([def, data, values]) => [data, def, values] as const))(
    '%s is written exactly as before, read back by its own kind only',
    (data, def, values) => {
      // Prepare (the values)

      // Act
      const encoded = def.encode(values);

      // Assess
      expect(encoded).toBe(data);
      expect(Buffer.byteLength(data, 'utf8')).toBeLessThanOrEqual(64);
      expect(data.startsWith(`${CALLBACK_VERSION}:`)).toBe(true);
      expect(def.match(data)).toEqual(values);
      expect(owners(data)).toEqual([def.code]);
    },
  );

  it.each(withScreen.map(([def, values, data]) => [data, def, values] as const))(
    '%s carries its screen within 64 bytes and reads back',
    (data, def, values) => {
      // Prepare (the values)

      // Act
      const encoded = def.encode(values);

      // Assess
      expect(encoded).toBe(data);
      expect(Buffer.byteLength(data, 'utf8')).toBeLessThanOrEqual(64);
      expect(def.match(data)).toEqual(values);
      expect(owners(data)).toEqual([def.code]);
    },
  );

  it('no two kinds share a code', () => {
    // Prepare
    const codes = ALL.map((d) => d.code);

    // Act
    const distinct = new Set(codes);

    // Assess
    expect(distinct.size).toBe(codes.length);
  });

  it('refuses to encode what would not fit: tryEncode says undefined, encode throws', () => {
    // Prepare: a search query whose Cyrillic letters take two bytes each
    const values = { page: 0, query: 'ж'.repeat(40) };

    // Act
    const encoded = searchPageButton.tryEncode(values);

    // Assess
    expect(encoded).toBeUndefined();
    expect(() => searchPageButton.encode(values)).toThrow(RangeError);
  });

  it('a marker value that is no own key of its codes is malformed', () => {
    // Prepare
    const def = defineCallback('m', { from: field.marker({ p: 'profile' }, 'card') });

    // Act
    const matched = ['1:m', '1:m:p', '1:m:constructor', '1:m:toString'].map((d) => def.match(d));

    // Assess
    expect(matched).toEqual([{ from: 'card' }, { from: 'profile' }, undefined, undefined]);
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
    ['full with an unknown screen', '1:f:x:0:z'],
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
    ['subscribe from the list (only unsubscribe is drawn there)', '1:s:jdoe:l'],
    ['unsubscribe with an empty screen', '1:x:jdoe:'],
    ['delete without comment id', '1:dc:x'],
    ['delete with an empty comment id', '1:dc:x:'],
    ['delete with an upper-case comment id', '1:dc:x:ABC'],
    ['delete with a 21-character comment id', `1:dc:x:${'a'.repeat(21)}`],
    ['admin delete with neither y nor n', '1:ad:x:yes'],
    ['search with an empty query', '1:q:0:'],
    ['search without page', '1:q:abc'],
    ['noop with an argument', '1:n:1'],
    ['65 bytes', `1:o:${'a'.repeat(61)}`],
    ['65 bytes of a valid-looking search', `1:q:0:${'x'.repeat(59)}`],
  ];

  it.each(malformed)('no kind accepts %s', (_name, data) => {
    // Prepare (the data)

    // Act
    const accepted = owners(data);

    // Assess
    expect(accepted).toEqual([]);
  });

  it('accepts exactly 64 bytes', () => {
    // Prepare
    const data = `1:q:0:${'x'.repeat(58)}`;

    // Act
    const values = searchPageButton.match(data);

    // Assess
    expect(Buffer.byteLength(data)).toBe(64);
    expect(values).toEqual({ page: 0, query: 'x'.repeat(58) });
  });
});

describe('comment ids in delete buttons', () => {
  it('the longest id commentIdFor builds still fits a delete button for the longest article id', () => {
    // Prepare
    const id = commentIdFor(4_000_000_000, Number.MAX_SAFE_INTEGER);

    // Act
    const data = deleteCommentButton.encode({ id: MAX_ID, commentId: id });

    // Assess
    expect(id.length).toBeLessThanOrEqual(18);
    expect(Buffer.byteLength(data, 'utf8')).toBeLessThanOrEqual(64);
    expect(deleteCommentButton.match(data)).toEqual({ id: MAX_ID, commentId: id });
  });
});
