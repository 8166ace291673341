/**
 * The public shapes of the Bot API stand-in: its options, what it records, and what tests read.
 * Bot API objects come from the Bot API types packages (`telegraf/types` for what Telegraf knows,
 * `@grammyjs/types` for newer objects such as rich messages); only the stand-in's own records
 * and the reduced shapes it stores are declared here.
 */
import type {
  CallbackGame,
  CopyTextButton,
  LinkPreviewOptions,
  LoginUrl,
  MessageEntity,
  RichMessage,
  SwitchInlineQueryChosenChat,
  User,
  UserFromGetMe,
  WebAppInfo,
} from '@grammyjs/types';
import type { Update } from 'telegraf/types';

/** What getMe answers; preset it in telegraf too (`botInfo`) so the bot never has to ask. */
export type BotInfo = Pick<UserFromGetMe, 'id' | 'is_bot' | 'first_name' | 'username'> &
  Partial<
    Pick<
      UserFromGetMe,
      | 'can_join_groups'
      | 'can_read_all_group_messages'
      | 'supports_inline_queries'
      | 'has_topics_enabled'
      | 'allows_users_to_create_topics'
    >
  >;

/** Options of `createBotApiStandIn`. */
export interface StandInOptions {
  /** The bot token accepted in `/bot<token>/<method>`; any other token gets 401 Unauthorized. */
  token: string;
  botInfo: BotInfo;
  /**
   * In-process delivery of user-side updates; when absent, updates go to the webhook URL set by
   * setWebhook (HTTP POST with header X-Telegram-Bot-Api-Secret-Token), or are queued for getUpdates.
   */
  deliver?: (update: Update) => Promise<unknown>;
  /** Clock in milliseconds (default `Date.now`); tests move it to expire callback queries. */
  now?: () => number;
  /**
   * The first update_id the user side hands out (default 500,000,001). A long-lived store (the
   * offline chat's data directory) remembers update ids for deduplication, so a runtime that
   * restarts must not reuse them: it passes a value derived from the clock.
   */
  firstUpdateId?: number;
}

/**
 * What an in-process webhook answered. As with an HTTP webhook, a 2xx body naming a `method`
 * is executed as an API call (Telegram does this with webhook responses).
 */
export interface DeliverResult {
  statusCode: number;
  body?: string;
}

/** One Bot API call as the stand-in saw it. */
export interface RecordedCall {
  /** Canonical method name (`sendMessage`, whatever case the client used). */
  method: string;
  /** Parameters from query string and body; JSON carried as strings (urlencoded forms) is parsed. */
  params: Record<string, unknown>;
  ok: boolean;
  errorCode?: number;
  description?: string;
  /** The `result` answered when `ok`. */
  result?: unknown;
  /** Arrival time (ms, from the stand-in's clock). */
  at: number;
  /** True while the call has not been answered yet (a held getUpdates, a delayed fault). */
  pending?: boolean;
}

/** Chat as the stand-in knows it. */
export interface ChatInfo {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  /** A supergroup with forum topics (messages carry `message_thread_id`). */
  is_forum?: boolean;
  title?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
}

/** A chat member's status, as getChatMember answers it. */
export type MemberStatus = 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';

/** The administrator rights the stand-in checks (Telegram's names; absent is false). */
export interface MemberRights {
  can_post_messages?: boolean;
  can_edit_messages?: boolean;
  can_delete_messages?: boolean;
  can_manage_topics?: boolean;
}

/** Someone's membership of a chat as the stand-in keeps it. */
export interface MemberInfo extends MemberRights {
  status: MemberStatus;
}

/** A person on the user side. */
export type SimUser = Pick<User, 'id' | 'first_name' | 'last_name' | 'username' | 'language_code'>;

/** The sender of a message as Telegram reports it. */
export type MessageSender = Pick<
  User,
  'id' | 'is_bot' | 'first_name' | 'last_name' | 'username' | 'language_code'
>;

/**
 * An inline keyboard button as the stand-in stores it: the text and the one action field it
 * kept. Flat rather than the Bot API's union so a test can read `button.callback_data` directly.
 */
export interface InlineKeyboardButton {
  text: string;
  url?: string;
  callback_data?: string;
  switch_inline_query?: string;
  switch_inline_query_current_chat?: string;
  switch_inline_query_chosen_chat?: SwitchInlineQueryChosenChat;
  login_url?: LoginUrl;
  copy_text?: CopyTextButton;
  web_app?: WebAppInfo;
  callback_game?: CallbackGame;
  pay?: boolean;
}

