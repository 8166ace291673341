/**
 * How news reaches a reader: per subscription `instant`, `daily` or `weekly`; the reader's
 * time zone, digest hour and weekday; quiet hours. Pure: the clock comes in, time zones come
 * from the IANA database that `Intl` carries, so a digest at 08:00 stays at 08:00 local time
 * across a daylight-saving change.
 */

import { DELIVERY_MODES, type DeliveryMode } from './delivery-mode';

export { type DeliveryMode, isDeliveryMode } from './delivery-mode';

/** What to do with an instant alert during quiet hours. Nothing is ever dropped. */
export type QuietAction = 'silent' | 'hold';

/** Quiet hours in local time, minutes after midnight; `start > end` spans midnight (22:00–07:00). */
export interface QuietHours {
  start: number;
  end: number;
  action: QuietAction;
}

/** A reader's delivery settings, as stored on their profile (absent fields take the defaults). */
export interface ReaderSettings {
  /** IANA zone (`Europe/London`) or a fixed offset (`+05:30`); absent until the reader chooses one. */
  timeZone?: string;
  /** Local hour of the digest, 0–23. */
  digestHour: number;
  /** ISO weekday of the weekly digest: 1 = Monday … 7 = Sunday. */
  digestWeekday: number;
  /** Mode of new subscriptions. */
  defaultMode: DeliveryMode;
  quiet?: QuietHours;
}

/** A change to a reader's settings: a field left out is unchanged; `quiet: null` turns quiet hours off. */
export type ReaderSettingsPatch = Partial<Omit<ReaderSettings, 'quiet'>> & { quiet?: QuietHours | null };

export const DEFAULT_DIGEST_HOUR = 8;
export const DEFAULT_DIGEST_WEEKDAY = 1;
/** The zone used while a reader has chosen none (digests then arrive at 08:00 UTC). */
export const FALLBACK_TIME_ZONE = 'UTC';

/** The settings of a reader who changed nothing. */
export function defaultReaderSettings(): ReaderSettings {
  return { digestHour: DEFAULT_DIGEST_HOUR, digestWeekday: DEFAULT_DIGEST_WEEKDAY, defaultMode: 'instant' };
}

/** The most immediate of several modes (`instant` beats `daily` beats `weekly`). */
export function mostImmediate(modes: readonly DeliveryMode[]): DeliveryMode | undefined {
  return DELIVERY_MODES.find((m) => modes.includes(m));
}

const OFFSET = /^(?:utc|gmt)?\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?$/i;

/**
 * A time zone as a reader may type it, in its stored form: an IANA name in any case
 * (`europe/london` → `Europe/London`), `UTC`, or a UTC offset (`+5:30`, `UTC-3`, `GMT+0545`
 * → `+05:30`, `-03:00`, `+05:45`; at most ±14:00, minutes 00/15/30/45). Undefined when it is
 * none of those. Names are checked against the IANA database `Intl` has.
 */
