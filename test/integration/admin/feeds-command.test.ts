/**
 * `herald ingest` and `herald feeds` in process, each on a fresh data directory (its own
 * DynamoDB Local, as a user's run has): a feed file stored with its authors, bodies, tags and
 * dates; a second run writes nothing and says so; a bad feed exits non-zero with the reason.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createAdminApi } from '../../../functions/admin/admin-api';
import { createStatsReader } from '../../../functions/admin/stats';
import { type AdminServer, startAdminServer } from '../../../functions/local/admin-server';
import { ensureTable, startEmbeddedStore } from '../../../functions/local/embedded-store';
import { feedsCommand, ingestCommand } from '../../../functions/local/feeds-command';
import { createDynamoClient, toDocumentClient } from '../../../functions/store/client';
import { createStore, type Store } from '../../../functions/store/index';
import { startTestStore, type TestStore } from '../../helpers/test-store';

const ROOT = join(__dirname, '..', '..', '..');
const FEEDS = 'test/fixtures/feeds';

let scratch = '';
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'herald-feeds-'));
});
afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

let dirs = 0;
const freshDataDir = () => join(scratch, `data-${++dirs}`);

type Command = typeof ingestCommand;
async function run(command: Command, argv: string[], dataDir: string) {
  let stdout = '';
  let stderr = '';
  const code = await command(
    argv,
    { HERALD_DATA_DIR: dataDir },
    {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      cwd: ROOT,
    },
  );
  return { code, stdout, stderr };
}

/** Reads a data directory after the command closed it. */
async function inDataDir<T>(
  dir: string,
  read: (store: Store, items: () => Promise<unknown[]>) => Promise<T>,
) {
  const embedded = await startEmbeddedStore({ path: dir });
  const client = createDynamoClient({ region: 'us-east-1', endpoint: embedded.endpoint });
  try {
    await ensureTable(client, 'herald');
    const doc = toDocumentClient(client);
    const items = async () =>
      (await doc.send(new ScanCommand({ TableName: 'herald', ConsistentRead: true }))).Items ?? [];
    return await read(createStore(doc, 'herald'), items);
  } finally {
    client.destroy();
    await embedded.stop();
  }
}

describe('herald ingest <file>', () => {
  it('stores the feed with authors, bodies, tags and dates; a second run writes nothing and says so', async () => {
    // Prepare
    const dir = freshDataDir();

    // Act
    const first = await run(ingestCommand, [`${FEEDS}/wordpress-rss.xml`], dir);
    const second = await run(ingestCommand, [`${FEEDS}/wordpress-rss.xml`], dir);

    // Assess: what was said
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(
      /wordpress-rss\.xml: 2 new articles \(0 alerting\), 0 updated, 0 unchanged, \d+ new authors?/,
    );
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).toMatch(/nothing new \(2 items already stored\); nothing was written/);

    // Assess: what was stored
    await inDataDir(dir, async (store, items) => {
      const latest = (await store.articles.latest(0, 10)).items;
      expect(latest).toHaveLength(2);
      const first = latest.find((r) => r.title.startsWith('Water'));
      const card = await store.articles.getArticle(first?.id ?? '');
      expect(card).toMatchObject({
        title: 'Water, Borders & the Next Decade: What Comes After the Monsoon?',
        publishedAt: '2026-11-24T08:00:00.000Z',
        tags: ['climate', 'south asia'],
        authorName: 'Jane Doe',
      });
      const body = await store.articles.getBody(first?.id ?? '');
      expect(body).toContain('## A treaty for a different sky');
      expect(await store.authors.getAuthor(first?.authorHandle ?? '')).toMatchObject({
        fullName: 'Jane Doe',
      });
      // A one-off feed is not a source: nothing polls it later.
      expect((await items()).filter((i) => (i as { kind?: string }).kind === 'feedsource')).toEqual([]);
    });
  }, 60_000);

  it.each([
    ['broken.xml', /not a feed|malformed|XML/i],
    ['html-page.html', /an HTML page/],
    ['json-feed-wrong-version.json', /version/i],
    ['no-such-file.xml', /neither a file nor an http\(s\) URL/],
  ])(
    'exits non-zero with the reason for %s',
    async (file, reason) => {
      // Act
      const r = await run(ingestCommand, [`${FEEDS}/${file}`], freshDataDir());

      // Assess
      expect(r.code).toBeGreaterThan(0);
      expect(r.stderr).toMatch(reason);
    },
    60_000,
  );
});

