/**
 * Feed dates: RFC 822 (RSS `pubDate`, with the real world's variations) and RFC 3339 (Atom,
 * JSON Feed). Parsed by rule rather than by `Date.parse`, whose handling of anything but ISO
 * 8601 is implementation-defined, so every runtime reads a feed's dates the same way.
 */

const MONTHS: Readonly<Record<string, number>> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

/** RFC 822 zone names, in minutes east of UTC; the military letters other than Z are ambiguous in practice and read as UTC. */
const ZONES: Readonly<Record<string, number>> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
};

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;
const RFC822 =
  /^(?:[A-Za-z]{2,9},?\s+)?(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?[\s-]+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([A-Za-z]{1,5})|([+-])(\d{2}):?(\d{2}))?(?:\s*\(.*\))?$/;

/** Years outside this range are a feed's mistake (a zero date, a typo), not a date. */
const MIN_YEAR = 1970;
const MAX_YEAR = 2200;

/** Parses a feed date into a Date, or undefined when it is missing or unreadable. */
export function parseFeedDate(s: string | undefined): Date | undefined {
  if (s === undefined) return undefined;
  const text = s.trim();
  if (text === '') return undefined;
  return parseRfc3339(text) ?? parseRfc822(text);
}

function parseRfc3339(text: string): Date | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '0', z, sign, oh = '0', om = '0'] = m;
  const offset =
    z !== undefined || sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  const ms = Math.round(Number(`0.${frac}`) * 1000);
  return build(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), ms, offset);
}

function parseRfc822(text: string): Date | undefined {
  const m = RFC822.exec(text);
  if (!m) return undefined;
  const [, d, monName = '', y = '', h, mi, sec = '0', zoneName, sign, oh = '0', om = '0'] = m;
  const month = MONTHS[monName.slice(0, 3).toLowerCase()];
  if (month === undefined) return undefined;
  let year = Number(y);
  if (y.length === 2) year += year < 50 ? 2000 : 1900;
  else if (y.length === 3) year += 1900;
  let offset = 0;
  if (sign !== undefined) offset = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  else if (zoneName !== undefined) offset = ZONES[zoneName.toLowerCase()] ?? 0;
  return build(year, month, Number(d), Number(h), Number(mi), Number(sec), 0, offset);
}

function build(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
  offsetMinutes: number,
): Date | undefined {
  if (year < MIN_YEAR || year > MAX_YEAR || month > 11 || day < 1 || day > 31) return undefined;
  if (hour > 24 || minute > 59 || second > 60) return undefined;
  const t = Date.UTC(year, month, day, hour, minute, Math.min(second, 59), ms) - offsetMinutes * 60_000;
  const date = new Date(t);
  // Date.UTC rolls 31 February into March: such a date is a typo, not a date.
  if (Number.isNaN(t) || (hour < 24 && new Date(Date.UTC(year, month, day)).getUTCDate() !== day))
    return undefined;
  return date;
}
