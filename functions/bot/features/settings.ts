/**
 * settingsFeature: `/settings` shows how news reaches the reader — default mode of new follows,
 * time zone, digest hour, weekly digest day, quiet hours — each with one line saying what it
 * does, and buttons to change them. `/settings <city or offset>` sets the time zone (checked
 * against the IANA database Intl carries). `/tag <name>` follows a tag (or stops following
 * it); `/tags` lists the most followed tags and a card's 🏷 Tags its own, each a toggle. The mode
 * buttons of cards, profiles and /subscriptions land here, and the first digest mode a reader
 * picks without a time zone asks for one, once. Loaded on demand (bot/on-demand/settings.ts):
 * readers use these rarely.
 */
import { Composer, type Context, TelegramError } from 'telegraf';
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
import type { ArticleMeta } from '../../core/model';
import type { ArticleRow, Follow, Followable, RankedTag } from '../../core/ports';
import type { AuthorTopicsChoice } from '../../core/reader-topics';
import { normaliseTag } from '../../core/tags';
import { truncate } from '../../core/text';
import type { Locale } from '../../i18n/locales';
import type { Translator } from '../../i18n/translator';
import { tr } from '../locale';
import { answer, replyHtml, sender, showView } from '../respond';
import { LATEST_ON_FOLLOW, latestOnFollow } from '../views';
import { MODE_ICON, modeButton, settingsButton, type What } from './settings-buttons';
import { type TopicChoiceStore, topicsButton, topicsLine, topicsRow } from './topic-settings';
import { type Feature, onButton } from './types';

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
    claimZoneQuestion(userId: number): Promise<boolean>;
  };
  follows: {
    subscribeTag(userId: number, tag: string, locale?: string): Promise<boolean>;
    unsubscribeTag(userId: number, tag: string): Promise<boolean>;
    listFollows(userId: number): Promise<Follow[]>;
    setMode(userId: number, target: Followable, mode: DeliveryMode): Promise<boolean>;
    subscriptionMode(userId: number, handle: string): Promise<DeliveryMode | undefined>;
  };
  tags: {
    refreshRank(tag: string): Promise<void>;
    topTags(): Promise<RankedTag[]>;
    latestByTag(tag: string, limit: number): Promise<ArticleRow[]>;
  };
  articles: { getArticle(id: string): Promise<ArticleMeta | undefined> };
  /** Topics per author in the reader's chat (features/topic-settings.ts); absent: no such section. */
  topics?: TopicChoiceStore;
}

/** Follows shown with a mode button on the settings screen (the keyboard's 100 buttons leave room). */
const MAX_FOLLOW_BUTTONS = 40;
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

/**
 * A short, stable name for a tag in button data (FNV-1a, 32 bits, base 36): a tag of 32 Arabic
 * letters is 64 bytes of UTF-8, past Telegram's limit for the whole data. The press finds the tag
 * again among those its list shows, so a collision could only confuse two tags of one list.
 */
export function tagHash(tag: string): string {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(tag, 'utf8')) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h.toString(36);
}

const followedTags = (list: readonly Follow[]) =>
  new Set(list.flatMap((f) => (f.target.kind === 'tag' ? [f.target.tag] : [])));

/** A tag's follow toggle: ✓ when followed, ➕ when not. */
const tagToggle = (
  t: Translator,
  tag: string,
  on: boolean,
  what: What,
  value: string,
): InlineKeyboardButton => ({
  text: t.text(on ? 'tags-button-following' : 'tags-button-follow', { tag }),
  callback_data: settingsButton.encode({ what, value }),
});

/** An article's tags, each a toggle (the card's 🏷 Tags opens it; at most 10 rows). */
function articleTagsView(t: Translator, meta: ArticleMeta, followed: ReadonlySet<string>) {
  const tags = meta.tags ?? [];
  return {
    text: t.t('tags-article-title', { title: truncate(meta.title, 80) }),
    reply_markup: {
      inline_keyboard: tags.map((tag, i) => [tagToggle(t, tag, followed.has(tag), 'k', `${meta.id}:${i}`)]),
    },
  };
}

