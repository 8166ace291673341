/**
 * `herald feeds …` (add, list, pause, resume, remove feed sources) and `herald ingest
 * [<url or file>]` (poll once and say what happened), against the embedded store of
 * `npm start` (HERALD_DATA_DIR) or, for `feeds`, an admin API (`--api <url> --key <key>`).
 *
 * Exit codes: 0 done; 1 the feed or the input was bad (the message says why); 2 the command
 * could not run (usage, data directory in use, API unreachable or key refused).
 */
import { stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import {
  addFeedSource,
  changeFeedSource,
  type FeedSourceView,
  feedSourceView,
  findFeedSource,
  listFeedSources,
  removeFeedSource,
  TooManyFeedSourcesError,
} from '../core/feed-admin';
import { parseFeedSourceInput, parseFeedSourcePatch } from '../core/feed-source-input';
import { feedUrlProblem, newFeedSourceState } from '../core/feed-sources';
import { ValidationError } from '../core/publishing';
import { createFileFetcher, fileFeedUrl } from '../ingest/file-fetcher';
import {
  type IngestDeps,
  ingestDueSources,
  ingestSource,
  pollAndStore,
  type SourceReport,
} from '../ingest/ingest-sources';
import { createStore, type Store } from '../store/index';
import { type AdminApiAnswer, createAdminApiClient } from './admin-api-client';
import { EmbeddedStoreError, openEmbeddedTable } from './embedded-store';
import { localFeedFetcher } from './feed-runner';
import type { ImportIo } from './import-command';
import { defaultDataDir } from './start';

export const FEEDS_USAGE = `Usage: herald feeds <add|list|pause|resume|remove> [<url>] [options]

  add <url> [--author <handle>] [--no-alerts]   add a feed source (RSS, Atom or JSON Feed)
  list [--json]                                 every source with its health and last error
  pause <url> | resume <url> | remove <url>     by URL or by the id \`list\` shows
  Without --api: the embedded store of \`npm start\` (HERALD_DATA_DIR, default .herald-data).
  --api <url> --key <key>   an admin API instead (the one \`npm start\` prints, or AdminApiUrl on AWS)
Exit codes: 0 done; 1 refused (the message says why); 2 could not run.`;

export const INGEST_USAGE = `Usage: herald ingest [<url or file>]

  Polls once and prints what it did. Without an argument: every due, active feed source.
  With a URL or file: that feed now — a configured source if it is one (its state is kept),
  else a one-off: its items are stored silently (no alerts) and it is not added as a source.
  Runs on the embedded store of \`npm start\` (HERALD_DATA_DIR); stop \`npm start\` first.
Exit codes: 0 polled; 1 a feed failed or items could not be stored; 2 could not run.`;

/** The command could not run (exit 2). */
class CommandAbortedError extends Error {
  override name = 'CommandAbortedError';
}

const OPTIONS = {
  author: { type: 'string' },
  'no-alerts': { type: 'boolean' },
  api: { type: 'string' },
  key: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    // node:util's messages name the option ("Unknown option '--colour'").
    throw new CommandAbortedError((err as Error).message);
  }
}

interface LocalStore {
  store: Store;
  botUsername: string;
  name: string;
  close(): Promise<void>;
}

async function openLocalStore(env: NodeJS.ProcessEnv, command: 'feeds' | 'ingest'): Promise<LocalStore> {
  const config = loadConfig({ LOG_LEVEL: 'ERROR', ...env });
  const dataDir = defaultDataDir(env);
  const opened = await openEmbeddedTable({
    path: dataDir,
    region: config.region,
    tableName: config.tableName,
  }).catch((err: unknown) => {
    if (err instanceof EmbeddedStoreError) {
      const hint = !err.message.includes('in use')
        ? ''
        : command === 'feeds'
          ? '\nWith `npm start` running, manage feeds through its admin API: herald feeds … --api <url> --key <key>'
          : '\n`npm start` polls the feed sources itself (every HERALD_FEED_POLL_MINUTES); stop it to run ingest by hand.';
      throw new CommandAbortedError(`${err.message}${hint}`);
    }
    throw err;
  });
  const { close } = opened;
  return {
    store: createStore(opened.doc, config.tableName),
    botUsername: config.botUsername,
    name: `the embedded store in ${dataDir}`,
    close,
  };
}

