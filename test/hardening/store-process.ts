/**
 * A store that can really die — SIGKILL mid-request — and come back on the same port with the
 * same data (on disk), as DynamoDB does after an outage: its own DynamoDB Local process, apart
 * from the run's shared one, so killing it touches no other test file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmbeddedStore, ensureTable, startEmbeddedStore } from '../../functions/local/embedded-store';
import { createDynamoClient, toDocumentClient } from '../../functions/store/client';
import { createStore } from '../../functions/store/index';
import type { TestStore } from '../helpers/test-store';

export interface ProcessStore extends TestStore {
  /** Kills the server at once (SIGKILL): in-flight requests fail, new ones are refused. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
  readonly running: boolean;
}

/**
 * Starts DynamoDB Local in its own process (in memory, or on disk with `persistent` so it
 * survives kill/restart), creates Herald's table and builds the store over it.
 */
export async function startProcessStore(opts: { persistent?: boolean } = {}): Promise<ProcessStore> {
  const dataDir = opts.persistent ? await mkdtemp(join(tmpdir(), 'herald-store-')) : undefined;
  let server: EmbeddedStore = await startEmbeddedStore({ path: dataDir });
  const { port } = server;
  let running = true;
  const endpoint = server.endpoint;
  const client = createDynamoClient({ region: 'us-east-1', endpoint });
  const tableName = 'herald-test';
  const killChild = async () => {
    if (!running) return;
    running = false;
    await server.kill();
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    client.destroy();
    await killChild();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await ensureTable(client, tableName);
  } catch (err) {
    await stop();
    throw err;
  }
  const doc = toDocumentClient(client);
  return {
    endpoint,
    doc,
    client,
    tableName,
    store: createStore(doc, tableName),
    stop,
    kill: killChild,
    restart: async () => {
      if (running) return;
      server = await startEmbeddedStore({ path: dataDir, port });
      running = true;
    },
    get running() {
      return running;
    },
  };
}
