/**
 * `herald digest --now [--at <time>]`: runs the digest slots due now — or due at `--at`, to try a
 * reader's 08:00 without waiting for it — on this machine's data directory, and sends the digests
 * through Telegram (TELEGRAM_BOT_TOKEN; TELEGRAM_API_ROOT for another Bot API). The same scheduler
 * code as the Lambda and `npm start`'s loop (alerts/digest-scheduler.ts); the scheduler's cursor
 * still moves forward only, so a slot is never sent twice.
 */
import { parseArgs } from 'node:util';
import { Logger } from '@aws-lambda-powertools/logger';
import { createLocalAlerts } from '../alerts/local-alerts';
import { digestRenderer } from '../bot/digest-view';
import { alertRenderer } from '../bot/views';
import { loadConfig } from '../config';
import { digestRunId } from '../core/delivery';
import { createI18n } from '../i18n';
import { DigestRepository } from '../store/digest-repository';
import { createStore } from '../store/index';
import { ReaderSettingsRepository } from '../store/reader-settings-repository';
import { EmbeddedStoreError, openEmbeddedTable } from './embedded-store';
import type { ImportIo } from './import-command';
import { defaultDataDir } from './start';

const USAGE = `Usage: herald digest --now [--at <ISO time>]
  Sends the digests due now (or due at the given time, e.g. --at 2026-12-01T08:05:00Z) through
  Telegram. Needs TELEGRAM_BOT_TOKEN; npm start runs the same schedule every minute by itself.`;

/** Runs the command; the exit code (0 done, 1 a sentence on stderr says why not). */
export async function digestCommand(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  io: Pick<ImportIo, 'stdout' | 'stderr'> = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let values: { now?: boolean; at?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { now: { type: 'boolean' }, at: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (err) {
    io.stderr.write(`herald digest: ${(err as Error).message}\n${USAGE}\n`);
    return 1;
  }
  if (values.help || !values.now) {
    io.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 1;
  }
  const at = values.at === undefined ? Date.now() : Date.parse(values.at);
  if (Number.isNaN(at)) {
    io.stderr.write(
      `herald digest: --at must be a date-time like 2026-12-01T08:05:00Z, got "${values.at}"\n`,
    );
    return 1;
  }
  const token = env.TELEGRAM_BOT_TOKEN?.trim();
  if (!token) {
    io.stderr.write(
      'herald digest: digests are sent through Telegram: set TELEGRAM_BOT_TOKEN. Without a token, npm start sends them to its offline chat every minute.\n',
    );
    return 1;
  }
  const config = loadConfig({ LOG_LEVEL: 'ERROR', ...env });
  let opened: Awaited<ReturnType<typeof openEmbeddedTable>>;
  try {
    opened = await openEmbeddedTable({
      path: defaultDataDir(env),
      region: config.region,
      tableName: config.tableName,
    });
  } catch (err) {
    if (!(err instanceof EmbeddedStoreError)) throw err;
    io.stderr.write(`herald digest: ${err.message}\nWith npm start running, it sends the digests itself.\n`);
    return 1;
  }
  try {
    const store = createStore(opened.doc, config.tableName);
    const i18n = createI18n();
    const alerts = createLocalAlerts({
      renderAlert: alertRenderer(i18n),
      renderDigest: digestRenderer(i18n),
      doc: opened.doc,
      store: {
        articles: store.articles,
        subscriptions: store.subscriptions,
        readers: new ReaderSettingsRepository(opened.doc, config.tableName),
        digests: new DigestRepository(opened.doc, config.tableName, () => at),
      },
      config,
      telegram: { apiRoot: config.telegramApiRoot, token },
      logger: new Logger({ logLevel: 'ERROR' }),
      clock: { now: () => at, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
    });
    const result = await alerts.runDigests();
    do await alerts.drain();
    while (alerts.queue.size > 0);
    const slots = result?.slots ?? [];
    let sent = 0;
    for (const slot of slots) sent += (await alerts.report(digestRunId(slot)))?.sent ?? 0;
    io.stdout.write(`Ran ${slots.length} digest slot(s): ${sent} digest(s) sent.\n`);
    return 0;
  } finally {
    await opened.close();
  }
}