export function parseTimeZone(input: string): string | undefined {
  const raw = input.trim();
  if (raw === '') return undefined;
  const offset = OFFSET.exec(raw);
  if (offset) {
    const sign = offset[1] === '+' ? '+' : '-';
    const hours = Number(offset[2]);
    const minutes = Number(offset[3] ?? '0');
    if (hours > 14 || ![0, 15, 30, 45].includes(minutes) || (hours === 14 && minutes > 0)) return undefined;
    return `${sign}${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
  }
  if (/^(utc|gmt|z)$/i.test(raw)) return 'UTC';
  const wanted = raw.replace(/\s+/g, '_').toLowerCase();
  const known = ianaZones().find((z) => z.toLowerCase() === wanted);
  if (known) return known;
  // Intl may know aliases its list leaves out (Asia/Calcutta); keep the name it resolves to.
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: raw }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

let zones: readonly string[] | undefined;
function ianaZones(): readonly string[] {
  zones ??= Intl.supportedValuesOf('timeZone');
  return zones;
}

/** Offset of a fixed-offset zone in minutes, or undefined for an IANA name. */
function fixedOffsetMinutes(timeZone: string): number | undefined {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(timeZone);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Local wall-clock fields of an instant in a zone. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
}

/** The zone's offset from UTC at `instant`, in minutes (positive east of Greenwich). */
export function offsetMinutes(instant: number, timeZone: string): number {
  const fixed = fixedOffsetMinutes(timeZone);
  if (fixed !== undefined) return fixed;
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(
    parts['year'] ?? 1970,
    (parts['month'] ?? 1) - 1,
    parts['day'] ?? 1,
    parts['hour'] ?? 0,
    parts['minute'] ?? 0,
    parts['second'] ?? 0,
  );
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

/** The local wall-clock time of `instant` in `timeZone`. */
export function localTime(instant: number, timeZone: string): LocalTime {
  const d = new Date(instant + offsetMinutes(instant, timeZone) * 60_000);
  const weekday = d.getUTCDay();
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    weekday: weekday === 0 ? 7 : weekday,
  };
}

const DAY_MS = 86_400_000;

/**
 * The instant a local wall-clock time happens in `timeZone`. A time skipped by a spring-forward
 * change (01:30 in London on the last Sunday of March) is moved forward by the gap; a time
 * that happens twice (the autumn change) is its first occurrence.
 */
export function zonedInstant(
  date: { year: number; month: number; day: number },
  minuteOfDay: number,
  timeZone: string,
): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minuteOfDay * 60_000;
  // A zone changes its offset at most once a day: the offsets a day either side cover both
  // sides of any change near this time.
  const before = offsetMinutes(wall - DAY_MS, timeZone);
  const offsets = new Set([before, offsetMinutes(wall, timeZone), offsetMinutes(wall + DAY_MS, timeZone)]);
  const candidates = [...offsets].map((o) => wall - o * 60_000).sort((a, b) => a - b);
  for (const c of candidates) {
    const l = localTime(c, timeZone);
    if (l.day === date.day && l.hour * 60 + l.minute === minuteOfDay) return c;
  }
  // Skipped by a spring-forward change: the same distance from midnight on the old offset,
  // i.e. moved forward by the gap.
  return wall - before * 60_000;
}

function addDays(date: { year: number; month: number; day: number }, days: number) {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * The next instant strictly after `now` at which `minuteOfDay` local time happens in
 * `timeZone` (on ISO `weekday` when given).
 */
export function nextLocalTime(now: number, timeZone: string, minuteOfDay: number, weekday?: number): number {
  const today = localTime(now, timeZone);
  for (let i = 0; i <= 8; i++) {
    const date = addDays(today, i);
    if (weekday !== undefined) {
      const wd = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
      if ((wd === 0 ? 7 : wd) !== weekday) continue;
    }
    const at = zonedInstant(date, minuteOfDay, timeZone);
    if (at > now) return at;
  }
  throw new Error(`no ${minuteOfDay} min local time within 8 days in ${timeZone}`);
}

/** When a reader's next digest of `mode` is due after `now` (UTC epoch ms). */
export function nextDigestAt(now: number, settings: ReaderSettings, mode: 'daily' | 'weekly'): number {
  const zone = settings.timeZone ?? FALLBACK_TIME_ZONE;
  return nextLocalTime(
    now,
    zone,
    settings.digestHour * 60,
    mode === 'weekly' ? settings.digestWeekday : undefined,
  );
}

/** Whether `now` falls in the reader's quiet hours, and when they end. */
export function quietState(
  now: number,
  settings: ReaderSettings,
): { quiet: false } | { quiet: true; endsAt: number } {
  const q = settings.quiet;
  if (!q || q.start === q.end) return { quiet: false };
  const zone = settings.timeZone ?? FALLBACK_TIME_ZONE;
  const l = localTime(now, zone);
  const minute = l.hour * 60 + l.minute;
  const inside = q.start < q.end ? minute >= q.start && minute < q.end : minute >= q.start || minute < q.end;
  if (!inside) return { quiet: false };
  return { quiet: true, endsAt: nextLocalTime(now, zone, q.end) };
}

/** The scheduler's slot length: digests are due on 15-minute boundaries (every zone offset is a multiple of 15 min). */
export const SLOT_MS = 15 * 60_000;

/** The slot an instant falls in (its start, epoch ms). */
export function slotOf(instant: number): number {
  return Math.floor(instant / SLOT_MS) * SLOT_MS;
}

/** The first slot starting at or after `instant`: when something due at `instant` goes out. */
export function slotAtOrAfter(instant: number): number {
  return Math.ceil(instant / SLOT_MS) * SLOT_MS;
}

/** A slot's compact name, `yyyymmddhhmm` in UTC (keys and run ids). */
export function slotName(slot: number): string {
  return new Date(slot).toISOString().slice(0, 16).replace(/[-T:]/g, '');
}

/** The slot a {@link slotName} names, or undefined when it is not one. */
export function parseSlotName(name: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(name);
  if (!m) return undefined;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  return Number.isNaN(t) || t % SLOT_MS !== 0 ? undefined : t;
}

/** `HH:MM` → minutes after midnight (0–1439), or undefined. Accepts `7`, `07`, `7:30`, `22.00`. */
export function parseClockTime(input: string): number | undefined {
  const m = /^\s*(\d{1,2})(?:[:.](\d{2}))?\s*$/.exec(input);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2] ?? '0');
  if (h > 23 || min > 59) return undefined;
  return h * 60 + min;
}

/**
 * The id of the digest run of a slot, `digest_<yyyymmddhhmm>`: the alert pipeline's run,
 * pages, claims and report are keyed by it as they are by an article id (article ids never
 * contain `_`, so the two cannot meet).
 */
export function digestRunId(slot: number): string {
  return `digest_${slotName(slot)}`;
}

/** The slot of a digest run id, or undefined when `id` is not one (an article id). */
export function digestRunSlot(id: string): number | undefined {
  return id.startsWith('digest_') ? parseSlotName(id.slice('digest_'.length)) : undefined;
}

/** Why an article waits: the reader's daily or weekly digest, or quiet hours (`held`). */
export type EntryReason = 'daily' | 'weekly' | 'held';

/** An article waiting for a reader's digest: what the digest shows, and when it is due. */
export interface DigestEntry {
  articleId: string;
  title: string;
  authorHandle: string;
  authorName: string;
  /** One line, already cut (the summary's first sentence). */
  summary: string;
  reason: EntryReason;
  /** The slot (epoch ms) from which the entry goes out. */
  dueAt: number;
  queuedAt: string;
}
