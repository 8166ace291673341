/**
 * The one place DynamoDB SDK clients are built. Everything else receives a client, so the
 * same code talks to AWS, to the embedded store (`npm start`) or to a test instance just
 * by passing an `endpoint`.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoClientOptions {
  region: string;
  /** The embedded store or a test instance, e.g. `http://127.0.0.1:4567`. Unset on AWS. */
  endpoint?: string;
}

/**
 * Builds the low-level DynamoDB client (table management such as CreateTable needs it;
 * the repositories use {@link toDocumentClient}'s wrapper).
 *
 * With an `endpoint` the client gets dummy static credentials — the embedded store checks none, and
 * a local run must never go looking for a real AWS profile — and only 3 attempts, so a
 * stopped local store fails fast instead of retrying with backoff.
 */
export function createDynamoClient(opts: DynamoClientOptions): DynamoDBClient {
  if (opts.endpoint === undefined) return new DynamoDBClient({ region: opts.region });
  return new DynamoDBClient({
    region: opts.region,
    endpoint: opts.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
}

/**
 * Wraps a low-level client in the document client the repositories use. `undefined`
 * attributes are dropped rather than rejected, so optional fields (an article without a
 * URL) can be passed straight through.
 *
 * Note: `DynamoDBDocumentClient.destroy()` does nothing; destroy the wrapped client.
 */
export function toDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** Builds a document client for `region` (and `endpoint`, when local); see {@link createDynamoClient}. */
export function createDocumentClient(opts: DynamoClientOptions): DynamoDBDocumentClient {
  return toDocumentClient(createDynamoClient(opts));
}
