/**
 * Topics per author in a reader's private chat (Bot API 9.3; issue 15, item 3), resolved by the
 * sender at send time, so the fan-out reads nothing more: a reader who chose them gets each
 * followed author's alerts and digest entries in that author's topic. The first message about an
 * author opens the topic (createForumTopic, named after the author); its id is stored per
 * (reader, author). When Telegram refuses, the message goes to the main chat:
 * - "the chat is not a forum" (the bot's topic mode is off): the reader's choice becomes
 *   `refused`, so the bot does not ask again on every alert; /settings says so and offers to
 *   try again;
 * - the topic is gone (the reader deleted it: "message thread not found"): it is forgotten, and
 *   the next message about that author opens a new one;
 * - anything else (a 429, a timeout): this message goes to the main chat; the next one tries again.
 * docs/architecture.md, "Topics per author in private chats".
 */
import { type AboutAuthor, topicName } from '../core/reader-topics';
import type { ReaderTopicRepository } from '../store/reader-topic-repository';

export type { AboutAuthor } from '../core/reader-topics';

/** What came of asking Telegram to open a topic. */
export type TopicOpening =
  | { kind: 'opened'; threadId: number }
  /** The chat has no topics ("the chat is not a forum"). */
  | { kind: 'refused' }
  | { kind: 'failed'; reason: string };

/** What the sender needs of the store. */
export type ReaderTopicStore = Pick<
  ReaderTopicRepository,
  'withTopicsOn' | 'refuse' | 'topic' | 'remember' | 'forget'
>;

/**
 * The reader's topic for an author: the stored one, or one opened now with `open` and stored
 * (another sender's, if it stored one first). Undefined: send to the main chat.
 */
export async function readerTopicFor(
  store: ReaderTopicStore,
  userId: number,
  author: AboutAuthor,
  open: (name: string) => Promise<TopicOpening>,
  now: number,
): Promise<number | undefined> {
  const stored = await store.topic(userId, author.handle);
  if (stored !== undefined) return stored;
  const opened = await open(topicName(author));
  if (opened.kind === 'refused') {
    await store.refuse(userId);
    return undefined;
  }
  if (opened.kind === 'failed') return undefined;
  return store.remember(userId, author.handle, opened.threadId, now);
}
