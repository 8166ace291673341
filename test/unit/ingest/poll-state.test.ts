import {
  afterFailure,
  backoffDelayMs,
  DEFAULT_POLL_POLICY,
  failingForMs,
  feedUrlProblem,
  markFailed,
  shouldAlert,
  stateNeedsSave,
} from '../../../functions/ingest/poll-state';
import { newFeedSourceState } from '../../../functions/ingest/types';

const MIN = 60_000;

describe('shouldAlert', () => {
  const state = { firstSuccessAt: '2026-11-25T10:00:00.000Z', lastSuccessAt: '2026-11-25T12:00:00.000Z' };

  it.each([
    ['on the first poll', { alerts: true, state: {}, publishedAt: '2026-11-25T12:00:00.000Z' }, false],
    ['with alerts off', { alerts: false, state, publishedAt: '2026-11-25T12:05:00.000Z' }, false],
    [
      'for an item after the last poll',
      { alerts: true, state, publishedAt: '2026-11-25T12:05:00.000Z' },
      true,
    ],
    [
      'within the grace before the last poll',
      { alerts: true, state, publishedAt: '2026-11-25T10:30:00.000Z' },
      true,
    ],
    [
      'past the grace',
      {
        alerts: true,
        state: { ...state, lastSuccessAt: '2026-11-26T12:00:00.000Z' },
        publishedAt: '2026-11-26T09:59:00.000Z',
      },
      false,
    ],
    ['before the first poll', { alerts: true, state, publishedAt: '2026-11-25T09:59:59.000Z' }, false],
  ])('%s', (_name, args, expected) => {
    expect(shouldAlert(args)).toBe(expected);
  });
});

describe('backoff', () => {
  it('retries at the next scheduled poll once, then doubles from 10 minutes to at most 6 hours', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => backoffDelayMs(n, undefined) / MIN)).toEqual([
      0, 10, 20, 40, 80, 160, 320, 360, 360,
    ]);
  });

  it("takes the server's Retry-After when longer, up to a day", () => {
    expect(backoffDelayMs(1, 90 * MIN)).toBe(90 * MIN);
    expect(backoffDelayMs(5, 1 * MIN)).toBe(80 * MIN);
    expect(backoffDelayMs(1, 7 * 24 * 60 * MIN)).toBe(DEFAULT_POLL_POLICY.retryAfterMaxMs);
  });

  it('keeps the start of the failing run across failures', () => {
    const t1 = new Date('2026-11-25T10:00:00Z');
    const t2 = new Date('2026-11-25T10:10:00Z');

    const s = afterFailure(afterFailure(newFeedSourceState(), t1, 'a'), t2, 'b');

    expect(s).toMatchObject({
      failingSince: t1.toISOString(),
      consecutiveFailures: 2,
      lastError: { at: t2.toISOString(), reason: 'b' },
    });
  });
});

describe('markFailed', () => {
  it('forgets the failed items, the validators, and names learned for an author that was not created', () => {
    const state = {
      ...newFeedSourceState(),
      etag: '"v"',
      lastModified: 'x',
      contentHash: 'h',
      seen: { a: { h: '1' }, b: { h: '2' } },
      learnedAuthors: { 'jane doe': 'jane_doe', 'ali raza': 'ali_raza' },
    };

    const next = markFailed(state, { articleIds: ['a'], authorHandles: ['ali_raza'] });

    expect(next.seen).toEqual({ b: { h: '2' } });
    expect(next.learnedAuthors).toEqual({ 'jane doe': 'jane_doe' });
    expect(next).not.toHaveProperty('etag');
    expect(next).not.toHaveProperty('lastModified');
    expect(next).not.toHaveProperty('contentHash');
  });
});

describe('feedUrlProblem', () => {
  it.each([
    ['https://site.example/feed', undefined],
    ['  http://site.example/rss.xml ', undefined],
    ['ftp://site.example/feed', 'must be an http(s) URL'],
    ['javascript:alert(1)', 'must be an http(s) URL'],
    ['site.example/feed', 'must be an http(s) URL'],
    ['https://user:secret@site.example/feed', 'must not contain a user name or password'],
    [`https://site.example/${'a'.repeat(2100)}`, 'must be at most 2048 characters'],
  ])('%s', (url, expected) => {
    expect(feedUrlProblem(url)).toBe(expected);
  });
});

describe('failingForMs', () => {
  it('is zero while healthy and counts from the first failure of the run', () => {
    const now = new Date('2026-11-25T11:00:00Z');

    expect(failingForMs({}, now)).toBe(0);
    expect(failingForMs({ failingSince: '2026-11-25T10:00:00.000Z' }, now)).toBe(3_600_000);
  });
});

describe('bounded state', () => {
  it('keeps a failure reason short, whatever the document made the parser quote', () => {
    const s = afterFailure(newFeedSourceState(), new Date(), `malformed XML: tag ${'x'.repeat(10_000)}`);

    expect(s.lastError?.reason.length).toBe(300);
  });
});

describe('stateNeedsSave', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  const healthy = {
    ...newFeedSourceState(),
    etag: '"v1"',
    contentHash: 'h1',
    lastSuccessAt: '2026-11-25T11:30:00.000Z',
  };

  it('skips an unchanged poll of a healthy source saved less than an hour ago', () => {
    const after = { ...healthy, lastSuccessAt: now.toISOString(), lastAttemptAt: now.toISOString() };
    expect(stateNeedsSave(healthy, after, 'not-modified', now)).toBe(false);
  });

  it.each([
    ['an updated feed', healthy, { ...healthy }, 'updated'],
    ['a failure', healthy, { ...healthy }, 'failed'],
    ['a recovery', { ...healthy, consecutiveFailures: 2 }, { ...healthy }, 'not-modified'],
    ['new validators', healthy, { ...healthy, etag: '"v2"' }, 'not-modified'],
    ['a permanent redirect', healthy, { ...healthy, movedTo: 'https://new.example/feed' }, 'not-modified'],
    [
      'a success an hour old',
      { ...healthy, lastSuccessAt: '2026-11-25T11:00:00.000Z' },
      { ...healthy },
      'not-modified',
    ],
    ['no success yet', { ...healthy, lastSuccessAt: undefined }, { ...healthy }, 'not-modified'],
  ] as const)('saves after %s', (_name, before, after, outcome) => {
    expect(stateNeedsSave(before, after, outcome, now)).toBe(true);
  });
});
