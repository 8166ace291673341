import { CallCounter } from '../../../functions/alerts/call-counter';
import type { Clock } from '../../../functions/alerts/pacer';
import {
  type AlertMessage,
  chunk,
  InMemoryAlertQueue,
  parseAlertMessage,
} from '../../../functions/alerts/queue';

const manualClock = () => {
  let t = 1_000;
  const clock: Clock = { now: () => t, sleep: async () => undefined };
  return { clock, advance: (ms: number) => (t += ms) };
};

const message = (batchId: string, userIds: number[] = [1, 2]): AlertMessage => ({
  articleId: 'a-1',
  batchId,
  userIds,
});

describe('parseAlertMessage', () => {
  it('reads a message the fan-out wrote', () => {
    // Act
    const parsed = parseAlertMessage(JSON.stringify(message('p0-0', [5, 6])));

    // Assess
    expect(parsed).toEqual({ articleId: 'a-1', batchId: 'p0-0', userIds: [5, 6] });
  });

  it('reads the recipients\u2019 languages when the fan-out knows them', () => {
    // Act
    const parsed = parseAlertMessage(JSON.stringify({ ...message('p0-0', [5, 6]), locales: { '5': 'ar' } }));

    // Assess
    expect(parsed.locales).toEqual({ '5': 'ar' });
  });

  it.each([
    ['not JSON', '{'],
    ['an unknown field', JSON.stringify({ ...message('p0-0'), extra: 1 })],
    ['a bad article id', JSON.stringify({ ...message('p0-0'), articleId: 'A B' })],
    ['a non-integer user id', JSON.stringify({ ...message('p0-0'), userIds: [1.5] })],
    ['a language that is no language code', JSON.stringify({ ...message('p0-0'), locales: { '1': 'ar#x' } })],
    [
      'a language keyed by something else than a user id',
      JSON.stringify({ ...message('p0-0'), locales: { x: 'ar' } }),
    ],
    [
      'more than 50 recipients',
      JSON.stringify(
        message(
          'p0-0',
          Array.from({ length: 51 }, (_, i) => i + 1),
        ),
      ),
    ],
  ])('rejects %s', (_label, body) => {
    // Act / Assess
    expect(() => parseAlertMessage(body)).toThrow();
  });
});

describe('chunk', () => {
  it('splits into pieces of the given size, the last one shorter', () => {
    // Act / Assess
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 10)).toEqual([]);
  });
});

describe('InMemoryAlertQueue', () => {
  it('counts one SendMessageBatch per 10 messages and delivers each message once until it is acknowledged', async () => {
    // Prepare
    const { clock } = manualClock();
    const counter = new CallCounter();
    const queue = new InMemoryAlertQueue({ clock, counter, visibilityTimeoutMs: 30_000 });

    // Act
    await queue.send(Array.from({ length: 12 }, (_, i) => message(`p0-${i}`)));
    const first = queue.receive(10);
    const second = queue.receive(10);
    const third = queue.receive(10);

    // Assess
    expect(counter.get('SendMessageBatch')).toBe(2);
    expect(first).toHaveLength(10);
    expect(second.map((d) => d.message.batchId)).toEqual(['p0-10', 'p0-11']);
    expect(third).toEqual([]);
    expect(first.every((d) => d.receiveCount === 1)).toBe(true);
  });

  it('delivers an unacknowledged message again after the visibility timeout, with a higher receive count', async () => {
    // Prepare
    const { clock, advance } = manualClock();
    const queue = new InMemoryAlertQueue({ clock, visibilityTimeoutMs: 30_000 });
    await queue.send([message('p0-0')]);
    queue.receive();

    // Act
    advance(29_999);
    const tooEarly = queue.receive();
    advance(1);
    const again = queue.receive();

    // Assess
    expect(tooEarly).toEqual([]);
    expect(again[0]?.receiveCount).toBe(2);
  });

  it('makes a failed message visible after the given delay and dead-letters it after maxReceiveCount', async () => {
    // Prepare
    const { clock, advance } = manualClock();
    const queue = new InMemoryAlertQueue({ clock, maxReceiveCount: 2 });
    await queue.send([message('p0-0'), message('p0-1')]);

    // Act
    const [a, b] = queue.receive();
    queue.ack(b!.messageId);
    queue.nack(a!.messageId, 500);
    const hidden = queue.receive();
    advance(500);
    const retried = queue.receive();
    queue.nack(retried[0]!.messageId);

    // Assess
    expect(hidden).toEqual([]);
    expect(retried[0]?.receiveCount).toBe(2);
    expect(queue.size).toBe(0);
    expect(queue.deadLetters).toEqual([message('p0-0')]);
  });
});
