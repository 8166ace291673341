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
import { normaliseTag } from '../../core/tags';
import type { Locale } from '../../i18n/locales';
import type { Translator } from '../../i18n/translator';
import { defineCallback, type Field, field } from '../callback';
import { tr } from '../locale';
import { answer, replyHtml, sender, showView } from '../respond';
import { type Feature, onButton } from './types';

const whatField: Field<'m' | 'h' | 'w' | 'q' | 'z'> = {
  format: (v) => v,
  parse: (s) => (s === 'm' || s === 'h' || s === 'w' || s === 'q' || s === 'z' ? s : undefined),
};

/** Change one setting: `1:st:<m|h|w|q|z>:<value>`. */
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

function settingsText(t: Translator, s: ReaderSettings): string {
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
  ].join('\n');
}

function settingsKeyboard(t: Translator, s: ReaderSettings): InlineKeyboardMarkup {
  const tick = (on: boolean, text: string) => (on ? `✓ ${text}` : text);
  const b = (text: string, what: 'm' | 'h' | 'w' | 'q' | 'z', value: string): InlineKeyboardButton => ({
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
    ],
  };
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
  };
}

export function settingsFeature({ readers, follows }: SettingsStores): Feature {
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
      return replyHtml(ctx, settingsText(t, s), settingsKeyboard(t, s));
    }
    const s = await readers.getSettings(userId);
    return replyHtml(ctx, settingsText(t, s), settingsKeyboard(t, s));
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
        const patch = settingsPatch(what, value);
        if (patch === undefined) return answer(ctx, t.text('common-button-out-of-date-toast'));
        const s = await readers.updateSettings(userId, patch);
        await answer(ctx, t.text('settings-saved-toast'));
        await showView(ctx, { text: settingsText(t, s), reply_markup: settingsKeyboard(t, s) }, true);
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
