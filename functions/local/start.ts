/**
 * `npm start`: the embedded store on local disk, then either long polling against Telegram
 * (TELEGRAM_BOT_TOKEN set) or the offline chat through the Bot API stand-in (no token). Both
 * hand every update to the same webhook handler code that runs on Lambda.
 */
import { resolve } from 'node:path';
import type { Logger } from '@aws-lambda-powertools/logger';
import { Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';
import { createAdminApi } from '../admin/admin-api';
import { createStatsReader } from '../admin/stats';
import type { WebhookResult } from '../bot/webhook';
import { type Config, loadConfig } from '../config';
import { commandMenus } from '../i18n/commands';
import { createLogger } from '../logger';
import { ChannelRepository } from '../store/channel-repository';
import { setCommandMenus } from '../telegram/register-webhook';
import { type AdminServer, generateAdminKey, startAdminServer } from './admin-server';
import { feedPollMinutes, localFeedFetcher } from './feed-runner';
import { runOfflineChat } from './offline-chat';
import { forwardWebhookReply, type LocalRuntime, startLocalRuntime, webhookEvent } from './runtime';
import { createBotApiStandIn } from './telegram-stand-in';

/** A syntactically valid token for the offline stand-in (it never leaves this machine). */
export const OFFLINE_TOKEN = '1000001:OFFLINE-herald-demo-token-not-a-secret';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.HERALD_DATA_DIR ?? resolve(__dirname, '..', '..', '.herald-data'));
}

/** Long polling: getUpdates in a loop, each update through the webhook handler (dedupe included). */
async function pollTelegram(
  runtime: LocalRuntime,
  config: Config,
  token: string,
  log: (s: string) => void,
): Promise<void> {
  const telegram = new Telegram(token, { apiRoot: config.telegramApiRoot });
  const me = await telegram.getMe();
  log(`Connected to Telegram as @${me.username}. Long polling; press Ctrl-C to stop.`);
  await telegram.deleteWebhook();
  let offset = 0;
  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  while (!stopping) {
    let updates: Update[];
    try {
      updates = await telegram.getUpdates(25, 100, offset, undefined as unknown as []);
    } catch (err) {
      log(`getUpdates failed: ${(err as Error).message}; retrying in 3 s`);
      await new Promise((r) => setTimeout(r, 3000));
      continue;
    }
    for (const update of updates) {
      offset = update.update_id + 1;
      const res = await runtime.app.handleWebhook(webhookEvent(update, runtime.webhookSecret));
      if (res.statusCode >= 500) log(`update ${update.update_id} failed with ${res.statusCode}`);
      await forwardWebhookReply(res, config.telegramApiRoot, token);
    }
  }
}

/** The offline Bot API stand-in of `npm start` (no TELEGRAM_BOT_TOKEN). */
function createOfflineStandIn(config: Config, deliver: (update: Update) => Promise<unknown>) {
  return createBotApiStandIn({
    token: OFFLINE_TOKEN,
    // The data directory remembers update ids (deduplication): never reuse one from an earlier run.
    firstUpdateId: Date.now(),
    botInfo: {
      id: Number(OFFLINE_TOKEN.split(':')[0]),
      is_bot: true,
      first_name: 'Herald',
      username: config.botUsername,
      supports_inline_queries: true,
    },
    deliver,
  });
}

/** An IETF language tag as Telegram sends it in `language_code` (`ar`, `ur-PK`). */
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

/** What `herald start` accepts on its command line. */
export interface StartOptions {
  /** The offline reader's Telegram `language_code` (`--lang ar`, else HERALD_LANG, else `en`). */
  readonly languageCode: string;
  /** Seed the demo publication into a fresh data directory (off with `--no-demo` or HERALD_NO_DEMO=1). */
  readonly seedDemo: boolean;
}

