/**
 * The /settings section "topics per author" (Bot API 9.3 topics in private chats): a line saying
 * what it does and where it stands, and two buttons (a topic per author, or everything in this
 * chat). The choice is the reader's profile attribute `authorTopics`; the sender opens the topics
 * (alerts/reader-topics.ts). Kept apart from settings.ts, which draws the screen around it.
 */
import type { InlineKeyboardButton } from 'telegraf/types';
import type { AuthorTopicsChoice } from '../../core/reader-topics';
import type { Translator } from '../../i18n/translator';
import { defineCallback, field } from '../callback';

/** Turn topics per author on or off: `1:tp:<y|n>`. */
export const topicsButton = defineCallback('tp', { on: field.yesNo });

/** What the section reads and writes. */
export interface TopicChoiceStore {
  choice(userId: number, consistent?: boolean): Promise<AuthorTopicsChoice>;
  choose(userId: number, on: boolean): Promise<AuthorTopicsChoice>;
}

/** The section's line on the settings screen. */
export function topicsLine(t: Translator, choice: AuthorTopicsChoice): string {
  return t.t('settings-topics', { state: t.t(`settings-topics-${choice}`) });
}

/** The section's buttons, the current choice ticked. */
export function topicsRow(t: Translator, choice: AuthorTopicsChoice): InlineKeyboardButton[] {
  const tick = (on: boolean, text: string) => (on ? `✓ ${text}` : text);
  return [
    {
      text: tick(choice === 'on', t.text('settings-button-topics-on')),
      callback_data: topicsButton.encode({ on: true }),
    },
    {
      text: tick(choice !== 'on', t.text('settings-button-topics-off')),
      callback_data: topicsButton.encode({ on: false }),
    },
  ];
}
