/**
 * A fresh in-memory dynalite with Herald's table, for one integration test file:
 * start it in `beforeAll`, stop it in `afterAll`.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTable, startEmbeddedStore } from '../../functions/local/embedded-store';
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
  /** Destroys the client and stops dynalite; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts dynalite in memory on 127.0.0.1, creates the table and builds the store.
 * `now` is the store's clock (defaults to the real one).
 */
export async function startTestStore(opts: { now?: () => Date } = {}): Promise<TestStore> {
  const embedded = await startEmbeddedStore();
  const client = createDynamoClient({ region: 'us-east-1', endpoint: embedded.endpoint });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    client.destroy();
    await embedded.stop();
  };
  const tableName = 'herald-test';
  try {
    await ensureTable(client, tableName);
  } catch (err) {
    // A server left running would keep jest from exiting.
    await stop();
    throw err;
  }
  const doc = toDocumentClient(client);
  return {
    endpoint: embedded.endpoint,
    doc,
    client,
    tableName,
    store: createStore(doc, tableName, opts),
    stop,
  };
}
