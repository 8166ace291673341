/**
 * A local stand-in for Telegram's Bot API: an HTTP server on 127.0.0.1 that answers
 * `POST|GET /bot<token>/<method>` with Telegram's envelopes, status codes and error texts,
 * keeps the chat state a bot can observe (messages, edits, deletions, answered queries), and
 * plays the user side (messages, button presses, inline queries, blocking) by producing
 * Updates and delivering them in process, to a webhook, or through getUpdates.
 *
 * The Bot API side is what the bot calls; the user side is what a person does. Tests and the
 * local runtime point telegraf at `apiRoot` and drive the user side from code.
 *
 * Where Telegram's behaviour is documented or observable the stand-in copies it; where it is
 * stricter than Telegram (a bare `&` in HTML, exactly one action per inline button, webhooks
 * only on loopback addresses) the TSDoc of the member says so.
 */
import {
  type ClientRequest,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Update } from 'telegraf/types';
import {
  type MessageEntity,
  parseTelegramHtml,
  TelegramHtmlError,
  telegramLength,
  trimFormattedText,
} from './telegram-html';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/** What getMe answers; preset it in telegraf too (`botInfo`) so the bot never has to ask. */
export interface BotInfo {
  id: number;
  is_bot: true;
  first_name: string;
  username: string;
  can_join_groups?: boolean;
  can_read_all_group_messages?: boolean;
  supports_inline_queries?: boolean;
}

/** Options of {@link createBotApiStandIn}. */
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
  type: 'private' | 'group' | 'supergroup';
  title?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
}

/** A person on the user side. */
export interface SimUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/** The sender of a message as Telegram reports it. */
export interface MessageSender {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/** An inline keyboard button, reduced to the fields the Bot API keeps. */
export interface InlineKeyboardButton {
  text: string;
  url?: string;
  callback_data?: string;
  switch_inline_query?: string;
  switch_inline_query_current_chat?: string;
  switch_inline_query_chosen_chat?: Record<string, unknown>;
  login_url?: { url: string } & Record<string, unknown>;
  copy_text?: { text: string };
  web_app?: { url: string };
  callback_game?: Record<string, unknown>;
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
  /** Plain text after entity parsing and trimming, as Telegram stores it. */
  text: string;
  entities?: MessageEntity[];
  reply_markup?: InlineKeyboardMarkup;
  reply_to_message?: StoredMessage;
  edit_date?: number;
  /** The raw text as the bot sent it (the HTML source when parse_mode was HTML). */
  sentText: string;
  /** The parse_mode the text was sent with, if any. */
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

type FaultMatch = Pick<FaultSpec, 'method' | 'chatId' | 'times'>;

/** Builders for the usual faults, e.g. `standIn.injectFault(faults.tooManyRequests(3, { method: 'sendMessage' }))`. */
export const faults = {
  /** 429 `Too Many Requests: retry after N` with `parameters.retry_after: N`. */
  tooManyRequests: (retryAfter: number, match: FaultMatch = {}): FaultSpec => ({
    ...match,
    errorCode: 429,
    retryAfter,
  }),
  /** 403 `Forbidden: bot was blocked by the user`. */
  blockedByUser: (match: FaultMatch = {}): FaultSpec => ({ ...match, errorCode: 403 }),
  /** 400 `Bad Request: chat not found`. */
  chatNotFound: (match: FaultMatch = {}): FaultSpec => ({ ...match, errorCode: 400 }),
  /** 500 `Internal Server Error`. */
  serverError: (match: FaultMatch = {}): FaultSpec => ({ ...match, errorCode: 500 }),
  /** A successful answer that takes `delayMs`. */
  slow: (delayMs: number, match: FaultMatch = {}): FaultSpec => ({ ...match, delayMs }),
};

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

// ---------------------------------------------------------------------------------------------
// Errors and small helpers
// ---------------------------------------------------------------------------------------------

/** An answer with `ok: false`; handlers throw it and the dispatcher turns it into the envelope. */
export class BotApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(`${code}: ${description}`);
    this.name = 'BotApiError';
  }
}

const badRequest = (text: string): BotApiError => new BotApiError(400, `Bad Request: ${text}`);

/** Telegram's texts for the error codes a fault may carry. */
function defaultFaultDescription(code: number, retryAfter: number): string {
  switch (code) {
    case 400:
      return 'Bad Request: chat not found';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden: bot was blocked by the user';
    case 404:
      return 'Not Found';
    case 409:
      return 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';
    case 429:
      return `Too Many Requests: retry after ${retryAfter}`;
    case 502:
      return 'Bad Gateway';
    default:
      return 'Internal Server Error';
  }
}

const QUERY_TOO_OLD = 'query is too old and response timeout expired or query ID is invalid';
const MESSAGE_NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';
const GET_UPDATES_WITH_WEBHOOK =
  "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
const GET_UPDATES_TERMINATED =
  'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';

/** Callback and inline query ids stay answerable this long. */
const QUERY_TTL_MS = 15 * 60 * 1000;
const MAX_TEXT_LENGTH = 4096;
const MAX_CALLBACK_ANSWER_LENGTH = 200;
const MAX_INLINE_RESULTS = 50;
const MAX_BODY_BYTES = 10 * 1024 * 1024;

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
]);

/** Update kinds Telegram leaves out unless allowed_updates names them. */
const OPT_IN_UPDATES = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

const INLINE_RESULT_TYPES = new Set([
  'article',
  'audio',
  'contact',
  'game',
  'document',
  'gif',
  'location',
  'mpeg4_gif',
  'photo',
  'venue',
  'video',
  'voice',
  'sticker',
]);

/** The fields of an inline button that make it do something; exactly one must be present. */
const BUTTON_ACTIONS = [
  'url',
  'callback_data',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'login_url',
  'copy_text',
  'web_app',
  'callback_game',
  'pay',
] as const;

