/**
 * Seeded randomness and hostile-input generators for the hardening suite: a small PRNG
 * (mulberry32) so every run can be replayed from its seed, texts drawn from every Unicode
 * plane and from HTML's metacharacters, forged callback data and deep-link payloads, and
 * Telegram Updates of every kind — well-formed, subtly wrong and plainly malformed.
 *
 * Nothing here knows how the bot answers; the tests decide what is acceptable.
 */

/** The default seed: fixed so CI is reproducible; override with HERALD_FUZZ_SEED to explore. */
export const DEFAULT_FUZZ_SEED = 0x4e7a1d;

/** The seed from `HERALD_FUZZ_SEED` (decimal or 0x-hex), else `fallback`. */
export function fuzzSeed(fallback = DEFAULT_FUZZ_SEED, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.HERALD_FUZZ_SEED?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = /^0x[0-9a-f]+$/i.test(raw) ? Number.parseInt(raw.slice(2), 16) : Number(raw);
  if (!Number.isSafeInteger(value))
    throw new Error(`HERALD_FUZZ_SEED must be an integer, got ${JSON.stringify(raw)}`);
  return value >>> 0;
}

/**
 * mulberry32: 32 bits of state, full period, good enough statistics for test generation and
 * — the point — identical sequences on every machine for the same seed.
 */
