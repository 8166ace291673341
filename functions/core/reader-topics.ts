/**
 * Topics per author in a reader's private chat with the bot (Bot API 9.3): the reader's choice
 * and a topic's name. The sender opens and uses the topics (alerts/reader-topics.ts).
 */

/**
 * A reader's choice: `on`; `off` (never chosen, or turned off); `refused`: it was on, and
 * Telegram refused to open a topic in their chat (the bot's topic mode is off), so it stopped
 * trying until the reader turns it on again.
 */
export type AuthorTopicsChoice = 'on' | 'off' | 'refused';

/** The followed author a message is about. */
export interface AboutAuthor {
  handle: string;
  name: string;
}

/** Telegram's limit on a topic's name (1–128 characters). */
export const TOPIC_NAME_MAX = 128;

/**
 * A topic's name for an author: their full name (plain text: createForumTopic has no parse mode),
 * spaces tidied, cut to 128 UTF-16 units without splitting a character; their handle when the
 * name is blank.
 */
export function topicName(author: AboutAuthor): string {
  const name = author.name.replace(/\s+/g, ' ').trim() || author.handle;
  let out = '';
  for (const ch of name) {
    if (out.length + ch.length > TOPIC_NAME_MAX) break;
    out += ch;
  }
  return out;
}
