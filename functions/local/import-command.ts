/**
 * `herald import <file or folder>... [--api <url>] [--key <key>] [--dry-run]`: bulk publishing
 * from JSON and Markdown files (formats in docs/admin-api.md).
 *
 * Everything is validated before anything is written: a file with any invalid item (or an
 * article whose author is neither in the import nor in the target) is reported and none of
 * its items are written; the valid files are imported, authors before articles, through the
 * one publishing path. The target is the embedded store of `npm start` (its data directory,
 * HERALD_DATA_DIR respected) or an admin API (`--api`, deployed or the one `npm start` runs).
 * Publishing is idempotent, so running the same import again reports everything unchanged.
 *
 * Exit codes: 0 all imported; 1 some files invalid or some writes failed; 2 the import could
 * not run (usage, unreadable path, data directory in use, API unreachable or key refused).
 */
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { mapPool } from '../core/mechanics/pool';
import type { ArticleInput, AuthorInput } from '../core/model';
import type { PutResult } from '../core/ports';
import { publishArticle, publishAuthor } from '../core/publishing';
import { createStore } from '../store/index';
import { type AdminApiAnswer, createAdminApiClient } from './admin-api-client';
import { EmbeddedStoreError, type OpenedTable, openEmbeddedTable } from './embedded-store';
import { type ImportFile, type ImportItem, listImportFiles, parseImportFile } from './import-files';
import { defaultDataDir } from './start';

export const USAGE = `Usage: herald import <file or folder>... [--api <url>] [--key <key>] [--dry-run] [--no-alerts]

  Imports authors and articles from .json and .md files (folders are read recursively).
  Without --api: into the embedded store of \`npm start\` (HERALD_DATA_DIR, default .herald-data).
  --api <url>   import through an admin API instead, e.g. the one \`npm start\` prints or the
                AdminApiUrl output of the deployed stack
  --key <key>   the admin API key (default: $HERALD_ADMIN_KEY)
  --dry-run     validate and report, write nothing
  --no-alerts   store new articles without alerting subscribers (back-filling an archive)
  New articles alert their author's subscribers, as a CMS publish does: through --api at once;
  into the embedded store the next time \`npm start\` runs (it reads the table's stream).
Exit codes: 0 all imported; 1 invalid files or failed writes; 2 the import could not run.`;

/** Where the output goes (tests pass their own streams). */
export interface ImportIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown; isTTY?: boolean; columns?: number };
  cwd: string;
}

/** A problem that stops the whole import (exit code 2). */
export class ImportAbortedError extends Error {
  override name = 'ImportAbortedError';
}

/** A write the target refused or could not do (the file is reported; the import goes on). */
class WriteFailedError extends Error {
  override name = 'WriteFailedError';
}

/** Where an import writes to. */
interface ImportTarget {
  /** Shown in messages, e.g. "the embedded store in /path" or "http://127.0.0.1:8787". */
  name: string;
  /** Alerts: whether creating an article here alerts subscribers. */
  alertsNote?: string;
  authorExists(handle: string): Promise<boolean>;
  putAuthor(input: AuthorInput): Promise<PutResult>;
  putArticle(input: ArticleInput): Promise<PutResult>;
  close(): Promise<void>;
}

interface ParsedArgs {
  paths: string[];
  api?: string;
  key?: string;
  dryRun: boolean;
  /** Store new articles without alerting subscribers (a back-fill of the archive). */
  noAlerts: boolean;
  help: boolean;
}

/**
 * Parses the command line of `herald import`.
 *
 * @throws ImportAbortedError on an unknown option or a missing option value.
 */
export function parseImportArgs(argv: readonly string[]): ParsedArgs {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (err) {
    throw new ImportAbortedError(argumentProblem(err));
  }
  const { values, positionals } = parsed;
  for (const name of ['api', 'key'] as const)
    if (values[name] === '') throw new ImportAbortedError(`--${name} needs a value`);
  return {
    paths: positionals,
    api: values.api,
    key: values.key,
    dryRun: values['dry-run'] ?? false,
    noAlerts: values['no-alerts'] ?? false,
    help: values.help ?? false,
  };
}