export class Rng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One of `items`, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight: `[[weight, value], ...]`. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    const total = choices.reduce((sum, [w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [w, value] of choices) {
      r -= w;
      if (r < 0) return value;
    }
    return choices[choices.length - 1]![1];
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Texts
// ---------------------------------------------------------------------------------------------

/** Fragments that have broken text handling somewhere, grouped by what they attack. */
export const HOSTILE_FRAGMENTS = {
  html: [
    '<',
    '>',
    '&',
    '"',
    "'",
    '<b>',
    '</b>',
    '<i>x</i>',
    '&amp;',
    '&lt;',
    '&#0;',
    '&#xD800;',
    '&bogus;',
    '<a href="javascript:alert(1)">',
    '</a>',
    '<br>',
    '<tg-spoiler>',
    '<pre><code class="x">',
    '<!--',
    ']]>',
    '&&&',
    '<<>>',
  ],
  rtl: ['\u202E', '\u202D', '\u200F', '\u200E', '\u2066', '\u2069', 'שלום', 'مرحبا بالعالم', 'ܫܠܡܐ'],
  combining: [
    'e\u0301',
    'a\u0300\u0301\u0302\u0303\u0304\u0305',
    'Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357',
    '\u0301',
    'क्षि',
    'ก้',
  ],
  zwj: ['👩‍👩‍👧‍👦', '🏳️‍🌈', '👨🏽‍💻', '\u200D', '\u200C', '🇺🇦', '1️⃣', '🫠'],
  control: [
    '\u0000',
    '\u0001',
    '\u0007',
    '\u001B[31m',
    '\u007F',
    '\u0085',
    '\t',
    '\r\n',
    '\n\n\n',
    '\u2028',
    '\u2029',
    '\uFEFF',
    '\uFFFD',
    '\uFFFF',
    '\uFFFE',
  ],
  surrogates: ['\uD800', '\uDFFF', '\uDBFF\uDBFF', '\uDC00\uD800', 'a\uD83D', '\uDE00b'],
  scripts: [
    'Город для людей',
    '北京大学',
    'ひらがなカタカナ',
    '한국어',
    'ไทยภาษา',
    'Ελληνικά',
    'हिन्दी',
    'ქართული',
    'Ꭰꭱꭲ',
    '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
    '𓀀𓀁',
    '𠜎𠜱𠝹',
  ],
  telegram: [
    '/start',
    '/start@HeraldTestBot',
    '@HeraldTestBot',
    '#article-00',
    'https://t.me/HeraldTestBot?start=a_article-00',
    'tg://user?id=1',
    '`code`',
    '*bold*',
    '_it_',
    '||spoiler||',
    '1:o:article-00',
  ],
  json: [
    '{"a":1}',
    '\\u0000',
    '\\"',
    '__proto__',
    'constructor',
    'toString',
    'NaN',
    'null',
    'undefined',
    '1e309',
    '-0',
  ],
} as const;

const PLANES = [0, 0, 0, 1, 1, 2, 3, 14, 15, 16] as const;

/**
 * A random code point of a random plane, as a string. Surrogate code points are skipped
 * (those come from the `surrogates` fragments on purpose); unassigned ones are kept.
 */
export function randomCodePoint(rng: Rng): string {
  const plane = rng.pick(PLANES);
  let cp = plane * 0x10000 + rng.int(0, 0xffff);
  if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xe000 + (cp - 0xd800);
  return String.fromCodePoint(cp);
}

const WORDS = [
  'bikes',
  'cities',
  'people',
  'part',
  'why',
  'web',
  'город',
  'для',
  'the',
  'and',
  'jdoe',
  'Dr.',
  'article',
  'a',
  'I',
];

/** Where a piece of text comes from, by weight (a flat table: this runs ~20,000 times per huge text). */
const PIECE_SOURCES: readonly (readonly string[] | 'space' | 'random')[] = [
  WORDS,
  WORDS,
  WORDS,
  WORDS,
  'space',
  'space',
  HOSTILE_FRAGMENTS.html,
  HOSTILE_FRAGMENTS.html,
  HOSTILE_FRAGMENTS.rtl,
  HOSTILE_FRAGMENTS.combining,
  HOSTILE_FRAGMENTS.zwj,
  HOSTILE_FRAGMENTS.control,
  HOSTILE_FRAGMENTS.surrogates,
  HOSTILE_FRAGMENTS.scripts,
  HOSTILE_FRAGMENTS.telegram,
  HOSTILE_FRAGMENTS.json,
  'random',
  'random',
];

/** One piece of text: a word, a space, a hostile fragment or random code points. */
function piece(rng: Rng): string {
  const source = rng.pick(PIECE_SOURCES);
  if (source === 'space') return ' ';
  if (source === 'random') {
    let out = '';
    for (let n = rng.int(1, 6); n > 0; n--) out += randomCodePoint(rng);
    return out;
  }
  return rng.pick(source);
}

/** Text of about `length` UTF-16 code units made of random pieces. */
export function textOfLength(rng: Rng, length: number): string {
  const parts: string[] = [];
  let size = 0;
  while (size < length) {
    const p = piece(rng);
    parts.push(p);
    size += p.length;
  }
  return parts.join('').slice(0, length);
}

/**
 * A hostile text: usually short, sometimes empty or whitespace, sometimes right at
 * Telegram's limits (1,000 for comments, 4,096 for messages), rarely huge (~100 kB) or one
 * character repeated (a single grapheme thousands of marks long).
 */
export function hostileText(rng: Rng, opts: { allowHuge?: boolean } = {}): string {
  const allowHuge = opts.allowHuge ?? true;
  return rng.weighted<() => string>([
    [50, () => textOfLength(rng, rng.int(1, 40))],
    [10, () => textOfLength(rng, rng.int(40, 400))],
    [4, () => ''],
    [4, () => rng.pick([' ', '\n', '\t \n', '\u00A0', '\u3000', '\u200B'])],
    [3, () => textOfLength(rng, rng.pick([999, 1000, 1001, 4095, 4096, 4097]))],
    [2, () => rng.pick(['.', 'a', '\u0301', '😀', '<', '&']).repeat(rng.int(100, 5000))],
    [allowHuge ? 1 : 0, () => textOfLength(rng, 100_000)],
  ])();
}

// ---------------------------------------------------------------------------------------------
// Callback data and deep links
// ---------------------------------------------------------------------------------------------

/** What the generators may point at: things that exist, so some fuzz reaches deep code paths. */
export interface FuzzWorld {
  botId: number;
  botUsername: string;
  articleIds: readonly string[];
  handles: readonly string[];
  shareCodes: readonly string[];
}

const CALLBACK_CODES = ['o', 'f', 'l', 'u', 'ua', 'al', 's', 'x', 'c', 'pc', 'dc', 'sh', 'q', 'n'] as const;

function idLike(rng: Rng, world: FuzzWorld): string {
  return rng.weighted<() => string>([
    [5, () => rng.pick(world.articleIds)],
    [2, () => `article-${rng.int(0, 999)}`],
    [1, () => 'a'.repeat(rng.int(40, 60))],
    [1, () => textOfLength(rng, rng.int(0, 12))],
    [1, () => rng.pick(['', '-', 'ARTICLE-00', '../etc', '__proto__', 'article-00 ', '0'])],
  ])();
}

function handleLike(rng: Rng, world: FuzzWorld): string {
  return rng.weighted<() => string>([
    [5, () => rng.pick(world.handles)],
    [2, () => rng.pick(['nobody', 'JDOE', '@jdoe', 'j', 'x'.repeat(33), '', 'jdoe ', 'jdöe'])],
    [1, () => textOfLength(rng, rng.int(0, 10))],
  ])();
}

function pageLike(rng: Rng): string {
  return rng.pick(['0', '1', '2', '3', '9999', '10000', '-1', '01', '1.5', '', 'x', '٣', '1e3', '00000']);
}

/**
 * Callback data as a button could carry it — or as a forger would: valid layouts pointing at
 * real and missing things, other versions, wrong arity, non-ASCII, and more than 64 bytes.
 */
export function callbackData(rng: Rng, world: FuzzWorld): string {
  const version = rng.weighted([
    [8, '1'],
    [1, rng.pick(['0', '2', '', 'v1', '1 ', '١', '11'])],
  ] as const);
  const code = rng.weighted<string>([
    [9, rng.pick(CALLBACK_CODES)],
    [1, rng.pick(['', 'O', 'zz', 'open', '?'])],
  ]);
  const args: string[] = (() => {
    switch (code) {
      case 'o':
      case 'pc':
      case 'sh':
        return [idLike(rng, world)];
      case 'f':
      case 'c':
        return [idLike(rng, world), pageLike(rng)];
      case 'l':
      case 'al':
        return [pageLike(rng)];
      case 'u':
      case 's':
      case 'x':
        return [handleLike(rng, world)];
      case 'ua':
        return [handleLike(rng, world), pageLike(rng)];
      case 'dc':
        return [idLike(rng, world), rng.pick(['0abc1234', 'zzzzzzz1', '', 'ABC', '0'.repeat(21)])];
      case 'q':
        return [pageLike(rng), hostileText(rng, { allowHuge: false }).slice(0, rng.int(0, 70))];
      default:
        return [];
    }
  })();
  // Wrong arity now and then: a missing or an extra argument.
  if (rng.chance(0.08)) args.pop();
  if (rng.chance(0.08)) args.push(rng.pick(['0', 'x', '', ':']));
  let data = [version, code, ...args].join(':');
  if (rng.chance(0.05)) data = data + 'x'.repeat(rng.int(1, 80));
  if (rng.chance(0.03)) data = hostileText(rng, { allowHuge: false }).slice(0, rng.int(0, 100));
  return data;
}

/** A `/start` payload: the valid shapes (`a_`, `u_`, `s_`) and everything around them. */
export function deepLinkPayload(rng: Rng, world: FuzzWorld): string {
  return rng.weighted<() => string>([
    [4, () => `a_${idLike(rng, world)}`],
    [2, () => `u_${handleLike(rng, world)}`],
    [
      2,
      () =>
        `s_${world.shareCodes.length > 0 && rng.chance(0.6) ? rng.pick(world.shareCodes) : textOfLength(rng, rng.int(0, 20))}`,
    ],
    [
      1,
      () =>
        rng.pick([
          '',
          ' ',
          'a_',
          'u_',
          's_',
          'x_y',
          'A'.repeat(64),
          'A'.repeat(65),
          'a_article-00 extra',
          'a_article-00\n',
        ]),
    ],
    [2, () => hostileText(rng, { allowHuge: false }).slice(0, rng.int(0, 80))],
  ])();
}

// ---------------------------------------------------------------------------------------------
// Updates
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

const COMMANDS = [
  'start',
  'help',
  'latest',
  'authors',
  'author',
  'search',
  'subscribe',
  'unsubscribe',
  'subscriptions',
  'shared',
  'cancel',
  'START',
  'unknown',
  'a',
  'x'.repeat(40),
];

/** A user id: mostly a small pool (so state builds up), sometimes extreme. */
export function userId(rng: Rng, pool: readonly number[]): number {
  return rng.weighted<() => number>([
    [20, () => rng.pick(pool)],
    [1, () => rng.pick([1, 777000, 1087968824, 2 ** 31 - 1, 2 ** 31, 2 ** 52, Number.MAX_SAFE_INTEGER])],
  ])();
}

function userObject(rng: Rng, id: number): Json {
  const user: Json = {
    id,
    is_bot: rng.chance(0.03),
    first_name: rng.chance(0.8)
      ? rng.pick(['Ann', 'Бо', 'أحمد', 'Zoë'])
      : hostileText(rng, { allowHuge: false }).slice(0, 64),
  };
  if (rng.chance(0.3)) user.last_name = hostileText(rng, { allowHuge: false }).slice(0, 64);
  if (rng.chance(0.3)) user.username = rng.pick(['ann', 'bo_2', 'x'.repeat(32)]);
  if (rng.chance(0.5)) user.language_code = rng.pick(['en', 'ru', 'ar', 'zz', '']);
  return user;
}

function chatFor(rng: Rng, user: Json): Json {
  return rng.weighted<() => Json>([
    [8, () => ({ id: user.id, type: 'private', first_name: user.first_name })],
    [1, () => ({ id: -rng.int(1, 999_999_999), type: 'group', title: 'Group <b>&' })],
    [1, () => ({ id: -1_000_000_000_000 - rng.int(1, 999_999_999), type: 'supergroup', title: 'Super 🫠' })],
    [1, () => ({ id: -1_000_000_000_000 - rng.int(1, 999_999_999), type: 'channel', title: 'Channel' })],
  ])();
}

function messageText(rng: Rng, world: FuzzWorld): string {
  return rng.weighted<() => string>([
    [5, () => hostileText(rng)],
    [2, () => `/start ${deepLinkPayload(rng, world)}`],
    [1, () => '/start'],
    [
      3,
      () => {
        const cmd = rng.pick(COMMANDS);
        const at = rng.weighted([
          [6, ''],
          [1, `@${world.botUsername}`],
          [1, '@OtherBot'],
          [1, `@${world.botUsername.toLowerCase()}`],
        ] as const);
        const arg = rng.chance(0.6)
          ? ` ${rng.chance(0.5) ? rng.pick([...world.handles, ...world.articleIds]) : hostileText(rng)}`
          : '';
        return `/${cmd}${at}${arg}`;
      },
    ],
  ])();
}

/** The bot_command entity Telegram would attach, occasionally wrong. */
function entitiesFor(rng: Rng, text: string): unknown {
  const m = /^\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,64})?/.exec(text);
  const real = m ? [{ type: 'bot_command', offset: 0, length: m[0].length }] : undefined;
  if (rng.chance(0.9)) return real;
  return rng.pick<unknown>([
    [{ type: 'bot_command', offset: 0, length: text.length + 10 }],
    [{ type: 'bot_command', offset: -1, length: 3 }],
    [{ type: 'bot_command', offset: 1, length: 0 }],
    [{ type: 'bold', offset: 0, length: 2 }],
    [{ type: 'bot_command' }],
    'entities',
    [null],
    {},
  ]);
}