/** What `feeds` does, on a store or through an admin API. */
interface FeedsTarget {
  add(input: Record<string, unknown>): Promise<{ created: boolean; source: FeedSourceView }>;
  list(): Promise<{ sources: FeedSourceView[]; hasMore: boolean }>;
  change(ref: string, patch: Record<string, unknown>): Promise<FeedSourceView | undefined>;
  remove(ref: string): Promise<boolean>;
  close(): Promise<void>;
}

function localTarget(local: LocalStore): FeedsTarget {
  const { store } = local;
  return {
    add: async (input) => {
      const { created, source } = await addFeedSource(store, parseFeedSourceInput(input), new Date());
      return { created, source: feedSourceView(source) };
    },
    list: () => listFeedSources(store),
    change: async (ref, patch) => {
      const s = await changeFeedSource(store, ref, parseFeedSourcePatch(patch));
      return s ? feedSourceView(s) : undefined;
    },
    remove: (ref) => removeFeedSource(store, ref),
    close: local.close,
  };
}

function apiTarget(url: string, key: string): FeedsTarget {
  const api = createAdminApiClient(url, key, (message) => new CommandAbortedError(message));
  const call = async (method: string, path: string, body?: unknown): Promise<AdminApiAnswer> => {
    const res = await api.call(method, path, body);
    const { json } = res;
    if (res.status === 400) {
      const issues = (json as { issues?: { field: string; message: string }[] } | undefined)?.issues ?? [];
      throw new ValidationError(issues);
    }
    if (res.status >= 500 || (res.status >= 400 && res.status !== 404)) {
      const error = (json as { error?: unknown } | undefined)?.error;
      throw new CommandAbortedError(`the admin API answered ${res.status}: ${String(error ?? 'no details')}`);
    }
    return res;
  };
  const path = (ref: string) => `/feeds/${encodeURIComponent(ref)}`;
  return {
    add: async (input) => {
      const { json } = await call('POST', '/feeds', input);
      const r = json as { result: string; source: FeedSourceView };
      return { created: r.result === 'created', source: r.source };
    },
    list: async () => (await call('GET', '/feeds')).json as { sources: FeedSourceView[]; hasMore: boolean },
    change: async (ref, patch) => {
      const { status, json } = await call('PATCH', path(ref), patch);
      return status === 404 ? undefined : (json as FeedSourceView);
    },
    remove: async (ref) => (await call('DELETE', path(ref))).status === 204,
    close: async () => {},
  };
}

const when = (iso: string | undefined) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : 'never');

/** A source as lines for a person. */
export function describeSource(s: FeedSourceView): string[] {
  const state = s.paused ? 'paused' : s.failingSince ? `failing since ${when(s.failingSince)}` : 'active';
  const lines = [
    s.url,
    `  ${state} · alerts ${s.alerts ? 'on' : 'off'} · last success ${when(s.lastSuccessAt)} · ${s.itemsSeen} item${s.itemsSeen === 1 ? '' : 's'} in the feed · id ${s.id}`,
  ];
  if (s.defaultAuthor) lines.push(`  author: ${s.defaultAuthor}`);
  for (const [k, v] of Object.entries(s.authorMap ?? {})) lines.push(`  "${k}" → ${v}`);
  if (s.lastError) lines.push(`  last error (${when(s.lastError.at)}): ${s.lastError.reason}`);
  if (s.nextPollAfter) lines.push(`  next poll after ${when(s.nextPollAfter)}`);
  if (s.movedTo) lines.push(`  moved permanently to ${s.movedTo}: add that URL and remove this one`);
  for (const e of s.itemErrors) lines.push(`  skipped ${e}`);
  return lines;
}

