/**
 * The update fields the bot's features read, checked once before any of them runs.
 *
 * Telegram always sends these well-formed, so an update that fails here was forged or
 * corrupted on the way (someone holding the webhook secret, a broken proxy). Without the
 * check such an update crashes a feature halfway — a TypeError logged as a bug, and a
 * "Sorry, something went wrong" sent to a chat that may not exist. The bot drops it with a
 * warning instead.
 *
 * Only fields the features use are checked; unknown fields and update kinds pass untouched.
 */
import * as z from 'zod/mini';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// zod/mini (already in the bundle for config and the model): tree-shakable, so the guard adds
// only the few checks it uses. Each check carries its own sentence ending, so a problem reads
// "message.chat.id must be a non-zero integer" whatever zod's own wording.
const str = z.string({ error: 'must be a string' });
const int = z.int({ error: 'must be an integer' });
/** A chat id: 0 would send replies nowhere. */
const chatId = z
  .int({ error: 'must be a non-zero integer' })
  .check(z.refine((v) => v !== 0, { error: 'must be a non-zero integer' }));
const obj = <S extends z.core.$ZodLooseShape>(shape: S) =>
  z.looseObject(shape, { error: 'must be an object' });
const list = <T extends z.core.SomeType>(item: T) => z.array(item, { error: 'must be an array' });

const user = obj({
  id: int,
  first_name: str,
  last_name: z.optional(str),
  username: z.optional(str),
  language_code: z.optional(str),
});
const chat = obj({ id: chatId, type: str });
const textShape = {
  chat,
  message_id: int,
  date: int,
  text: z.optional(str),
  entities: z.optional(list(obj({ type: str, offset: int, length: int }))),
};
const text = obj(textShape);
/** `from` is required: only channel posts lack it, and those arrive as `channel_post`. */
const message = obj({
  ...textShape,
  from: user,
  reply_to_message: z.optional(obj({ from: z.optional(obj({ id: int })) })),
});
const memberUpdate = obj({
  chat,
  from: user,
  date: int,
  old_chat_member: obj({ status: str }),
  new_chat_member: obj({ status: str }),
});

/** The kinds features handle, with the fields they read. Other kinds are only required to be objects. */
const KINDS: Record<string, z.ZodMiniType> = {
  message,
  edited_message: message,
  channel_post: text,
  edited_channel_post: text,
  callback_query: obj({
    id: str,
    from: user,
    data: z.optional(str),
    inline_message_id: z.optional(str),
    // An inaccessible (old) message still has chat, message_id and date (0).
    message: z.optional(
      obj({
        chat,
        message_id: int,
        date: int,
        reply_markup: z.optional(
          obj({ inline_keyboard: list(list(obj({ text: str, callback_data: z.optional(str) }))) }),
        ),
      }),
    ),
  }),
  inline_query: obj({ id: str, from: user, query: str, offset: str, chat_type: z.optional(str) }),
  chosen_inline_result: obj({ result_id: str, from: user, query: str, inline_message_id: z.optional(str) }),
  my_chat_member: memberUpdate,
  chat_member: memberUpdate,
};

/** `message.entities[0].offset` from zod's path. */
function pathOf(kind: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : `${p}.${String(k)}`), kind);
}

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
  const schema = Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined;
  const result = schema?.safeParse(u[kind]);
  const [issue] = result?.error?.issues ?? [];
  return issue && `${pathOf(kind, issue.path)} ${issue.message}`;
}
