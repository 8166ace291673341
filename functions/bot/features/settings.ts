/**
 * settingsFeature: `/settings` shows how news reaches the reader — default mode of new follows,
 * time zone, digest hour, weekly digest day, quiet hours — each with one line saying what it
 * does, and buttons to change them. `/settings <city or offset>` sets the time zone (checked
 * against the IANA database Intl carries). `/tag <name>` follows a tag (or stops following
 * it). Loaded on demand (bot/on-demand/settings.ts): readers change these rarely.
 */
import { Composer, type Context } from 'telegraf';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'telegraf/types';
import {
  type DeliveryMode,
  isDeliveryMode,
  parseTimeZone,
  type QuietHours,
  type ReaderSettings,
  type ReaderSettingsPatch,
} from '../../core/delivery';
import { DELIVERY_MODES } from '../../core/delivery-mode';
import type { Follow, Followable } from '../../core/ports';
import type { AuthorTopicsChoice } from '../../core/reader-topics';
import { normaliseTag } from '../../core/tags';
import type { Locale } from '../../i18n/locales';
import type { Translator } from '../../i18n/translator';
import { defineCallback, type Field, field } from '../callback';
import { tr } from '../locale';
import { answer, replyHtml, sender, showView } from '../respond';
import { type TopicChoiceStore, topicsButton, topicsLine, topicsRow } from './topic-settings';
import { type Feature, onButton } from './types';

type What = 'm' | 'h' | 'w' | 'q' | 'z' | 'a' | 't';
const WHATS: readonly What[] = ['m', 'h', 'w', 'q', 'z', 'a', 't'];
const whatField: Field<What> = {
  format: (v) => v,
  parse: (s) => WHATS.find((w) => w === s),
};

/**
 * Change one setting: `1:st:<m|h|w|q|z>:<value>`; switch one follow's mode: `1:st:a:<handle>`
 * (an author) or `1:st:t:<n>` (the n-th followed tag: a tag can pass the 64-byte limit in UTF-8).
 */
export const settingsButton = defineCallback('st', { what: whatField, value: field.text });

/** Zones offered as buttons, by the reader's language (a reader can type any other). */
const LIKELY_ZONES: Record<Locale, readonly string[]> = {
  en: ['Europe/London', 'America/New_York', 'Asia/Kolkata'],
  ar: ['Asia/Riyadh', 'Africa/Cairo', 'Asia/Dubai'],
  ur: ['Asia/Karachi', 'Asia/Kolkata', 'Asia/Dubai'],
  ru: ['Europe/Moscow', 'Asia/Almaty', 'Europe/Berlin'],
};

/** The quiet hours the buttons offer: 22:00–07:00 local, silent or held. */
const NIGHT = { start: 22 * 60, end: 7 * 60 };

const clock = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

function weekdayName(locale: Locale, isoDay: number): string {
  // 2026-11-30 is a Monday (ISO day 1).
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2026, 10, 29 + isoDay)),
  );
}

const modeName = (t: Translator, mode: DeliveryMode) => t.text(`settings-button-mode-${mode}`);

function settingsText(t: Translator, s: ReaderSettings, hasFollows: boolean): string {
  const quiet = s.quiet
    ? t.t(`settings-quiet-window-${s.quiet.action}`, { from: clock(s.quiet.start), to: clock(s.quiet.end) })
    : t.t('settings-quiet-off');
  return [
    t.t('settings-title'),
    '',
    t.t('settings-mode', { mode: modeName(t, s.defaultMode) }),
    t.t('settings-zone', { zone: s.timeZone ?? 'UTC' }),
    t.t('settings-hour', { hour: clock(s.digestHour * 60) }),
    t.t('settings-weekday', { day: weekdayName(t.locale, s.digestWeekday) }),
    t.t('settings-quiet', { quiet }),
    '',
    t.t('settings-zone-hint'),
    ...(hasFollows ? ['', t.t('settings-follows')] : []),
  ].join('\n');
}

