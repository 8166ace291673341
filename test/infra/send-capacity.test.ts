/**
 * The sender's capacity follows the configured rate, from one derivation (lib/send-capacity.ts):
 * checked on the arithmetic and on the synthesized template.
 */
import { PER_INSTANCE_MAX_RATE, SENDER_LEASE, sendCapacity } from '../../lib/send-capacity';
import { type Synthesized, synthHerald } from './synth';

type Resource = { Properties: Record<string, unknown> };

function senderOf(s: Synthesized): { fn: Resource; mapping: Resource; queue: Resource } {
  const fns = s.template.findResources('AWS::Lambda::Function', {
    Properties: { Description: 'Sends alert messages to subscribers, paced to the Telegram rate limit' },
  });
  const [fnId, fn] = Object.entries(fns)[0] as [string, Resource];
  const mappings = Object.values(s.template.findResources('AWS::Lambda::EventSourceMapping')) as Resource[];
  const mapping = mappings.find((m) => JSON.stringify(m.Properties.FunctionName).includes(fnId));
  const queues = s.template.findResources('AWS::SQS::Queue');
  const queue = Object.entries(queues).find(([id]) => id.startsWith('AlertsAlertQueue'))?.[1] as Resource;
  if (!mapping || !queue) throw new Error('sender wiring not found');
  return { fn, mapping, queue };
}

const env = (fn: Resource) => (fn.Properties.Environment as { Variables: Record<string, string> }).Variables;

describe('sendCapacity', () => {
  it.each([
    // rate, free, MaximumConcurrency, per instance, in flight, batch size
    [25, 25, 2, 12, 12, 3],
    [30, 30, 2, 14.5, 15, 4],
    [100, 30, 2, 49.5, 50, 14],
    [250, 30, 5, 49.8, 50, 14],
    [1000, 30, 20, 49.95, 50, 14],
  ])(
    'at %i/s (%i free): %i instances of %f/s, %i in flight, batches of %i',
    (rate, free, conc, per, inFlight, batch) => {
      // Act
      const c = sendCapacity(rate, free);

      // Assess
      expect(c).toMatchObject({
        maxConcurrency: conc,
        perInstanceRate: per,
        inFlightPerInstance: inFlight,
        batchSize: batch,
      });
      // The instances' shares and the channel poster's add up to the rate (the poster's comes
      // out of the free rate), none above what one instance can do.
      expect(c.channelPosterRate).toBe(1);
      expect(c.perInstanceRate * c.maxConcurrency + c.channelPosterRate).toBeCloseTo(rate, 9);
      expect(c.perInstanceFreeRate * c.maxConcurrency + c.channelPosterRate).toBeCloseTo(free, 9);
      expect(c.perInstanceRate).toBeLessThanOrEqual(PER_INSTANCE_MAX_RATE);
      // A batch fits in half the timeout; the lease ends before SQS would redeliver.
      expect(c.batchSeconds).toBeLessThanOrEqual(c.senderTimeout.toSeconds() / 2);
      expect(c.visibilityTimeout.toSeconds()).toBe(6 * c.senderTimeout.toSeconds());
      expect(SENDER_LEASE.toSeconds()).toBeLessThan(c.visibilityTimeout.toSeconds());
    },
  );

  it('refuses rates Telegram cannot give', () => {
    expect(() => sendCapacity(0)).toThrow(RangeError);
    expect(() => sendCapacity(1001)).toThrow(RangeError);
    expect(() => sendCapacity(100, 200)).toThrow(RangeError);
  });
});

describe('the stack wires the capacity', () => {
  it('at the free default: 2 senders of 12/s (the channel poster has 1/s), batches of 3, visibility 360 s', () => {
    // Prepare / Act
    const { fn, mapping, queue } = senderOf(synthHerald());

    // Assess
    expect(mapping.Properties).toMatchObject({ BatchSize: 3, ScalingConfig: { MaximumConcurrency: 2 } });
    expect(mapping.Properties.MaximumBatchingWindowInSeconds).toBeUndefined();
    expect(queue.Properties).toMatchObject({ VisibilityTimeout: 360 });
    expect(fn.Properties).toMatchObject({ Timeout: 60, MemorySize: 256 });
    expect(env(fn)).toMatchObject({
      ALERT_RATE_PER_SECOND: '25',
      ALERT_FREE_RATE_PER_SECOND: '25',
      SENDER_MAX_CONCURRENCY: '2',
      SENDER_IN_FLIGHT: '12',
      PAID_BROADCAST_STARS_PER_RUN: '0',
    });
  });

  it('tells the webhook about paid broadcast only when it is on (its replies then carry the flag)', () => {
    // Prepare
    const webhookEnv = (s: Synthesized) => {
      const fns = s.template.findResources('AWS::Lambda::Function', {
        Properties: { Description: 'Telegram webhook: runs the bot for each update' },
      });
      return env(Object.values(fns)[0] as Resource);
    };

    // Act
    const free = webhookEnv(synthHerald());
    const paid = webhookEnv(synthHerald({ paidBroadcastRate: '1000', paidBroadcastStarsPerRun: '500' }));

    // Assess
    expect(free.PAID_BROADCAST_STARS_PER_RUN).toBeUndefined();
    expect(paid.PAID_BROADCAST_STARS_PER_RUN).toBe('500');
  });

  it('with paid broadcast at 1,000/s: 20 senders of 49.95/s, batches of 14, Telegram’s 30/s free, the Stars cap', () => {
    // Prepare / Act
    const { fn, mapping, queue } = senderOf(
      synthHerald({ paidBroadcastRate: '1000', paidBroadcastStarsPerRun: '100000' }),
    );

    // Assess
    // 14 messages (700 recipients) at 49.95/s = 14 s; above 10 SQS needs a batching window.
    expect(mapping.Properties).toMatchObject({
      BatchSize: 14,
      MaximumBatchingWindowInSeconds: 1,
      ScalingConfig: { MaximumConcurrency: 20 },
    });
    expect(queue.Properties).toMatchObject({ VisibilityTimeout: 360 });
    expect(fn.Properties).toMatchObject({ Timeout: 60, MemorySize: 1024 });
    expect(env(fn)).toMatchObject({
      ALERT_RATE_PER_SECOND: '1000',
      ALERT_FREE_RATE_PER_SECOND: '30',
      SENDER_MAX_CONCURRENCY: '20',
      SENDER_IN_FLIGHT: '50',
      PAID_BROADCAST_STARS_PER_RUN: '100000',
    });
  });
});
