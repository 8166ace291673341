import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { createAdminApi } from '../../../functions/admin/admin-api';
import { createStatsReader } from '../../../functions/admin/stats';
import { type AdminServer, startAdminServer } from '../../../functions/local/admin-server';
import { ensureTable, startEmbeddedStore } from '../../../functions/local/embedded-store';
import { importCommand } from '../../../functions/local/import-command';
import { type BotApiStandIn, createBotApiStandIn } from '../../../functions/local/telegram-stand-in';
import { createDynamoClient, toDocumentClient } from '../../../functions/store/client';
import { createStore, type Store } from '../../../functions/store/index';
import { type StreamAlerts, startStreamAlerts } from '../../helpers/alerts-rig';
import { startTestStore, type TestStore } from '../../helpers/test-store';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = 'test/fixtures/import';
const VALID = [`${FIXTURES}/publication.json`, `${FIXTURES}/articles`];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let scratch: string;

beforeAll(async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  scratch = await mkdtemp(join(tmpdir(), 'herald-import-'));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

let dirCount = 0;
const freshDataDir = () => join(scratch, `data-${++dirCount}`);

async function run(argv: string[], env: Record<string, string>, tty = false): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await importCommand(argv, env, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: tty, columns: 100 },
    cwd: ROOT,
  });
  return { code, stdout, stderr };
}

/** Opens a data directory the import wrote (after the import closed it) and reads from it. */
async function inDataDir<T>(dir: string, read: (store: Store) => Promise<T>): Promise<T> {
  const embedded = await startEmbeddedStore({ path: dir });
  const client = createDynamoClient({ region: 'us-east-1', endpoint: embedded.endpoint });
  try {
    await ensureTable(client, 'herald');
    return await read(createStore(toDocumentClient(client), 'herald'));
  } finally {
    client.destroy();
    await embedded.stop();
  }
}

const summaryLine = (out: string) => out.split('\n').find((l) => l.startsWith('created '));