/** What one poll of one feed did, as lines for a person. */
export function describeReport(r: SourceReport): string[] {
  if (r.outcome === 'skipped') return [`${r.url}: skipped (${r.skipped ?? 'not due'})`];
  if (r.outcome === 'failed') return [`${r.url}: failed: ${r.error ?? 'unknown error'}`];
  const lines: string[] = [];
  const wrote = r.created + r.updated + r.newAuthors;
  if (r.outcome === 'not-modified')
    lines.push(`${r.url}: unchanged since the last poll; nothing was written`);
  else if (wrote === 0) {
    lines.push(
      `${r.url}: nothing new (${r.unchanged} item${r.unchanged === 1 ? '' : 's'} already stored); nothing was written`,
    );
  } else {
    lines.push(
      `${r.url}: ${r.created} new article${r.created === 1 ? '' : 's'} (${r.alerting} alerting), ` +
        `${r.updated} updated, ${r.unchanged} unchanged, ${r.newAuthors} new author${r.newAuthors === 1 ? '' : 's'}`,
    );
  }
  for (const e of r.itemErrors) lines.push(`  skipped ${e}`);
  for (const e of r.failedWrites) lines.push(`  not stored: ${e}`);
  if (r.state === 'conflict')
    lines.push('  another poll of this source saved its state first; that one stands');
  return lines;
}

function reportProblem(err: unknown, io: ImportIo, command: string): number {
  if (err instanceof ValidationError) {
    for (const i of err.issues) io.stderr.write(`herald ${command}: ${i.field}: ${i.message}\n`);
    return 1;
  }
  if (err instanceof TooManyFeedSourcesError) {
    io.stderr.write(`herald ${command}: ${err.message}\n`);
    return 1;
  }
  if (err instanceof CommandAbortedError || err instanceof EmbeddedStoreError) {
    io.stderr.write(`herald ${command}: ${err.message}\n`);
    return 2;
  }
  throw err;
}

/** Entry point of `herald feeds`; returns the exit code. */
export async function feedsCommand(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  io: ImportIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() },
): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let target: FeedsTarget | undefined;
  try {
    const { values, positionals } = parse(argv);
    const [sub, ref, ...extra] = positionals;
    if (values.help || sub === undefined) {
      io.stdout.write(`${FEEDS_USAGE}\n`);
      return values.help ? 0 : 2;
    }
    const needsRef = ['add', 'pause', 'resume', 'remove'].includes(sub);
    if (!needsRef && sub !== 'list')
      throw new CommandAbortedError(`unknown feeds command "${sub}"\n\n${FEEDS_USAGE}`);
    if (needsRef && ref === undefined) throw new CommandAbortedError(`feeds ${sub} needs the feed's URL`);
    if (extra.length > 0 || (!needsRef && ref !== undefined)) {
      throw new CommandAbortedError(`unexpected argument "${extra[0] ?? ref}"`);
    }
    const key = values.key ?? env.HERALD_ADMIN_KEY?.trim();
    if (values.api !== undefined && !key) {
      throw new CommandAbortedError('--api needs the admin key: pass --key <key> or set HERALD_ADMIN_KEY');
    }
    target =
      values.api !== undefined && key
        ? apiTarget(values.api, key)
        : localTarget(await openLocalStore(env, 'feeds'));
    const out = (lines: string[]) => io.stdout.write(`${lines.join('\n')}\n`);
    const r = ref ?? '';
    switch (sub) {
      case 'add': {
        const { created, source } = await target.add({
          url: r,
          alerts: values['no-alerts'] !== true,
          ...(values.author !== undefined ? { defaultAuthor: values.author } : {}),
        });
        out([created ? 'Added:' : 'Already a source (unchanged):', ...describeSource(source)]);
        if (created)
          out(['It is polled by `npm start` every 10 minutes, or now with: npm run herald -- ingest']);
        return 0;
      }
      case 'list': {
        const { sources, hasMore } = await target.list();
        if (values.json) out([JSON.stringify(sources, null, 2)]);
        else if (sources.length === 0) out(['No feed sources. Add one: npm run herald -- feeds add <url>']);
        else out(sources.flatMap(describeSource));
        if (hasMore) out(['(more sources than one list shows)']);
        return 0;
      }
      case 'remove': {
        if (await target.remove(r)) {
          out([`Removed ${r} (its articles stay).`]);
          return 0;
        }
        io.stderr.write(`herald feeds: no feed source ${r}\n`);
        return 1;
      }
      default: {
        const changed = await target.change(r, { paused: sub === 'pause' });
        if (!changed) {
          io.stderr.write(`herald feeds: no feed source ${r}\n`);
          return 1;
        }
        out([sub === 'pause' ? 'Paused:' : 'Resumed:', ...describeSource(changed)]);
        return 0;
      }
    }
  } catch (err) {
    return reportProblem(err, io, 'feeds');
  } finally {
    await target?.close();
  }
}

