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

type Check = (value: unknown, path: string) => string | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const str: Check = (v, path) => (typeof v === 'string' ? undefined : `${path} must be a string`);
const int: Check = (v, path) => (Number.isSafeInteger(v) ? undefined : `${path} must be an integer`);
/** Chat ids are never 0; a 0 (or a string, or a float) would send replies nowhere. */
const chatId: Check = (v, path) => (Number.isSafeInteger(v) && v !== 0 ? undefined : `${path} must be a non-zero integer`);
const optional =
  (check: Check): Check =>
  (v, path) =>
    v === undefined ? undefined : check(v, path);
const array =
  (item: Check): Check =>
  (v, path) => {
    if (!Array.isArray(v)) return `${path} must be an array`;
    for (let i = 0; i < v.length; i++) {
      const problem = item(v[i], `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };
const object =
  (shape: Record<string, Check>): Check =>
  (v, path) => {
    if (!isObject(v)) return `${path} must be an object`;
    for (const [key, check] of Object.entries(shape)) {
      const problem = check(v[key], `${path}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  };

const user = object({
  id: int,
  first_name: str,
  last_name: optional(str),
  username: optional(str),
  language_code: optional(str),
});
const chat = object({ id: chatId, type: str });
const entities = optional(array(object({ type: str, offset: int, length: int })));
/** `from` is required: only channel posts lack it, and those arrive as `channel_post`. */
const message = object({
  message_id: int,
  date: int,
  chat,
  from: user,
  text: optional(str),
  entities,
  reply_to_message: optional(object({ from: optional(object({ id: int })) })),
});
const channelPost = object({ message_id: int, date: int, chat, text: optional(str), entities });
const inlineKeyboard = object({ inline_keyboard: array(array(object({ text: str, callback_data: optional(str) }))) });
const callbackQuery = object({
  id: str,
  from: user,
  data: optional(str),
  inline_message_id: optional(str),
  // An inaccessible (old) message still has chat, message_id and date (0).
  message: optional(object({ message_id: int, date: int, chat, reply_markup: optional(inlineKeyboard) })),
});
const inlineQuery = object({ id: str, from: user, query: str, offset: str, chat_type: optional(str) });
const chosenInlineResult = object({ result_id: str, from: user, query: str, inline_message_id: optional(str) });
const memberUpdate = object({
  chat,
  from: user,
  date: int,
  old_chat_member: object({ status: str }),
  new_chat_member: object({ status: str }),
});
const anyObject: Check = (v, path) => (isObject(v) ? undefined : `${path} must be an object`);

const KINDS: Record<string, Check> = {
  message,
  edited_message: message,
  channel_post: channelPost,
  edited_channel_post: channelPost,
  callback_query: callbackQuery,
  inline_query: inlineQuery,
  chosen_inline_result: chosenInlineResult,
  my_chat_member: memberUpdate,
  chat_member: memberUpdate,
  // Kinds no feature handles: Telegraf still reads `from`/`chat` off them for the context.
  business_connection: anyObject,
  business_message: anyObject,
  edited_business_message: anyObject,
  deleted_business_messages: anyObject,
  message_reaction: anyObject,
  message_reaction_count: anyObject,
  shipping_query: anyObject,
  pre_checkout_query: anyObject,
  purchased_paid_media: anyObject,
  poll: anyObject,
  poll_answer: anyObject,
  chat_join_request: anyObject,
  chat_boost: anyObject,
  removed_chat_boost: anyObject,
};

/** What is wrong with an update (e.g. "message.chat.id must be a non-zero integer"), or undefined. */
export function updateProblem(update: object): string | undefined {
  const u = update as Record<string, unknown>;
  for (const [kind, check] of Object.entries(KINDS)) {
    if (!Object.hasOwn(u, kind)) continue;
    const problem = check(u[kind], kind);
    if (problem) return problem;
  }
  return undefined;
}
