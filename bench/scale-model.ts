/**
 * A discrete-event simulation of Herald's alert pipeline on AWS: the table's stream, the fan-out,
 * SQS and its Lambda event source (batch size, MaximumConcurrency, the scaling ramp), sender
 * instances (cold starts, requests in flight, the pacer, CPU per message), DynamoDB (per-call
 * latency, 1,000 WCU/s per partition key, throttling with the SDK's retries) and Telegram
 * (latency, its rate limit, 429 with retry_after, 403 and 5xx). It follows the code's own
 * order of calls (functions/alerts/fanout.ts, sender.ts) and its capacity (lib/send-capacity.ts).
 *
 * Every input is a named constant below with where it comes from. The `local` profile describes
 * the one-process pipeline of `npm start` (bench/alerts.ts) and is checked against it; the `aws`
 * profile uses AWS's published quotas and latencies.
 */
import { CPU_MS_PER_MESSAGE, sendCapacity } from '../lib/send-capacity';
import { seededRandom } from './lib/stats';

// ----- inputs ------------------------------------------------------------------------------

/** Latency distributions: a median and a log-normal spread (σ of ln). */
interface Latency {
  medianMs: number;
  sigma: number;
}

export interface Profile {
  name: string;
  /** Publication → the fan-out's invocation (stream read + filter). */
  streamDelayMs: number;
  /** A new Lambda instance's init (0 locally: the process is running). */
  coldStartMs: number;
  ddbWrite: Latency;
  ddbRead: Latency;
  /** A Query page of 500 subscribers (~75 KB). */
  ddbQueryPage: Latency;
  sqsSend: Latency;
  /** Event source: from a message being visible to its invocation starting (warm). */
  sqsPickup: Latency;
  /** Telegram's sendMessage answer time. */
  telegram: Latency;
  /** Sender CPU per message at the instance's memory (ms). */
  cpuMsPerMessage: (memoryMb: number) => number;
  /** SQS event source scaling: concurrent invocations at the start and added per minute; undefined: all at once. */
  esmRamp?: { initial: number; perMinute: number };
  /** Messages one invocation takes (Lambda: the batch size). */
  messagesPerInvocation?: number;
  /**
   * One process handles every message (`npm start`): invocations share one pacer, one CPU and
   * one in-flight limit, `maxConcurrency` messages at a time, with no cold start.
   */
  sharedInstance?: boolean;
  /** WCU per second per partition key (DynamoDB: 1,000). */
  partitionWcu: number;
  /** Fan-out invocation length before it stops at its deadline and the stream retries it. */
  fanoutBudgetMs: number;
}

/**
 * AWS, us-east-1, arm64 Lambda. Sources:
 * - DynamoDB single-item writes and reads "single-digit milliseconds" (DynamoDB developer guide,
 *   "What is Amazon DynamoDB"); 1,000 WCU/s and 3,000 RCU/s per partition (developer guide,
 *   "Burst and adaptive capacity" / partition limits);
 * - SQS event source: "Lambda starts with five concurrent batches ... and adds up to 300 concurrent
 *   instances per minute" (Lambda developer guide, "Scaling and processing for SQS event sources");
 *   MaximumConcurrency 2–1,000;
 * - DynamoDB Streams → Lambda: the event source polls each shard 4 times a second (Lambda
 *   developer guide, "DynamoDB Streams event source"): ~250 ms + record propagation;
 * - Node.js 22 cold start of a ~200 kB bundle: ~400 ms (bench/cold-start.ts measures init ≈ 3×
 *   bare node here; Lambda's own runtime start adds ~150 ms, AWS Compute Blog on cold starts);
 * - Telegram's Bot API from us-east-1: servers in Amsterdam, ~80 ms round trip; answer median
 *   120 ms, long tail (σ 0.5: p99 ≈ 380 ms). An assumption: Telegram publishes no latency figures;
 * - CPU: 4.5 ms a message on this machine's one core (lib/send-capacity.ts CPU_MS_PER_MESSAGE,
 *   measured by bench:scale), scaled by the Lambda's vCPU share (1,769 MB = 1 vCPU, Lambda
 *   developer guide "Memory and computing power").
 */
