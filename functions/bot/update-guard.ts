/**
 * The update fields the bot's features read, checked once before any of them runs.
 *
 * Telegram always sends these well-formed, so an update that fails here was forged or
 * corrupted on the way (someone holding the webhook secret, a broken proxy). Without the
 * check such an update crashes a feature halfway — a TypeError logged as a bug, and a
 * "Sorry, something went wrong" sent to a chat that may not exist. The bot drops it with a
 * warning instead. Plain TypeScript rather than a schema library: this runs on every update
 * in the webhook bundle, where size and cold start count.
 *
 * Only fields the features use are checked; unknown fields and update kinds pass untouched.
 */

/**
 * A field's expected shape, compactly (the webhook bundle has a size budget): `'s'` string,
 * `'i'` integer, `'c'` non-zero integer (a chat id: 0 would send replies nowhere); a trailing
 * `?` makes it optional. An object spec lists the fields it checks (`'?': 1` makes the object
 * itself optional); `[spec]` is an array of it, `[spec, 1]` an optional one.
 */
type Spec = string | [Spec] | [Spec, 1] | SpecObject;
type SpecObject = { [field: string]: Spec | 1 };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const TYPE_NAMES: Record<string, string> = { s: 'a string', i: 'an integer', c: 'a non-zero integer' };

function problemOf(spec: Spec | 1, v: unknown, path: string): string | undefined {
  if (typeof spec === 'string') {
    if (v === undefined && spec.endsWith('?')) return undefined;
    const t = spec.charAt(0);
    const ok = t === 's' ? typeof v === 'string' : Number.isSafeInteger(v) && (t === 'i' || v !== 0);
    return ok ? undefined : `${path} must be ${TYPE_NAMES[t]}`;
  }
  if (Array.isArray(spec)) {
    if (v === undefined && spec[1]) return undefined;
    if (!Array.isArray(v)) return `${path} must be an array`;
    for (let i = 0; i < v.length; i++) {
      const p = problemOf(spec[0], v[i], `${path}[${i}]`);
      if (p) return p;
    }
    return undefined;
  }
  if (typeof spec === 'number' || (v === undefined && spec['?'])) return undefined;
  if (!isObject(v)) return `${path} must be an object`;
  for (const [field, s] of Object.entries(spec)) {
    const p = field === '?' ? undefined : problemOf(s, v[field], `${path}.${field}`);
    if (p) return p;
  }
  return undefined;
}

const user: SpecObject = { id: 'i', first_name: 's', last_name: 's?', username: 's?', language_code: 's?' };
const chat: SpecObject = { id: 'c', type: 's' };
const text: SpecObject = {
  chat,
  message_id: 'i',
  date: 'i',
  text: 's?',
  entities: [{ type: 's', offset: 'i', length: 'i' }, 1],
};
/** `from` is required: only channel posts lack it, and those arrive as `channel_post`. */
const message: SpecObject = { ...text, from: user, reply_to_message: { '?': 1, from: { '?': 1, id: 'i' } } };
const memberUpdate: SpecObject = {
  chat,
  from: user,
  date: 'i',
  old_chat_member: { status: 's' },
  new_chat_member: { status: 's' },
};

/** The kinds features handle, with the fields they read. Other kinds are only required to be objects. */
const KINDS: Record<string, Spec> = {
  message,
  edited_message: message,
  channel_post: text,
  edited_channel_post: text,
  callback_query: {
    id: 's',
    from: user,
    data: 's?',
    inline_message_id: 's?',
    // An inaccessible (old) message still has chat, message_id and date (0).
    message: {
      '?': 1,
      chat,
      message_id: 'i',
      date: 'i',
      reply_markup: { '?': 1, inline_keyboard: [[{ text: 's', callback_data: 's?' }]] },
    },
  },
  inline_query: { id: 's', from: user, query: 's', offset: 's', chat_type: 's?' },
  chosen_inline_result: { result_id: 's', from: user, query: 's', inline_message_id: 's?' },
  my_chat_member: memberUpdate,
  chat_member: memberUpdate,
};

/** The other kinds of Update the Bot API sends (no feature reads them). */
const OTHER_KINDS = [
  'business_connection',
  'business_message',
  'edited_business_message',
  'deleted_business_messages',
  'message_reaction',
  'message_reaction_count',
  'shipping_query',
  'pre_checkout_query',
  'purchased_paid_media',
  'poll',
  'poll_answer',
  'chat_join_request',
  'chat_boost',
  'removed_chat_boost',
];

/** What is wrong with an update (e.g. "message.chat.id must be a non-zero integer"), or undefined. */
export function updateProblem(update: object): string | undefined {
  const u = update as Record<string, unknown>;
  // "At most one of the optional parameters can be present in any given update" (Bot API),
  // and it is an object of a known kind. Telegraf takes the first object-valued field as the
  // kind, and its legacy filters also match top-level keys named like message contents
  // (`text`, `photo`…): any other field would reach a feature as a message it is not. No
  // feature handles a kind Telegram may add later, so dropping one loses nothing.
  const fields = Object.keys(u).filter((key) => key !== 'update_id');
  const [kind] = fields;
  if (kind === undefined || fields.length !== 1)
    return `an update carries exactly one kind, this one ${fields.length}`;
  if (!OTHER_KINDS.includes(kind) && !Object.hasOwn(KINDS, kind)) return `unknown kind ${kind.slice(0, 40)}`;
  if (!isObject(u[kind])) return `${kind} must be an object`;
  const spec = Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined;
  return spec === undefined ? undefined : problemOf(spec, u[kind], kind);
}
