/**
 * A local stand-in for Telegram's Bot API, in two halves:
 * - the Bot API side (`bot-api/`): an HTTP server on 127.0.0.1 answering
 *   `POST|GET /bot<token>/<method>` with Telegram's envelopes, status codes, limits and error
 *   texts, one module per method family, and fault injection;
 * - the user side (`user/`): simulated people whose actions become Updates, delivered in
 *   process, to a webhook, or through getUpdates.
 * Between them sits the chat state both see (`chat-state.ts`, `update-queue.ts`). This class
 * wires the parts and offers what tests and the local runtime use: lifecycle, the user side,
 * faults, and inspection of what the bot did.
 *
 * Where Telegram's behaviour is documented or observable the stand-in copies it; where it is
 * stricter than Telegram (a bare `&` in HTML, exactly one action per inline button, webhooks
 * only on loopback addresses) the code says so.
 */
import type { Update } from 'telegraf/types';
import { chatMethods } from './bot-api/chats';
import { commandMethods } from './bot-api/commands';
import type { ApiContext } from './bot-api/context';
import { Dispatcher } from './bot-api/dispatcher';
import { FaultBook } from './bot-api/faults';
import { forumTopicMethods } from './bot-api/forum-topics';
import { ApiServer } from './bot-api/http-server';
import { messageMethods } from './bot-api/messages';
import { queryMethods } from './bot-api/queries';
import { RateLimiter, type RateLimitOptions } from './bot-api/rate-limits';
import { richMethods } from './bot-api/rich-messages';
import { webhookMethods } from './bot-api/webhook';
import { ChatState } from './chat-state';
import type {
  CallbackAnswer,
  ChatInfo,
  DeliveryRecord,
  FaultSpec,
  InjectedFault,
  InlineAnswer,
  MemberInfo,
  RecordedCall,
  SimUser,
  SimulatedUser,
  StandInOptions,
  StoredMessage,
} from './types';
import { UpdateQueue } from './update-queue';
import { Delivery } from './user/delivery';
import { createSimulatedUser, type UserChat } from './user/simulated-user';