function settingsKeyboard(
  t: Translator,
  s: ReaderSettings,
  follows: readonly Follow[],
): InlineKeyboardMarkup {
  const tick = (on: boolean, text: string) => (on ? `✓ ${text}` : text);
  const b = (text: string, what: What, value: string): InlineKeyboardButton => ({
    text,
    callback_data: settingsButton.encode({ what, value }),
  });
  const quietNow = s.quiet?.action ?? 'off';
  return {
    inline_keyboard: [
      DELIVERY_MODES.map((m) => b(tick(m === s.defaultMode, modeName(t, m)), 'm', m)),
      [
        b(`◀ ${clock(((s.digestHour + 23) % 24) * 60)}`, 'h', String((s.digestHour + 23) % 24)),
        b(`${clock(((s.digestHour + 1) % 24) * 60)} ▶`, 'h', String((s.digestHour + 1) % 24)),
        b(`${weekdayName(t.locale, (s.digestWeekday % 7) + 1)} ▶`, 'w', String((s.digestWeekday % 7) + 1)),
      ],
      (['off', 'silent', 'hold'] as const).map((q) =>
        b(tick(q === quietNow, t.text(`settings-button-quiet-${q}`)), 'q', q),
      ),
      LIKELY_ZONES[t.locale].map((z) => b(tick(z === s.timeZone, z), 'z', z)),
      ...followButtons(follows).map((f) => [b(f.text, f.what, f.value)]),
    ],
  };
}

/** One button per follow: its mode's icon and its name; a press switches to the next mode. */
function followButtons(follows: readonly Follow[]): Array<{ text: string; what: What; value: string }> {
  let tagIndex = 0;
  return follows.slice(0, MAX_FOLLOW_BUTTONS).map((f) => {
    const icon = MODE_ICON[f.mode];
    if (f.target.kind === 'author')
      return { text: `${icon} @${f.target.handle}`, what: 'a', value: f.target.handle };
    const value = String(tagIndex++);
    return { text: `${icon} #${f.target.tag}`, what: 't', value };
  });
}

/** What the feature stores through (the on-demand module builds them on the table). */
export interface SettingsStores {
  readers: {
    getSettings(userId: number): Promise<ReaderSettings>;
    updateSettings(userId: number, patch: ReaderSettingsPatch): Promise<ReaderSettings>;
  };
  follows: {
    subscribeTag(userId: number, tag: string, locale?: string): Promise<boolean>;
    unsubscribeTag(userId: number, tag: string): Promise<boolean>;
    listFollows(userId: number): Promise<Follow[]>;
    setMode(userId: number, target: Followable, mode: DeliveryMode): Promise<boolean>;
  };
  /** Topics per author in the reader's chat (features/topic-settings.ts); absent: no such section. */
  topics?: TopicChoiceStore;
}

/** Follows shown with a mode button on the settings screen (the keyboard's 100 buttons leave room). */
const MAX_FOLLOW_BUTTONS = 40;
const MODE_ICON: Record<DeliveryMode, string> = { instant: '⚡', daily: '📰', weekly: '🗓' };
const nextMode = (m: DeliveryMode): DeliveryMode =>
  m === 'instant' ? 'daily' : m === 'daily' ? 'weekly' : 'instant';

function screen(t: Translator, s: ReaderSettings, follows: readonly Follow[], topics?: AuthorTopicsChoice) {
  const view = {
    text: settingsText(t, s, follows.length > 0),
    reply_markup: settingsKeyboard(t, s, follows),
  };
  // The topics section comes last, below everything else on the screen.
  if (topics === undefined) return view;
  return {
    text: `${view.text}\n\n${topicsLine(t, topics)}`,
    reply_markup: { inline_keyboard: [...view.reply_markup.inline_keyboard, topicsRow(t, topics)] },
  };
}

