/**
 * What both halves of the stand-in see: the chats, their messages, the queries a user issued and
 * the bot's answers to them. The Bot API side writes into it; the user side reads it and adds
 * what people write.
 */
import type { MessageEntity } from '@grammyjs/types';
import { dropUndefined } from './bot-api/params';
import type {
  BotInfo,
  CallbackAnswer,
  ChatInfo,
  InlineAnswer,
  InlineKeyboardMarkup,
  MemberInfo,
  MessageSender,
  StoredMessage,
} from './types';

/** A callback or inline query the user side issued. */
export interface IssuedQuery {
  kind: 'callback' | 'inline';
  issuedAt: number;
  answered: boolean;
  userId: number;
  query?: string;
  data?: string;
}

/** A message sent through inline mode: it lives outside any chat the bot can see. */
export interface InlineMessage {
  inline_message_id: string;
  text: string;
  entities?: MessageEntity[];
  reply_markup?: InlineKeyboardMarkup;
  sentText: string;
}

export class ChatState {
  readonly chats = new Map<number, ChatInfo>();
  readonly history = new Map<number, StoredMessage[]>();
  readonly inlineMessages = new Map<string, InlineMessage>();
  readonly blockedChats = new Set<number>();
  /** Chats where Telegram answers that rich messages are not available (see `setRichMessagesAvailable`). */
  readonly richUnavailableChats = new Set<number>();
  readonly queries = new Map<string, IssuedQuery>();
  readonly inlineAnswers: InlineAnswer[] = [];
  readonly commands = new Map<string, unknown[]>();
  readonly menuButtons = new Map<string, unknown>();
  /** Memberships by chat, then user id (the bot's own included). Absent: see `botMember`. */
  readonly members = new Map<number, Map<number, MemberInfo>>();
  /** Open forum topics by chat (`message_thread_id`s): a forum's, or a private chat's (Bot API 9.3). */
  readonly topics = new Map<number, Set<number>>();
  /** The names of the topics the bot created (createForumTopic), by chat then thread. */
  readonly topicNames = new Map<number, Map<number, string>>();
  /** Groups that became supergroups: old id → new id. */
  readonly migrated = new Map<number, number>();
  /** When the bot's recent messages to each group or channel were sent (ms), for the per-chat limit. */
  readonly recentSends = new Map<number, number[]>();
  private readonly lastMessageIds = new Map<number, number>();
  private queryCounter = 0;
  private inlineMessageCounter = 0;

  constructor(
    readonly botInfo: BotInfo,
    readonly now: () => number,
    /** Shared with the facade, which exposes it as a public array. */
    readonly callbackAnswers: CallbackAnswer[],
  ) {}

  unixNow(): number {
    return Math.floor(this.now() / 1000);
  }

  /**
   * Opens a topic in a chat; its id is a message id of the chat, as Telegram's is (the id of
   * the topic's "created" service message, which the stand-in does not store).
   */
  openTopic(chatId: number, name?: string, threadId?: number): number {
    const id = threadId ?? this.nextMessageId(chatId);
    const open = this.topics.get(chatId) ?? new Set<number>();
    open.add(id);
    this.topics.set(chatId, open);
    if (name !== undefined) {
      const names = this.topicNames.get(chatId) ?? new Map<number, string>();
      names.set(id, name);
      this.topicNames.set(chatId, names);
    }
    return id;
  }

  nextMessageId(chatId: number): number {
    const next = (this.lastMessageIds.get(chatId) ?? 0) + 1;
    this.lastMessageIds.set(chatId, next);
    return next;
  }

  store(message: StoredMessage): void {
    const messages = this.history.get(message.chat.id) ?? [];
    messages.push(message);
    this.history.set(message.chat.id, messages);
  }

  findMessage(chatId: number, messageId: number): StoredMessage | undefined {
    return this.history.get(chatId)?.find((message) => message.message_id === messageId);
  }

