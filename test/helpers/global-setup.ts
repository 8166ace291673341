/**
 * jest global setup: one DynamoDB Local (in memory) for the whole run, shared by every test
 * file through HERALD_TEST_DYNAMO_ENDPOINT; each file makes its own table
 * (test/helpers/test-store.ts). Starting the JVM once, not per file, keeps the suite fast.
 */
import { type EmbeddedStore, startEmbeddedStore } from '../../functions/local/embedded-store';

declare global {
  var heraldTestStore: EmbeddedStore | undefined;
}

export default async function globalSetup(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  if (process.env.HERALD_TEST_DYNAMO_ENDPOINT) return; // pointed elsewhere on purpose
  const store = await startEmbeddedStore();
  globalThis.heraldTestStore = store;
  process.env.HERALD_TEST_DYNAMO_ENDPOINT = store.endpoint;
}