/** A Message object; `from` absent (channels) sometimes, replies to the bot sometimes. */
export function messageObject(rng: Rng, world: FuzzWorld, uid: number, messageId: number): Json {
  const from = userObject(rng, uid);
  const chat = chatFor(rng, from);
  const text = messageText(rng, world);
  const msg: Json = { message_id: messageId, date: 1_780_000_000 + rng.int(0, 1_000_000), chat, text };
  if (chat.type !== 'channel' || rng.chance(0.1)) msg.from = from;
  const entities = entitiesFor(rng, text);
  if (entities !== undefined) msg.entities = entities;
  if (rng.chance(0.15)) {
    msg.reply_to_message = {
      message_id: Math.max(1, messageId - 1),
      date: 1_780_000_000,
      chat,
      from: rng.chance(0.7)
        ? { id: world.botId, is_bot: true, first_name: 'Herald', username: world.botUsername }
        : from,
      text: '✍️ Write your comment',
    };
  }
  return msg;
}

/**
 * A bot message a button press may come from: a real one the stand-in holds (so edits
 * land) or an invented one (so they miss).
 */
export interface MessageRef {
  message_id: number;
  chat: Json;
  date: number;
  from?: Json;
  text?: string;
  reply_markup?: unknown;
}

function forgedQueryId(rng: Rng): string {
  return rng.weighted<() => string>([
    [6, () => String(rng.int(1, 2 ** 31)) + String(rng.int(0, 99999))],
    [1, () => ''],
    [1, () => textOfLength(rng, rng.int(1, 30))],
  ])();
}