/** `/tags`: the most followed tags with their counts, each a toggle. */
function topTagsView(t: Translator, top: readonly RankedTag[], followed: ReadonlySet<string>) {
  if (top.length === 0) return { text: t.t('tags-empty') };
  return {
    text: [
      t.t('tags-title'),
      '',
      ...top.map((r) => t.t('tags-item', { tag: r.tag, count: r.followers })),
      '',
      t.t('tags-footer'),
    ].join('\n'),
    reply_markup: {
      inline_keyboard: top.map((r) => [tagToggle(t, r.tag, followed.has(r.tag), 'f', tagHash(r.tag))]),
    },
  };
}

/** Replaces the text of the pressed button (its data unchanged): a mode button showing the new mode. */
async function relabelPressed(ctx: Context, data: string, text: string): Promise<void> {
  const msg = ctx.callbackQuery?.message;
  const markup =
    msg && 'reply_markup' in msg ? (msg.reply_markup as InlineKeyboardMarkup | undefined) : undefined;
  if (!markup) return;
  const rows = markup.inline_keyboard.map((row) =>
    row.map((b) => ('callback_data' in b && b.callback_data === data ? { ...b, text } : b)),
  );
  try {
    await ctx.editMessageReplyMarkup({ inline_keyboard: rows });
  } catch (err) {
    // "message is not modified" (a double tap) or a message too old to edit: the toast said it.
    if (err instanceof TelegramError && err.code === 400) return;
    throw err;
  }
}