export const AWS_PROFILE: Profile = {
  name: 'aws',
  streamDelayMs: 400,
  coldStartMs: 400,
  ddbWrite: { medianMs: 6, sigma: 0.35 },
  ddbRead: { medianMs: 4, sigma: 0.35 },
  ddbQueryPage: { medianMs: 20, sigma: 0.3 },
  sqsSend: { medianMs: 15, sigma: 0.3 },
  sqsPickup: { medianMs: 20, sigma: 0.5 },
  telegram: { medianMs: 120, sigma: 0.5 },
  cpuMsPerMessage: (memoryMb) => CPU_MS_PER_MESSAGE * (1769 / memoryMb),
  esmRamp: { initial: 5, perMinute: 300 },
  partitionWcu: 1000,
  fanoutBudgetMs: 55_000,
};

/** Telegram's free bulk rate and paid rate (Bots FAQ; Bot API `allow_paid_broadcast`). */
const TELEGRAM_FREE = 30;

/** The fault mix of today's bench (bench/alerts.ts): 5 % 429 once (retry_after 1–3 s), 2 % blocked, 1 % one 5xx. */
export const BENCH_FAULTS = { rateLimited: 0.05, blocked: 0.02, serverError: 0.01 } as const;

/** Prices, us-east-1, checked 2026-11: Lambda arm64 $0.0000133334/GB-s and $0.20/M requests; SQS $0.40/M requests; DynamoDB on-demand $0.625/M WRU, $0.125/M RRU. */
const PRICE = {
  lambdaGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  sqsRequest: 0.4 / 1e6,
  wru: 0.625 / 1e6,
  rru: 0.125 / 1e6,
};

export interface ModelInput {
  subscribers: number;
  /** Messages per second over all senders. */
  ratePerSecond: number;
  /** Of them free (paid broadcast above it). */
  freeRatePerSecond: number;
  profile: Profile;
  /** Partition keys the recipient items are spread over (16 since the fix; 1 before). */
  recipientShards: number;
  seed: number;
  /** Overrides of the derived capacity (the local pipeline: one process). */
  capacity?: Partial<{
    maxConcurrency: number;
    perInstanceRate: number;
    inFlight: number;
    batchSize: number;
    memoryMb: number;
  }>;
  faults?: { rateLimited: number; blocked: number; serverError: number };
  /** Fan-out page size (500: one SendMessageBatch of 10 × 50). */
  pageSize?: number;
}

export interface ModelResult {
  t50Ms: number;
  t90Ms: number;
  t99Ms: number;
  lastMs: number;
  sent: number;
  blocked: number;
  telegramCalls: number;
  paidMessages: number;
  stars: number;
  costUsd: number;
  costParts: { lambda: number; sqs: number; dynamodb: number };
  /** Highest WCU consumed in any one second on any one partition key, and which key. */
  peakWcu: number;
  peakKey: string;
  throttledWrites: number;
  instances: number;
  coldStarts: number;
  events: number;
}

// ----- the event loop ----------------------------------------------------------------------

/** A binary heap of timed callbacks; ties run in the order they were scheduled. */
class EventQueue {
  private times: number[] = [];
  private seqs: number[] = [];
  private fns: Array<() => void> = [];
  private seq = 0;
  now = 0;
  processed = 0;

