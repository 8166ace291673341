/**
 * The embedded DynamoDB-compatible store behind `npm start` and the integration tests:
 * dynalite running inside this process on 127.0.0.1, in memory or on local disk.
 *
 * dynalite speaks the real DynamoDB protocol, so the repositories run unchanged against it.
 * What it lacks (transactions, TTL expiry, streams) the design avoids: see docs/data-model.md.
 */
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type Projection,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { type IndexDefinition, TABLE } from '../store/table-definition';

export interface EmbeddedStore {
  /** `http://127.0.0.1:<port>`; pass it as the DynamoDB client's endpoint. */
  endpoint: string;
  /** Stops the server and closes the database. Safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * Starts dynalite in this process on a free port of 127.0.0.1.
 *
 * With `path` the data lives in that directory (created if missing) and survives restarts;
 * only one store may use a directory at a time (LevelDB locks it). Without `path` the data
 * is in memory and gone on `stop()`. Tables become ACTIVE at once (no simulated delay).
 */
export async function startEmbeddedStore(opts: { path?: string } = {}): Promise<EmbeddedStore> {
  if (opts.path !== undefined) await mkdir(opts.path, { recursive: true });
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path: opts.path });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      // close() waits for open sockets; idle keep-alive ones would otherwise hold it open
      // until the client that owns them is destroyed.
      server.closeIdleConnections();
    });
    return stopping;
  };
  return { endpoint: `http://127.0.0.1:${port}`, stop };
}

function toProjection(p: IndexDefinition['projection']): Projection {
  return p.type === 'INCLUDE'
    ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...p.nonKeyAttributes] }
    : { ProjectionType: p.type };
}

/**
 * Creates Herald's table from {@link TABLE} (the same definition the CDK stack uses) unless
 * it already exists, then waits until it is ACTIVE.
 *
 * TTL is not configured here: dynalite does not implement UpdateTimeToLive, and the code
 * never relies on expiry actually deleting items.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<'created' | 'existed'> {
  let result: 'created' | 'existed' = 'existed';
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (err) {
    if (!(err instanceof Error && err.name === 'ResourceNotFoundException')) throw err;
    result = await createTable(client, tableName);
  }
  // The SDK's default first poll delay is 20 s: dynalite on disk can answer CREATING for a
  // few milliseconds after CreateTable, which would stall a local start for 20 s.
  await waitUntilTableExists(
    { client, maxWaitTime: 60, minDelay: 0.05, maxDelay: 1 },
    { TableName: tableName },
  );
  return result;
}

async function createTable(client: DynamoDBClient, tableName: string): Promise<'created' | 'existed'> {
  const keyNames = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const index of TABLE.globalSecondaryIndexes) {
    keyNames.add(index.partitionKey);
    keyNames.add(index.sortKey);
  }
  const attributeDefinitions: AttributeDefinition[] = [...keyNames].map((name) => ({
    AttributeName: name,
    AttributeType: 'S',
  }));
  const indexes: GlobalSecondaryIndex[] = TABLE.globalSecondaryIndexes.map((index) => ({
    IndexName: index.indexName,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' },
      { AttributeName: index.sortKey, KeyType: 'RANGE' },
    ],
    Projection: toProjection(index.projection),
  }));
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions,
        KeySchema: [
          { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: indexes,
      }),
    );
    return 'created';
  } catch (err) {
    // Another process created it between our DescribeTable and CreateTable.
    if (err instanceof Error && err.name === 'ResourceInUseException') return 'existed';
    throw err;
  }
}