describe('herald feeds', () => {
  it('adds, lists, pauses, resumes and removes a source; refuses a bad URL naming the field', async () => {
    // Prepare
    const dir = freshDataDir();
    const url = 'https://voices.example.com/feed/';

    // Act
    const bad = await run(feedsCommand, ['add', 'ftp://voices.example.com/feed'], dir);
    const added = await run(feedsCommand, ['add', url, '--no-alerts'], dir);
    const unknownAuthor = await run(
      feedsCommand,
      ['add', 'https://other.example/feed', '--author', 'nobody'],
      dir,
    );
    const paused = await run(feedsCommand, ['pause', url], dir);
    const listed = await run(feedsCommand, ['list'], dir);
    const resumed = await run(feedsCommand, ['resume', url], dir);
    const removed = await run(feedsCommand, ['remove', url], dir);
    const again = await run(feedsCommand, ['remove', url], dir);
    const unknownOption = await run(feedsCommand, ['list', '--colour'], dir);

    // Assess
    expect(bad).toMatchObject({ code: 1, stderr: 'herald feeds: url: must be an http(s) URL\n' });
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('alerts off');
    expect(unknownAuthor).toMatchObject({
      code: 1,
      stderr: 'herald feeds: defaultAuthor: no author "nobody" exists; create the author first\n',
    });
    expect(paused.stdout).toMatch(
      /^Paused:\nhttps:\/\/voices\.example\.com\/feed\/\n {2}paused · alerts off/,
    );
    expect(listed.stdout).toContain('paused · alerts off · last success never · 0 items in the feed');
    expect(resumed.stdout).toContain('active · alerts off');
    expect([removed.code, again.code]).toEqual([0, 1]);
    expect(again.stderr).toBe(`herald feeds: no feed source ${url}\n`);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain('--colour');
  }, 90_000);
});

describe('herald feeds --api', () => {
  const KEY = 'feeds-command-test-key-0123456789';
  let db: TestStore | undefined;
  let server: AdminServer | undefined;

  beforeAll(async () => {
    db = await startTestStore();
    const api = createAdminApi({
      store: db.store,
      stats: createStatsReader({ doc: db.doc, tableName: db.tableName, articles: db.store.articles }),
      getApiKey: async () => KEY,
      logger: new Logger({ logLevel: 'SILENT' }),
    });
    server = await startAdminServer({ api, port: 0 });
  });
  afterAll(async () => {
    await server?.stop();
    await db?.stop();
  });

  it('manages sources through the admin API, with the same answers', async () => {
    // Prepare
    const url = 'https://remote.example/feed.xml';
    const api = ['--api', server?.url ?? '', '--key', KEY];
    const dir = join(scratch, 'never-opened');

    // Act
    const added = await run(feedsCommand, ['add', url, ...api], dir);
    const bad = await run(feedsCommand, ['add', 'mailto:x@remote.example', ...api], dir);
    const paused = await run(feedsCommand, ['pause', url, ...api], dir);
    const listed = await run(feedsCommand, ['list', '--json', ...api], dir);
    const removed = await run(feedsCommand, ['remove', url, ...api], dir);
    const refused = await run(feedsCommand, ['list', '--api', server?.url ?? '', '--key', 'wrong'], dir);

    // Assess
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('active · alerts on');
    expect(bad).toMatchObject({ code: 1, stderr: 'herald feeds: url: must be an http(s) URL\n' });
    expect(paused.stdout).toContain('paused · alerts on');
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ url, paused: true })]);
    expect(removed.code).toBe(0);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refused the key (401)');
    expect((await db?.store.feeds.listSources())?.items).toEqual([]);
  });
});