/** A callback_query update body from `uid`, optionally on a known bot message. */
export function callbackQueryObject(
  rng: Rng,
  world: FuzzWorld,
  uid: number,
  on: MessageRef | undefined,
): Json {
  const from = userObject(rng, uid);
  const q: Json = {
    id: forgedQueryId(rng),
    from,
    chat_instance: String(rng.int(1, 2 ** 31)),
    data: callbackData(rng, world),
  };
  // A deep copy: the caller's reference may be the stand-in's own state, and mangle() edits in place.
  if (on !== undefined) q.message = structuredClone(on);
  else if (rng.chance(0.8)) {
    q.message = {
      message_id: rng.int(1, 5000),
      date: rng.chance(0.2) ? 0 : 1_780_000_000,
      chat: chatFor(rng, from),
      from: { id: world.botId, is_bot: true, first_name: 'Herald', username: world.botUsername },
      text: 'old message',
    };
  } else q.inline_message_id = rng.pick(['AAAAAAAAAA', 'aW5saW5lLW1lc3NhZ2UtMQ', '']);
  if (rng.chance(0.05)) delete q.data;
  if (rng.chance(0.03)) q.game_short_name = 'game';
  return q;
}

function inlineOffset(rng: Rng): string {
  return rng.pick([
    '',
    '',
    '0',
    '50',
    '100',
    '9999',
    '10000',
    '-1',
    '1e9',
    'abc',
    '٥٠',
    ' 50',
    '50 ',
    'x'.repeat(100),
  ]);
}

