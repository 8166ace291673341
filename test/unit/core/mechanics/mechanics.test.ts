import { isNetworkError } from '../../../../functions/core/mechanics/network';
import { mapPool } from '../../../../functions/core/mechanics/pool';
import { backoff, retry } from '../../../../functions/core/mechanics/retry';

describe('mapPool', () => {
  it('keeps input order and never runs more than the limit at once', async () => {
    // Prepare
    let running = 0;
    let most = 0;
    const work = async (n: number) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, (5 - n) * 2));
      running--;
      return n * 10;
    };

    // Act
    const out = await mapPool([1, 2, 3, 4, 5], 2, work);

    // Assess
    expect(out).toEqual([10, 20, 30, 40, 50]);
    expect(most).toBe(2);
  });

  it('starts no new item after a failure and rejects with it', async () => {
    const started: number[] = [];
    const run = mapPool([1, 2, 3, 4], 1, async (n) => {
      started.push(n);
      if (n === 2) throw new Error('boom');
      return n;
    });
    await expect(run).rejects.toThrow('boom');
    expect(started).toEqual([1, 2]);
  });
});

describe('retry', () => {
  const failing = (times: number, err: unknown = new Error('flaky')) => {
    let calls = 0;
    const call = async () => {
      calls++;
      if (calls <= times) throw err;
      return 'ok';
    };
    return { call, calls: () => calls };
  };

  it('retries what the policy allows, waiting as it says', async () => {
    const waits: number[] = [];
    const f = failing(2);
    const out = await retry(f.call, {
      delayFor: (_e, attempt) => backoff(100, attempt),
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect([out, f.calls(), waits]).toEqual(['ok', 3, [100, 200]]);
  });

  it('gives up at once on a failure the policy refuses, and after the attempts run out', async () => {
    const refused = failing(1);
    await expect(retry(refused.call, { delayFor: () => undefined })).rejects.toThrow('flaky');
    expect(refused.calls()).toBe(1);
    const exhausted = failing(5);
    await expect(retry(exhausted.call, { delayFor: () => 0, maxAttempts: 3 })).rejects.toThrow('flaky');
    expect(exhausted.calls()).toBe(3);
  });

  it('starts no wait that would cross the deadline', async () => {
    const f = failing(1);
    await expect(retry(f.call, { delayFor: () => 1000, deadline: 1500, now: () => 1000 })).rejects.toThrow(
      'flaky',
    );
    expect(f.calls()).toBe(1);
  });
});

describe('isNetworkError', () => {
  it('recognises a network code on the error or on its cause, and nothing else', () => {
    expect(isNetworkError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isNetworkError(new TypeError('fetch failed', { cause: { code: 'UND_ERR_SOCKET' } }))).toBe(true);
    expect(isNetworkError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(false);
    expect(isNetworkError('ECONNRESET')).toBe(false);
  });
});
