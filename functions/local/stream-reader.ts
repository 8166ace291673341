/**
 * The local stand-in for Lambda's DynamoDB stream event source mapping: reads the table's
 * stream from DynamoDB Local (DescribeStream, GetShardIterator, GetRecords; parents before
 * children), applies the fan-out's event filter (functions/alerts/stream-filter.ts, the same
 * data the stack uses), and calls the fan-out handler with the event Lambda would deliver:
 * `{ Records }` of up to ALERT_STREAM_BATCH_SIZE records in the DynamoDBStreamEvent shape.
 *
 * Its position is checkpointed per shard in a small JSON file (the data directory's
 * `alert-stream.json`) after each batch the handler accepted, so a restart resumes where it
 * stopped (DynamoDB Local keeps stream records 24 h). Not in the table: every checkpoint
 * write would itself become a stream record to read.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '@aws-lambda-powertools/logger';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as SdkRecord,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import type { FanoutStreamHandler } from '../alerts/fanout';
import {
  ALERT_STREAM_BATCH_SIZE,
  ALERT_STREAM_FILTER_PATTERN,
  ALERT_STREAM_RETRY_ATTEMPTS,
  type FilterPattern,
  matchesFilter,
} from '../alerts/stream-filter';

/** Where the reader is: per shard, the last sequence number handled, or `closed`. */
export interface StreamCheckpoint {
  streamArn?: string;
  shards: Record<string, string>;
}

/** Keeps the checkpoint: a JSON file, or memory only (tests without a data directory). */
export interface CheckpointStore {
  load(): Promise<StreamCheckpoint>;
  save(cp: StreamCheckpoint): Promise<void>;
}