type Params = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON with sorted keys, so two equal objects compare equal whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** A string parameter; numbers and booleans are accepted as their text, like Telegram does. */
function stringParam(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function intParam(params: Params, name: string): number | undefined {
  const value = params[name];
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

function boolParam(params: Params, name: string): boolean | undefined {
  const value = params[name];
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1' || value === 1) return true;
  if (value === 'false' || value === '0' || value === 0) return false;
  return undefined;
}

/** Turns JSON strings in the known JSON parameters into values; leaves unparsable ones as strings. */
function decodeJsonParams(params: Params): Params {
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

/** Prepared text of a message: what was sent and what Telegram stores after parsing. */
interface PreparedText {
  sentText: string;
  text: string;
  entities?: MessageEntity[];
  parseMode?: string;
}

interface TextErrors {
  empty: string;
  tooLong: string;
}

const SEND_TEXT_ERRORS: TextErrors = { empty: 'message text is empty', tooLong: 'message is too long' };
// Telegram answers edits and inline results with the underlying MTProto error names.
const EDIT_TEXT_ERRORS: TextErrors = { empty: 'message text is empty', tooLong: 'MESSAGE_TOO_LONG' };
const INLINE_TEXT_ERRORS: TextErrors = { empty: 'MESSAGE_EMPTY', tooLong: 'MESSAGE_TOO_LONG' };

interface Answer {
  result: unknown;
  description?: string;
}

interface CallContext {
  signal: AbortSignal;
}

type Handler = (params: Params, context: CallContext) => Answer | Promise<Answer>;

interface IssuedQuery {
  kind: 'callback' | 'inline';
  issuedAt: number;
  answered: boolean;
  userId: number;
  query?: string;
  data?: string;
}

interface WebhookState {
  url: string;
  secretToken?: string;
  maxConnections: number;
  lastErrorDate?: number;
  lastErrorMessage?: string;
}

interface Poller {
  wake: (reason: 'update' | 'conflict' | 'stop') => void;
}

interface InlineMessage {
  inline_message_id: string;
  text: string;
  entities?: MessageEntity[];
  reply_markup?: InlineKeyboardMarkup;
  sentText: string;
}

interface WebhookOutcome {
  ok: boolean;
  status?: number;
  error?: string;
  body?: string;
}

// ---------------------------------------------------------------------------------------------
// The stand-in
// ---------------------------------------------------------------------------------------------

/**
 * The Bot API stand-in. Build it with {@link createBotApiStandIn}, `start()` it, point telegraf's
 * `telegram.apiRoot` at what `start()` returns, and `stop()` it after the test.
 */
export class BotApiStandIn {
  /** Every API call, in order of arrival. */
  readonly calls: RecordedCall[] = [];
  /** Every Update the user side produced, in order (for replay tests). */
  readonly updates: Update[] = [];
  /** How each of those Updates was handed over. */
  readonly deliveries: DeliveryRecord[] = [];
  /** Answers to callback queries, in order. */
  readonly callbackAnswers: CallbackAnswer[] = [];

  private readonly options: StandInOptions;
  private readonly now: () => number;
  private readonly handlers: Map<string, { name: string; handler: Handler }>;
  private server: Server | undefined;
  private root: string | undefined;
  private stopped = false;

  private readonly chats = new Map<number, ChatInfo>();
  private readonly history = new Map<number, StoredMessage[]>();
  private readonly lastMessageIds = new Map<number, number>();
  private readonly inlineMessages = new Map<string, InlineMessage>();
  private readonly blockedChats = new Set<number>();
  private readonly queries = new Map<string, IssuedQuery>();
  private readonly answers: InlineAnswer[] = [];
  private readonly commands = new Map<string, unknown[]>();
  private readonly menuButtons = new Map<string, unknown>();
  private activeFaults: InjectedFault[] = [];

  private queue: Update[] = [];
  private webhook: WebhookState | undefined;
  private allowedUpdates: string[] | undefined;
  private poller: Poller | undefined;
  private webhookChain: Promise<void> = Promise.resolve();
  private lastDeliveryRecord: DeliveryRecord | undefined;

  private nextUpdateId = 500_000_001;
  private queryCounter = 0;
  private inlineMessageCounter = 0;
  private readonly sleepers = new Set<() => void>();
  private readonly outgoing = new Set<ClientRequest>();
  private readonly callWaiters = new Set<() => void>();

  constructor(options: StandInOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    if (options.firstUpdateId !== undefined) this.nextUpdateId = options.firstUpdateId;
    const table: Record<string, Handler> = {
      getMe: () => ({ result: { ...this.options.botInfo } }),
      getChat: (params) => ({ result: this.apiChat(this.knownChat(this.chatIdParam(params))) }),
      sendMessage: (params) => this.sendMessage(params),
      editMessageText: (params) => this.editMessageText(params),
      editMessageReplyMarkup: (params) => this.editMessageReplyMarkup(params),
      deleteMessage: (params) => this.deleteMessage(params),
      sendChatAction: (params) => this.sendChatAction(params),
      answerCallbackQuery: (params) => this.answerCallbackQuery(params),
      answerInlineQuery: (params) => this.answerInlineQuery(params),
      setWebhook: (params) => this.setWebhook(params),
      deleteWebhook: (params) => this.deleteWebhook(params),
      getWebhookInfo: () => ({ result: this.webhookInfo() }),
      getUpdates: (params, context) => this.getUpdates(params, context),
      setMyCommands: (params) => this.setMyCommands(params),
      getMyCommands: (params) => ({ result: this.commands.get(this.commandsKey(params)) ?? [] }),
      deleteMyCommands: (params) => {
        this.commands.delete(this.commandsKey(params));
        return { result: true };
      },
      setChatMenuButton: (params) => {
        this.menuButtons.set(String(intParam(params, 'chat_id') ?? 'default'), params.menu_button);
        return { result: true };
      },
      getChatMenuButton: (params) => ({
        result: this.menuButtons.get(String(intParam(params, 'chat_id') ?? 'default')) ?? { type: 'default' },
      }),
    };
    // Telegram matches method names without regard to case.
    this.handlers = new Map(
      Object.entries(table).map(([name, handler]) => [name.toLowerCase(), { name, handler }]),
    );
  }

  // ----- lifecycle -------------------------------------------------------------------------

  /** Listens on 127.0.0.1 (`port` 0 = any free port) and returns the apiRoot, e.g. `http://127.0.0.1:40123`. */
  async start(port = 0): Promise<string> {
    if (this.root !== undefined) return this.root;
    const server = createServer((req, res) => {
      this.handleHttp(req, res).catch((error: unknown) => {
        // Only a bug in the stand-in lands here; answer it visibly rather than hang the client.
        if (!res.headersSent) {
          writeJson(res, 500, {
            ok: false,
            error_code: 500,
            description: `Internal Server Error: ${String(error)}`,
          });
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string')
      throw new Error('The stand-in did not get a TCP port');
    this.server = server;
    this.stopped = false;
    this.root = `http://127.0.0.1:${address.port}`;
    return this.root;
  }

  /** The apiRoot once started. */
  get apiRoot(): string {
    if (this.root === undefined) throw new Error('The Bot API stand-in is not started');
    return this.root;
  }

  /** Stops listening, ends held requests and keep-alive sockets (so jest can exit). Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.poller?.wake('stop');
    for (const wake of this.sleepers) wake();
    for (const request of this.outgoing) request.destroy();
    const server = this.server;
    this.server = undefined;
    this.root = undefined;
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  // ----- inspection ------------------------------------------------------------------------

  /** Calls to one method (any case), in order. */
  callsTo(method: string): RecordedCall[] {
    const wanted = method.toLowerCase();
    return this.calls.filter((call) => call.method.toLowerCase() === wanted);
  }

  /**
   * Resolves once at least `count` answered calls to `method` exist (for bots that answer
   * asynchronously, e.g. through long polling); rejects after `timeoutMs`. With
   * `includePending`, calls still being held (a long poll) count too.
   */
  async waitForCalls(
    method: string,
    count = 1,
    timeoutMs = 2000,
    includePending = false,
  ): Promise<RecordedCall[]> {
    const done = (): RecordedCall[] | undefined => {
      const answered = this.callsTo(method).filter((call) => includePending || call.pending !== true);
      return answered.length >= count ? answered : undefined;
    };
    const ready = done();
    if (ready !== undefined) return ready;
    return new Promise<RecordedCall[]>((resolve, reject) => {
      const check = (): void => {
        const result = done();
        if (result === undefined) return;
        clearTimeout(timer);
        this.callWaiters.delete(check);
        resolve(result);
      };
      const timer = setTimeout(() => {
        this.callWaiters.delete(check);
        reject(new Error(`Expected ${count} answered ${method} call(s) within ${timeoutMs} ms`));
      }, timeoutMs);
      this.callWaiters.add(check);
    });
  }

  /** Messages the bot sent to a chat that still exist, oldest first. */
  messages(chatId: number): StoredMessage[] {
    return (this.history.get(chatId) ?? []).filter((message) => message.from.id === this.options.botInfo.id);
  }

  /** All messages of a chat, the user's and the bot's, oldest first. */
  chatHistory(chatId: number): StoredMessage[] {
    return [...(this.history.get(chatId) ?? [])];
  }

  /** The bot's latest message in a chat. */
  lastMessage(chatId: number): StoredMessage | undefined {
    return this.messages(chatId).at(-1);
  }

  /** The stored answer to one inline query. */
  inlineAnswer(queryId: string): InlineAnswer | undefined {
    return this.answers.find((answer) => answer.inline_query_id === queryId);
  }

  /** Stored inline answers, all or those of one query id. */
  inlineAnswers(queryId?: string): InlineAnswer[] {
    return queryId === undefined
      ? [...this.answers]
      : this.answers.filter((a) => a.inline_query_id === queryId);
  }

  lastInlineAnswer(): InlineAnswer | undefined {
    return this.answers.at(-1);
  }

  /** The answer given to one callback query. */
  callbackAnswer(queryId: string): CallbackAnswer | undefined {
    return this.callbackAnswers.find((answer) => answer.callback_query_id === queryId);
  }

  /** How the latest user-side Update was handed over (webhook status included). */
  get lastDelivery(): DeliveryRecord | undefined {
    return this.lastDeliveryRecord;
  }

  /** Updates waiting for getUpdates (or for a webhook that failed). */
  get pendingUpdates(): readonly Update[] {
    return this.queue;
  }

  /** The webhook URL set by setWebhook ('' when none). */
  get webhookUrl(): string {
    return this.webhook?.url ?? '';
  }

  isBlocked(chatId: number): boolean {
    return this.blockedChats.has(chatId);
  }

  /** Forgets calls, messages, answers, faults, issued queries, queued updates and delivery records. */
  reset(): void {
    this.calls.length = 0;
    this.updates.length = 0;
    this.deliveries.length = 0;
    this.callbackAnswers.length = 0;
    this.answers.length = 0;
    this.history.clear();
    this.inlineMessages.clear();
    this.queries.clear();
    this.activeFaults = [];
    this.queue = [];
    this.lastDeliveryRecord = undefined;
  }

  // ----- faults ----------------------------------------------------------------------------

  /** The next matching call(s) answer an error, or are delayed first; see {@link FaultSpec}. */
  injectFault(fault: FaultSpec): InjectedFault {
    const injected: InjectedFault = { ...fault, remaining: fault.times ?? 1, hits: 0 };
    this.activeFaults.push(injected);
    return injected;
  }

  clearFaults(): void {
    this.activeFaults = [];
  }

  private takeFault(method: string, params: Params): InjectedFault | undefined {
    const chatId = intParam(params, 'chat_id');
    const fault = this.activeFaults.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (candidate.method === undefined || candidate.method.toLowerCase() === method.toLowerCase()) &&
        (candidate.chatId === undefined || candidate.chatId === chatId),
    );
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    fault.hits += 1;
    if (fault.remaining <= 0) this.activeFaults = this.activeFaults.filter((f) => f !== fault);
    return fault;
  }

  // ----- HTTP ------------------------------------------------------------------------------

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/bot([^/]*)\/([^/]+)\/?$/.exec(url.pathname);
    if (match === null) {
      writeJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    const token = decodeURIComponent(match[1] ?? '');
    const methodName = decodeURIComponent(match[2] ?? '');
    let params: Params;
    try {
      params = await readParams(req, url);
    } catch (error) {
      const failure = error instanceof BotApiError ? error : badRequest(String(error));
      this.recordRejected(methodName, {}, failure);
      writeError(res, failure);
      return;
    }
    if (token !== this.options.token) {
      const failure = new BotApiError(401, 'Unauthorized');
      this.recordRejected(methodName, params, failure);
      writeError(res, failure);
      return;
    }
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const outcome = await this.invoke(methodName, params, controller.signal);
    if (!res.destroyed) writeJson(res, outcome.status, outcome.body);
  }

  private recordRejected(method: string, params: Params, error: BotApiError): void {
    this.calls.push({
      method,
      params,
      ok: false,
      errorCode: error.code,
      description: error.description,
      at: this.now(),
    });
    this.notifyCallWaiters();
  }

  /** Runs one API call as if it came over HTTP; used by the server and for webhook replies. */
  private async invoke(
    methodName: string,
    params: Params,
    signal: AbortSignal,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const entry = this.handlers.get(methodName.toLowerCase());
    if (entry === undefined) {
      const failure = new BotApiError(404, 'Not Found: method not found');
      this.recordRejected(methodName, params, failure);
      return { status: 404, body: errorBody(failure) };
    }
    const call: RecordedCall = { method: entry.name, params, ok: false, at: this.now(), pending: true };
    this.calls.push(call);
    this.notifyCallWaiters();
    try {
      const fault = this.takeFault(entry.name, params);
      if (fault?.delayMs !== undefined && fault.delayMs > 0) await this.sleep(fault.delayMs);
      if (fault !== undefined && (fault.errorCode !== undefined || fault.retryAfter !== undefined)) {
        const code = fault.errorCode ?? 429;
        const retryAfter = fault.retryAfter ?? 1;
        throw new BotApiError(
          code,
          fault.description ?? defaultFaultDescription(code, retryAfter),
          code === 429 ? { retry_after: retryAfter } : undefined,
        );
      }
      const answer = await entry.handler(params, { signal });
      call.ok = true;
      call.result = answer.result;
      const body: Record<string, unknown> = { ok: true, result: answer.result };
      if (answer.description !== undefined) body.description = answer.description;
      return { status: 200, body };
    } catch (error) {
      const failure =
        error instanceof BotApiError
          ? error
          : new BotApiError(500, `Internal Server Error: stand-in failure: ${String(error)}`);
      call.errorCode = failure.code;
      call.description = failure.description;
      return { status: failure.code, body: errorBody(failure) };
    } finally {
      delete call.pending;
      this.notifyCallWaiters();
    }
  }

  private notifyCallWaiters(): void {
    for (const waiter of [...this.callWaiters]) waiter();
  }

  /** A delay that `stop()` cuts short, so a held call never outlives the server. */
  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  // ----- parameter helpers -----------------------------------------------------------------

  private chatIdParam(params: Params): number {
    const raw = params.chat_id;
    if (raw === undefined || raw === null || raw === '') throw badRequest('chat_id is empty');
    const id = intParam(params, 'chat_id');
    if (id !== undefined && id !== 0) return id;
    if (typeof raw === 'string' && raw.startsWith('@')) {
      const name = raw.slice(1).toLowerCase();
      for (const chat of this.chats.values()) {
        if (chat.type !== 'private' && chat.username?.toLowerCase() === name) return chat.id;
      }
    }
    throw badRequest('chat not found');
  }

  private messageIdParam(params: Params): number {
    const id = intParam(params, 'message_id');
    if (id === undefined || id <= 0) throw badRequest('message identifier is not specified');
    return id;
  }

  /** The chat object for an id; chats the user side never created get a plausible shape. */
  private knownChat(chatId: number): ChatInfo {
    const known = this.chats.get(chatId);
    if (known !== undefined) return known;
    if (chatId > 0) return { id: chatId, type: 'private', first_name: `User ${chatId}` };
    // Supergroup ids are -100… followed by the channel id.
    return chatId <= -1_000_000_000_000
      ? { id: chatId, type: 'supergroup', title: `Chat ${chatId}` }
      : { id: chatId, type: 'group', title: `Chat ${chatId}` };
  }

  private assertReachable(chatId: number): void {
    if (!this.blockedChats.has(chatId)) return;
    const type = this.knownChat(chatId).type;
    if (type === 'private') throw new BotApiError(403, 'Forbidden: bot was blocked by the user');
    throw new BotApiError(403, `Forbidden: bot was kicked from the ${type} chat`);
  }

  /**
   * Parses a message text as Telegram does: HTML when parse_mode is HTML, explicit entities
   * otherwise; then trims and checks 1–4096 UTF-16 code units.
   */
  private prepareText(
    raw: unknown,
    parseModeRaw: unknown,
    entitiesRaw: unknown,
    errors: TextErrors,
  ): PreparedText {
    const sentText = typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : '';
    const parseMode = typeof parseModeRaw === 'string' && parseModeRaw !== '' ? parseModeRaw : undefined;
    let formatted: { text: string; entities: MessageEntity[] };
    if (parseMode === undefined) {
      formatted = { text: sentText, entities: this.explicitEntities(entitiesRaw) };
    } else if (parseMode.toLowerCase() === 'html') {
      try {
        formatted = parseTelegramHtml(sentText);
      } catch (error) {
        if (error instanceof TelegramHtmlError) throw new BotApiError(400, error.description);
        throw error;
      }
    } else {
      // The stand-in implements HTML only; Markdown would be accepted by Telegram.
      throw badRequest('unsupported parse_mode');
    }
    const trimmed = trimFormattedText(formatted);
    const length = telegramLength(trimmed.text);
    if (length === 0) throw badRequest(errors.empty);
    if (length > MAX_TEXT_LENGTH) throw badRequest(errors.tooLong);
    const prepared: PreparedText = { sentText, text: trimmed.text };
    if (trimmed.entities.length > 0) prepared.entities = trimmed.entities;
    if (parseMode !== undefined) prepared.parseMode = parseMode;
    return prepared;
  }

  private explicitEntities(raw: unknown): MessageEntity[] {
    if (raw === undefined || raw === null || raw === '') return [];
    if (!Array.isArray(raw)) throw badRequest("can't parse entities JSON object");
    return raw.map((entity) => {
      if (!isRecord(entity) || typeof entity.type !== 'string') {
        throw badRequest('can\'t parse MessageEntity: Field "type" must be of type String');
      }
      if (typeof entity.offset !== 'number' || typeof entity.length !== 'number') {
        throw badRequest('can\'t parse MessageEntity: Field "offset" must be of type Number');
      }
      // Shapes are the caller's; the stand-in keeps them as given.
      return entity as unknown as MessageEntity;
    });
  }

  /**
   * Validates reply_markup as Telegram does. Returns the inline keyboard to store on the
   * message (reply keyboards, force_reply and remove_keyboard are valid but not part of a message).
   */
  private validateMarkup(raw: unknown, inlineOnly: boolean): InlineKeyboardMarkup | undefined {
    if (raw === undefined || raw === null || raw === '') return undefined;
    if (!isRecord(raw)) throw badRequest("can't parse reply keyboard markup JSON object");
    if ('inline_keyboard' in raw) {
      const rows = raw.inline_keyboard;
      if (!Array.isArray(rows) || !rows.every((row) => Array.isArray(row))) {
        throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
      }
      const keyboard = (rows as unknown[][])
        .map((row) => row.map((button) => validateInlineButton(button)))
        .filter((row) => row.length > 0);
      return keyboard.length > 0 ? { inline_keyboard: keyboard } : undefined;
    }
    if (inlineOnly) throw badRequest('inline keyboard expected');
    if ('keyboard' in raw) {
      const rows = raw.keyboard;
      if (!Array.isArray(rows) || !rows.every((row) => Array.isArray(row))) {
        throw badRequest('field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays');
      }
      for (const row of rows as unknown[][]) {
        for (const button of row) {
          const text = typeof button === 'string' ? button : isRecord(button) ? button.text : undefined;
          if (typeof text !== 'string') {
            throw badRequest('can\'t parse keyboard button: Field "text" must be of type String');
          }
        }
      }
      return undefined;
    }
    if ('force_reply' in raw || 'remove_keyboard' in raw) return undefined;
    throw badRequest("can't parse reply keyboard markup JSON object");
  }

  // ----- methods: messages -----------------------------------------------------------------

  private sendMessage(params: Params): Answer {
    const chatId = this.chatIdParam(params);
    const prepared = this.prepareText(params.text, params.parse_mode, params.entities, SEND_TEXT_ERRORS);
    const markup = this.validateMarkup(params.reply_markup, false);
    const replyTo = this.replyTarget(chatId, params);
    this.assertReachable(chatId);
    const message: StoredMessage = {
      message_id: this.nextMessageId(chatId),
      chat: this.knownChat(chatId),
      date: this.unixNow(),
      from: this.botSender(),
      ...this.textFields(prepared),
    };
    if (markup !== undefined) message.reply_markup = markup;
    if (replyTo !== undefined) message.reply_to_message = replyTo;
    this.store(message);
    return { result: this.apiMessage(message) };
  }

  private replyTarget(chatId: number, params: Params): StoredMessage | undefined {
    const parameters = isRecord(params.reply_parameters) ? params.reply_parameters : undefined;
    const id =
      parameters !== undefined ? intParam(parameters, 'message_id') : intParam(params, 'reply_to_message_id');
    if (id === undefined || id === 0) return undefined;
    const target = this.findMessage(chatId, id);
    if (target !== undefined) return target;
    const allow =
      (parameters !== undefined ? boolParam(parameters, 'allow_sending_without_reply') : undefined) ??
      boolParam(params, 'allow_sending_without_reply');
    if (allow === true) return undefined;
    throw badRequest('message to be replied not found');
  }

  private editTarget(params: Params): { message?: StoredMessage; inline?: InlineMessage } {
    const inlineId = stringParam(params, 'inline_message_id');
    if (inlineId !== undefined && inlineId !== '') {
      const inline = this.inlineMessages.get(inlineId);
      if (inline === undefined) throw badRequest('MESSAGE_ID_INVALID');
      return { inline };
    }
    const chatId = this.chatIdParam(params);
    const messageId = this.messageIdParam(params);
    const message = this.findMessage(chatId, messageId);
    if (message === undefined) throw badRequest('message to edit not found');
    if (message.from.id !== this.options.botInfo.id) throw badRequest("message can't be edited");
    return { message };
  }

  private editMessageText(params: Params): Answer {
    const target = this.editTarget(params);
    const prepared = this.prepareText(params.text, params.parse_mode, params.entities, EDIT_TEXT_ERRORS);
    // Without reply_markup an edit removes the keyboard, as in Telegram.
    const markup = this.validateMarkup(params.reply_markup, true);
    const current = target.message ?? target.inline!;
    const unchanged =
      current.text === prepared.text &&
      canonicalJson(current.entities ?? []) === canonicalJson(prepared.entities ?? []) &&
      canonicalJson(current.reply_markup ?? null) === canonicalJson(markup ?? null);
    if (unchanged) throw badRequest(MESSAGE_NOT_MODIFIED);
    const fields = this.textFields(prepared);
    current.text = fields.text;
    current.sentText = fields.sentText;
    setOptional(current, 'entities', fields.entities);
    setOptional(current, 'reply_markup', markup);
    if (target.message === undefined) return { result: true };
    setOptional(target.message, 'parseMode', fields.parseMode);
    target.message.edit_date = this.unixNow();
    return { result: this.apiMessage(target.message) };
  }

  private editMessageReplyMarkup(params: Params): Answer {
    const target = this.editTarget(params);
    const markup = this.validateMarkup(params.reply_markup, true);
    const current = target.message ?? target.inline!;
    if (canonicalJson(current.reply_markup ?? null) === canonicalJson(markup ?? null)) {
      throw badRequest(MESSAGE_NOT_MODIFIED);
    }
    setOptional(current, 'reply_markup', markup);
    if (target.message === undefined) return { result: true };
    target.message.edit_date = this.unixNow();
    return { result: this.apiMessage(target.message) };
  }

  private deleteMessage(params: Params): Answer {
    const chatId = this.chatIdParam(params);
    const messageId = this.messageIdParam(params);
    const messages = this.history.get(chatId) ?? [];
    const index = messages.findIndex((message) => message.message_id === messageId);
    if (index < 0) throw badRequest('message to delete not found');
    messages.splice(index, 1);
    return { result: true };
  }

  private sendChatAction(params: Params): Answer {
    const chatId = this.chatIdParam(params);
    const action = stringParam(params, 'action');
    if (action === undefined || !CHAT_ACTIONS.has(action))
      throw badRequest('wrong parameter action in request');
    this.assertReachable(chatId);
    return { result: true };
  }

  // ----- methods: queries ------------------------------------------------------------------

  /** A query id the user side issued, still unanswered and younger than 15 minutes. */
  private openQuery(id: string | undefined, kind: IssuedQuery['kind']): IssuedQuery {
    const query = id === undefined ? undefined : this.queries.get(id);
    if (
      query === undefined ||
      query.kind !== kind ||
      query.answered ||
      this.now() - query.issuedAt > QUERY_TTL_MS
    ) {
      throw badRequest(QUERY_TOO_OLD);
    }
    return query;
  }

  private answerCallbackQuery(params: Params): Answer {
    const id = stringParam(params, 'callback_query_id');
    const query = this.openQuery(id, 'callback');
    const text = stringParam(params, 'text');
    if (text !== undefined && telegramLength(text) > MAX_CALLBACK_ANSWER_LENGTH)
      throw badRequest('MESSAGE_TOO_LONG');
    query.answered = true;
    const answer: CallbackAnswer = { callback_query_id: id!, at: this.now() };
    if (query.data !== undefined) answer.data = query.data;
    if (text !== undefined) answer.text = text;
    const showAlert = boolParam(params, 'show_alert');
    if (showAlert !== undefined) answer.show_alert = showAlert;
    const url = stringParam(params, 'url');
    if (url !== undefined) answer.url = url;
    const cacheTime = intParam(params, 'cache_time');
    if (cacheTime !== undefined) answer.cache_time = cacheTime;
    this.callbackAnswers.push(answer);
    return { result: true };
  }

  private answerInlineQuery(params: Params): Answer {
    const id = stringParam(params, 'inline_query_id');
    const query = this.openQuery(id, 'inline');
    const raw = params.results;
    if (!Array.isArray(raw)) throw badRequest("can't parse inline query results JSON object");
    if (raw.length > MAX_INLINE_RESULTS) throw badRequest('RESULTS_TOO_MUCH');
    const seen = new Set<string>();
    const results = raw.map((result) => {
      const checked = this.validateInlineResult(result);
      const resultId = checked.id as string;
      if (seen.has(resultId)) throw badRequest('RESULT_ID_DUPLICATE');
      seen.add(resultId);
      return checked;
    });
    const nextOffset = stringParam(params, 'next_offset');
    if (nextOffset !== undefined && utf8Length(nextOffset) > 64) throw badRequest('NEXT_OFFSET_INVALID');
    query.answered = true;
    const answer: InlineAnswer = {
      inline_query_id: id!,
      query: query.query ?? '',
      userId: query.userId,
      results,
      at: this.now(),
    };
    if (nextOffset !== undefined) answer.next_offset = nextOffset;
    const cacheTime = intParam(params, 'cache_time');
    if (cacheTime !== undefined) answer.cache_time = cacheTime;
    const personal = boolParam(params, 'is_personal');
    if (personal !== undefined) answer.is_personal = personal;
    if (params.button !== undefined) answer.button = params.button;
    this.answers.push(answer);
    return { result: true };
  }

  private validateInlineResult(result: unknown): Record<string, unknown> {
    const cantParse = (reason: string): BotApiError =>
      badRequest(`can't parse inline query result: ${reason}`);
    if (!isRecord(result)) throw cantParse('InlineQueryResult should be an Object');
    if (typeof result.type !== 'string') throw cantParse('Can\'t find field "type"');
    if (result.id === undefined) throw cantParse('Can\'t find field "id"');
    if (typeof result.id !== 'string') throw cantParse('Field "id" must be of type String');
    const resultId = result.id;
    if (resultId === '' || utf8Length(resultId) > 64) throw badRequest('RESULT_ID_INVALID');
    const type = result.type.toLowerCase();
    if (!INLINE_RESULT_TYPES.has(type)) throw badRequest('RESULT_TYPE_INVALID');
    if (type === 'article') {
      if (result.title === undefined) throw cantParse('Can\'t find field "title"');
      if (typeof result.title !== 'string') throw cantParse('Field "title" must be of type String');
      if (result.title.trim() === '') throw badRequest('ARTICLE_TITLE_EMPTY');
      if (result.input_message_content === undefined)
        throw cantParse('Can\'t find field "input_message_content"');
    }
    const content = result.input_message_content;
    if (content !== undefined) {
      if (!isRecord(content)) throw cantParse('Field "input_message_content" must be of type Object');
      if ('message_text' in content || type === 'article') {
        this.prepareText(content.message_text, content.parse_mode, content.entities, INLINE_TEXT_ERRORS);
      }
    }
    const checked: Record<string, unknown> = { ...result };
    if (result.reply_markup !== undefined) {
      const markup = this.validateMarkup(result.reply_markup, true);
      if (markup === undefined) delete checked.reply_markup;
      else checked.reply_markup = markup;
    }
    return checked;
  }

  // ----- methods: webhook and updates ------------------------------------------------------

  private setWebhook(params: Params): Answer {
    const url = stringParam(params, 'url') ?? '';
    if (params.drop_pending_updates !== undefined && boolParam(params, 'drop_pending_updates') === true) {
      this.queue = [];
    }
    this.applyAllowedUpdates(params);
    if (url === '') return this.removeWebhook();
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badRequest('bad webhook: HTTPS url must be provided for webhook');
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw badRequest('bad webhook: HTTPS url must be provided for webhook');
    }
    // Stand-in rule: it only ever sends traffic to this machine.
    if (!isLoopbackHost(parsed.hostname)) {
      throw badRequest('bad webhook: the Bot API stand-in delivers only to loopback addresses');
    }
    const secret = stringParam(params, 'secret_token');
    if (secret !== undefined && secret !== '') {
      if (secret.length > 256) throw badRequest('secret token is too long');
      if (!/^[A-Za-z0-9_-]+$/.test(secret)) throw badRequest('secret token contains unallowed characters');
    }
    const maxConnections = intParam(params, 'max_connections');
    const next: WebhookState = {
      url,
      maxConnections:
        maxConnections !== undefined && maxConnections >= 1 && maxConnections <= 100 ? maxConnections : 40,
    };
    if (secret !== undefined && secret !== '') next.secretToken = secret;
    const same = this.webhook !== undefined && canonicalJson(this.webhook) === canonicalJson(next);
    this.webhook = next;
    // A long poll still waiting is cut off, like Telegram does once a webhook is set.
    this.poller?.wake('conflict');
    return { result: true, description: same ? 'Webhook is already set' : 'Webhook was set' };
  }

  private deleteWebhook(params: Params): Answer {
    if (boolParam(params, 'drop_pending_updates') === true) this.queue = [];
    return this.removeWebhook();
  }

  private removeWebhook(): Answer {
    const had = this.webhook !== undefined;
    this.webhook = undefined;
    return { result: true, description: had ? 'Webhook was deleted' : 'Webhook is already deleted' };
  }

  private webhookInfo(): Record<string, unknown> {
    const info: Record<string, unknown> = {
      url: this.webhook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.queue.length,
    };
    if (this.webhook !== undefined) {
      info.ip_address = '127.0.0.1';
      info.max_connections = this.webhook.maxConnections;
      if (this.allowedUpdates !== undefined) info.allowed_updates = [...this.allowedUpdates];
      if (this.webhook.lastErrorDate !== undefined) {
        info.last_error_date = this.webhook.lastErrorDate;
        info.last_error_message = this.webhook.lastErrorMessage;
      }
    }
    return info;
  }

  private applyAllowedUpdates(params: Params): void {
    const raw = params.allowed_updates;
    if (raw === undefined || raw === null || raw === '') return;
    if (!Array.isArray(raw) || !raw.every((kind) => typeof kind === 'string')) {
      throw badRequest("can't parse allowed updates JSON object");
    }
    // An empty list means "the default set" in Telegram.
    this.allowedUpdates = raw.length > 0 ? (raw as string[]) : undefined;
  }

  private isAllowed(update: Update): boolean {
    const kind = Object.keys(update).find((key) => key !== 'update_id') ?? '';
    if (this.allowedUpdates === undefined) return !OPT_IN_UPDATES.has(kind);
    return this.allowedUpdates.includes(kind);
  }

  private async getUpdates(params: Params, context: CallContext): Promise<Answer> {
    if (this.webhook !== undefined) throw new BotApiError(409, GET_UPDATES_WITH_WEBHOOK);
    this.applyAllowedUpdates(params);
    const offset = intParam(params, 'offset');
    if (offset !== undefined && offset > 0)
      this.queue = this.queue.filter((update) => update.update_id >= offset);
    if (offset !== undefined && offset < 0) this.queue = this.queue.slice(offset);
    const limitParam = intParam(params, 'limit') ?? 100;
    const limit = Math.min(Math.max(limitParam, 1), 100);
    const timeout = Math.max(intParam(params, 'timeout') ?? 0, 0);

    // A newer long poll ends the older one, as on Telegram.
    this.poller?.wake('conflict');
    this.poller = undefined;
    if (this.queue.length === 0 && timeout > 0 && !this.stopped) {
      const reason = await this.waitForUpdate(timeout * 1000, context.signal);
      if (reason === 'conflict') {
        throw new BotApiError(
          409,
          this.webhook !== undefined ? GET_UPDATES_WITH_WEBHOOK : GET_UPDATES_TERMINATED,
        );
      }
    }
    // Updates stay queued until a later offset confirms them, so a lost answer loses nothing.
    return { result: this.queue.slice(0, limit) };
  }

  private waitForUpdate(
    ms: number,
    signal: AbortSignal,
  ): Promise<'update' | 'conflict' | 'stop' | 'timeout'> {
    return new Promise((resolve) => {
      const finish = (reason: 'update' | 'conflict' | 'stop' | 'timeout'): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (this.poller === poller) this.poller = undefined;
        resolve(reason);
      };
      const onAbort = (): void => finish('stop');
      const poller: Poller = { wake: finish };
      const timer = setTimeout(() => finish('timeout'), ms);
      signal.addEventListener('abort', onAbort);
      this.poller = poller;
    });
  }

  // ----- methods: commands -----------------------------------------------------------------

  private commandsKey(params: Params): string {
    return `${canonicalJson(params.scope ?? { type: 'default' })}|${stringParam(params, 'language_code') ?? ''}`;
  }

  private setMyCommands(params: Params): Answer {
    const raw = params.commands;
    if (!Array.isArray(raw)) throw badRequest("can't parse commands JSON object");
    if (raw.length > 100) throw badRequest('too many commands specified');
    for (const command of raw) {
      if (
        !isRecord(command) ||
        typeof command.command !== 'string' ||
        typeof command.description !== 'string'
      ) {
        throw badRequest('can\'t parse BotCommand: Field "command" must be of type String');
      }
      if (!/^[a-z0-9_]{1,32}$/.test(command.command)) throw badRequest('BOT_COMMAND_INVALID');
      if (command.description.trim() === '' || command.description.length > 256) {
        throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
      }
    }
    this.commands.set(
      this.commandsKey(params),
      raw.map((command) => ({ ...(command as Record<string, unknown>) })),
    );
    return { result: true };
  }

  // ----- chat state ------------------------------------------------------------------------

  private nextMessageId(chatId: number): number {
    const next = (this.lastMessageIds.get(chatId) ?? 0) + 1;
    this.lastMessageIds.set(chatId, next);
    return next;
  }

  private store(message: StoredMessage): void {
    const messages = this.history.get(message.chat.id) ?? [];
    messages.push(message);
    this.history.set(message.chat.id, messages);
  }

  private findMessage(chatId: number, messageId: number): StoredMessage | undefined {
    return this.history.get(chatId)?.find((message) => message.message_id === messageId);
  }

  private textFields(
    prepared: PreparedText,
  ): Pick<StoredMessage, 'text' | 'entities' | 'sentText' | 'parseMode'> {
    const fields: Pick<StoredMessage, 'text' | 'entities' | 'sentText' | 'parseMode'> = {
      text: prepared.text,
      sentText: prepared.sentText,
    };
    if (prepared.entities !== undefined) fields.entities = prepared.entities;
    if (prepared.parseMode !== undefined) fields.parseMode = prepared.parseMode;
    return fields;
  }

  private botSender(): MessageSender {
    const bot = this.options.botInfo;
    return { id: bot.id, is_bot: true, first_name: bot.first_name, username: bot.username };
  }

  private unixNow(): number {
    return Math.floor(this.now() / 1000);
  }

  /** The chat as Telegram shows it inside a Message. */
  private apiChat(chat: ChatInfo): Record<string, unknown> {
    if (chat.type === 'private') {
      return dropUndefined({
        id: chat.id,
        type: chat.type,
        first_name: chat.first_name ?? '',
        last_name: chat.last_name,
        username: chat.username,
      });
    }
    return dropUndefined({ id: chat.id, type: chat.type, title: chat.title ?? '', username: chat.username });
  }

  /** The Message object the Bot API returns for a stored message. */
  private apiMessage(message: StoredMessage, nested = false): Record<string, unknown> {
    return dropUndefined({
      message_id: message.message_id,
      from: { ...message.from },
      chat: this.apiChat(message.chat),
      date: message.date,
      edit_date: message.edit_date,
      // Telegram does not nest replies more than one level.
      reply_to_message:
        message.reply_to_message !== undefined && !nested
          ? this.apiMessage(message.reply_to_message, true)
          : undefined,
      text: message.text,
      entities: message.entities?.map((entity) => ({ ...entity })),
      reply_markup: message.reply_markup === undefined ? undefined : structuredClone(message.reply_markup),
    });
  }

  // ----- user side -------------------------------------------------------------------------

  /**
   * A person who talks to the bot, in their private chat or in `chat`. Actions build Updates and
   * deliver them: to `options.deliver`, else to the webhook, else into the getUpdates queue.
   */
  user(
    user: SimUser,
    chat?: { id: number; type: 'private' | 'group' | 'supergroup'; title?: string; username?: string },
  ): SimulatedUser {
    const chatInfo: ChatInfo =
      chat === undefined || chat.type === 'private'
        ? dropUndefined({
            id: chat?.id ?? user.id,
            type: 'private' as const,
            first_name: user.first_name,
            last_name: user.last_name,
            username: user.username,
          })
        : dropUndefined({
            id: chat.id,
            type: chat.type,
            title: chat.title ?? `Chat ${chat.id}`,
            username: chat.username,
          });
    this.chats.set(chatInfo.id, chatInfo);
    const sender: MessageSender = dropUndefined({
      id: user.id,
      is_bot: false,
      first_name: user.first_name,
      last_name: user.last_name,
      username: user.username,
      language_code: user.language_code,
    });

    const resolve = (messageOrId: StoredMessage | number): StoredMessage => {
      const id = typeof messageOrId === 'number' ? messageOrId : messageOrId.message_id;
      const found = this.findMessage(chatInfo.id, id);
      if (found === undefined)
        throw new Error(`No message ${id} in chat ${chatInfo.id} (deleted, or never sent)`);
      return found;
    };

    const writeMessage = (text: string, replyTo?: StoredMessage): Promise<Update> => {
      const message: StoredMessage = {
        message_id: this.nextMessageId(chatInfo.id),
        chat: chatInfo,
        date: this.unixNow(),
        from: sender,
        text,
        sentText: text,
      };
      const entities = commandEntities(text);
      if (entities.length > 0) message.entities = entities;
      if (replyTo !== undefined) message.reply_to_message = replyTo;
      this.store(message);
      return this.dispatch({ message: this.apiMessage(message) });
    };

    const press = (messageOrId: StoredMessage | number, data: string): Promise<Update> => {
      const message = resolve(messageOrId);
      const id = this.issueQuery({ kind: 'callback', userId: user.id, data });
      return this.dispatch({
        callback_query: {
          id,
          from: { ...sender },
          message: this.apiMessage(message),
          chat_instance: chatInstance(chatInfo.id),
          data,
        },
      });
    };

    const memberChange = (blocked: boolean): Promise<Update> => {
      if (blocked) this.blockedChats.add(chatInfo.id);
      else this.blockedChats.delete(chatInfo.id);
      const bot = { ...this.botSender() };
      const kicked = { user: bot, status: 'kicked', until_date: 0 };
      const member = { user: bot, status: 'member' };
      return this.dispatch({
        my_chat_member: {
          chat: this.apiChat(chatInfo),
          from: { ...sender },
          date: this.unixNow(),
          old_chat_member: blocked ? member : kicked,
          new_chat_member: blocked ? kicked : member,
        },
      });
    };

    return {
      user: { ...user },
      chat: { ...chatInfo },
      send: (text) => writeMessage(text),
      reply: (toMessage, text) => writeMessage(text, resolve(toMessage)),
      press,
      pressButton: (messageOrId, button) => {
        const message = resolve(messageOrId);
        const buttons = message.reply_markup?.inline_keyboard.flat() ?? [];
        const found =
          typeof button === 'number' ? buttons[button - 1] : buttons.find((b) => b.text === button);
        if (found === undefined) {
          const available = buttons.map((b) => JSON.stringify(b.text)).join(', ') || 'none';
          throw new Error(
            `No button ${JSON.stringify(button)} on message ${message.message_id}; buttons: ${available}`,
          );
        }
        if (found.callback_data === undefined) {
          const kind = BUTTON_ACTIONS.find((action) => found[action] !== undefined) ?? 'no action';
          throw new Error(`Button ${JSON.stringify(found.text)} is not a callback button (it has ${kind})`);
        }
        return press(message, found.callback_data);
      },
      inlineQuery: (query, offset = '', chatType) => {
        const id = this.issueQuery({ kind: 'inline', userId: user.id, query });
        return this.dispatch({
          inline_query: dropUndefined({ id, from: { ...sender }, query, offset, chat_type: chatType }),
        });
      },
      chooseInlineResult: (resultId, query) => {
        const answer = [...this.answers]
          .reverse()
          .find((a) => a.userId === user.id && a.query === query && a.results.some((r) => r.id === resultId));
        const result = answer?.results.find((r) => r.id === resultId);
        // Telegram only gives an inline_message_id when the sent message has an inline keyboard.
        const inlineMessageId =
          result?.reply_markup !== undefined ? this.createInlineMessage(result) : undefined;
        return this.dispatch({
          chosen_inline_result: dropUndefined({
            result_id: resultId,
            from: { ...sender },
            query,
            inline_message_id: inlineMessageId,
          }),
        });
      },
      block: () => memberChange(true),
      unblock: () => memberChange(false),
    };
  }

  /**
   * Delivers an Update built elsewhere (e.g. a fixture) through the same path as user actions;
   * an update_id is assigned when it has none.
   */
  deliverUpdate(update: Update | { update_id?: number; [kind: string]: unknown }): Promise<Update> {
    const { update_id: given, ...body } = update as { update_id?: number; [kind: string]: unknown };
    return this.dispatch(body, given);
  }

  private issueQuery(query: Omit<IssuedQuery, 'issuedAt' | 'answered'>): string {
    this.queryCounter += 1;
    // Telegram's query ids are 64-bit numbers in a string.
    const id = (4_611_686_018_427_387_904n + BigInt(this.queryCounter) * 7_919n).toString();
    this.queries.set(id, { ...query, issuedAt: this.now(), answered: false });
    return id;
  }

  private createInlineMessage(result: Record<string, unknown>): string {
    this.inlineMessageCounter += 1;
    const id = Buffer.from(`inline-message-${this.inlineMessageCounter}`).toString('base64url');
    const content = isRecord(result.input_message_content) ? result.input_message_content : {};
    const sentText = typeof content.message_text === 'string' ? content.message_text : '';
    const inline: InlineMessage = { inline_message_id: id, text: sentText, sentText };
    try {
      const prepared = this.prepareText(
        content.message_text,
        content.parse_mode,
        content.entities,
        INLINE_TEXT_ERRORS,
      );
      inline.text = prepared.text;
      if (prepared.entities !== undefined) inline.entities = prepared.entities;
    } catch {
      // Validated when the answer was stored; a non-text result keeps its raw text.
    }
    if (isRecord(result.reply_markup))
      inline.reply_markup = result.reply_markup as unknown as InlineKeyboardMarkup;
    this.inlineMessages.set(id, inline);
    return id;
  }

  /** Assigns the update_id, records the Update and hands it to the bot. */
  private async dispatch(body: Record<string, unknown>, givenId?: number): Promise<Update> {
    const updateId = givenId ?? this.nextUpdateId;
    this.nextUpdateId = Math.max(this.nextUpdateId, updateId + 1);
    // The user side builds Updates field by field from the same shapes the Bot API returns;
    // typegram's intersections (New & NonChannel & …) are not worth re-deriving for that.
    const update = { update_id: updateId, ...body } as unknown as Update;
    this.updates.push(update);
    if (!this.isAllowed(update)) {
      this.recordDelivery({ update_id: updateId, via: 'filtered', ok: true, at: this.now() });
      return update;
    }
    const deliver = this.options.deliver;
    if (deliver !== undefined) {
      try {
        const answer = await deliver(update);
        this.recordDelivery({ update_id: updateId, via: 'deliver', ok: true, at: this.now() });
        if (isDeliverResult(answer) && answer.statusCode >= 200 && answer.statusCode < 300) {
          await this.runWebhookReply(answer.body);
        }
      } catch (error) {
        this.recordDelivery({
          update_id: updateId,
          via: 'deliver',
          ok: false,
          error: String(error),
          at: this.now(),
        });
        throw error;
      }
      return update;
    }
    this.queue.push(update);
    if (this.webhook !== undefined) {
      // One delivery at a time and in order, like Telegram with max_connections reached.
      const run = this.webhookChain.then(() => this.flushWebhook());
      this.webhookChain = run.catch(() => undefined);
      await run;
    } else {
      this.recordDelivery({ update_id: updateId, via: 'queue', ok: true, at: this.now() });
      this.poller?.wake('update');
    }
    return update;
  }

  /** Posts queued updates to the webhook in order; stops at the first failure (retried next time). */
  private async flushWebhook(): Promise<void> {
    while (this.webhook !== undefined && this.queue.length > 0 && !this.stopped) {
      const webhook = this.webhook;
      const update = this.queue[0]!;
      const outcome = await this.postWebhook(webhook, update);
      const record: DeliveryRecord = {
        update_id: update.update_id,
        via: 'webhook',
        ok: outcome.ok,
        at: this.now(),
      };
      if (outcome.status !== undefined) record.status = outcome.status;
      if (outcome.error !== undefined) record.error = outcome.error;
      this.recordDelivery(record);
      if (!outcome.ok) {
        webhook.lastErrorDate = this.unixNow();
        webhook.lastErrorMessage = outcome.error ?? 'Connection refused';
        return;
      }
      this.queue.shift();
      await this.runWebhookReply(outcome.body);
    }
  }

  private postWebhook(webhook: WebhookState, update: Update): Promise<WebhookOutcome> {
    const payload = JSON.stringify(update);
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
    };
    if (webhook.secretToken !== undefined) headers['X-Telegram-Bot-Api-Secret-Token'] = webhook.secretToken;
    return new Promise<WebhookOutcome>((resolve) => {
      // agent: false — a fresh connection each time, so no keep-alive socket outlives a test.
      const request = httpRequest(webhook.url, { method: 'POST', headers, agent: false }, (response) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          this.outgoing.delete(request);
          const ok = status >= 200 && status < 300;
          const outcome: WebhookOutcome = { ok, status, body: Buffer.concat(chunks).toString('utf8') };
          if (!ok)
            outcome.error =
              `Wrong response from the webhook: ${status} ${response.statusMessage ?? ''}`.trim();
          resolve(outcome);
        });
        response.on('error', (error) => {
          this.outgoing.delete(request);
          resolve({ ok: false, status, error: error.message });
        });
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        this.outgoing.delete(request);
        resolve({ ok: false, error: error.code === 'ECONNREFUSED' ? 'Connection refused' : error.message });
      });
      this.outgoing.add(request);
      request.end(payload);
    });
  }

  /** Telegram runs a method the webhook answered with (`{"method": ...}`) as an API call. */
  private async runWebhookReply(body: string | undefined): Promise<void> {
    if (body === undefined || body.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return;
    }
    if (!isRecord(parsed) || typeof parsed.method !== 'string') return;
    const { method, ...params } = parsed;
    await this.invoke(method, decodeJsonParams(params), new AbortController().signal);
  }

  private recordDelivery(record: DeliveryRecord): void {
    this.deliveries.push(record);
    this.lastDeliveryRecord = record;
  }
}

/** An in-process webhook's answer (a {@link DeliverResult}); anything else carries no method. */
function isDeliverResult(v: unknown): v is DeliverResult {
  return (
    isRecord(v) && typeof v.statusCode === 'number' && (v.body === undefined || typeof v.body === 'string')
  );
}

/** Builds a Bot API stand-in; call `start()` on it to listen. */
export function createBotApiStandIn(options: StandInOptions): BotApiStandIn {
  return new BotApiStandIn(options);
}

// ---------------------------------------------------------------------------------------------
// Module helpers
// ---------------------------------------------------------------------------------------------

/** Checks one inline keyboard button the way Telegram does and keeps only the fields it knows. */
function validateInlineButton(button: unknown): InlineKeyboardButton {
  const cantParse = (reason: string): BotApiError =>
    badRequest(`can't parse InlineKeyboardButton: ${reason}`);
  if (!isRecord(button)) throw cantParse('InlineKeyboardButton must be an Object');
  if (typeof button.text !== 'string') throw cantParse('Field "text" must be of type String');
  if (button.text === '') throw badRequest('BUTTON_TEXT_INVALID');
  // Telegram reads an empty callback_data as no callback_data.
  const actions = BUTTON_ACTIONS.filter(
    (action) =>
      button[action] !== undefined &&
      button[action] !== null &&
      button[action] !== '' &&
      button[action] !== false,
  );
  if (actions.length === 0) throw cantParse('Text buttons are not allowed in the inline keyboard');
  // Telegram takes the first field it knows; the stand-in insists on one so ambiguity is caught.
  if (actions.length > 1)
    throw cantParse(`Exactly one of the optional fields must be used, found ${actions.join(', ')}`);
  const action = actions[0]!;
  const kept: InlineKeyboardButton = { text: button.text };
  const value = button[action];
  switch (action) {
    case 'callback_data': {
      if (typeof value !== 'string') throw cantParse('Field "callback_data" must be of type String');
      if (utf8Length(value) > 64) throw badRequest('BUTTON_DATA_INVALID');
      kept.callback_data = value;
      break;
    }
    case 'url': {
      if (typeof value !== 'string') throw cantParse('Field "url" must be of type String');
      if (!isButtonUrl(value))
        throw badRequest(`inline keyboard button URL '${value}' is invalid: Wrong HTTP URL`);
      kept.url = value;
      break;
    }
    case 'switch_inline_query':
    case 'switch_inline_query_current_chat': {
      if (typeof value !== 'string') throw cantParse(`Field "${action}" must be of type String`);
      kept[action] = value;
      break;
    }
    case 'login_url':
    case 'web_app': {
      if (!isRecord(value) || typeof value.url !== 'string')
        throw cantParse(`Field "${action}" must be of type Object`);
      if (!isButtonUrl(value.url))
        throw badRequest(`inline keyboard button URL '${value.url}' is invalid: Wrong HTTP URL`);
      if (action === 'login_url') kept.login_url = { ...value, url: value.url };
      else kept.web_app = { url: value.url };
      break;
    }
    case 'copy_text': {
      if (!isRecord(value) || typeof value.text !== 'string')
        throw cantParse('Field "copy_text" must be of type Object');
      if (value.text === '' || value.text.length > 256) throw badRequest('BUTTON_COPY_TEXT_INVALID');
      kept.copy_text = { text: value.text };
      break;
    }
    case 'switch_inline_query_chosen_chat':
    case 'callback_game': {
      if (!isRecord(value)) throw cantParse(`Field "${action}" must be of type Object`);
      kept[action] = { ...value };
      break;
    }
    case 'pay':
      kept.pay = true;
      break;
  }
  return kept;
}

/** Inline buttons take http(s) and tg:// links. */
function isButtonUrl(url: string): boolean {
  if (/^tg:\/\/\S+$/i.test(url)) return true;
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}

/** The bot_command entity Telegram adds to a message that starts with `/cmd` or `/cmd@bot`. */
function commandEntities(text: string): MessageEntity[] {
  const match = /^\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,64})?/.exec(text);
  return match === null ? [] : [{ type: 'bot_command', offset: 0, length: match[0].length }];
}