/**
 * Reads `herald start [--lang <code>] [--no-demo]` (also `--lang=<code>`; HERALD_LANG when absent;
 * HERALD_NO_DEMO=1 for `--no-demo`).
 *
 * @throws Error with a sentence for the person when an option or the code is not understood.
 */
export function parseStartArgs(args: readonly string[], env: NodeJS.ProcessEnv = process.env): StartOptions {
  let lang: string | undefined;
  let seedDemo = !/^(1|true|yes)$/i.test(env.HERALD_NO_DEMO?.trim() ?? '');
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--no-demo') seedDemo = false;
    else if (arg === '--lang') {
      lang = args[i + 1];
      i += 1;
      if (lang === undefined) throw new Error('--lang needs a language code, e.g. --lang ar');
    } else if (arg.startsWith('--lang=')) lang = arg.slice('--lang='.length);
    else
      throw new Error(`start does not take "${arg}"; it takes --lang <code> (e.g. --lang ur) and --no-demo`);
  }
  const code = (lang ?? env.HERALD_LANG ?? 'en').trim();
  if (!LANGUAGE_TAG.test(code)) {
    throw new Error(`"${code}" is not a language code; use one like en, ar, ur, ru or ur-PK`);
  }
  return { languageCode: code, seedDemo };
}

/**
 * Publishes the command menu in every language, as a deploy does (one `setMyCommands` per
 * language): on real Telegram with a token, on the stand-in offline. A refusal is reported and
 * the bot runs on (the menu is a convenience).
 */
async function publishCommandMenus(
  runtime: LocalRuntime,
  apiRoot: string,
  token: string,
  log: (s: string) => void,
): Promise<void> {
  try {
    await setCommandMenus({ apiRoot, token }, commandMenus(runtime.app.i18n));
  } catch (err) {
    log(`The command menu could not be published: ${(err as Error).message}`);
  }
}

/** Entry point of `herald start`. Resolves when the chat ends (end of input, /quit, Ctrl-C). */
export async function startCommand(
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const options = parseStartArgs(args, env);
  const log = (s: string) => process.stderr.write(`${s}\n`);
  // This machine runs Node 20 knowingly (Lambda runs Node 22): keep the SDK's notice out of the chat.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const token = env.TELEGRAM_BOT_TOKEN?.trim();
  const config = loadConfig({ LOG_LEVEL: 'ERROR', ...env });
  // Locally the logger stays quiet unless asked: the terminal is the chat.
  const logger = createLogger(config);
  const dataDir = defaultDataDir(env);
  // Offline, the stand-in for Telegram starts first, so the app is built with its apiRoot
  // (nothing is changed after the bot is built). It delivers only once a person types.
  const standIn = token ? undefined : createOfflineStandIn(config, (update) => deliverLocally(update));
  const apiRoot = await standIn?.start();
  // Feed sources are polled in the background on the Lambda's schedule; 0 turns it off.
  const pollMinutes = feedPollMinutes(env);
  const runtime: LocalRuntime = await startLocalRuntime({
    config: apiRoot === undefined ? config : { ...config, telegramApiRoot: apiRoot },
    logger,
    dataDir,
    token: token || OFFLINE_TOKEN,
    seedDemo: options.seedDemo,
    ...(pollMinutes > 0
      ? {
          feedPoll: {
            intervalMs: pollMinutes * 60_000,
            fetch: localFeedFetcher(env, { botUsername: config.botUsername }),
          },
        }
      : {}),
  }).catch(async (err: unknown) => {
    await standIn?.stop();
    throw err;
  });
  async function deliverLocally(update: Update): Promise<WebhookResult> {
    const res = await runtime.app.handleWebhook(webhookEvent(update, runtime.webhookSecret));
    if (res.statusCode !== 200) log(`the webhook answered ${res.statusCode}`);
    return res; // the stand-in runs a method in the body, as Telegram does
  }
  log(
    `Herald is running on the embedded store. Data: ${dataDir}${runtime.seeded ? ' (new: demo content seeded)' : ''}`,
  );
  let admin: AdminServer | undefined;
  try {
    admin = await startLocalAdminApi(runtime, logger, env, log);
    await publishCommandMenus(runtime, apiRoot ?? config.telegramApiRoot, token || OFFLINE_TOKEN, log);
    if (token) {
      await pollTelegram(runtime, config, token, log);
      return;
    }
    if (standIn === undefined) return;
    log('No TELEGRAM_BOT_TOKEN: offline chat (a local stand-in for Telegram). Quit with /quit or Ctrl-D.');
    try {
      // The reader's Telegram language (--lang / HERALD_LANG): the bot answers in it until /language.
      const user = standIn.user({
        id: 4242,
        first_name: 'Alex',
        username: 'alex',
        language_code: options.languageCode,
      });
      await runOfflineChat({
        standIn,
        user,
        // `/as <name>`: another simulated reader with their own chat (shares, "friends who opened").
        userNamed: (name, id) =>
          standIn.user({
            id,
            first_name: name,
            username: name.toLowerCase(),
            language_code: options.languageCode,
          }),
        botUsername: config.botUsername,
        input: process.stdin,
        output: process.stdout,
        echo: !process.stdin.isTTY,
      });
    } finally {
      await standIn.stop();
    }
  } finally {
    await admin?.stop();
    await runtime.stop();
  }
}

