/**
 * dynalite in a child process: the store on the machine's other core (the fuzz is CPU-bound
 * in one process otherwise), and a store that can really die — SIGKILL mid-request — and come
 * back on the same port with the same data (LevelDB on disk), as DynamoDB does after an outage.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTable } from '../../functions/local/embedded-store';
import { createDynamoClient, toDocumentClient } from '../../functions/store/client';
import { createStore } from '../../functions/store/index';
import type { TestStore } from '../helpers/dynalite';

/** Started by `node -e`: listens on 127.0.0.1:<port> and prints the port once ready. */
const SERVER_SCRIPT = `
const dynalite = require('dynalite');
const [port, path] = [Number(process.argv[1]), process.argv[2] || undefined];
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path });
server.listen(port, '127.0.0.1', () => process.stdout.write('port=' + server.address().port + '\\n'));
process.on('disconnect', () => process.exit(0));
`;

export interface ProcessStore extends TestStore {
  /** Kills the server at once (SIGKILL): in-flight requests fail, new ones are refused. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
  readonly running: boolean;
}

function launch(port: number, dataDir: string | undefined): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    // cwd is the repository, so require('dynalite') resolves from its node_modules.
    const child = spawn(process.execPath, ['-e', SERVER_SCRIPT, String(port), dataDir ?? ''], {
      cwd: join(__dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let out = '';
    let err = '';
    const fail = (why: string) => {
      child.kill('SIGKILL');
      reject(new Error(`dynalite child process: ${why}\n${err}`));
    };
    const timer = setTimeout(() => fail('did not start within 10 s'), 10_000);
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /port=(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!/port=/.test(out)) fail(`exited with ${code}`);
    });
  });
}

/**
 * Starts dynalite in a child process (in memory, or on disk with `persistent` so it survives
 * kill/restart), creates Herald's table and builds the store over it.
 */
export async function startProcessStore(opts: { persistent?: boolean } = {}): Promise<ProcessStore> {
  const dataDir = opts.persistent ? await mkdtemp(join(tmpdir(), 'herald-dynalite-')) : undefined;
  let { child, port } = await launch(0, dataDir);
  let running = true;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createDynamoClient({ region: 'us-east-1', endpoint });
  const tableName = 'herald-test';
  const killChild = async () => {
    if (!running) return;
    running = false;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
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
      ({ child, port } = await launch(port, dataDir));
      running = true;
    },
    get running() {
      return running;
    },
  };
}