export function settingsFeature({ readers, follows, topics }: SettingsStores): Feature {
  const topicChoice = async (userId: number) => (topics ? topics.choice(userId, true) : undefined);
  const composer = new Composer<Context>();
  const argOf = (ctx: Context) => {
    const text = ctx.message && 'text' in ctx.message ? ctx.message.text : '';
    return text.replace(/^\/\S+\s*/, '').trim();
  };

  composer.command('settings', async (ctx) => {
    const t = tr(ctx);
    const userId = sender(ctx).id;
    const arg = argOf(ctx);
    if (arg !== '') {
      const zone = parseTimeZone(arg);
      if (zone === undefined) return replyHtml(ctx, t.t('settings-zone-invalid', { zone: arg.slice(0, 64) }));
      const s = await readers.updateSettings(userId, { timeZone: zone });
      const view = screen(t, s, await follows.listFollows(userId), await topicChoice(userId));
      return replyHtml(ctx, view.text, view.reply_markup);
    }
    const [s, list, choice] = await Promise.all([
      readers.getSettings(userId),
      follows.listFollows(userId),
      topicChoice(userId),
    ]);
    const view = screen(t, s, list, choice);
    return replyHtml(ctx, view.text, view.reply_markup);
  });

  composer.command('tag', async (ctx) => {
    const t = tr(ctx);
    const userId = sender(ctx).id;
    const tag = normaliseTag(argOf(ctx));
    if (tag === '') return replyHtml(ctx, t.t('tag-usage'));
    if (await follows.unsubscribeTag(userId, tag)) return replyHtml(ctx, t.t('tag-unfollowed', { tag }));
    await follows.subscribeTag(userId, tag, t.locale);
    const s = await readers.getSettings(userId);
    return replyHtml(ctx, t.t('tag-followed', { tag, mode: modeName(t, s.defaultMode) }));
  });

  return {
    composer,
    buttons: [
      onButton(settingsButton, async (ctx, { what, value }) => {
        const t = tr(ctx);
        const userId = sender(ctx).id;
        let s: ReaderSettings;
        let list = await follows.listFollows(userId);
        if (what === 'a' || what === 't') {
          const follow =
            what === 'a'
              ? list.find((f) => f.target.kind === 'author' && f.target.handle === value)
              : list.filter((f) => f.target.kind === 'tag')[Number(value)];
          if (!follow || !(await follows.setMode(userId, follow.target, nextMode(follow.mode))))
            return answer(ctx, t.text('common-button-out-of-date-toast'));
          [s, list] = await Promise.all([readers.getSettings(userId), follows.listFollows(userId)]);
        } else {
          const patch = settingsPatch(what, value);
          if (patch === undefined) return answer(ctx, t.text('common-button-out-of-date-toast'));
          s = await readers.updateSettings(userId, patch);
        }
        await answer(ctx, t.text('settings-saved-toast'));
        await showView(ctx, screen(t, s, list, await topicChoice(userId)), true);
      }),
      onButton(topicsButton, async (ctx, { on }) => {
        const t = tr(ctx);
        const userId = sender(ctx).id;
        if (!topics) return answer(ctx, t.text('common-button-out-of-date-toast'));
        const choice = await topics.choose(userId, on);
        const [s, list] = await Promise.all([readers.getSettings(userId), follows.listFollows(userId)]);
        await answer(ctx, t.text('settings-saved-toast'));
        await showView(ctx, screen(t, s, list, choice), true);
      }),
    ],
  };
}

/** The change a button asks for, or undefined for a value no button of ours carries. */
function settingsPatch(what: 'm' | 'h' | 'w' | 'q' | 'z', value: string): ReaderSettingsPatch | undefined {
  switch (what) {
    case 'm':
      return isDeliveryMode(value) ? { defaultMode: value } : undefined;
    case 'h': {
      const h = Number(value);
      return /^\d{1,2}$/.test(value) && h <= 23 ? { digestHour: h } : undefined;
    }
    case 'w': {
      const d = Number(value);
      return /^[1-7]$/.test(value) ? { digestWeekday: d } : undefined;
    }
    case 'q': {
      if (value === 'off') return { quiet: null };
      if (value !== 'silent' && value !== 'hold') return undefined;
      const quiet: QuietHours = { ...NIGHT, action: value };
      return { quiet };
    }
    case 'z': {
      const zone = parseTimeZone(value);
      return zone === undefined ? undefined : { timeZone: zone };
    }
  }
}