/** An inline_query body (`@bot words`) with a random query and offset. */
export function inlineQueryObject(rng: Rng, world: FuzzWorld, uid: number): Json {
  const query = rng.weighted<() => string>([
    [3, () => hostileText(rng, { allowHuge: false }).slice(0, 256)],
    [2, () => ''],
    [2, () => `#${idLike(rng, world)}`],
    [2, () => rng.pick(['bikes', 'cities part', 'город', 'why <br>', 'b', 'part 1', '"quotes"'])],
  ])();
  const q: Json = { id: forgedQueryId(rng), from: userObject(rng, uid), query, offset: inlineOffset(rng) };
  if (rng.chance(0.5))
    q.chat_type = rng.pick(['sender', 'private', 'group', 'supergroup', 'channel', 'weird']);
  return q;
}

/** The kinds of Update this generator produces, for counting coverage. */
export const UPDATE_KINDS = [
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'callback_query',
  'inline_query',
  'chosen_inline_result',
  'my_chat_member',
  'chat_member',
  'poll',
  'poll_answer',
  'message_reaction',
  'chat_join_request',
  'shipping_query',
  'pre_checkout_query',
  'unknown',
  'several',
  'none',
] as const;
export type UpdateKind = (typeof UPDATE_KINDS)[number];

/** Where a generated update points: the fields the caller needs to pick real bot messages. */
export interface UpdateContext {
  world: FuzzWorld;
  userPool: readonly number[];
  /** A known bot message in a chat, if any (so some presses land on real messages). */
  knownMessage?: () => MessageRef | undefined;
}