  /** The chat object for an id; chats the user side never created get a plausible shape. */
  knownChat(chatId: number): ChatInfo {
    const known = this.chats.get(chatId);
    if (known !== undefined) return known;
    if (chatId > 0) return { id: chatId, type: 'private', first_name: `User ${chatId}` };
    // Supergroup ids are -100… followed by the channel id.
    return chatId <= -1_000_000_000_000
      ? { id: chatId, type: 'supergroup', title: `Chat ${chatId}` }
      : { id: chatId, type: 'group', title: `Chat ${chatId}` };
  }

  /** Someone's membership of a chat, when the user side recorded one. */
  member(chatId: number, userId: number): MemberInfo | undefined {
    return this.members.get(chatId)?.get(userId);
  }

  setMember(chatId: number, userId: number, info: MemberInfo): void {
    const chat = this.members.get(chatId) ?? new Map<number, MemberInfo>();
    chat.set(userId, info);
    this.members.set(chatId, chat);
  }

  /**
   * The bot's membership of a chat. A group the user side made without saying is taken to have
   * the bot as a plain member (the bot tests that talk in groups predate memberships); a channel
   * never is: the bot must have been added to it.
   */
  botMember(chatId: number): MemberInfo {
    const recorded = this.member(chatId, this.botInfo.id);
    if (recorded !== undefined) return recorded;
    return this.knownChat(chatId).type === 'channel' ? { status: 'left' } : { status: 'member' };
  }

  botSender(): MessageSender {
    const bot = this.botInfo;
    return { id: bot.id, is_bot: true, first_name: bot.first_name, username: bot.username };
  }

  /** A fresh query id, remembered so the bot can answer it once within 15 minutes. */
  issueQuery(query: Omit<IssuedQuery, 'issuedAt' | 'answered'>): string {
    this.queryCounter += 1;
    // Telegram's query ids are 64-bit numbers in a string.
    const id = (4_611_686_018_427_387_904n + BigInt(this.queryCounter) * 7_919n).toString();
    this.queries.set(id, { ...query, issuedAt: this.now(), answered: false });
    return id;
  }

  nextInlineMessageId(): string {
    this.inlineMessageCounter += 1;
    return Buffer.from(`inline-message-${this.inlineMessageCounter}`).toString('base64url');
  }

  /** The chat as Telegram shows it inside a Message. */
  apiChat(chat: ChatInfo): Record<string, unknown> {
    if (chat.type === 'private') {
      return dropUndefined({
        id: chat.id,
        type: chat.type,
        first_name: chat.first_name ?? '',
        last_name: chat.last_name,
        username: chat.username,
      });
    }
    return dropUndefined({
      id: chat.id,
      type: chat.type,
      title: chat.title ?? '',
      username: chat.username,
      is_forum: chat.is_forum === true ? true : undefined,
    });
  }

  /** The Message object the Bot API returns for a stored message. */
  apiMessage(message: StoredMessage, nested = false): Record<string, unknown> {
    const rich = message.rich_message;
    return dropUndefined({
      message_id: message.message_id,
      from: { ...message.from },
      chat: this.apiChat(message.chat),
      message_thread_id: message.message_thread_id,
      is_topic_message: message.message_thread_id !== undefined ? true : undefined,
      date: message.date,
      edit_date: message.edit_date,
      // Telegram does not nest replies more than one level.
      reply_to_message:
        message.reply_to_message !== undefined && !nested
          ? this.apiMessage(message.reply_to_message, true)
          : undefined,
      text: rich === undefined ? message.text : undefined,
      entities: rich === undefined ? message.entities?.map((entity) => ({ ...entity })) : undefined,
      link_preview_options:
        message.link_preview_options === undefined ? undefined : { ...message.link_preview_options },
      rich_message: rich === undefined ? undefined : structuredClone(rich),
      reply_markup: message.reply_markup === undefined ? undefined : structuredClone(message.reply_markup),
    });
  }

  /** Forgets messages, inline messages, queries and answers; chats and message ids carry on. */
  reset(): void {
    this.history.clear();
    this.recentSends.clear();
    this.inlineMessages.clear();
    this.queries.clear();
    this.inlineAnswers.length = 0;
    this.callbackAnswers.length = 0;
  }
}
