/**
 * The table the store contract suite runs on. By default a fresh table on the jest run's
 * DynamoDB Local (like every store test). With `HERALD_CONTRACT_TABLE=<name>` it runs on a
 * real DynamoDB table in the account and region of the normal AWS credential chain
 * (`AWS_PROFILE`/`AWS_REGION`, …): the table is created (on demand, Herald's shape) when it
 * does not exist and deleted again at the end only then. Every key the suite writes carries
 * this run's prefix, so a scratch table can be reused. Never point it at a deployed stack's
 * table, and never run it in CI (docs/data-model.md, "Store contract suite").
 */
import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTable } from '../../../../functions/local/embedded-store';
import { toDocumentClient } from '../../../../functions/store/client';
import { createStore, type Store } from '../../../../functions/store/index';
import { startTestStore } from '../../../helpers/test-store';

export interface ContractTable {
  doc: DynamoDBDocumentClient;
  tableName: string;
  store: Store;
  /** True on a real AWS table (indexes are then eventually consistent). */
  onAws: boolean;
  /** A prefix unique to this run, safe inside ids and handles (`[a-z0-9]`). */
  run: string;
  stop(): Promise<void>;
}

/** The table named by `HERALD_CONTRACT_TABLE`, or a fresh one on DynamoDB Local. */
export async function startContractTable(): Promise<ContractTable> {
  const run = `c${randomBytes(4).toString('hex')}`;
  const name = process.env.HERALD_CONTRACT_TABLE;
  if (name === undefined || name === '') {
    const ts = await startTestStore();
    return { doc: ts.doc, tableName: ts.tableName, store: ts.store, onAws: false, run, stop: ts.stop };
  }
  // The SDK's own chain finds the region and credentials, exactly as a deployed function would.
  const client = new DynamoDBClient({});
  const created = (await ensureTable(client, name)) === 'created';
  const doc = toDocumentClient(client);
  return {
    doc,
    tableName: name,
    store: createStore(doc, name),
    onAws: true,
    run,
    stop: async () => {
      if (created) await client.send(new DeleteTableCommand({ TableName: name })).catch(() => undefined);
      client.destroy();
    },
  };
}

/**
 * Reads until `ok` holds (an index on AWS lags its table by a fraction of a second; locally
 * the first read must already be right). Returns the last value read either way, so the
 * test's own assertion reports what was seen.
 */
export async function eventually<T>(
  t: Pick<ContractTable, 'onAws'>,
  read: () => Promise<T>,
  ok: (value: T) => boolean,
): Promise<T> {
  let value = await read();
  for (let i = 0; t.onAws && !ok(value) && i < 20; i++) {
    await new Promise((r) => setTimeout(r, 250));
    value = await read();
  }
  return value;
}