/** Port of the local admin API unless HERALD_ADMIN_PORT says otherwise (a busy port falls back to a free one). */
const DEFAULT_ADMIN_PORT = 8787;

/**
 * The admin HTTP API of this run on 127.0.0.1, with a key that lives only as long as the run
 * (HERALD_ADMIN_KEY fixes it, e.g. for scripts). Prints the URL and key once.
 */
async function startLocalAdminApi(
  runtime: LocalRuntime,
  logger: Logger,
  env: NodeJS.ProcessEnv,
  log: (s: string) => void,
): Promise<AdminServer> {
  const fixedKey = env.HERALD_ADMIN_KEY?.trim();
  const key = fixedKey || generateAdminKey();
  const wanted = Number(env.HERALD_ADMIN_PORT ?? DEFAULT_ADMIN_PORT);
  const port = Number.isInteger(wanted) && wanted >= 0 && wanted <= 65_535 ? wanted : DEFAULT_ADMIN_PORT;
  const { app } = runtime;
  // HERALD_ADMIN_KEYS: a keyring with named, scoped keys (admin/admin-keys.ts), read again while
  // running like the secret on AWS; the single key keeps working beside it, with every scope.
  const keyring = env.HERALD_ADMIN_KEYS?.trim();
  const api = createAdminApi({
    store: app.store,
    stats: createStatsReader({ doc: app.doc, tableName: app.config.tableName, articles: app.store.articles }),
    getApiKey: async () => (keyring ? withDefaultKey(keyring, key) : key),
    logger,
    channels: new ChannelRepository(app.doc, app.config.tableName),
  });
  const server = await startAdminServer({ api, port });
  const shownKey = fixedKey ? '$HERALD_ADMIN_KEY' : key;
  log(`Admin API: ${server.url}/admin/  key: ${shownKey}${fixedKey ? '' : '  (new every run)'}`);
  log(`  e.g. npm run herald -- import test/fixtures/import --api ${server.url} --key ${shownKey}`);
  return server;
}

/** A keyring with the run's single key added as `local` (every scope), so both kinds work locally. */
function withDefaultKey(keyring: string, key: string): string {
  const parsed: unknown = JSON.parse(keyring);
  const keys =
    typeof parsed === 'object' && parsed !== null ? (parsed as { keys?: unknown }).keys : undefined;
  return JSON.stringify({
    keys: [
      ...(Array.isArray(keys) ? keys : []),
      { name: 'local', key, scopes: ['publish', 'moderate', 'read'] },
    ],
  });
}