/** A checkpoint in a JSON file, replaced atomically (write, then rename). */
export function fileCheckpoint(path: string): CheckpointStore {
  return {
    async load() {
      try {
        const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<StreamCheckpoint>;
        return {
          ...(typeof parsed.streamArn === 'string' ? { streamArn: parsed.streamArn } : {}),
          shards: parsed.shards && typeof parsed.shards === 'object' ? parsed.shards : {},
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { shards: {} };
        throw err;
      }
    },
    async save(cp) {
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.tmp`;
      await writeFile(tmp, JSON.stringify(cp));
      await rename(tmp, path);
    },
  };
}

/** A checkpoint kept in memory. */
export function memoryCheckpoint(): CheckpointStore {
  let cp: StreamCheckpoint = { shards: {} };
  return {
    load: async () => structuredClone(cp),
    save: async (next) => {
      cp = structuredClone(next);
    },
  };
}

export interface StreamReaderOptions {
  /** For DescribeTable (the table's latest stream ARN). */
  client: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  tableName: string;
  handler: FanoutStreamHandler;
  checkpoint: CheckpointStore;
  logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  /** Called after every batch the handler accepted (the local runtime drains its queue). */
  afterBatch?: () => void;
  /** Wait between polls of an open shard with no new records (default 250 ms). */
  pollMs?: number;
  /** Handler timeout reported as `getRemainingTimeInMillis` (the stack's fan-out timeout, 60 s). */
  timeoutMs?: number;
  /**
   * The event source's filter patterns, ORed, and its batch size (default: the alert fan-out's).
   * The channel poster's reader passes CHANNEL_STREAM_FILTER_PATTERNS.
   */
  filters?: readonly FilterPattern[];
  batchSize?: number;
}

export interface StreamReader {
  /** Resolves once every record written so far has been handed to the handler (tests). */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

/** A stream record as Lambda's event carries it (dates as epoch seconds, the source ARN added). */
export function toLambdaRecord(r: SdkRecord, streamArn: string): DynamoDBRecord {
  const d = r.dynamodb ?? {};
  const { ApproximateCreationDateTime: created, ...rest } = d;
  return {
    ...(r.eventID !== undefined ? { eventID: r.eventID } : {}),
    ...(r.eventName !== undefined ? { eventName: r.eventName } : {}),
    eventVersion: r.eventVersion ?? '1.1',
    eventSource: r.eventSource ?? 'aws:dynamodb',
    awsRegion: r.awsRegion ?? 'ddblocal',
    eventSourceARN: streamArn,
    dynamodb: {
      ...(rest as NonNullable<DynamoDBRecord['dynamodb']>),
      ...(created !== undefined ? { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) } : {}),
    },
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Starts reading the table's stream; call `stop()` before closing the store. */
export function startStreamReader(opts: StreamReaderOptions): StreamReader {
  const pollMs = opts.pollMs ?? 250;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  let stopping = false;
  let idleWaiters: Array<() => void> = [];
  let idle = false;

  const settleIdle = () => {
    idle = true;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  const filters = opts.filters ?? [ALERT_STREAM_FILTER_PATTERN];
  const batchSize = opts.batchSize ?? ALERT_STREAM_BATCH_SIZE;

  /** Hands matching records to the handler in batches; returns when all are accepted or skipped. */
  const deliver = async (records: SdkRecord[], streamArn: string): Promise<void> => {
    const matching = records
      .map((r) => toLambdaRecord(r, streamArn))
      .filter((r) => filters.some((pattern) => matchesFilter(pattern, r)));
    for (let i = 0; i < matching.length && !stopping; i += batchSize) {
      let batch = matching.slice(i, i + batchSize);
      for (let attempt = 0; batch.length > 0 && !stopping; attempt++) {
        const started = Date.now();
        const res = await opts.handler(
          { Records: batch },
          { getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)) },
        );
        const failed = res.batchItemFailures[0]?.itemIdentifier;
        if (failed === undefined) break;
        if (attempt >= ALERT_STREAM_RETRY_ATTEMPTS) {
          // Lambda would send the batch to the on-failure queue and move on; here the log is it.
          opts.logger.error('stream batch failed past its retries; skipping it', { failedAt: failed });
          break;
        }
        // Like the event source: retry from the first failed record.
        const at = batch.findIndex((r) => r.dynamodb?.SequenceNumber === failed);
        batch = at >= 0 ? batch.slice(at) : batch;
        await sleep(Math.min(5000, 200 * 2 ** attempt));
      }
      opts.afterBatch?.();
    }
  };

  const run = async (): Promise<void> => {
    const table = await opts.client.send(new DescribeTableCommand({ TableName: opts.tableName }));
    const streamArn = table.Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`table ${opts.tableName} has no stream`);
    let cp = await opts.checkpoint.load();
    // Another stream (the table was recreated): its positions mean nothing here.
    if (cp.streamArn !== streamArn) cp = { streamArn, shards: {} };
    while (!stopping) {
      const shards: Shard[] = [];
      let start: string | undefined;
      do {
        const out = await opts.streams.send(
          new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
        );
        shards.push(...(out.StreamDescription?.Shards ?? []));
        start = out.StreamDescription?.LastEvaluatedShardId;
      } while (start !== undefined);
      const known = new Set(shards.map((s) => s.ShardId));
      // A child waits until its parent is read to the end (records of one item stay in order).
      const ready = shards.filter(
        (s) =>
          s.ShardId !== undefined &&
          cp.shards[s.ShardId] !== 'closed' &&
          (s.ParentShardId === undefined ||
            !known.has(s.ParentShardId) ||
            cp.shards[s.ParentShardId] === 'closed'),
      );
      let progressed = false;
      for (const shard of ready) {
        if (stopping) break;
        const shardId = shard.ShardId as string;
        const after = cp.shards[shardId];
        const it = await opts.streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shardId,
            ...(after !== undefined
              ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
              : { ShardIteratorType: 'TRIM_HORIZON' }),
          }),
        );
        let iterator = it.ShardIterator;
        while (iterator !== undefined && !stopping) {
          const out = await opts.streams.send(
            new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }),
          );
          const records = out.Records ?? [];
          if (records.length > 0) {
            await deliver(records, streamArn);
            if (stopping) return;
            const last = records.at(-1)?.dynamodb?.SequenceNumber;
            if (last !== undefined) cp.shards[shardId] = last;
            await opts.checkpoint.save(cp);
            progressed = true;
          }
          iterator = out.NextShardIterator;
          if (iterator === undefined) {
            cp.shards[shardId] = 'closed';
            await opts.checkpoint.save(cp);
            progressed = true;
          } else if (records.length === 0) break; // an open shard with nothing new
        }
      }
      if (!progressed) {
        settleIdle();
        await sleep(pollMs);
      }
    }
  };

  const loop = (async () => {
    for (;;) {
      try {
        await run();
        return;
      } catch (err) {
        if (stopping) return;
        opts.logger.error('alert stream reader failed; restarting it', { error: err as Error });
        await sleep(1000);
      }
    }
  })();

  return {
    caughtUp() {
      idle = false;
      return new Promise((resolve) => {
        if (idle) resolve();
        else idleWaiters.push(resolve);
      });
    },
    async stop() {
      stopping = true;
      settleIdle();
      await loop;
    },
  };
}