/** One update body (without update_id) of the given kind. */
export function updateBody(rng: Rng, kind: UpdateKind, ctx: UpdateContext): Json {
  const { world } = ctx;
  const uid = userId(rng, ctx.userPool);
  const mid = rng.int(1, 10_000);
  switch (kind) {
    case 'message':
      return { message: messageObject(rng, world, uid, mid) };
    case 'edited_message':
      return { edited_message: { ...messageObject(rng, world, uid, mid), edit_date: 1_780_000_100 } };
    case 'channel_post': {
      const m = messageObject(rng, world, uid, mid);
      delete m.from;
      return { channel_post: { ...m, chat: { id: -1_000_000_000_123, type: 'channel', title: 'News' } } };
    }
    case 'edited_channel_post':
      return {
        edited_channel_post: {
          message_id: mid,
          date: 1,
          chat: { id: -1_000_000_000_123, type: 'channel' },
          text: hostileText(rng),
        },
      };
    case 'callback_query': {
      const on = rng.chance(0.5) ? ctx.knownMessage?.() : undefined;
      return { callback_query: callbackQueryObject(rng, world, on ? Number((on.chat as Json).id) : uid, on) };
    }
    case 'inline_query':
      return { inline_query: inlineQueryObject(rng, world, uid) };
    case 'chosen_inline_result':
      return {
        chosen_inline_result: {
          result_id: rng.chance(0.7) ? idLike(rng, world) : textOfLength(rng, rng.int(0, 70)),
          from: userObject(rng, uid),
          query: rng.chance(0.5)
            ? `#${idLike(rng, world)}`
            : hostileText(rng, { allowHuge: false }).slice(0, 256),
          ...(rng.chance(0.5) ? { inline_message_id: 'aW5saW5lLW1lc3NhZ2UtMQ' } : {}),
        },
      };
    case 'my_chat_member':
    case 'chat_member': {
      const from = userObject(rng, uid);
      const bot = { id: world.botId, is_bot: true, first_name: 'Herald', username: world.botUsername };
      const status = () =>
        rng.pick(['member', 'kicked', 'left', 'administrator', 'restricted', 'creator', 'weird']);
      return {
        [kind]: {
          chat: chatFor(rng, from),
          from,
          date: 1_780_000_000,
          old_chat_member: { user: bot, status: status() },
          new_chat_member: { user: rng.chance(0.8) ? bot : from, status: status(), until_date: 0 },
        },
      };
    }
    case 'poll':
      return {
        poll: {
          id: String(mid),
          question: hostileText(rng, { allowHuge: false }).slice(0, 300),
          options: [{ text: 'a', voter_count: 1 }],
          total_voter_count: 1,
          is_closed: false,
          is_anonymous: true,
          type: 'regular',
          allows_multiple_answers: false,
        },
      };
    case 'poll_answer':
      return { poll_answer: { poll_id: String(mid), user: userObject(rng, uid), option_ids: [0] } };
    case 'message_reaction':
      return {
        message_reaction: {
          chat: { id: uid, type: 'private' },
          message_id: mid,
          date: 1,
          old_reaction: [],
          new_reaction: [{ type: 'emoji', emoji: '👍' }],
        },
      };
    case 'chat_join_request':
      return {
        chat_join_request: {
          chat: { id: -5, type: 'group', title: 'g' },
          from: userObject(rng, uid),
          user_chat_id: uid,
          date: 1,
        },
      };
    case 'shipping_query':
      return {
        shipping_query: { id: 'sq', from: userObject(rng, uid), invoice_payload: 'p', shipping_address: {} },
      };
    case 'pre_checkout_query':
      return {
        pre_checkout_query: {
          id: 'pq',
          from: userObject(rng, uid),
          currency: 'XTR',
          total_amount: 1,
          invoice_payload: 'p',
        },
      };
    case 'unknown':
      return {
        [rng.pick(['future_update_kind', 'business_message', 'purchased_paid_media', 'x'])]: {
          some: 'thing',
          from: userObject(rng, uid),
        },
      };
    case 'several':
      return {
        message: messageObject(rng, world, uid, mid),
        callback_query: callbackQueryObject(rng, world, uid, undefined),
      };
    case 'none':
      return {};
  }
}

