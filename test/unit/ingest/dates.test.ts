import { parseFeedDate } from '../../../functions/ingest/dates';

const iso = (s: string) => parseFeedDate(s)?.toISOString();

describe('parseFeedDate', () => {
  it.each([
    ['RFC 822 with GMT', 'Tue, 24 Nov 2026 08:00:00 GMT', '2026-11-24T08:00:00.000Z'],
    ['RFC 822 with a numeric zone', 'Tue, 24 Nov 2026 08:00:00 +0530', '2026-11-24T02:30:00.000Z'],
    ['RFC 822 with a US zone', 'Tue, 24 Nov 2026 12:00:00 EST', '2026-11-24T17:00:00.000Z'],
    ['RFC 822 without weekday or seconds', '24 Nov 2026 08:00 +0000', '2026-11-24T08:00:00.000Z'],
    ['RFC 822 with a two-digit year', '24 Nov 26 13:00 +0100', '2026-11-24T12:00:00.000Z'],
    ['RFC 822 with a full month name', 'Tuesday, 24 November 2026 08:00:00 GMT', '2026-11-24T08:00:00.000Z'],
    ['RFC 822 with no zone (read as UTC)', 'Tue, 24 Nov 2026 08:00:00', '2026-11-24T08:00:00.000Z'],
    ['RFC 822 with a colon in the zone', 'Tue, 24 Nov 2026 08:00:00 +05:00', '2026-11-24T03:00:00.000Z'],
    ['RFC 3339 UTC', '2026-11-24T08:00:00Z', '2026-11-24T08:00:00.000Z'],
    ['RFC 3339 with an offset and fraction', '2026-11-25T08:45:00.003+05:00', '2026-11-25T03:45:00.003Z'],
    ['RFC 3339 with a space and no zone', '2026-11-24 08:00:00', '2026-11-24T08:00:00.000Z'],
    ['a date alone', '2026-11-24', '2026-11-24T00:00:00.000Z'],
    ['surrounding whitespace', '  2026-11-24T08:00:00Z\n', '2026-11-24T08:00:00.000Z'],
  ])('reads %s', (_name, text, expected) => {
    expect(iso(text)).toBe(expected);
  });

  it.each([
    ['nothing', ''],
    ['words', 'yesterday'],
    ['a zero date', '0000-00-00 00:00:00'],
    ['31 February', '2026-02-31T00:00:00Z'],
    ['an unknown month', '24 Foo 2026 08:00:00 GMT'],
    ['hour 25', '2026-11-24T25:00:00Z'],
  ])('gives nothing for %s', (_name, text) => {
    expect(parseFeedDate(text)).toBeUndefined();
  });
});
