/**
 * Throughput: how many updates per second one process sustains through the webhook handler,
 * with DynamoDB Local and the Bot API stand-in in the same process, and how much of the handler's time
 * is spent waiting on the store.
 */
import type { SimulatedUser } from '../functions/local/telegram-stand-in';
import { median, ms, nowMs, quantile, seededRandom, sum } from './lib/stats';
import type { BenchOptions, Row } from './lib/table';
import type { World } from './lib/world';

export interface ThroughputParams {
  users: number;
  concurrency: number;
  /** The measured phase stops at this many updates… */
  maxUpdates: number;
  /** …or after this long, whichever comes first. */
  maxSeconds: number;
  seed: number;
}

export const THROUGHPUT_DEFAULTS: ThroughputParams = {
  users: 50,
  concurrency: 16,
  maxUpdates: 2000,
  maxSeconds: 10,
  seed: 7,
};

export const THROUGHPUT_METHOD =
  `${THROUGHPUT_DEFAULTS.users} readers, ${THROUGHPUT_DEFAULTS.concurrency} updates in flight, until ` +
  `${THROUGHPUT_DEFAULTS.maxUpdates} updates or ${THROUGHPUT_DEFAULTS.maxSeconds} s: 40 % open an article ` +
  'from their latest list, 20 % /latest, 20 % next page (▶/◀, an edit), 20 % /start; a seeded random mix, ' +
  'each reader one action at a time (as a person taps). Every reader first sends /start and /latest ' +
  '(warm-up, not counted). Handler time is the wall time of the webhook handler call. The store share ' +
  'is the time with at least one DynamoDB call of that update in flight (a middleware, attributed per ' +
  'update with AsyncLocalStorage), summed over all updates and divided by the summed handler time. ' +
  'DynamoDB Local, the stand-in and the handler share one Node.js process (and its event loop), so this is ' +
  'the local runtime’s capacity, not a Lambda figure: on Lambda each instance handles one update at a time.';

const SECTION = 'Throughput';

type Action = 'open' | 'latest' | 'next' | 'start';

interface Reader {
  sim: SimulatedUser;
  /** The reader's latest-list message, which open and next page press on. */
  listId: number;
}

function pickAction(r: number): Action {
  if (r < 0.4) return 'open';
  if (r < 0.6) return 'latest';
  if (r < 0.8) return 'next';
  return 'start';
}

/** Runs the load and returns rows: updates/s, handler p50/p99, the store's share, and errors. */
export async function runThroughputBench(
  world: World,
  opts: BenchOptions,
  params: ThroughputParams = THROUGHPUT_DEFAULTS,
): Promise<Row[]> {
  const { standIn } = world;
  const random = seededRandom(params.seed);
  const lastListId = (chatId: number): number => {
    const id = standIn.lastMessage(chatId)?.message_id;
    if (id === undefined) throw new Error(`no list message in chat ${chatId}`);
    return id;
  };
  const buttons = (reader: Reader): string[] => {
    const list = standIn.messages(reader.sim.chat.id).find((m) => m.message_id === reader.listId);
    return (list?.reply_markup?.inline_keyboard ?? []).flat().flatMap((b) => b.callback_data ?? []);
  };

  // Warm-up: every reader starts and gets a list to press on.
  const readers: Reader[] = [];
  for (let i = 0; i < params.users; i += params.concurrency) {
    const batch = Array.from({ length: Math.min(params.concurrency, params.users - i) }, (_, k) =>
      world.user(3001 + i + k),
    );
    await Promise.all(
      batch.map(async (sim) => {
        await sim.send('/start');
        await sim.send('/latest');
        readers.push({ sim, listId: lastListId(sim.chat.id) });
      }),
    );
  }
  opts.log(`  warm-up done (${params.users} readers)`);

  const act = async (reader: Reader, action: Action): Promise<void> => {
    switch (action) {
      case 'open': {
        const opens = buttons(reader).filter((d) => d.startsWith('1:o:'));
        const data = opens[Math.floor(random() * opens.length)];
        if (data === undefined) throw new Error('the list has no article buttons');
        await reader.sim.press(reader.listId, data);
        return;
      }
      case 'next': {
        const pages = buttons(reader).filter((d) => d.startsWith('1:l:'));
        // ▶ when there is one (the higher page), else ◀ from the last page.
        const data = pages.sort((a, b) => Number(b.slice(4)) - Number(a.slice(4)))[0];
        if (data === undefined) throw new Error('the list has no page buttons');
        await reader.sim.press(reader.listId, data);
        return;
      }
      case 'latest':
        await reader.sim.send('/latest');
        reader.listId = lastListId(reader.sim.chat.id);
        return;
      case 'start':
        await reader.sim.send('/start');
        return;
    }
  };

  const handledFrom = world.handled.length;
  const callsFrom = standIn.calls.length;
  const free = [...readers];
  const deadline = nowMs() + params.maxSeconds * 1000;
  let started = 0;
  const failures: string[] = [];
  const t0 = nowMs();
  const worker = async (): Promise<void> => {
    while (started < params.maxUpdates && nowMs() < deadline) {
      started += 1;
      // Readers in flight are out of the pool, so no reader taps twice at once.
      const reader = free.splice(Math.floor(random() * free.length), 1)[0];
      if (reader === undefined) throw new Error('reader pool exhausted: concurrency must be below users');
      try {
        await act(reader, pickAction(random()));
      } catch (err) {
        failures.push(err instanceof Error ? err.message : String(err));
      } finally {
        free.push(reader);
      }
    }
  };
  await Promise.all(Array.from({ length: params.concurrency }, worker));
  const elapsedMs = nowMs() - t0;

  const handled = world.handled.slice(handledFrom);
  const rejected = standIn.calls.slice(callsFrom).filter((c) => !c.ok);
  const not200 = handled.filter((h) => h.status !== 200).length;
  const handlerMs = handled.map((h) => h.handlerMs);
  const storeMs = handled.map((h) => h.storeMs);
  const storeShare = sum(storeMs) / sum(handlerMs);
  const perSecond = handled.length / (elapsedMs / 1000);
  const dynamoPerUpdate = sum(handled.map((h) => h.dynamo.length)) / handled.length;
  opts.log(`  ${handled.length} updates in ${(elapsedMs / 1000).toFixed(1)} s`);

  const problems = failures.length + not200 + rejected.length;
  return [
    {
      section: SECTION,
      metric: `updates/s, one process (${params.users} users, ${params.concurrency} in flight)`,
      value: `${perSecond.toFixed(0)}/s (${handled.length} updates in ${(elapsedMs / 1000).toFixed(1)} s)`,
      goal: '',
    },
    {
      section: SECTION,
      metric: 'handler time p50 / p99',
      value: `${ms(median(handlerMs))} / ${ms(quantile(handlerMs, 0.99))}`,
      goal: '',
    },
    {
      section: SECTION,
      metric: 'store share of handler time',
      value: `${(storeShare * 100).toFixed(0)} % (store p50 ${ms(median(storeMs))}/update, ${dynamoPerUpdate.toFixed(2)} DynamoDB calls/update)`,
      goal: '',
    },
    {
      section: SECTION,
      metric: 'failures (non-200, rejected Bot API calls, errors)',
      value:
        problems === 0
          ? '0'
          : `${not200} non-200, ${rejected.length} rejected, ${failures.length} errors${failures[0] ? ` (first: ${failures[0]})` : ''}`,
      goal: '0',
      ok: problems === 0,
    },
  ];
}
