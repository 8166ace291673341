/**
 * Counts calls to AWS services by operation, so the benchmark (and tests) can report what a
 * publication costs in DynamoDB and SQS requests. Counting is opt-in: nothing is installed
 * unless a caller asks for it.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Calls per operation name, e.g. `UpdateItemCommand` → 2,031. */
export class CallCounter {
  private readonly counts = new Map<string, number>();

  add(operation: string, by = 1): void {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + by);
  }

  get(operation: string): number {
    return this.counts.get(operation) ?? 0;
  }

  /** The sum over every operation. */
  total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  /** A plain copy, operation → count, sorted by name. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  reset(): void {
    this.counts.clear();
  }
}

/**
 * Counts every request the document client sends (and the client it wraps: they share one
 * middleware stack). Retries inside the SDK are not counted again; throttled requests are.
 */
export function countDynamoCalls(doc: DynamoDBDocumentClient, counter: CallCounter): void {
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      counter.add(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'heraldCallCounter', override: true },
  );
}