/** Entry point of `herald ingest`; returns the exit code. */
export async function ingestCommand(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  io: ImportIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() },
): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let local: LocalStore | undefined;
  try {
    const { values, positionals } = parse(argv);
    if (values.help) {
      io.stdout.write(`${INGEST_USAGE}\n`);
      return 0;
    }
    if (values.api !== undefined) {
      throw new CommandAbortedError(
        'ingest runs on this machine’s data directory; on AWS the schedule polls the sources',
      );
    }
    if (positionals.length > 1) throw new CommandAbortedError(`name one feed, not ${positionals.length}`);
    const given = positionals[0];
    // Decide what the argument is before starting the store: a typo answers at once.
    let oneOff: { url: string; file: boolean } | undefined;
    if (given !== undefined) {
      const path = resolve(io.cwd, given);
      const isFile = await stat(path).then(
        (s) => s.isFile(),
        () => false,
      );
      if (isFile) oneOff = { url: fileFeedUrl(path), file: true };
      else if (/^https?:\/\//i.test(given) && feedUrlProblem(given) === undefined)
        oneOff = { url: given, file: false };
      else throw new CommandAbortedError(`${given} is neither a file nor an http(s) URL`);
    }
    local = await openLocalStore(env, 'ingest');
    const store = local.store;
    const deps: IngestDeps = {
      store,
      fetch: oneOff?.file
        ? createFileFetcher()
        : localFeedFetcher(env, { botUsername: local.botUsername, allowPrivate: oneOff !== undefined }),
    };
    let reports: SourceReport[];
    if (oneOff === undefined) {
      const { sources } = await ingestDueSources(deps);
      if (sources.length === 0) {
        io.stdout.write('No feed sources. Add one with: npm run herald -- feeds add <url>\n');
        return 0;
      }
      reports = sources;
    } else {
      const configured = oneOff.file ? undefined : await findFeedSource(store, oneOff.url);
      if (configured) reports = [await ingestSource(configured, deps)];
      else {
        const { report } = await pollAndStore(
          { url: oneOff.url, alerts: false, state: newFeedSourceState() },
          deps,
        );
        reports = [report];
      }
    }
    // A file reads as the path it was given, not as its file: URL.
    const shown = reports.map((r) =>
      r.url.startsWith('file:') ? { ...r, url: relative(io.cwd, fileURLToPath(r.url)) || r.url } : r,
    );
    const lines = shown.flatMap(describeReport);
    if (oneOff !== undefined && reports.some((r) => r.created > 0)) {
      lines.push(
        'New articles were stored without alerts: a one-off feed never alerts (add it with `feeds add` to poll it).',
      );
    }
    io.stdout.write(`${lines.join('\n')}\n`);
    const bad = reports.filter((r) => r.outcome === 'failed' || r.failedWrites.length > 0);
    if (bad.length > 0) {
      for (const r of bad)
        io.stderr.write(`herald ingest: ${r.url}: ${r.error ?? 'some items could not be stored'}\n`);
      return 1;
    }
    return 0;
  } catch (err) {
    return reportProblem(err, io, 'ingest');
  } finally {
    await local?.close();
  }
}