function parseCommandLine(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      api: { type: 'string' },
      key: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'no-alerts': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** parseArgs' error as one short sentence ("unknown option --force", "--api needs a value"). */
function argumentProblem(err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
  const message = err instanceof Error ? err.message : String(err);
  const option = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `${option} needs a value`;
  return message;
}

// ---- targets -----------------------------------------------------------------------------

async function openLocalTarget(
  env: NodeJS.ProcessEnv,
  dataDir: string,
  noAlerts: boolean,
): Promise<ImportTarget> {
  const config = loadConfig({ LOG_LEVEL: 'ERROR', ...env });
  let opened: OpenedTable;
  try {
    opened = await openEmbeddedTable({ path: dataDir, region: config.region, tableName: config.tableName });
  } catch (err) {
    if (err instanceof EmbeddedStoreError && err.message.includes('is in use by another Herald process')) {
      throw new ImportAbortedError(
        `${err.message}\nIf that is a running \`npm start\`, import through its admin API instead, with the URL and key it printed:\n` +
          '  npm run herald -- import <files> --api http://127.0.0.1:<port> --key <key>',
      );
    }
    if (err instanceof EmbeddedStoreError) throw new ImportAbortedError(err.message);
    throw err;
  }
  const { close } = opened;
  const store = createStore(opened.doc, config.tableName);
  return {
    name: `the embedded store in ${dataDir}`,
    alertsNote: noAlerts
      ? 'New articles were stored silent (--no-alerts): they will never alert subscribers.'
      : 'New articles alert their subscribers the next time `npm start` runs (it reads the table’s stream); ' +
        'use --no-alerts to back-fill without alerts.',
    authorExists: async (handle) => (await store.authors.getAuthor(handle)) !== undefined,
    putAuthor: (input) => publishAuthor(store, input),
    putArticle: async (input) => (await publishArticle(store, input, { silent: noAlerts })).result,
    close,
  };
}

function describeIssues(body: unknown): string {
  const b = body as { error?: unknown; issues?: { field?: unknown; message?: unknown }[] } | undefined;
  if (Array.isArray(b?.issues) && b.issues.length > 0) {
    return b.issues.map((i) => `${String(i.field)}: ${String(i.message)}`).join('; ');
  }
  return typeof b?.error === 'string' ? b.error : 'no details';
}

function apiTarget(url: string, key: string, noAlerts: boolean): ImportTarget {
  const api = createAdminApiClient(url, key, (message) => new ImportAbortedError(message));
  const { root } = api;
  const call = async (method: string, path: string, body?: unknown): Promise<AdminApiAnswer> => {
    const { status, json } = await api.call(method, path, body);
    if (status === 404 && path !== '' && json === undefined) {
      throw new ImportAbortedError(`${root} does not look like Herald's admin API (404)`);
    }
    return { status, json };
  };
  const put = async (path: string, input: unknown): Promise<PutResult> => {
    const { status, json } = await call('PUT', path, input);
    const result = (json as { result?: unknown } | undefined)?.result;
    if (
      (status === 200 || status === 201) &&
      (result === 'created' || result === 'updated' || result === 'unchanged')
    ) {
      return result;
    }
    if (status >= 500)
      throw new WriteFailedError(`the admin API failed (${status}): ${describeIssues(json)}`);
    throw new WriteFailedError(`the admin API refused it (${status}): ${describeIssues(json)}`);
  };
  return {
    name: root,
    authorExists: async (handle) => {
      const { status, json } = await call('GET', `/authors/${encodeURIComponent(handle)}`);
      if (status === 200) return true;
      if (status === 404) return false;
      throw new ImportAbortedError(
        `the admin API answered ${status} when asked for author ${handle}: ${describeIssues(json)}`,
      );
    },
    putAuthor: (input) => put(`/authors/${encodeURIComponent(input.handle)}`, input),
    putArticle: (input) =>
      put(`/articles/${encodeURIComponent(input.id)}${noAlerts ? '?alerts=false' : ''}`, input),
    close: async () => {},
  };
}

// ---- progress ----------------------------------------------------------------------------

/** Imports with at least this many items show a progress bar (on a terminal only). */
const PROGRESS_MIN_ITEMS = 10;

/** A one-line progress bar on stderr, redrawn at most every 100 ms; only on a terminal. */
export class ProgressBar {
  private done = 0;
  private lastDraw = 0;
  private readonly enabled: boolean;

  constructor(
    private readonly out: ImportIo['stderr'],
    private readonly total: number,
    private readonly now: () => number = Date.now,
  ) {
    this.enabled = out.isTTY === true && total >= PROGRESS_MIN_ITEMS;
  }

  tick(label: string): void {
    this.done++;
    if (!this.enabled) return;
    const t = this.now();
    if (this.done < this.total && t - this.lastDraw < 100) return;
    this.lastDraw = t;
    const columns = this.out.columns ?? 80;
    const width = Math.max(10, Math.min(30, columns - 40));
    const filled = Math.round((width * this.done) / this.total);
    const pct = Math.floor((100 * this.done) / this.total);
    const head = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${this.done}/${this.total} ${pct}% `;
    const room = Math.max(0, columns - head.length - 1);
    this.out.write(`\r\x1b[2K${head}${label.slice(0, room)}`);
  }

  /** Clears the bar so the summary starts on a clean line. */
  finish(): void {
    if (this.enabled) this.out.write('\r\x1b[2K');
  }
}

// ---- the command -------------------------------------------------------------------------

interface Counts {
  created: number;
  updated: number;
  unchanged: number;
}

const itemName = (item: ImportItem) =>
  item.kind === 'author' ? `author ${item.input.handle}` : `article ${item.input.id}`;
const itemKey = (item: ImportItem) =>
  item.kind === 'author' ? `author:${item.input.handle}` : `article:${item.input.id}`;
const fieldOf = (item: ImportItem, field: string) => (item.where ? `${item.where}.${field}` : field);

/** Marks files whose items repeat an author or article of an earlier file (or of the same file). */
function flagDuplicates(files: ImportFile[], show: (f: string) => string): void {
  const firstSeen = new Map<string, string>();
  for (const f of files) {
    if (f.issues.length > 0) continue;
    for (const item of f.items) {
      const key = itemKey(item);
      const seen = firstSeen.get(key);
      if (seen === undefined) firstSeen.set(key, f.file);
      else {
        const field = fieldOf(item, item.kind === 'author' ? 'handle' : 'id');
        f.issues.push({
          field,
          message:
            seen === f.file
              ? `${itemName(item)} appears twice in this file`
              : `${itemName(item)} is also in ${show(seen)}`,
        });
      }
    }
  }
}

/**
 * Marks files with an article whose author is neither imported (by a valid file) nor in the
 * target. Repeats until stable: a file found invalid takes its authors out of the import.
 */
async function flagUnknownAuthors(files: ImportFile[], target: ImportTarget): Promise<void> {
  const existing = new Map<string, boolean>();
  const exists = async (handle: string) => {
    let known = existing.get(handle);
    if (known === undefined) {
      known = await target.authorExists(handle);
      existing.set(handle, known);
    }
    return known;
  };
  for (let changed = true; changed; ) {
    changed = false;
    const imported = new Set<string>();
    for (const f of files) {
      if (f.issues.length > 0) continue;
      for (const item of f.items) if (item.kind === 'author') imported.add(item.input.handle);
    }
    for (const f of files) {
      if (f.issues.length > 0) continue;
      for (const item of f.items) {
        if (item.kind !== 'article' || imported.has(item.input.authorHandle)) continue;
        if (await exists(item.input.authorHandle)) continue;
        f.issues.push({
          field: fieldOf(item, 'authorHandle'),
          message: `no author "${item.input.authorHandle}" in this import or in ${target.name}`,
        });
      }
      if (f.issues.length > 0) changed = true;
    }
  }
}

/** Entry point of `herald import`; returns the exit code. */
export async function importCommand(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  io: ImportIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() },
): Promise<number> {
  const show = (file: string) => {
    const rel = relative(io.cwd, file);
    return rel !== '' && !rel.startsWith('..') ? rel : file;
  };
  // This machine runs Node 20 knowingly (Lambda runs Node 22): keep the SDK's notice out of the report.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let target: ImportTarget | undefined;
  try {
    const args = parseImportArgs(argv);
    if (args.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (args.paths.length === 0) throw new ImportAbortedError('name at least one file or folder to import');
    const key = args.key ?? env.HERALD_ADMIN_KEY?.trim();
    if (args.api !== undefined && !key) {
      throw new ImportAbortedError('--api needs the admin key: pass --key <key> or set HERALD_ADMIN_KEY');
    }

    let paths: string[];
    try {
      paths = await listImportFiles(args.paths.map((p) => resolve(io.cwd, p)));
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new ImportAbortedError(
        e.code === 'ENOENT'
          ? `no such file or folder: ${e.path ? show(e.path) : args.paths.join(' ')}`
          : e.message,
      );
    }
    if (paths.length === 0) throw new ImportAbortedError(`no .json or .md files in ${args.paths.join(', ')}`);
    const files: ImportFile[] = [];
    for (const p of paths) files.push(parseImportFile(p, await readFile(p, 'utf8')));
    flagDuplicates(files, show);

    target =
      args.api !== undefined && key
        ? apiTarget(args.api, key, args.noAlerts)
        : await openLocalTarget(env, defaultDataDir(env), args.noAlerts);
    await flagUnknownAuthors(files, target);

    const valid = files.filter((f) => f.issues.length === 0);
    const invalid = files.filter((f) => f.issues.length > 0);
    const authors = valid.flatMap((f) =>
      f.items.filter((i) => i.kind === 'author').map((item) => ({ f, item })),
    );
    const articles = valid.flatMap((f) =>
      f.items.filter((i) => i.kind === 'article').map((item) => ({ f, item })),
    );

    const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
    const failures: { file: string; field: string; message: string }[] = [];
    let createdArticles = 0;
    if (!args.dryRun) {
      const bar = new ProgressBar(io.stderr, authors.length + articles.length);
      const t = target;
      const write = async ({ f, item }: { f: ImportFile; item: ImportItem }) => {
        try {
          const result =
            item.kind === 'author' ? await t.putAuthor(item.input) : await t.putArticle(item.input);
          counts[result]++;
          if (result === 'created' && item.kind === 'article') createdArticles++;
        } catch (err) {
          if (!(err instanceof WriteFailedError)) throw err;
          failures.push({ file: f.file, field: item.where || itemName(item), message: err.message });
        }
        bar.tick(itemName(item));
      };
      // Authors first, all of them, so every article finds its author.
      const parallel = args.api !== undefined ? 4 : 1;
      try {
        await mapPool(authors, parallel, write);
        await mapPool(articles, parallel, write);
      } finally {
        bar.finish();
      }
    }

    const lines: string[] = [];
    const what = `${authors.length} author${authors.length === 1 ? '' : 's'} and ${articles.length} article${articles.length === 1 ? '' : 's'}`;
    if (args.dryRun) {
      lines.push(`Dry run: ${what} would be imported into ${target.name}; nothing was written.`);
    } else {
      const written = counts.created + counts.updated;
      // "Imported 2 authors…" over a run that changed nothing misled (issue 17, item 18).
      if (written > 0) lines.push(`Imported ${what} into ${target.name}.`);
      else if (failures.length === 0 && counts.unchanged > 0)
        lines.push(`Nothing new: ${what} are already in ${target.name}, unchanged.`);
      else lines.push(`Nothing was imported into ${target.name}.`);
      lines.push(
        `created ${counts.created} · updated ${counts.updated} · unchanged ${counts.unchanged} · ` +
          `invalid ${invalid.length} file${invalid.length === 1 ? '' : 's'}` +
          (failures.length > 0 ? ` · failed ${failures.length}` : ''),
      );
    }
    if (invalid.length > 0) {
      lines.push('Invalid files (nothing from them was written):');
      for (const f of invalid)
        lines.push(`  ${show(f.file)}: ${f.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
    }
    if (failures.length > 0) {
      lines.push('Failed writes:');
      for (const x of failures) lines.push(`  ${show(x.file)}: ${x.field}: ${x.message}`);
    }
    if (createdArticles > 0 && target.alertsNote) lines.push(target.alertsNote);
    io.stdout.write(`${lines.join('\n')}\n`);
    return invalid.length > 0 || failures.length > 0 ? 1 : 0;
  } catch (err) {
    if (!(err instanceof ImportAbortedError)) throw err;
    io.stderr.write(`herald import: ${err.message}\n`);
    if (/needs a value|unknown option|at least one/.test(err.message)) io.stderr.write(`\n${USAGE}\n`);
    return 2;
  } finally {
    await target?.close();
  }
}
