/**
 * A fresh table for one test file on the DynamoDB Local that jest's global setup started
 * (test/helpers/global-setup.ts): start it in `beforeAll`, stop it in `afterAll`. Each call
 * makes its own table, so test files stay independent while sharing one JVM.
 *
 * `HERALD_TEST_DYNAMO_ENDPOINT` points the tests at another endpoint; the contract suite can
 * also run against a real AWS table (docs/data-model.md, "Store contract suite").
 */
import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTable } from '../../functions/local/embedded-store';
import { createDynamoClient, toDocumentClient } from '../../functions/store/client';
import { createStore, type Store } from '../../functions/store/index';

export interface TestStore {
  endpoint: string;
  /** The document client the repositories use. */
  doc: DynamoDBDocumentClient;
  /** The low-level client (table management, raw checks). */
  client: DynamoDBClient;
  tableName: string;
  store: Store;
  /** Deletes the table and destroys the client; safe to call twice. */
  stop(): Promise<void>;
}

/** The DynamoDB Local of this jest run (set by the global setup). */
export function testEndpoint(): string {
  const endpoint = process.env.HERALD_TEST_DYNAMO_ENDPOINT;
  if (endpoint === undefined || endpoint === '') {
    throw new Error(
      'HERALD_TEST_DYNAMO_ENDPOINT is not set: run the tests through jest (its global setup starts DynamoDB Local)',
    );
  }
  return endpoint;
}

/** A table name no other test file uses in this run (DynamoDB Local keeps them all in one JVM). */
export function uniqueTableName(prefix = 'herald-test'): string {
  return `${prefix}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Creates a table of Herald's shape on the run's DynamoDB Local and builds the store on it.
 * `now` is the store's clock (defaults to the real one).
 */
export async function startTestStore(opts: { now?: () => Date } = {}): Promise<TestStore> {
  const endpoint = testEndpoint();
  const client = createDynamoClient({ region: 'us-east-1', endpoint });
  const tableName = uniqueTableName();
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
    client.destroy();
  };
  try {
    await ensureTable(client, tableName);
  } catch (err) {
    await stop();
    throw err;
  }
  const doc = toDocumentClient(client);
  return { endpoint, doc, client, tableName, store: createStore(doc, tableName, opts), stop };
}
