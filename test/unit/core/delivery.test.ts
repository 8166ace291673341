import {
  defaultReaderSettings,
  localTime,
  mostImmediate,
  nextDigestAt,
  nextLocalTime,
  parseClockTime,
  parseSlotName,
  parseTimeZone,
  quietState,
  type ReaderSettings,
  slotAtOrAfter,
  slotName,
  slotOf,
  zonedInstant,
} from '../../../functions/core/delivery';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const settings = (over: Partial<ReaderSettings>): ReaderSettings => ({ ...defaultReaderSettings(), ...over });

describe('parseTimeZone', () => {
  it.each([
    ['Europe/London', 'Europe/London'],
    ['europe/london', 'Europe/London'],
    ['America/New York', 'America/New_York'],
    ['utc', 'UTC'],
    ['+5:30', '+05:30'],
    ['UTC-3', '-03:00'],
    ['GMT+0545', '+05:45'],
    ['UTC−4', '-04:00'],
  ])('%j → %j', (input, expected) => {
    expect(parseTimeZone(input)).toBe(expected);
  });

  it('accepts a name Intl knows under another canonical name (ICU versions differ)', () => {
    expect(parseTimeZone('Asia/Kolkata')).toMatch(/^Asia\/(Kolkata|Calcutta)$/);
  });

  it.each(['Mars/Olympus', '', '+15:00', '+05:20', 'London; DROP', '<b>'])('refuses %j', (input) => {
    expect(parseTimeZone(input)).toBeUndefined();
  });
});