describe('herald import into the embedded store', () => {
  it('imports the example set: valid files written, the invalid file reported field by field, exit 1', async () => {
    // Prepare
    const dataDir = freshDataDir();

    // Act
    const result = await run([FIXTURES], { HERALD_DATA_DIR: dataDir });

    // Assess
    expect(result.code).toBe(1);
    expect(summaryLine(result.stdout)).toBe('created 5 · updated 0 · unchanged 0 · invalid 1 file');
    const invalidLine = result.stdout.split('\n').find((l) => l.includes('broken-article.json'));
    expect(invalidLine).toMatch(
      /^ {2}test\/fixtures\/import\/invalid\/broken-article\.json: id: .+; title: .+; publishedAt: .+; summary: .+$/,
    );
    const stored = await inDataDir(dataDir, async (store) => ({
      lena: await store.authors.getAuthor('lena_park'),
      trees: await store.articles.getArticle('street-trees-pay-for-themselves'),
      treesBody: await store.articles.getBody('street-trees-pay-for-themselves'),
      latest: await store.articles.latest(0, 10),
    }));
    expect(stored.lena).toMatchObject({ fullName: 'Lena Park', articleCount: 2 });
    expect(stored.trees?.title).toBe('Street trees pay for themselves — here\'s the "proof"');
    // The Markdown file keeps its structure; the card's summary is its text, without markup.
    expect(stored.treesBody).toContain('## What we counted\n\n- shade on bus stops and benches\n');
    expect(stored.trees?.summary).toContain('by several degrees on a summer afternoon');
    expect(stored.trees?.summary).not.toMatch(/[*#[\]_]/);
    expect(stored.latest.items.map((a) => a.id).sort()).toEqual([
      'night-buses-are-not-a-luxury',
      'street-trees-pay-for-themselves',
      'the-last-tram-home',
    ]);
  });

  it('changes nothing when the same import runs again (all unchanged), and exits 0 without invalid files', async () => {
    // Prepare
    const dataDir = freshDataDir();
    const first = await run(VALID, { HERALD_DATA_DIR: dataDir });

    // Act
    const second = await run(VALID, { HERALD_DATA_DIR: dataDir });

    // Assess
    expect(first.code).toBe(0);
    expect(summaryLine(first.stdout)).toBe('created 5 · updated 0 · unchanged 0 · invalid 0 files');
    expect(second.code).toBe(0);
    expect(summaryLine(second.stdout)).toBe('created 0 · updated 0 · unchanged 5 · invalid 0 files');
    expect(first.stdout).toMatch(/^Imported 2 authors and 3 articles into /m);
    expect(second.stdout).toMatch(/^Nothing new: 2 authors and 3 articles are already in .*, unchanged\.$/m);
    expect(second.stdout).not.toContain('Imported');
  });

  it('writes nothing on --dry-run', async () => {
    // Prepare
    const dataDir = freshDataDir();

    // Act
    const result = await run([...VALID, '--dry-run'], { HERALD_DATA_DIR: dataDir });

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Dry run: 2 authors and 3 articles would be imported/);
    const lena = await inDataDir(dataDir, (store) => store.authors.getAuthor('lena_park'));
    expect(lena).toBeUndefined();
  });

  it('says clearly that a running `npm start` holds the data directory and suggests --api (exit 2)', async () => {
    // Prepare: an embedded store on the directory, as `npm start` would hold it.
    const dataDir = freshDataDir();
    const running = await startEmbeddedStore({ path: dataDir });
    const client = createDynamoClient({ region: 'us-east-1', endpoint: running.endpoint });
    await ensureTable(client, 'herald');

    try {
      // Act
      const result = await run(VALID, { HERALD_DATA_DIR: dataDir });

      // Assess
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`The data directory ${dataDir} is in use by another Herald process`);
      expect(result.stderr).toContain('--api');
      expect(result.stdout).toBe('');
    } finally {
      client.destroy();
      await running.stop();
    }
  });

  it('holds back every file tied to an unknown author, and a file that repeats an id, writing none of their items', async () => {
    // Prepare
    const dir = join(scratch, 'references');
    await mkdir(dir, { recursive: true });
    const art = (id: string, authorHandle: string) => ({
      id,
      title: `About ${id}`,
      authorHandle,
      publishedAt: '2026-11-01T10:00:00Z',
      body: 'Text.',
    });
    // a.json: a valid author but an article by nobody → the whole file is invalid, so
    // b.json (an article by that author) is invalid too; c.json repeats an id of d.json.
    await writeFile(
      join(dir, 'a.json'),
      JSON.stringify({
        authors: [{ handle: 'kai', fullName: 'Kai', userSince: '2020-01-01' }],
        articles: [art('by-nobody', 'nobody')],
      }),
    );
    await writeFile(join(dir, 'b.json'), JSON.stringify(art('by-kai', 'kai')));
    await writeFile(
      join(dir, 'c.json'),
      JSON.stringify([{ handle: 'mo', fullName: 'Mo', userSince: '2020-01-01' }, art('shared-id', 'mo')]),
    );
    await writeFile(join(dir, 'd.json'), JSON.stringify(art('shared-id', 'mo')));
    const dataDir = freshDataDir();

    // Act
    const result = await run([dir], { HERALD_DATA_DIR: dataDir });

    // Assess
    expect(result.code).toBe(1);
    expect(summaryLine(result.stdout)).toBe('created 2 · updated 0 · unchanged 0 · invalid 3 files');
    expect(result.stdout).toMatch(
      /a\.json: articles\[0\]\.authorHandle: no author "nobody" in this import or in the embedded store/,
    );
    expect(result.stdout).toMatch(/b\.json: authorHandle: no author "kai"/);
    expect(result.stdout).toMatch(/d\.json: id: article shared-id is also in .*c\.json/);
    const stored = await inDataDir(dataDir, async (store) => ({
      kai: await store.authors.getAuthor('kai'),
      mo: await store.authors.getAuthor('mo'),
      byKai: await store.articles.getArticle('by-kai'),
    }));
    expect(stored.kai).toBeUndefined();
    expect(stored.byKai).toBeUndefined();
    expect(stored.mo?.articleCount).toBe(1);
  });

  it('takes an optional language from front matter or JSON, names a bad one, and detects it when absent', async () => {
    // Prepare
    const dir = join(scratch, 'languages');
    await mkdir(dir, { recursive: true });
    const front = (id: string, extra: string) =>
      `---\nid: ${id}\ntitle: شہر کی بسیں\nauthorHandle: araza\npublishedAt: 2026-11-01T10:00:00Z\n${extra}---\n`;
    const urdu = 'شہر کی گلیاں ہماری مشترکہ بیٹھک ہیں۔ بسیں ان کو جوڑتی ہیں۔';
    await writeFile(
      join(dir, 'author.json'),
      JSON.stringify({ handle: 'araza', fullName: 'Ayesha Raza', userSince: '2012-04-01' }),
    );
    await writeFile(join(dir, 'declared.md'), `${front('declared', 'language: "UR-pk"\n')}${urdu}\n`);
    await writeFile(join(dir, 'detected.md'), `${front('detected', '')}${urdu}\n`);
    await writeFile(
      join(dir, 'wrong.json'),
      JSON.stringify({
        id: 'wrong',
        title: 'T',
        authorHandle: 'araza',
        publishedAt: '2026-11-01T10:00:00Z',
        body: 'B.',
        language: 'urdu',
      }),
    );
    const dataDir = freshDataDir();

    // Act
    const result = await run([dir], { HERALD_DATA_DIR: dataDir });

    // Assess
    expect(result.code).toBe(1);
    expect(summaryLine(result.stdout)).toBe('created 3 · updated 0 · unchanged 0 · invalid 1 file');
    expect(result.stdout).toMatch(
      /wrong\.json: language: must be a BCP 47 language tag like en, ar or ur-PK/,
    );
    const stored = await inDataDir(dataDir, async (store) => ({
      declared: await store.articles.getArticle('declared'),
      detected: await store.articles.getArticle('detected'),
      wrong: await store.articles.getArticle('wrong'),
    }));
    expect(stored.declared?.language).toBe('ur-PK');
    expect(stored.detected?.language).toBe('ur');
    expect(stored.wrong).toBeUndefined();
  });

  it('draws a progress bar on a terminal for a long import, and none when stderr is not a terminal', async () => {
    // Prepare
    const dir = join(scratch, 'long');
    await mkdir(dir, { recursive: true });
    const articles = Array.from({ length: 14 }, (_, i) => ({
      id: `long-${i}`,
      title: `Long import ${i}`,
      authorHandle: 'lena_park',
      publishedAt: `2026-10-${String(i + 1).padStart(2, '0')}T08:00:00Z`,
      body: `Article ${i}.`,
    }));
    await writeFile(join(dir, 'many.json'), JSON.stringify(articles));
    const paths = [`${FIXTURES}/publication.json`, dir];

    // Act
    const onTty = await run(paths, { HERALD_DATA_DIR: freshDataDir() }, true);
    const piped = await run(paths, { HERALD_DATA_DIR: freshDataDir() }, false);

    // Assess
    expect(onTty.code).toBe(0);
    expect(onTty.stderr).toContain('17/17 100%');
    expect(onTty.stderr).toContain('\r\x1b[2K[');
    expect(piped.stderr).toBe('');
    expect(summaryLine(piped.stdout)).toBe('created 17 · updated 0 · unchanged 0 · invalid 0 files');
  });

  it('answers usage problems with exit 2', async () => {
    // Act
    const none = await run([], {});
    const missing = await run(['test/fixtures/import/nope'], {});
    const unknown = await run(['--force', FIXTURES], {});
    const noKey = await run([FIXTURES, '--api', 'http://127.0.0.1:9'], {});

    // Assess
    expect([none.code, missing.code, unknown.code, noKey.code]).toEqual([2, 2, 2, 2]);
    expect(missing.stderr).toContain('no such file or folder: test/fixtures/import/nope');
    expect(unknown.stderr).toContain('unknown option --force');
    expect(noKey.stderr).toContain('--api needs the admin key');
  });
});

