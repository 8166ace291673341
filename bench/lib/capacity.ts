/**
 * DynamoDB's own account of what a run costs: a client middleware asks for
 * `ReturnConsumedCapacity: 'TOTAL'` on every data-plane call and sums the capacity units the
 * answers report, per operation, next to the number of calls. DynamoDB Local computes the
 * units from item sizes as DynamoDB does (1 WCU per 1 KB written, a GSI write included; 1 RCU
 * per 4 KB read strongly consistent, half that eventually consistent), with one known gap,
 * corrected here: it reports a TransactWriteItems at the standard rate, where AWS bills a
 * transactional write twice (2 WCU per KB per item).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);
const READS = new Set([
  'GetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'TransactGetItemsCommand',
]);
/** What AWS bills per unit DynamoDB Local reports for these (transactions cost double). */
const AWS_FACTOR: Record<string, number> = { TransactWriteItemsCommand: 2, TransactGetItemsCommand: 2 };

/** Calls and units, summed. */
export interface Capacity {
  calls: number;
  /** Write capacity units as AWS bills them. */
  wcu: number;
  /** Read capacity units as AWS bills them. */
  rcu: number;
  /** Calls per operation name without `Command` (e.g. `UpdateItem` → 2,000). */
  byOperation: Record<string, number>;
  /** The largest single write of the run in WCU (AWS-billed): a bound on the largest item written. */
  largestWrite: number;
}

/** A zero {@link Capacity}. */
export function noCapacity(): Capacity {
  return { calls: 0, wcu: 0, rcu: 0, byOperation: {}, largestWrite: 0 };
}

/** Sums two {@link Capacity} (largestWrite: the larger). */
export function addCapacity(a: Capacity, b: Capacity, times = 1): Capacity {
  const byOperation = { ...a.byOperation };
  for (const [op, n] of Object.entries(b.byOperation)) byOperation[op] = (byOperation[op] ?? 0) + n * times;
  return {
    calls: a.calls + b.calls * times,
    wcu: a.wcu + b.wcu * times,
    rcu: a.rcu + b.rcu * times,
    byOperation,
    largestWrite: Math.max(a.largestWrite, b.largestWrite),
  };
}

type Consumed = { CapacityUnits?: number } | Array<{ CapacityUnits?: number }> | undefined;

function units(consumed: Consumed): number {
  if (consumed === undefined) return 0;
  const list = Array.isArray(consumed) ? consumed : [consumed];
  return list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
}

/** Sums what the calls through one client consume; {@link take} reads and resets it. */
export class CapacityMeter {
  private current = noCapacity();
  /** Data-plane calls that answered with an error (a failed condition still costs on AWS). */
  failed = 0;

  /** Installs the middleware on a document client (and the client it wraps: one stack). */
  install(doc: DynamoDBDocumentClient): void {
    doc.middlewareStack.add(
      (next, context) => async (args) => {
        const op = context.commandName ?? 'unknown';
        const write = WRITES.has(op);
        if (!write && !READS.has(op)) return next(args);
        (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
        let out: Awaited<ReturnType<typeof next>>;
        try {
          out = await next(args);
        } catch (err) {
          this.failed += 1;
          throw err;
        }
        const reported = units((out.output as { ConsumedCapacity?: Consumed }).ConsumedCapacity);
        const billed = reported * (AWS_FACTOR[op] ?? 1);
        const c = this.current;
        c.calls += 1;
        const name = op.replace(/Command$/, '');
        c.byOperation[name] = (c.byOperation[name] ?? 0) + 1;
        if (write) {
          c.wcu += billed;
          c.largestWrite = Math.max(c.largestWrite, billed);
        } else c.rcu += billed;
        return out;
      },
      { step: 'initialize', name: 'heraldCapacityMeter', override: true },
    );
  }

  /** What was consumed since the last take, and starts again from zero. */
  take(): Capacity {
    const c = this.current;
    this.current = noCapacity();
    return c;
  }
}