describe('digest times across daylight-saving changes', () => {
  const london = settings({ timeZone: 'Europe/London', digestHour: 8 });

  it('keeps 08:00 in London across the March change (GMT → BST)', () => {
    // Saturday 28 March 2026 is GMT; Sunday 29 March at 01:00 UTC clocks go forward.
    const first = nextDigestAt(at('2026-03-27T09:00:00Z'), london, 'daily');
    const second = nextDigestAt(first, london, 'daily');
    const third = nextDigestAt(second, london, 'daily');
    expect([iso(first), iso(second), iso(third)]).toEqual([
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
    for (const t of [first, second, third]) expect(localTime(t, 'Europe/London').hour).toBe(8);
  });

  it('keeps 08:00 in London across the October change (BST → GMT)', () => {
    const first = nextDigestAt(at('2026-10-24T09:00:00Z'), london, 'daily');
    const second = nextDigestAt(first, london, 'daily');
    expect([iso(first), iso(second)]).toEqual(['2026-10-25T08:00:00.000Z', '2026-10-26T08:00:00.000Z']);
    // The day before the change, 08:00 BST is 07:00 UTC.
    expect(iso(nextDigestAt(at('2026-10-23T09:00:00Z'), london, 'daily'))).toBe('2026-10-24T07:00:00.000Z');
  });

  it('puts 08:00 in India (+05:30, no DST) and Nepal (+05:45) on 15-minute slots', () => {
    const kolkata = nextDigestAt(at('2026-03-28T12:00:00Z'), settings({ timeZone: 'Asia/Kolkata' }), 'daily');
    const kathmandu = nextDigestAt(
      at('2026-03-28T12:00:00Z'),
      settings({ timeZone: 'Asia/Kathmandu' }),
      'daily',
    );
    expect(iso(kolkata)).toBe('2026-03-29T02:30:00.000Z');
    expect(iso(kathmandu)).toBe('2026-03-29T02:15:00.000Z');
    expect(slotOf(kolkata)).toBe(kolkata);
    expect(slotOf(kathmandu)).toBe(kathmandu);
  });

  it('keeps 08:00 in Adelaide (+10:30 / +09:30) across its April change', () => {
    const adelaide = settings({ timeZone: 'Australia/Adelaide' });
    // DST ends on Sunday 5 April 2026 at 03:00 local.
    const sat = nextDigestAt(at('2026-04-03T20:00:00Z'), adelaide, 'daily');
    const sun = nextDigestAt(sat, adelaide, 'daily');
    expect([iso(sat), iso(sun)]).toEqual(['2026-04-03T21:30:00.000Z', '2026-04-04T22:30:00.000Z']);
  });

  it('uses a fixed offset as given', () => {
    const t = nextDigestAt(at('2026-01-01T00:00:00Z'), settings({ timeZone: '-03:30' }), 'daily');
    expect(iso(t)).toBe('2026-01-01T11:30:00.000Z');
  });

  it('sends the weekly digest on the chosen weekday at the digest hour', () => {
    // Wednesday 4 March 2026, 10:00 UTC; the reader wants Mondays (1) at 09:00 in New York.
    const t = nextDigestAt(
      at('2026-03-04T10:00:00Z'),
      settings({ timeZone: 'America/New_York', digestHour: 9, digestWeekday: 1 }),
      'weekly',
    );
    // Monday 9 March: New York changed to EDT on Sunday 8 March, so 09:00 is 13:00 UTC.
    expect(iso(t)).toBe('2026-03-09T13:00:00.000Z');
    expect(localTime(t, 'America/New_York')).toMatchObject({ weekday: 1, hour: 9, minute: 0 });
  });

  it('moves a skipped local time forward by the gap and takes the first of a repeated one', () => {
    const date = { year: 2026, month: 3, day: 29 };
    expect(iso(zonedInstant(date, 90, 'Europe/London'))).toBe('2026-03-29T01:30:00.000Z'); // 02:30 BST
    const repeated = zonedInstant({ year: 2026, month: 10, day: 25 }, 90, 'Europe/London');
    expect(iso(repeated)).toBe('2026-10-25T00:30:00.000Z'); // 01:30 BST, the first of the two
  });

  it('finds the next local time strictly after now', () => {
    const now = at('2026-06-01T07:00:00Z'); // 08:00 BST exactly
    expect(iso(nextLocalTime(now, 'Europe/London', 8 * 60))).toBe('2026-06-02T07:00:00.000Z');
  });
});

describe('quiet hours', () => {
  const quiet = settings({
    timeZone: 'Europe/London',
    quiet: { start: 22 * 60, end: 7 * 60, action: 'hold' },
  });

  it('knows a window that spans midnight, and when it ends in local time', () => {
    const state = quietState(at('2026-03-28T23:30:00Z'), quiet);
    expect(state).toEqual({ quiet: true, endsAt: at('2026-03-29T06:00:00Z') }); // 07:00 BST after the change
    expect(quietState(at('2026-03-28T12:00:00Z'), quiet)).toEqual({ quiet: false });
    expect(quietState(at('2026-03-28T21:59:00Z'), quiet)).toEqual({ quiet: false });
    expect(quietState(at('2026-03-28T22:00:00Z'), quiet).quiet).toBe(true);
  });

  it('knows a daytime window and no window', () => {
    const day = settings({ timeZone: 'UTC', quiet: { start: 9 * 60, end: 17 * 60, action: 'silent' } });
    expect(quietState(at('2026-03-28T10:00:00Z'), day)).toEqual({
      quiet: true,
      endsAt: at('2026-03-28T17:00:00Z'),
    });
    expect(quietState(at('2026-03-28T17:00:00Z'), day)).toEqual({ quiet: false });
    expect(quietState(at('2026-03-28T10:00:00Z'), settings({}))).toEqual({ quiet: false });
  });
});

describe('slots, clock times and modes', () => {
  it('names 15-minute slots and reads them back', () => {
    const t = at('2026-11-30T08:07:00Z');
    expect(slotName(slotOf(t))).toBe('202611300800');
    expect(slotName(slotAtOrAfter(t))).toBe('202611300815');
    expect(slotAtOrAfter(at('2026-11-30T08:15:00Z'))).toBe(at('2026-11-30T08:15:00Z'));
    expect(parseSlotName('202611300815')).toBe(at('2026-11-30T08:15:00Z'));
    expect(parseSlotName('202611300807')).toBeUndefined();
    expect(parseSlotName('20261130')).toBeUndefined();
  });

  it('reads clock times', () => {
    expect([parseClockTime('7'), parseClockTime('07:30'), parseClockTime('22.00')]).toEqual([420, 450, 1320]);
    expect([parseClockTime('24:00'), parseClockTime('7:60'), parseClockTime('x')]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('picks the most immediate mode', () => {
    expect(mostImmediate(['weekly', 'daily'])).toBe('daily');
    expect(mostImmediate(['weekly', 'instant', 'daily'])).toBe('instant');
    expect(mostImmediate([])).toBeUndefined();
  });
});
