/**
 * The benchmark's world: Herald's real app (bot + webhook handler, built by `createHeraldApp`)
 * on an in-memory DynamoDB Local and the Bot API stand-in, all in this process — the same wiring as
 * the integration harness and `npm start`. Two probes are added from outside the app:
 *
 * - a DynamoDB middleware on the document client the app uses, which counts every command by
 *   name and times it, attributed to the update being handled (AsyncLocalStorage);
 * - a timer around the webhook handler, as API Gateway would call it.
 *
 * Telegram calls are counted from the stand-in's own record (`standIn.calls`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Update } from 'telegraf/types';
import { createHeraldApp, type HeraldApp } from '../../functions/app';
import { loadConfig } from '../../functions/config';
import { publishArticle, publishAuthor } from '../../functions/core/publishing';
import { DEMO_ARTICLES, DEMO_AUTHORS } from '../../functions/local/demo-content';
import { ensureTable, startEmbeddedStore } from '../../functions/local/embedded-store';
import { webhookEvent } from '../../functions/local/runtime';
import {
  type BotApiStandIn,
  createBotApiStandIn,
  type SimulatedUser,
} from '../../functions/local/telegram-stand-in';
import { createDynamoClient, toDocumentClient } from '../../functions/store/client';
import { nowMs } from './stats';

const TOKEN = '123456789:BENCH-token-for-the-stand-in-only-0000';
const WEBHOOK_SECRET = 'bench-webhook-secret';
const BOT_USERNAME = 'HeraldBenchBot';

/** What the probes saw while one update went through the webhook handler. */
export interface HandledUpdate {
  updateId: number;
  /** The HTTP status the webhook handler answered. */
  status: number;
  /** Wall time of the handler call. */
  handlerMs: number;
  /** Wall time with at least one DynamoDB call in flight (parallel calls are not double-counted). */
  storeMs: number;
  /** DynamoDB commands by name (`PutItem`, `UpdateItem`, …), in order of issue. */
  dynamo: string[];
}

/** A running world; `stop()` it when done. */
export interface World {
  app: HeraldApp;
  standIn: BotApiStandIn;
  /** Every update handled so far, in order of completion. */
  handled: HandledUpdate[];
  /** A private-chat user. */
  user(id: number): SimulatedUser;
  stop(): Promise<void>;
}

interface UpdateProbe {
  dynamo: string[];
  inFlight: number;
  since: number;
  storeMs: number;
}

/**
 * Counts and times every command sent through `doc` (and the low-level client it wraps: they
 * share one middleware stack), charging it to the update whose handler issued it.
 */
function instrument(doc: DynamoDBDocumentClient, probes: AsyncLocalStorage<UpdateProbe>): void {
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const probe = probes.getStore();
      if (probe === undefined) return next(args);
      probe.dynamo.push(String(context.commandName ?? 'unknown').replace(/Command$/, ''));
      if (probe.inFlight++ === 0) probe.since = nowMs();
      try {
        return await next(args);
      } finally {
        if (--probe.inFlight === 0) probe.storeMs += nowMs() - probe.since;
      }
    },
    // initialize: once per command, before retries, so a retried call still counts as one call
    // and its time includes the retries.
    { step: 'initialize', name: 'heraldBenchProbe' },
  );
}

/** Starts DynamoDB Local (in memory), the stand-in and the app, and seeds the demo publication. */
export async function startWorld(): Promise<World> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const store = await startEmbeddedStore();
  const client = createDynamoClient({ region: 'us-east-1', endpoint: store.endpoint });
  const probes = new AsyncLocalStorage<UpdateProbe>();
  const handled: HandledUpdate[] = [];
  let app: HeraldApp | undefined;

  const handle = async (update: Update): Promise<void> => {
    const current = app;
    if (current === undefined) throw new Error('update delivered before the app was built');
    const probe: UpdateProbe = { dynamo: [], inFlight: 0, since: 0, storeMs: 0 };
    const started = nowMs();
    const res = await probes.run(probe, () => current.handleWebhook(webhookEvent(update, WEBHOOK_SECRET)));
    const handlerMs = nowMs() - started;
    handled.push({
      updateId: update.update_id,
      status: res.statusCode,
      handlerMs,
      storeMs: probe.storeMs,
      dynamo: probe.dynamo,
    });
  };

  const standIn = createBotApiStandIn({
    token: TOKEN,
    botInfo: {
      id: 123456789,
      is_bot: true,
      first_name: 'Herald',
      username: BOT_USERNAME,
      supports_inline_queries: true,
    },
    deliver: handle,
  });
  const stop = async (): Promise<void> => {
    await standIn.stop();
    client.destroy();
    await store.stop();
  };
  try {
    const tableName = 'herald-bench';
    await ensureTable(client, tableName);
    const apiRoot = await standIn.start();
    const config = loadConfig({
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: store.endpoint,
      TELEGRAM_API_ROOT: apiRoot,
      BOT_USERNAME,
      LOG_LEVEL: 'SILENT',
      // The local default is fine for one update, but under load a slow call must not time out.
      HANDLER_TIMEOUT_MS: '20000',
    });
    const doc = toDocumentClient(client);
    instrument(doc, probes);
    app = createHeraldApp({
      config,
      logger: new Logger({ serviceName: 'herald-bench', logLevel: 'SILENT' }),
      token: TOKEN,
      webhookSecret: WEBHOOK_SECRET,
      doc,
    });
    for (const author of DEMO_AUTHORS) await publishAuthor(app.store, author);
    for (const article of DEMO_ARTICLES) await publishArticle(app.store, article);
  } catch (err) {
    await stop();
    throw err;
  }
  const theApp = app;
  return {
    app: theApp,
    standIn,
    handled,
    user: (id) => standIn.user({ id, first_name: `Reader${id}`, language_code: 'en' }),
    stop,
  };
}