export interface InlineKeyboardMarkup {
  inline_keyboard: InlineKeyboardButton[][];
}

/** A message in a chat: what the bot sent (or the user wrote), in its current version. */
export interface StoredMessage {
  message_id: number;
  chat: ChatInfo;
  date: number;
  from: MessageSender;
  /**
   * Plain text after entity parsing and trimming, as Telegram stores it. For a rich message, the
   * text of its blocks, one block per line (the Bot API itself sends `rich_message` instead).
   */
  text: string;
  entities?: MessageEntity[];
  reply_markup?: InlineKeyboardMarkup;
  reply_to_message?: StoredMessage;
  /** Sent with `disable_notification` (the user's client makes no sound). Not in the Bot API's answer. */
  disable_notification?: true;
  edit_date?: number;
  /** The forum topic the message is in. */
  message_thread_id?: number;
  /** The link preview options the message was sent with, as Telegram returns them. */
  link_preview_options?: LinkPreviewOptions;
  /** A rich message's content as Telegram returns it (blocks after parsing); absent for text. */
  rich_message?: RichMessage;
  /**
   * The raw content as the bot sent it: the HTML source when parse_mode was HTML; for a rich
   * message its `markdown` or `html`, or its `blocks` as JSON.
   */
  sentText: string;
  /** The parse_mode the text was sent with, if any; `rich:markdown|html|blocks` for a rich message. */
  parseMode?: string;
}

/** A stored answerInlineQuery. */
export interface InlineAnswer {
  inline_query_id: string;
  /** The query text the user typed. */
  query: string;
  userId: number;
  results: Record<string, unknown>[];
  next_offset?: string;
  cache_time?: number;
  is_personal?: boolean;
  button?: unknown;
  at: number;
}

/** A stored answerCallbackQuery. */
export interface CallbackAnswer {
  callback_query_id: string;
  /** The callback data of the press that was answered. */
  data?: string;
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
  at: number;
}

/** How one user-side Update was handed to the bot. */
export interface DeliveryRecord {
  update_id: number;
  via: 'deliver' | 'webhook' | 'queue' | 'filtered';
  ok: boolean;
  /** HTTP status the webhook answered. */
  status?: number;
  error?: string;
  at: number;
}

/** A fault to inject: the next matching call(s) answer this error, or are delayed first. */
export interface FaultSpec {
  /** Only calls to this method (any case); all methods when absent. */
  method?: string;
  /** Only calls whose chat_id is this chat. */
  chatId?: number;
  /** How many calls it hits (default 1; `Infinity` allowed). */
  times?: number;
  /** Error to answer. Defaults to 429 when only `retryAfter` is given. */
  errorCode?: number;
  /** Error text; by default Telegram's text for `errorCode`. */
  description?: string;
  /** For 429: seconds in `parameters.retry_after` and in the description. */
  retryAfter?: number;
  /** Wait this long before answering (alone: a slow but successful answer). */
  delayMs?: number;
}

/** A fault that was injected; `hits` counts the calls it answered. */
export interface InjectedFault extends FaultSpec {
  remaining: number;
  hits: number;
}

/** What a person can do; every action builds an Update, delivers it, and returns it. */
export interface SimulatedUser {
  readonly user: SimUser;
  readonly chat: ChatInfo;
  /** A text message; `/cmd` and `/cmd@bot` get a bot_command entity. */
  send(text: string): Promise<Update>;
  /** A text message replying to `toMessage` (a message or its id in this chat). */
  reply(toMessage: StoredMessage | number, text: string): Promise<Update>;
  /** A callback query on a bot message in this chat, with any data (real clients send a button's). */
  press(messageOrId: StoredMessage | number, callbackData: string): Promise<Update>;
  /** Presses the inline button with this text (or 1-based position); throws if it is no callback button. */
  pressButton(messageOrId: StoredMessage | number, button: string | number): Promise<Update>;
  /** An inline query (`@bot query`). */
  inlineQuery(query: string, offset?: string, chatType?: string): Promise<Update>;
  /** The user picks result `resultId` from the answer to an inline query with text `query`. */
  chooseInlineResult(resultId: string, query: string): Promise<Update>;
  /** Blocks the bot (my_chat_member → kicked); sends to this chat then answer 403. */
  block(): Promise<Update>;
  /** Unblocks the bot (my_chat_member → member). */
  unblock(): Promise<Update>;
}
