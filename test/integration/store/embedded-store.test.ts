import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  checkJava,
  EmbeddedStoreError,
  ensureTable,
  startEmbeddedStore,
} from '../../../functions/local/embedded-store';
import { createDynamoClient, toDocumentClient } from '../../../functions/store/client';
import { createStore } from '../../../functions/store/index';
import { TABLE } from '../../../functions/store/table-definition';

describe('startEmbeddedStore and ensureTable', () => {
  it('creates the table from the shared definition once', async () => {
    // Prepare
    const embedded = await startEmbeddedStore();
    const client = createDynamoClient({ region: 'us-east-1', endpoint: embedded.endpoint });
    try {
      // Act
      const first = await ensureTable(client, 'herald-t1');
      const second = await ensureTable(client, 'herald-t1');
      const table = (await client.send(new DescribeTableCommand({ TableName: 'herald-t1' }))).Table;

      // Assess
      expect([first, second]).toEqual(['created', 'existed']);
      expect(embedded.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(table?.TableStatus).toBe('ACTIVE');
      expect(table?.KeySchema).toEqual([
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ]);
      expect(table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
      const indexes = table?.GlobalSecondaryIndexes ?? [];
      expect(indexes.map((i) => i.IndexName).sort()).toEqual(
        TABLE.globalSecondaryIndexes.map((i) => i.indexName),
      );
      for (const index of indexes) {
        expect(index.Projection?.ProjectionType).toBe('INCLUDE');
        expect(index.Projection?.NonKeyAttributes).not.toContain('views');
      }
    } finally {
      client.destroy();
      await embedded.stop();
    }
  });

  it('keeps data on disk across a restart, and stop() may be called twice', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'herald-embedded-'));
    const path = join(dir, 'nested', 'data');
    try {
      const first = await startEmbeddedStore({ path });
      const client1 = createDynamoClient({ region: 'us-east-1', endpoint: first.endpoint });
      await ensureTable(client1, 'herald');
      await createStore(toDocumentClient(client1), 'herald').authors.putAuthor({
        handle: 'kept',
        fullName: 'Kept Across Restarts',
        userSince: '2008-03-15',
      });
      client1.destroy();
      await first.stop();
      await first.stop();

      // Act
      const second = await startEmbeddedStore({ path });
      const client2 = createDynamoClient({ region: 'us-east-1', endpoint: second.endpoint });
      try {
        const existed = await ensureTable(client2, 'herald');
        const author = await createStore(toDocumentClient(client2), 'herald').authors.getAuthor('kept');

        // Assess
        expect(existed).toBe('existed');
        expect(author?.fullName).toBe('Kept Across Restarts');
      } finally {
        client2.destroy();
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** The DynamoDB Local processes (guard or JVM) whose command line names `dir`. */
function dynamoDbLocalsFor(dir: string): string[] {
  const out = spawnSync('pgrep', ['-af', 'DynamoDBLocal.jar'], { encoding: 'utf8' });
  return out.stdout.split('\n').filter((line) => line.includes(dir));
}

describe('the embedded store on this machine', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'herald-embedded-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('names the package to install when Java is missing', () => {
    // Act
    const run = () => checkJava('no-such-java-binary');

    // Assess
    expect(run).toThrow(EmbeddedStoreError);
    expect(run).toThrow(/apt-get install openjdk-17-jre-headless/);
    expect(run).toThrow(/brew install openjdk@17/);
  });

  it('refuses a second store on a data directory in use, with one sentence', async () => {
    // Prepare
    const path = join(scratch, 'busy');
    const first = await startEmbeddedStore({ path });
    try {
      // Act
      const second = startEmbeddedStore({ path });

      // Assess
      await expect(second).rejects.toThrow(EmbeddedStoreError);
      await expect(startEmbeddedStore({ path })).rejects.toThrow(`The data directory ${path} is in use`);
    } finally {
      await first.stop();
    }
    // Once stopped, the directory is free again.
    const again = await startEmbeddedStore({ path });
    await again.stop();
  });

  it('takes over the lock of a process that no longer runs', async () => {
    // Prepare: a lock left by a crashed process (a pid that cannot be running).
    const path = join(scratch, 'stale');
    await mkdir(path, { recursive: true });
    writeFileSync(join(path, 'herald.lock'), '999999999');

    // Act
    const store = await startEmbeddedStore({ path });

    // Assess
    expect(store.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await store.stop();
  });

  it('does not misread a data directory of the dynalite-based Herald, and says what to do', async () => {
    // Prepare: the files LevelDB leaves behind.
    const path = join(scratch, 'old');
    await mkdir(path, { recursive: true });
    writeFileSync(join(path, 'CURRENT'), 'MANIFEST-000004\n');
    writeFileSync(join(path, 'MANIFEST-000004'), '');
    writeFileSync(join(path, '000005.ldb'), '');

    // Act
    const start = startEmbeddedStore({ path });

    // Assess
    await expect(start).rejects.toThrow(/written by an older Herald \(dynalite\).*import.*start fresh/s);
    expect(dynamoDbLocalsFor(path)).toEqual([]);
  });

  it('leaves no JVM behind when the Herald process is killed outright (SIGKILL)', async () => {
    // Prepare: a process that starts the store on disk and then hangs.
    const path = join(scratch, 'killed');
    const script =
      "const { startEmbeddedStore } = require('./functions/local/embedded-store');" +
      `startEmbeddedStore({ path: ${JSON.stringify(path)} }).then(() => { console.log('ready'); setInterval(() => {}, 1000); });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: join(__dirname, '..', '..', '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`exited with ${code} before it was ready`)));
    });
    expect(dynamoDbLocalsFor(path).length).toBeGreaterThan(0);

    // Act
    child.kill('SIGKILL');

    // Assess: the guard sees its pipe close and stops Java within moments.
    for (let i = 0; i < 100 && dynamoDbLocalsFor(path).length > 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(dynamoDbLocalsFor(path)).toEqual([]);
  });
});