/** A stable, opaque chat_instance per chat. */
function chatInstance(chatId: number): string {
  return (-(BigInt(chatId) * 2_654_435_761n + 1_000_000_007n)).toString();
}

function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}

/** Sets an optional field, or removes it when the value is undefined (exactOptionalPropertyTypes-friendly). */
function setOptional<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

function errorBody(error: BotApiError): Record<string, unknown> {
  const body: Record<string, unknown> = { ok: false, error_code: error.code, description: error.description };
  if (error.parameters !== undefined) body.parameters = error.parameters;
  return body;
}

function writeError(res: ServerResponse, error: BotApiError): void {
  writeJson(res, error.code, errorBody(error));
}

function writeJson(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** Query string plus body (JSON or urlencoded), with JSON-carrying strings decoded. */
async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const params: Params = Object.fromEntries(url.searchParams);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BotApiError(413, 'Request Entity Too Large');
    chunks.push(buffer);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw.trim() !== '') {
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    if (type.startsWith('multipart/form-data')) {
      throw badRequest('the Bot API stand-in does not accept multipart/form-data (file uploads)');
    }
    if (type.includes('application/x-www-form-urlencoded')) {
      Object.assign(params, Object.fromEntries(new URLSearchParams(raw)));
    } else {
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        throw badRequest("can't parse JSON object");
      }
      if (!isRecord(body)) throw badRequest("can't parse JSON object");
      Object.assign(params, body);
    }
  }
  return decodeJsonParams(params);
}
