/**
 * Alerts in the one-machine runtime come from the table's stream, as on AWS: a publish alerts
 * with no hook, a silent one does not, an article imported into the store while `npm start`
 * was not running alerts on the next start, and stopping the runtime mid-run loses nothing.
 * Each runtime runs its own DynamoDB Local on a temporary data directory.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { loadConfig } from '../../../functions/config';
import { publishArticle, publishAuthor } from '../../../functions/core/publishing';
import { importCommand } from '../../../functions/local/import-command';
import { type LocalRuntime, startLocalRuntime } from '../../../functions/local/runtime';
import { type BotApiStandIn, createBotApiStandIn } from '../../../functions/local/telegram-stand-in';
import { eachLimit } from '../../helpers/each-limit';

const TOKEN = '123456789:TEST-token-for-the-local-stream-tests';
const ADMIN = 901;
const logger = new Logger({ logLevel: 'SILENT' });

let standIn: BotApiStandIn;
let apiRoot: string;
let dataDir: string;
const runtimes: LocalRuntime[] = [];

beforeAll(async () => {
  standIn = createBotApiStandIn({
    token: TOKEN,
    botInfo: { id: 123456789, is_bot: true, first_name: 'Herald', username: 'HeraldTestBot' },
  });
  apiRoot = await standIn.start();
  dataDir = await mkdtemp(join(tmpdir(), 'herald-stream-'));
});

afterAll(async () => {
  for (const r of runtimes) await r.stop().catch(() => undefined);
  await standIn?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function start(rate: number): Promise<LocalRuntime> {
  const config = loadConfig({
    LOG_LEVEL: 'SILENT',
    ALERT_RATE_PER_SECOND: String(rate),
    ADMIN_IDS: String(ADMIN),
  });
  const runtime = await startLocalRuntime({ config, logger, dataDir, token: TOKEN, seedDemo: false });
  runtimes.push(runtime);
  runtime.app.bot.telegram.options.apiRoot = apiRoot;
  runtime.app.bot.telegram.options.agent = undefined;
  return runtime;
}

async function stop(runtime: LocalRuntime): Promise<void> {
  await runtime.stop();
  runtimes.splice(runtimes.indexOf(runtime), 1);
}

const alertsTo = (chatId: number) =>
  standIn.messages(chatId).filter((m) => m.text.startsWith('New from')).length;

async function until(check: () => boolean | Promise<boolean>, ms = 30_000, everyMs = 50): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const article = (id: string, handle: string) => ({
  id,
  title: `Post ${id}`,
  authorHandle: handle,
  body: 'Body text.',
  publishedAt: '2026-11-30T09:00:00Z',
});

describe('alerts from the table stream in the local runtime', () => {
  it('alerts on a publish with no hook, and not for an article published silent', async () => {
    // Prepare
    const runtime = await start(1000);
    const { store } = runtime.app;
    await publishAuthor(store, { handle: 'streamer', fullName: 'S Author', userSince: '2010-01-01' });
    const users = [50_001, 50_002, 50_003];
    for (const id of users) await store.subscriptions.subscribe(id, 'streamer');

    // Act
    await publishArticle(store, article('quiet-post', 'streamer'), { silent: true });
    await publishArticle(store, article('loud-post', 'streamer'));
    await until(async () => (await runtime.alerts.alerts.getRun('loud-post'))?.done === true);
    await runtime.stream.caughtUp();

    // Assess
    expect(users.map(alertsTo)).toEqual([1, 1, 1]);
    expect(await runtime.alerts.alerts.getRun('quiet-post')).toBeUndefined();
    await stop(runtime);
  }, 60_000);

  it('finishes a run after the runtime is stopped mid-alert: every subscriber once, nothing lost', async () => {
    // Prepare: 60 subscribers (queue messages of 50 and 10) at 10/s take 6 s, so the stop,
    // right after the fifth alert, comes early in the run: well inside the first message.
    const runtime = await start(10);
    const { store } = runtime.app;
    await publishAuthor(store, { handle: 'stopper', fullName: 'Stop Author', userSince: '2010-01-01' });
    const users = Array.from({ length: 60 }, (_, i) => 51_000 + i);
    await eachLimit(users, 8, (id) => store.subscriptions.subscribe(id, 'stopper'));

    // Act
    await publishArticle(store, article('stopped-post', 'stopper'));
    await until(() => users.filter((id) => alertsTo(id) > 0).length >= 5, 30_000, 10);
    await stop(runtime);
    const beforeRestart = users.filter((id) => alertsTo(id) > 0).length;
    const again = await start(1000);
    await until(async () => (await again.alerts.alerts.getRun('stopped-post'))?.done === true);

    // Assess: the stop came mid-message (fewer than its 50 sent), and the restart sent each
    // of the others exactly once.
    expect(beforeRestart).toBeLessThan(50);
    expect(users.map(alertsTo).every((n) => n === 1)).toBe(true);
    expect(await again.alerts.report('stopped-post')).toMatchObject({
      total: 60,
      sent: 60,
      unconfirmed: 0,
      failed: 0,
    });
    await stop(again);
  }, 90_000);

  it('alerts for an article `herald import` stored while npm start was not running; --no-alerts stays silent', async () => {
    // Prepare
    const runtime = await start(1000);
    await publishAuthor(runtime.app.store, {
      handle: 'importee',
      fullName: 'I Author',
      userSince: '2010-01-01',
    });
    const reader = 52_001;
    await runtime.app.store.subscriptions.subscribe(reader, 'importee');
    await stop(runtime);
    const loud = join(dataDir, 'loud.json');
    const quiet = join(dataDir, 'quiet.json');
    await writeFile(loud, JSON.stringify({ articles: [article('imported-loud', 'importee')] }));
    await writeFile(quiet, JSON.stringify({ articles: [article('imported-quiet', 'importee')] }));
    const io = { stdout: { write: () => true }, stderr: { write: () => true }, cwd: dataDir };
    const env = { HERALD_DATA_DIR: dataDir, LOG_LEVEL: 'SILENT' };

    // Act
    expect(await importCommand([quiet, '--no-alerts'], env, io)).toBe(0);
    expect(await importCommand([loud], env, io)).toBe(0);
    const next = await start(1000);
    await until(async () => (await next.alerts.alerts.getRun('imported-loud'))?.done === true);
    await next.stream.caughtUp();

    // Assess
    expect(standIn.messages(reader).filter((m) => m.text.includes('Post imported-loud'))).toHaveLength(1);
    expect(standIn.messages(reader).filter((m) => m.text.includes('Post imported-quiet'))).toHaveLength(0);
    expect(await next.alerts.alerts.getRun('imported-quiet')).toBeUndefined();
    await stop(next);
  }, 90_000);
});