export { faults, RICH_MESSAGE_UNSUPPORTED } from './bot-api/faults';
export { BALANCE_TOO_LOW, type RateLimitOptions } from './bot-api/rate-limits';
export { RICH_MESSAGE_LIMITS } from './bot-api/rich/limits';
export type * from './types';

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

  private readonly state: ChatState;
  private readonly queue = new UpdateQueue();
  private readonly faultBook = new FaultBook();
  private readonly dispatcher: Dispatcher;
  private readonly server: ApiServer;
  private readonly delivery: Delivery;
  private readonly limiter: RateLimiter;

  constructor(private readonly options: StandInOptions) {
    const now = options.now ?? Date.now;
    this.limiter = new RateLimiter(now);
    // A copy: setPrivateTopicsEnabled changes it, never the caller's object.
    this.state = new ChatState({ ...options.botInfo }, now, this.callbackAnswers);
    const ctx: ApiContext = { state: this.state, updates: this.queue };
    this.dispatcher = new Dispatcher(
      {
        ...messageMethods(ctx),
        ...richMethods(ctx),
        ...queryMethods(ctx),
        ...webhookMethods(ctx),
        ...commandMethods(ctx),
        ...chatMethods(ctx),
        ...forumTopicMethods(ctx),
      },
      this.calls,
      this.faultBook,
      now,
      this.limiter,
    );
    this.server = new ApiServer(options.token, this.dispatcher);
    this.delivery = new Delivery({
      queue: this.queue,
      deliver: options.deliver,
      invoke: (method, params) => this.dispatcher.invoke(method, params, new AbortController().signal),
      now,
      firstUpdateId: options.firstUpdateId ?? 500_000_001,
      updates: this.updates,
      deliveries: this.deliveries,
    });
  }

  // ----- lifecycle -------------------------------------------------------------------------

  /** Listens on 127.0.0.1 (`port` 0 = any free port) and returns the apiRoot, e.g. `http://127.0.0.1:40123`. */
  async start(port = 0): Promise<string> {
    const root = await this.server.start(port);
    this.queue.stopped = false;
    return root;
  }

  /** The apiRoot once started. */
  get apiRoot(): string {
    const root = this.server.apiRoot;
    if (root === undefined) throw new Error('The Bot API stand-in is not started');
    return root;
  }

  /** Stops listening, ends held requests and keep-alive sockets (so jest can exit). Idempotent. */
  async stop(): Promise<void> {
    this.queue.stopped = true;
    this.queue.wake('stop');
    this.dispatcher.wakeSleepers();
    this.delivery.stop();
    await this.server.stop();
  }

  // ----- user side -------------------------------------------------------------------------

  /**
   * A person who talks to the bot, in their private chat or in `chat`. Actions build Updates and
   * deliver them: to `options.deliver`, else to the webhook, else into the getUpdates queue.
   */
  user(user: SimUser, chat?: UserChat): SimulatedUser {
    return createSimulatedUser(this.state, this.delivery, user, chat);
  }

  /**
   * Delivers an Update built elsewhere (e.g. a fixture) through the same path as user actions;
   * an update_id is assigned when it has none.
   */
  deliverUpdate(update: Update | { update_id?: number; [kind: string]: unknown }): Promise<Update> {
    const { update_id: given, ...body } = update as { update_id?: number; [kind: string]: unknown };
    return this.delivery.dispatch(body, given);
  }

  /**
   * Whether rich messages can be shown in a chat (default: yes). When not, sendRichMessage and
   * rich edits there answer `400 Bad Request: RICH_MESSAGE_UNSUPPORTED`, so a bot's fallback to
   * plain text can be tested.
   */
  setRichMessagesAvailable(chatId: number, available: boolean): void {
    if (available) this.state.richUnavailableChats.delete(chatId);
    else this.state.richUnavailableChats.add(chatId);
  }

  // ----- groups and channels -------------------------------------------------------------

  /** Makes a group, supergroup (a forum with `is_forum`) or channel exist; returns it. */
  createChat(
    chat: Omit<ChatInfo, 'first_name' | 'last_name'> & { type: 'group' | 'supergroup' | 'channel' },
  ): ChatInfo {
    const info: ChatInfo = { ...chat, title: chat.title ?? `Chat ${chat.id}` };
    this.state.chats.set(info.id, info);
    return { ...info };
  }

  /** Records someone's membership of a chat (what getChatMember answers for them). */
  setMember(chatId: number, userId: number, info: MemberInfo): void {
    this.state.setMember(chatId, userId, { ...info });
  }

  /**
   * `by` adds the bot to a chat, changes its rights or removes it: the membership changes and
   * the bot gets a `my_chat_member` update, as from Telegram (`kicked` and `left` end its sends).
   */
  setBotMember(
    chatId: number,
    info: MemberInfo,
    by: Pick<ChatInfo, 'id'> & { first_name: string },
  ): Promise<Update> {
    const chat = this.state.knownChat(chatId);
    const bot = this.state.botSender();
    const before = this.state.botMember(chatId);
    this.state.setMember(chatId, this.options.botInfo.id, { ...info });
    const asApi = (m: MemberInfo) =>
      m.status === 'kicked' ? { user: bot, status: 'kicked', until_date: 0 } : { user: bot, ...m };
    return this.delivery.dispatch({
      my_chat_member: {
        chat: this.state.apiChat(chat),
        from: { id: by.id, is_bot: false, first_name: by.first_name },
        date: this.state.unixNow(),
        old_chat_member: asApi(before),
        new_chat_member: asApi(info),
      },
    });
  }

  /** Opens a forum topic in a forum supergroup; returns its `message_thread_id`. */
  openTopic(chatId: number, threadId?: number): number {
    const chat = this.state.knownChat(chatId);
    if (chat.type !== 'supergroup' || chat.is_forum !== true)
      throw new Error(`Chat ${chatId} is not a forum`);
    return this.state.openTopic(chatId, undefined, threadId);
  }

  /**
   * Deletes a topic (a forum's, or one in a private chat with the bot): sends into it answer
   * "message thread not found".
   */
  deleteTopic(chatId: number, threadId: number): void {
    this.state.topics.get(chatId)?.delete(threadId);
    this.state.topicNames.get(chatId)?.delete(threadId);
  }

  /** The open topics of a chat that the bot created with createForumTopic, with their names. */
  botTopics(chatId: number): Array<{ threadId: number; name: string }> {
    const open = this.state.topics.get(chatId) ?? new Set<number>();
    return [...(this.state.topicNames.get(chatId) ?? new Map<number, string>())]
      .filter(([threadId]) => open.has(threadId))
      .map(([threadId, name]) => ({ threadId, name }));
  }

  /**
   * Turns the bot's topic mode in private chats on or off, as its owner does in BotFather
   * (Bot API 9.3: getMe's `has_topics_enabled`). Off: createForumTopic in a private chat answers
   * "the chat is not a forum", and its topics are not found.
   */
  setPrivateTopicsEnabled(enabled: boolean): void {
    this.state.botInfo.has_topics_enabled = enabled;
  }

  /**
   * A group becomes a supergroup (`newId`, -100…): the old id answers 400 with
   * `migrate_to_chat_id`, the bot keeps its membership, and the bot gets the two service
   * messages Telegram sends (`migrate_to_chat_id` in the old chat, `migrate_from_chat_id` in the new).
   */
  async migrateGroup(
    oldId: number,
    newId: number,
    by: { id: number; first_name: string },
  ): Promise<Update[]> {
    const old = this.state.knownChat(oldId);
    const next: ChatInfo = { id: newId, type: 'supergroup', title: old.title ?? `Chat ${newId}` };
    this.state.chats.set(newId, next);
    const member = this.state.member(oldId, this.options.botInfo.id);
    if (member !== undefined) this.state.setMember(newId, this.options.botInfo.id, member);
    this.state.migrated.set(oldId, newId);
    const from = { id: by.id, is_bot: false, first_name: by.first_name };
    const date = this.state.unixNow();
    return [
      await this.delivery.dispatch({
        message: {
          message_id: this.state.nextMessageId(oldId),
          from,
          chat: this.state.apiChat(old),
          date,
          migrate_to_chat_id: newId,
        },
      }),
      await this.delivery.dispatch({
        message: {
          message_id: this.state.nextMessageId(newId),
          from,
          chat: this.state.apiChat(next),
          date,
          migrate_from_chat_id: oldId,
        },
      }),
    ];
  }

  // ----- faults ----------------------------------------------------------------------------

  /** The next matching call(s) answer an error, or are delayed first; see {@link FaultSpec}. */
  injectFault(fault: FaultSpec): InjectedFault {
    return this.faultBook.inject(fault);
  }

  clearFaults(): void {
    this.faultBook.clear();
  }

  // ----- broadcast limits and Stars (bot-api/rate-limits.ts) --------------------------------

  /**
   * Turns on Telegram's broadcast limits (about 30 messages/s free, 1,000/s with
   * `allow_paid_broadcast`, a flood wait that refuses every call of the bot). Off by default:
   * tests that do not care never see a 429 they did not inject.
   */
  setRateLimits(options: RateLimitOptions = {}): void {
    this.limiter.configure(options);
  }

  /** Turns the broadcast limits off again. */
  clearRateLimits(): void {
    this.limiter.configure(undefined);
  }

  /** The bot's Telegram Stars balance, which paid broadcast draws on (0.1 per paid message). */
  setStarBalance(stars: number): void {
    this.limiter.setStarBalance(stars);
  }

  /** Stars left, spent, and what the limits refused; `floodWaitUntil` is -Infinity outside a flood wait. */
  get broadcast(): {
    starBalance: number;
    starsSpent: number;
    paidMessages: number;
    refused: number;
    floodWaitUntil: number;
  } {
    const l = this.limiter;
    return {
      starBalance: l.starBalance,
      starsSpent: l.starsSpent,
      paidMessages: l.paidMessages,
      refused: l.refused,
      floodWaitUntil: l.floodWaitUntil,
    };
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
  waitForCalls(method: string, count = 1, timeoutMs = 2000, includePending = false): Promise<RecordedCall[]> {
    return this.dispatcher.waitUntil(
      () => {
        const answered = this.callsTo(method).filter((call) => includePending || call.pending !== true);
        return answered.length >= count ? answered : undefined;
      },
      timeoutMs,
      `Expected ${count} answered ${method} call(s) within ${timeoutMs} ms`,
    );
  }

  /** Messages the bot sent to a chat that still exist, oldest first. */
  messages(chatId: number): StoredMessage[] {
    return this.chatHistory(chatId).filter((message) => message.from.id === this.options.botInfo.id);
  }

  /** All messages of a chat, the user's and the bot's, oldest first. */
  chatHistory(chatId: number): StoredMessage[] {
    return [...(this.state.history.get(chatId) ?? [])];
  }

  /** The bot's latest message in a chat. */
  lastMessage(chatId: number): StoredMessage | undefined {
    return this.messages(chatId).at(-1);
  }

  /** The bot's rich messages in a chat, oldest first (`message.rich_message.blocks` holds the structure). */
  richMessages(chatId: number): StoredMessage[] {
    return this.messages(chatId).filter((message) => message.rich_message !== undefined);
  }

  /** The stored answer to one inline query. */
  inlineAnswer(queryId: string): InlineAnswer | undefined {
    return this.state.inlineAnswers.find((answer) => answer.inline_query_id === queryId);
  }

  /** Stored inline answers, all or those of one query id. */
  inlineAnswers(queryId?: string): InlineAnswer[] {
    const answers = this.state.inlineAnswers;
    return queryId === undefined ? [...answers] : answers.filter((a) => a.inline_query_id === queryId);
  }

  lastInlineAnswer(): InlineAnswer | undefined {
    return this.state.inlineAnswers.at(-1);
  }

  /** The answer given to one callback query. */
  callbackAnswer(queryId: string): CallbackAnswer | undefined {
    return this.callbackAnswers.find((answer) => answer.callback_query_id === queryId);
  }

  /** How the latest user-side Update was handed over (webhook status included). */
  get lastDelivery(): DeliveryRecord | undefined {
    return this.delivery.lastDelivery;
  }

  /** Updates waiting for getUpdates (or for a webhook that failed). */
  get pendingUpdates(): readonly Update[] {
    return this.queue.queue;
  }

  /** The webhook URL set by setWebhook ('' when none). */
  get webhookUrl(): string {
    return this.queue.webhook?.url ?? '';
  }

  isBlocked(chatId: number): boolean {
    return this.state.blockedChats.has(chatId);
  }

  /** Forgets calls, messages, answers, faults, issued queries, queued updates and delivery records. */
  reset(): void {
    this.calls.length = 0;
    this.updates.length = 0;
    this.deliveries.length = 0;
    this.state.reset();
    this.faultBook.clear();
    this.queue.queue = [];
    this.delivery.lastDelivery = undefined;
  }
}

/** Builds a Bot API stand-in; call `start()` on it to listen. */
export function createBotApiStandIn(options: StandInOptions): BotApiStandIn {
  return new BotApiStandIn(options);
}