  at(time: number, fn: () => void): void {
    let i = this.times.length;
    this.times.push(time);
    this.seqs.push(this.seq++);
    this.fns.push(fn);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  run(): void {
    while (this.times.length > 0) {
      const t = this.times[0] as number;
      const fn = this.fns[0] as () => void;
      const last = this.times.length - 1;
      this.swap(0, last);
      this.times.pop();
      this.seqs.pop();
      this.fns.pop();
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.times.length && this.less(l, m)) m = l;
        if (r < this.times.length && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
      this.now = t;
      this.processed += 1;
      fn();
    }
  }

  private less(a: number, b: number): boolean {
    const ta = this.times[a] as number;
    const tb = this.times[b] as number;
    return ta < tb || (ta === tb && (this.seqs[a] as number) < (this.seqs[b] as number));
  }

  private swap(a: number, b: number): void {
    const t = this.times;
    const s = this.seqs;
    const f = this.fns;
    [t[a], t[b]] = [t[b] as number, t[a] as number];
    [s[a], s[b]] = [s[b] as number, s[a] as number];
    [f[a], f[b]] = [f[b] as () => void, f[a] as () => void];
  }
}

// ----- the pipeline ------------------------------------------------------------------------

interface Instance {
  /** Pacer: next grant (GCRA without burst) and the free schedule. */
  tat: number;
  freeTat: number;
  cpuFreeAt: number;
  inFlight: number;
  waiting: Array<() => void>;
  busy: boolean;
}

/** Simulates one alert run. */
export function simulate(input: ModelInput): ModelResult {
  const p = input.profile;
  const derived = sendCapacity(
    Math.round(input.ratePerSecond),
    Math.min(input.freeRatePerSecond, input.ratePerSecond),
  );
  const cap = {
    maxConcurrency: input.capacity?.maxConcurrency ?? derived.maxConcurrency,
    perInstanceRate: input.capacity?.perInstanceRate ?? derived.perInstanceRate,
    inFlight: input.capacity?.inFlight ?? derived.inFlightPerInstance,
    batchSize: input.capacity?.batchSize ?? derived.batchSize,
    memoryMb: input.capacity?.memoryMb ?? derived.memoryMb,
  };
  const perInstanceFree = p.sharedInstance
    ? input.freeRatePerSecond
    : input.freeRatePerSecond / cap.maxConcurrency;
  const faults = input.faults ?? BENCH_FAULTS;
  const pageSize = input.pageSize ?? 500;
  const rng = seededRandom(input.seed);
  const sample = (l: Latency) => {
    // Box–Muller from the seeded source.
    const u = Math.max(1e-12, rng());
    const v = rng();
    return l.medianMs * Math.exp(l.sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  };
  const q = new EventQueue();
  const cpuMs = p.cpuMsPerMessage(cap.memoryMb);

  // DynamoDB: WCU per key per second, with throttling and the SDK's retries (standard mode:
  // exponential backoff with full jitter from 100 ms; retried until it succeeds here).
  const wcuByKeySecond = new Map<string, number>();
  let peakWcu = 0;
  let peakKey = '';
  let throttledWrites = 0;
  let wru = 0;
  let rru = 0;
  const write = (key: string, wcu: number, then: () => void, attempt = 0): void => {
    const second = Math.floor(q.now / 1000);
    const k = `${key}@${second}`;
    const used = wcuByKeySecond.get(k) ?? 0;
    if (used + wcu > p.partitionWcu) {
      throttledWrites += 1;
      const backoff = rng() * 100 * 2 ** Math.min(attempt, 5);
      q.at(q.now + sample(p.ddbWrite) + backoff, () => write(key, wcu, then, attempt + 1));
      return;
    }
    wcuByKeySecond.set(k, used + wcu);
    wru += wcu;
    if (used + wcu > peakWcu) {
      peakWcu = used + wcu;
      peakKey = key.replace(/#\d+$/, '#<shard>');
    }
    q.at(q.now + sample(p.ddbWrite), then);
  };
  const read = (rcu: number, then: () => void) => {
    rru += rcu;
    q.at(q.now + sample(p.ddbRead), then);
  };

  // SQS and the event source.
  const queue: number[][] = [];
  let queuedMessages = 0;
  let sqsRequests = 0;
  let firstVisibleAt = Number.POSITIVE_INFINITY;
  const instances: Instance[] = [];
  const idle: Instance[] = [];
  let active = 0;
  let coldStarts = 0;
  let lambdaGbMs = 0;
  let lambdaRequests = 0;
  let fanoutDone = false;
  let rampTimer = false;

  const limitAt = (t: number): number => {
    if (!p.esmRamp) return cap.maxConcurrency;
    const grown = p.esmRamp.initial + Math.floor(((t - firstVisibleAt) / 60_000) * p.esmRamp.perMinute);
    return Math.min(cap.maxConcurrency, grown);
  };

  // Outcomes.
  const sentAt: number[] = [];
  let blocked = 0;
  let telegramCalls = 0;
  let paidMessages = 0;

  const dispatch = (): void => {
    while (queuedMessages > 0 && active < limitAt(q.now)) {
      const batch: number[][] = [];
      const perInvocation = p.messagesPerInvocation ?? cap.batchSize;
      while (batch.length < perInvocation && queue.length > 0) batch.push(queue.shift() as number[]);
      queuedMessages -= batch.length;
      active += 1;
      sqsRequests += 1; // ReceiveMessage
      let inst = p.sharedInstance ? instances[0] : idle.pop();
      let start = q.now + sample(p.sqsPickup);
      if (!inst) {
        inst = { tat: 0, freeTat: 0, cpuFreeAt: 0, inFlight: 0, waiting: [], busy: false };
        instances.push(inst);
        coldStarts += 1;
        start += p.coldStartMs;
        lambdaGbMs += p.coldStartMs * (cap.memoryMb / 1024);
      }
      const instance = inst;
      q.at(start, () => invoke(instance, batch, q.now));
    }
    if (queuedMessages > 0 && active < cap.maxConcurrency && p.esmRamp && !rampTimer) {
      // The ramp adds a poller every 60 s / perMinute: look again then.
      rampTimer = true;
      q.at(q.now + 60_000 / p.esmRamp.perMinute, () => {
        rampTimer = false;
        dispatch();
      });
    }
  };

  const invoke = (inst: Instance, batch: number[][], startedAt: number): void => {
    lambdaRequests += 1;
    let left = batch.length;
    const done = () => {
      left -= 1;
      if (left > 0) return;
      sqsRequests += 1; // DeleteMessageBatch
      lambdaGbMs += (q.now - startedAt) * (cap.memoryMb / 1024);
      active -= 1;
      if (!p.sharedInstance) idle.push(inst);
      dispatch();
    };
    for (const users of batch) processMessage(inst, users, done);
  };

  const acquireSlot = (inst: Instance, then: (paid: boolean) => void): void => {
    const interval = 1000 / cap.perInstanceRate;
    const slot = Math.max(q.now, inst.tat);
    inst.tat = slot + interval;
    let paid = false;
    if (perInstanceFree < cap.perInstanceRate) {
      const freeInterval = 1000 / perInstanceFree;
      // One second of the free rate may be used at once (as the pacer and Telegram's allowance do).
      const tolerance = (Math.max(1, Math.floor(perInstanceFree)) - 1) * freeInterval;
      if (slot >= inst.freeTat - tolerance) inst.freeTat = Math.max(slot, inst.freeTat) + freeInterval;
      else paid = true;
    }
    q.at(slot, () => then(paid));
  };

  const processMessage = (inst: Instance, users: number[], done: () => void): void => {
    read(1, () => {
      // getArticle, then every recipient through the instance's in-flight limit.
      let left = users.length;
      const recipientDone = () => {
        left -= 1;
        if (left > 0) return;
        // countBatch: one transaction (batch item + run update with its histogram, ~3 KB: 2 × (1 + 3)
        // WRU) and a consistent GetItem of the run (1 RRU).
        write(`ALERT#a`, 2, () => write('ART#a', 6, () => read(1, done)));
      };
      for (const user of users) {
        const start = () => {
          inst.inFlight += 1;
          recipient(inst, user, () => {
            inst.inFlight -= 1;
            const next = inst.waiting.shift();
            if (next) next();
            recipientDone();
          });
        };
        if (inst.inFlight < cap.inFlight) start();
        else inst.waiting.push(start);
      }
    });
  };

  const recipient = (inst: Instance, user: number, done: () => void): void => {
    const r = rng();
    const kind =
      r < faults.rateLimited
        ? 'limited'
        : r < faults.rateLimited + faults.blocked
          ? 'blocked'
          : r < faults.rateLimited + faults.blocked + faults.serverError
            ? 'error'
            : 'ok';
    const key = `ALERT#a#${user % input.recipientShards}`;
    let attempt = 0;
    const send = () => {
      acquireSlot(inst, (paid) => {
        const cpuStart = Math.max(q.now, inst.cpuFreeAt);
        inst.cpuFreeAt = cpuStart + cpuMs;
        const answered = cpuStart + cpuMs + sample(p.telegram);
        telegramCalls += 1;
        q.at(answered, () => {
          attempt += 1;
          if (kind === 'limited' && attempt === 1) {
            q.at(q.now + (1 + Math.floor(rng() * 3)) * 1000, send);
            return;
          }
          if (kind === 'error' && attempt === 1) {
            q.at(q.now + 250 * (0.5 + rng() / 2), send);
            return;
          }
          if (kind === 'blocked') {
            blocked += 1;
            // setUserActive on the user's own partition, then the outcome.
            write(`USER#${user}`, 1, () => write(key, 1, done));
            return;
          }
          sentAt.push(q.now);
          if (paid) paidMessages += 1;
          write(key, 1, done);
        });
      });
    };
    write(key, 1, send); // the claim
  };

  // The fan-out: stream → invocation → pages (Query, write-ahead, SendMessageBatch, advance).
  let page = 0;
  let fanoutStartedAt = 0;
  let fanoutGbMs = 0;
  const pages = Math.ceil(input.subscribers / pageSize);
  const nextPage = (): void => {
    if (page >= pages) {
      fanoutDone = true;
      sqsRequests += 1; // the end message
      fanoutGbMs += (q.now - fanoutStartedAt) * 0.5;
      return;
    }
    if (q.now - fanoutStartedAt > p.fanoutBudgetMs) {
      // Deadline: the stream retries the record; the resumed fan-out reads its run and goes on.
      fanoutGbMs += (q.now - fanoutStartedAt) * 0.5;
      lambdaRequests += 1;
      q.at(q.now + 1000, () => {
        fanoutStartedAt = q.now;
        read(1, nextPage);
      });
      return;
    }
    const first = page * pageSize;
    const n = Math.min(pageSize, input.subscribers - first);
    rru += 10; // ~75 KB of index items, eventually consistent
    q.at(q.now + sample(p.ddbQueryPage), () =>
      write('ALERT#a', 5, () => {
        q.at(q.now + sample(p.sqsSend), () => {
          sqsRequests += 1;
          for (let i = 0; i < n; i += 50) {
            const users: number[] = [];
            for (let u = first + i; u < first + Math.min(n, i + 50); u++) users.push(100_000 + u);
            queue.push(users);
            queuedMessages += 1;
          }
          if (firstVisibleAt === Number.POSITIVE_INFINITY) firstVisibleAt = q.now;
          dispatch();
          write('ART#a', 1, () => {
            page += 1;
            nextPage();
          });
        });
      }),
    );
  };
  q.at(p.streamDelayMs + p.coldStartMs, () => {
    fanoutStartedAt = q.now;
    lambdaRequests += 1;
    // createRun: a read, the open marker, the run.
    read(1, () => write('ALERTRUNS', 1, () => write('ART#a', 1, nextPage)));
  });
  q.run();
  void fanoutDone;

  sentAt.sort((a, b) => a - b);
  const at = (share: number) => sentAt[Math.max(0, Math.ceil(share * sentAt.length) - 1)] ?? Number.NaN;
  const lambda =
    ((lambdaGbMs + fanoutGbMs) / 1000) * PRICE.lambdaGbSecond + lambdaRequests * PRICE.lambdaRequest;
  const sqs = sqsRequests * PRICE.sqsRequest;
  const dynamodb = wru * PRICE.wru + rru * PRICE.rru;
  return {
    t50Ms: at(0.5),
    t90Ms: at(0.9),
    t99Ms: at(0.99),
    lastMs: sentAt[sentAt.length - 1] ?? Number.NaN,
    sent: sentAt.length,
    blocked,
    telegramCalls,
    paidMessages,
    stars: Math.round(paidMessages) / 10,
    costUsd: lambda + sqs + dynamodb,
    costParts: { lambda, sqs, dynamodb },
    peakWcu,
    peakKey,
    throttledWrites,
    instances: instances.length,
    coldStarts,
    events: q.processed,
  };
}

/**
 * The one-process pipeline of `npm start` as bench/alerts.ts runs it: DynamoDB Local (one JVM
 * on this machine: writes ~8 ms and reads ~4 ms under the sender's load, a Query page ~15 ms,
 * NOTES "DynamoDB Local ... speed measured here"), the stand-in answering after its injected
 * 30 ms, the in-memory queue (no SQS calls, no ramp), 20 messages at a time through one sender,
 * and the CPU per message measured in the same run (passed in).
 */
export function localProfile(cpuMsPerMessage: number): Profile {
  return {
    name: 'local',
    streamDelayMs: 0,
    coldStartMs: 0,
    ddbWrite: { medianMs: 8, sigma: 0.4 },
    ddbRead: { medianMs: 4, sigma: 0.4 },
    ddbQueryPage: { medianMs: 15, sigma: 0.3 },
    sqsSend: { medianMs: 0.2, sigma: 0.1 },
    sqsPickup: { medianMs: 0.2, sigma: 0.1 },
    telegram: { medianMs: 32, sigma: 0.1 },
    cpuMsPerMessage: () => cpuMsPerMessage,
    messagesPerInvocation: 1,
    sharedInstance: true,
    partitionWcu: Number.POSITIVE_INFINITY,
    fanoutBudgetMs: Number.POSITIVE_INFINITY,
  };
}

/** Telegram's rates the model runs at: free, and paid broadcast. */
export const MODEL_RATES = [
  { label: '30/s', ratePerSecond: TELEGRAM_FREE, freeRatePerSecond: TELEGRAM_FREE },
  { label: '1,000/s', ratePerSecond: 1000, freeRatePerSecond: TELEGRAM_FREE },
] as const;