describe('herald import --api', () => {
  const KEY = 'import-test-key-abcdef';
  const TOKEN = '123456789:TEST-token-for-the-import-alerts';
  let db: TestStore;
  let server: AdminServer | undefined;
  let standIn: BotApiStandIn | undefined;
  /** The alerts of `npm start`: the table's stream drives the fan-out (the API has no hook). */
  let streamAlerts: StreamAlerts | undefined;

  beforeAll(async () => {
    db = await startTestStore();
    standIn = createBotApiStandIn({
      token: TOKEN,
      botInfo: { id: 123456789, is_bot: true, first_name: 'Herald', username: 'HeraldTestBot' },
    });
    streamAlerts = startStreamAlerts(db, { apiRoot: await standIn.start(), token: TOKEN });
    const api = createAdminApi({
      store: db.store,
      stats: createStatsReader({ doc: db.doc, tableName: db.tableName, articles: db.store.articles }),
      getApiKey: async () => KEY,
      logger: new Logger({ serviceName: 'herald-test', logLevel: 'SILENT' }),
    });
    server = await startAdminServer({ api });
  });

  afterAll(async () => {
    await server?.stop();
    await streamAlerts?.stop();
    await standIn?.stop();
    await db?.stop();
  });

  it('imports through the admin API (URL with or without /admin/), then finds everything unchanged', async () => {
    // Act
    const first = await run([FIXTURES, '--api', `${server!.url}/admin/`, '--key', KEY], {});
    const second = await run([...VALID, `--api=${server!.url}`], { HERALD_ADMIN_KEY: KEY });

    // Assess
    expect(first.code).toBe(1);
    expect(first.stdout).toContain(`into ${server!.url}/admin.`);
    expect(summaryLine(first.stdout)).toBe('created 5 · updated 0 · unchanged 0 · invalid 1 file');
    expect(first.stdout).toContain('broken-article.json: id: ');
    expect(second.code).toBe(0);
    expect(summaryLine(second.stdout)).toBe('created 0 · updated 0 · unchanged 5 · invalid 0 files');
    expect((await db.store.articles.getArticle('night-buses-are-not-a-luxury'))?.authorName).toBe(
      'Lena Park',
    );
  });

  it('back-fills without alerting with --no-alerts', async () => {
    // Prepare: one new article by an author the example set created
    const dir = await mkdtemp(join(tmpdir(), 'herald-quiet-'));
    await writeFile(
      join(dir, 'quiet.json'),
      JSON.stringify({
        id: 'an-old-article',
        title: 'From the archive',
        authorHandle: 'lena_park',
        body: 'Written long ago. Imported today.',
        publishedAt: '2019-05-01T09:00:00Z',
      }),
    );
    await run([FIXTURES, '--api', server!.url, '--key', KEY], {});
    const reader = 6_001;
    await db.store.subscriptions.subscribe(reader, 'lena_park');
    const alerts = streamAlerts as StreamAlerts;

    // Act
    const res = await run([dir, '--api', server!.url, '--key', KEY, '--no-alerts'], {});
    await alerts.settle();

    // Assess: the stream took the example set's articles to the fan-out (an import without
    // --no-alerts alerts), but not the back-filled one, and its author's reader got nothing.
    expect(res.code).toBe(0);
    expect(summaryLine(res.stdout)).toBe('created 1 · updated 0 · unchanged 0 · invalid 0 files');
    expect(alerts.fannedOut).toContain('night-buses-are-not-a-luxury');
    expect(alerts.fannedOut).not.toContain('an-old-article');
    expect(await alerts.alerts.alerts.getRun('an-old-article')).toBeUndefined();
    expect(standIn?.messages(reader).filter((m) => m.text.includes('From the archive'))).toEqual([]);
    expect(await db.store.articles.getArticle('an-old-article')).toBeDefined();
    await rm(dir, { recursive: true, force: true });
  });

  it('stops with exit 2 when the key is refused or the API cannot be reached', async () => {
    // Prepare
    const closed = await startAdminServer({ api: async () => ({ statusCode: 500, headers: {}, body: '' }) });
    const closedUrl = closed.url;
    await closed.stop();

    // Act
    const refused = await run([`${FIXTURES}/articles`, '--api', server!.url, '--key', 'wrong'], {});
    const unreachable = await run([`${FIXTURES}/articles`, '--api', closedUrl, '--key', KEY], {});

    // Assess
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refused the key (401)');
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain('cannot reach the admin API');
  });
});