const WRONG_VALUES: readonly unknown[] = [
  null,
  0,
  -1,
  1.5,
  -(2 ** 53),
  2 ** 64,
  1e308,
  '',
  'x',
  '123',
  true,
  false,
  [],
  [1, 'a'],
  {},
  { id: 1 },
];

/**
 * Damages an object in place: deletes a field, swaps a value for one of the wrong type, or
 * adds junk — `times` edits at random depths. Returns the object for chaining.
 */
export function mangle(rng: Rng, root: Json, times = 1): Json {
  for (let n = 0; n < times; n++) {
    // Walk down a random path of nested objects.
    let target: Json = root;
    for (let depth = 0; depth < 4; depth++) {
      const nested = Object.entries(target).filter(
        ([, v]) => v !== null && typeof v === 'object' && !Array.isArray(v),
      );
      if (nested.length === 0 || rng.chance(0.35)) break;
      target = rng.pick(nested)[1] as Json;
    }
    const keys = Object.keys(target);
    const op = rng.int(0, 2);
    // A copy of the wrong value: a shared one could be edited later and end up inside itself.
    const wrong = () => structuredClone(rng.pick(WRONG_VALUES));
    if (keys.length === 0 || op === 2)
      target[rng.pick(['extra', '__proto__', 'constructor', 'from', 'chat', 'text', 'id'])] = wrong();
    else if (op === 0) delete target[rng.pick(keys)];
    else target[rng.pick(keys)] = wrong();
  }
  return root;
}

/** update_id: fresh and unique most of the time; sometimes negative, fractional, huge or of the wrong type. */
export function updateIdFor(rng: Rng, fresh: number): unknown {
  return rng.weighted<() => unknown>([
    [60, () => fresh],
    [
      1,
      () =>
        rng.pick<unknown>([-1, 1.5, '123', null, 2 ** 53 + 10, 1e21, [], { id: 1 }, Number.MAX_SAFE_INTEGER]),
    ],
  ])();
}

/** Raw webhook bodies that are not Updates at all: not JSON, or JSON that is not an object. */
export function rawBody(rng: Rng): { body: string | undefined; isBase64Encoded: boolean } {
  const valid = JSON.stringify({
    update_id: rng.int(1, 1000),
    message: { message_id: 1, date: 1, chat: { id: 1, type: 'private' }, text: 'hi' },
  });
  return rng.weighted<() => { body: string | undefined; isBase64Encoded: boolean }>([
    [
      3,
      () => ({
        body: rng.pick([
          '',
          ' ',
          'null',
          'true',
          '42',
          '"update"',
          '[]',
          '[{"update_id":1}]',
          '{',
          '}',
          '{"update_id":',
          'undefined',
          'NaN',
          '{update_id: 1}',
        ]),
        isBase64Encoded: false,
      }),
    ],
    [2, () => ({ body: textOfLength(rng, rng.int(1, 200)), isBase64Encoded: false })],
    [1, () => ({ body: undefined, isBase64Encoded: false })],
    [1, () => ({ body: `\uFEFF${valid}`, isBase64Encoded: false })],
    [
      1,
      () => ({ body: '['.repeat(rng.int(1000, 20000)) + ']'.repeat(rng.int(0, 10)), isBase64Encoded: false }),
    ],
    [
      1,
      () => ({
        body: rng.pick([
          '%%%not base64%%%',
          '',
          Buffer.from('not json').toString('base64'),
          Buffer.from('[1]').toString('base64'),
        ]),
        isBase64Encoded: true,
      }),
    ],
    [1, () => ({ body: JSON.stringify({ update_id: { $gt: 0 } }), isBase64Encoded: false })],
    [1, () => ({ body: '{"update_id":1,"__proto__":{"polluted":true}}', isBase64Encoded: false })],
  ])();
}
