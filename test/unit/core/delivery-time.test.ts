import {
  bucketEnd,
  bucketOf,
  bucketStart,
  type DeliveryHistogram,
  deliveryTimes,
  formatDuration,
  MAX_BUCKET,
  recordDelivery,
} from '../../../functions/core/delivery-time';

describe('delivery-time buckets', () => {
  it('are 100 ms wide for the first 2 s, then at most 3 % of their start wide', () => {
    // Act / Assess
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(99)).toBe(0);
    expect(bucketOf(1999)).toBe(19);
    expect(bucketOf(2000)).toBe(20);
    for (const ms of [2500, 60_000, 1_020_000, 86_400_000]) {
      const b = bucketOf(ms);
      expect(bucketStart(b)).toBeLessThanOrEqual(ms);
      expect(bucketEnd(b)).toBeGreaterThan(ms);
      expect(bucketEnd(b) - bucketStart(b)).toBeLessThanOrEqual(0.0301 * bucketStart(b));
    }
  });

  it('stay bounded whatever the offset (the run item never grows with time or audience)', () => {
    // Act / Assess
    expect(bucketOf(30 * 86_400_000)).toBe(MAX_BUCKET);
    expect(bucketOf(Number.POSITIVE_INFINITY)).toBe(MAX_BUCKET);
    expect(bucketOf(-500)).toBe(0);
    expect(MAX_BUCKET).toBeLessThan(500);
    // A 17-minute run touches about 230 buckets.
    expect(bucketOf(17 * 60_000)).toBeLessThan(240);
  });
});

describe('deliveryTimes', () => {
  it('is undefined when nothing was sent', () => {
    expect(deliveryTimes(new Map())).toBeUndefined();
  });

  it('finds first, last and the 50/90/99 % times of an even spread within 3 %', () => {
    // Prepare: 10,000 messages at 25/s, one every 40 ms from 0.5 s.
    const hist: DeliveryHistogram = new Map();
    for (let i = 0; i < 10_000; i++) recordDelivery(hist, 500 + i * 40);

    // Act
    const t = deliveryTimes(hist);

    // Assess
    if (!t) throw new Error('expected times');
    expect(t.firstMs).toBe(500);
    const close = (actual: number, expected: number) =>
      expect(Math.abs(actual - expected) / expected).toBeLessThan(0.03);
    close(t.p50Ms, 500 + 5_000 * 40);
    close(t.p90Ms, 500 + 9_000 * 40);
    close(t.p99Ms, 500 + 9_900 * 40);
    expect(t.lastMs).toBeGreaterThanOrEqual(500 + 9_999 * 40);
    close(t.lastMs, 500 + 9_999 * 40);
  });

  it('merges histograms batch by batch to the same answer as one histogram', () => {
    // Prepare: two batches recorded apart, added bucket by bucket (as the run's ADDs do).
    const a: DeliveryHistogram = new Map();
    const b: DeliveryHistogram = new Map();
    const whole: DeliveryHistogram = new Map();
    for (let i = 0; i < 100; i++) {
      recordDelivery(i % 2 ? a : b, i * 123);
      recordDelivery(whole, i * 123);
    }
    const merged: DeliveryHistogram = new Map(a);
    for (const [k, n] of b) merged.set(k, (merged.get(k) ?? 0) + n);

    // Act / Assess
    expect(deliveryTimes(merged)).toEqual(deliveryTimes(whole));
  });
});

describe('formatDuration', () => {
  it('reads naturally from milliseconds to hours', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_400)).toBe('12.4 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
  });
});