export function settingsFeature({ readers, follows, tags, articles, topics }: SettingsStores): Feature {
  const topicChoice = async (userId: number) => (topics ? topics.choice(userId, true) : undefined);
  const composer = new Composer<Context>();
  const argOf = (ctx: Context) => {
    const text = ctx.message && 'text' in ctx.message ? ctx.message.text : '';
    return text.replace(/^\/\S+\s*/, '').trim();
  };

  /**
   * The first time a reader picks a digest mode with no time zone set, one question: a few likely
   * zones for their language as buttons, and how to type any other. Asked once (claimed on their
   * profile), even across double taps.
   */
  const askZoneOnce = async (ctx: Context, t: Translator, userId: number, mode: DeliveryMode) => {
    if (mode === 'instant' || !(await readers.claimZoneQuestion(userId))) return;
    const { digestHour } = await readers.getSettings(userId);
    await replyHtml(ctx, t.t('settings-zone-ask', { hour: clock(digestHour * 60) }), {
      inline_keyboard: LIKELY_ZONES[t.locale].map((z) => [
        { text: z, callback_data: settingsButton.encode({ what: 'y', value: z }) },
      ]),
    });
  };

  /**
   * Follows the tag, or stops following it; true when it is now followed. The ranking follows, and
   * a new follow is offered the tag's latest articles in one list message (issue 14, item 6).
   */
  const toggleTag = async (ctx: Context, t: Translator, tag: string): Promise<boolean> => {
    const userId = sender(ctx).id;
    const now = !(await follows.unsubscribeTag(userId, tag));
    if (now) await follows.subscribeTag(userId, tag, t.locale);
    await tags.refreshRank(tag);
    return now;
  };

  const offerLatest = async (ctx: Context, t: Translator, tag: string) => {
    const view = latestOnFollow(t, t.t('tag-latest', { tag }), await tags.latestByTag(tag, LATEST_ON_FOLLOW));
    if (view) await replyHtml(ctx, view.text, view.reply_markup);
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
    if (!(await toggleTag(ctx, t, tag))) return replyHtml(ctx, t.t('tag-unfollowed', { tag }));
    const s = await readers.getSettings(userId);
    await replyHtml(ctx, t.t('tag-followed', { tag, mode: modeName(t, s.defaultMode) }));
    return offerLatest(ctx, t, tag);
  });

  composer.command('tags', async (ctx) => {
    const userId = sender(ctx).id;
    const [top, list] = await Promise.all([tags.topTags(), follows.listFollows(userId)]);
    const view = topTagsView(tr(ctx), top, followedTags(list));
    return replyHtml(ctx, view.text, view.reply_markup);
  });

  const outOfDate = (ctx: Context) => answer(ctx, tr(ctx).text('common-button-out-of-date-toast'));

  /** A tag toggled from a list: the toast, then the list's buttons redrawn in place. */
  const tagToggled = async (
    ctx: Context,
    t: Translator,
    tag: string,
    on: boolean,
    view: { text: string },
  ) => {
    await answer(ctx, t.text(on ? 'tag-followed-toast' : 'tag-unfollowed-toast', { tag }));
    await showView(ctx, view, true);
    if (on) await offerLatest(ctx, t, tag);
  };

  return {
    composer,
    buttons: [
      onButton(settingsButton, async (ctx, { what, value }) => {
        const t = tr(ctx);
        const userId = sender(ctx).id;
        switch (what) {
          case 'c':
          case 'l':
          case 'p': {
            const current = await follows.subscriptionMode(userId, value);
            const mode = current && nextMode(current);
            if (!mode || !(await follows.setMode(userId, { kind: 'author', handle: value }, mode)))
              return outOfDate(ctx);
            await answer(
              ctx,
              t.text('settings-follow-mode-toast', { target: `@${value}`, mode: modeName(t, mode) }),
            );
            await relabelPressed(
              ctx,
              settingsButton.encode({ what, value }),
              modeButton(t, value, mode, what).text,
            );
            return askZoneOnce(ctx, t, userId, mode);
          }
          case 'y': {
            const zone = parseTimeZone(value);
            if (zone === undefined) return outOfDate(ctx);
            const s = await readers.updateSettings(userId, { timeZone: zone });
            await answer(ctx, t.text('settings-saved-toast'));
            return showView(
              ctx,
              { text: t.t('settings-zone-set', { zone, hour: clock(s.digestHour * 60) }) },
              true,
            );
          }
          case 'g': {
            const [meta, list] = await Promise.all([articles.getArticle(value), follows.listFollows(userId)]);
            if (!meta?.tags?.length) return outOfDate(ctx);
            await answer(ctx);
            return showView(ctx, articleTagsView(t, meta, followedTags(list)), false);
          }
          case 'k': {
            const m = /^(.+):(\d)$/.exec(value);
            const meta = m?.[1] === undefined ? undefined : await articles.getArticle(m[1]);
            const tag = meta?.tags?.[Number(m?.[2])];
            if (!meta || tag === undefined) return outOfDate(ctx);
            const on = await toggleTag(ctx, t, tag);
            return tagToggled(
              ctx,
              t,
              tag,
              on,
              articleTagsView(t, meta, followedTags(await follows.listFollows(userId))),
            );
          }
          case 'f': {
            const tag = (await tags.topTags()).find((r) => tagHash(r.tag) === value)?.tag;
            if (tag === undefined) return outOfDate(ctx);
            const on = await toggleTag(ctx, t, tag);
            const [top, list] = await Promise.all([tags.topTags(), follows.listFollows(userId)]);
            return tagToggled(ctx, t, tag, on, topTagsView(t, top, followedTags(list)));
          }
        }
        let s: ReaderSettings;
        let list = await follows.listFollows(userId);
        let chosen: DeliveryMode | undefined;
        if (what === 'a' || what === 't') {
          const follow =
            what === 'a'
              ? list.find((f) => f.target.kind === 'author' && f.target.handle === value)
              : list.filter((f) => f.target.kind === 'tag')[Number(value)];
          chosen = follow && nextMode(follow.mode);
          if (!follow || !chosen || !(await follows.setMode(userId, follow.target, chosen)))
            return outOfDate(ctx);
          [s, list] = await Promise.all([readers.getSettings(userId), follows.listFollows(userId)]);
        } else {
          const patch = settingsPatch(what, value);
          if (patch === undefined) return outOfDate(ctx);
          chosen = patch.defaultMode;
          s = await readers.updateSettings(userId, patch);
        }
        await answer(ctx, t.text('settings-saved-toast'));
        await showView(ctx, screen(t, s, list, await topicChoice(userId)), true);
        if (chosen) await askZoneOnce(ctx, t, userId, chosen);
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
