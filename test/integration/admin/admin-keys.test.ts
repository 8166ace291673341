/**
 * Issue 17, items 6 and 9: named admin keys with scopes, the key's name in the log and the audit
 * trail (90-day TTL), an explicit and audited URL change, rotation with a bounded cache, and the
 * moderation routes (bans, a reader's comments, an article's comments by cursor).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type AdminApi, createAdminApi } from '../../../functions/admin/admin-api';
import {
  createKeyring,
  KEYRING_REFRESH_MIN_MS,
  KEYRING_TTL_MS,
  KeyringError,
  parseKeyring,
} from '../../../functions/admin/admin-keys';
import { createStatsReader } from '../../../functions/admin/stats';
import type { Comment } from '../../../functions/core/model';
import { AUDIT_TTL_SECONDS } from '../../../functions/store/audit-repository';
import { startTestStore, type TestStore } from '../../helpers/test-store';

const PUBLISH = 'cms-key-0123456789abcdefghij';
const MODERATE = 'mod-key-0123456789abcdefghijk';
const READ = 'read-key-0123456789abcdefghij';
const LEGACY = 'a-single-legacy-key-0123456789';
const KEYRING = JSON.stringify({
  keys: [
    { name: 'cms', key: PUBLISH, scopes: ['publish', 'read'] },
    { name: 'moderator', key: MODERATE, scopes: ['moderate'] },
    { name: 'dashboard', key: READ, scopes: ['read'] },
  ],
});

let db: TestStore;
let api: AdminApi;
const secret = KEYRING;
const logger = new Logger({ serviceName: 'herald-test', logLevel: 'SILENT' });
const NOW = new Date('2026-11-30T10:00:00.000Z');

beforeAll(async () => {
  db = await startTestStore();
  api = createAdminApi({
    store: db.store,
    stats: createStatsReader({ doc: db.doc, tableName: db.tableName, articles: db.store.articles }),
    getApiKey: async () => secret,
    logger,
    now: () => NOW,
  });
  await call(PUBLISH, 'PUT', '/admin/authors/writer', {
    handle: 'writer',
    fullName: 'W',
    userSince: '2010-01-01',
  });
});

afterAll(async () => {
  await db?.stop();
});

async function call(
  key: string,
  method: string,
  path: string,
  body?: unknown,
  query?: Record<string, string>,
): Promise<{ statusCode: number; json: unknown }> {
  const res = await api({
    method,
    path,
    query,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { statusCode: res.statusCode, json: res.body === '' ? undefined : JSON.parse(res.body) };
}

const article = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  title: `Title of ${id}`,
  authorHandle: 'writer',
  publishedAt: '2026-11-20T08:00:00Z',
  body: 'Text.',
  ...extra,
});

async function auditItems(): Promise<Record<string, unknown>[]> {
  const out = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'AUDIT#2026-11-30' },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

describe('keys and scopes', () => {
  it('lets each key do what its scopes allow, and nothing else (403 naming the scope)', async () => {
    // Act
    const cmsPublishes = await call(PUBLISH, 'PUT', '/admin/articles/scoped', article('scoped'));
    const moderatorPublishes = await call(MODERATE, 'PUT', '/admin/articles/scoped-2', article('scoped-2'));
    const dashboardReads = await call(READ, 'GET', '/admin/stats');
    const dashboardDeletes = await call(READ, 'DELETE', '/admin/articles/scoped');
    const cmsBans = await call(PUBLISH, 'PUT', '/admin/readers/42/ban');
    const moderatorBans = await call(MODERATE, 'PUT', '/admin/readers/42/ban');
    const unknown = await call('not-a-key-0123456789012345', 'GET', '/admin/stats');

    // Assess
    expect([cmsPublishes.statusCode, dashboardReads.statusCode, moderatorBans.statusCode]).toEqual([
      201, 200, 201,
    ]);
    expect(moderatorPublishes).toEqual({
      statusCode: 403,
      json: { error: 'the key "moderator" lacks the scope "publish"' },
    });
    expect(dashboardDeletes.json).toEqual({ error: 'the key "dashboard" lacks the scope "publish"' });
    expect(cmsBans.json).toEqual({ error: 'the key "cms" lacks the scope "moderate"' });
    expect(unknown.statusCode).toBe(401);
    expect(await db.store.articles.getArticle('scoped-2')).toBeUndefined();
  });

  it('keeps a single bare key (HERALD_ADMIN_KEY, the deploy’s secret) working with every scope', async () => {
    // Prepare
    const legacy = createAdminApi({
      store: db.store,
      stats: createStatsReader({ doc: db.doc, tableName: db.tableName, articles: db.store.articles }),
      getApiKey: async () => LEGACY,
      logger,
    });
    const auth = { authorization: `Bearer ${LEGACY}`, 'content-type': 'application/json' };

    // Act
    const publish = await legacy({
      method: 'PUT',
      path: '/admin/articles/legacy',
      headers: auth,
      body: JSON.stringify(article('legacy')),
    });
    const moderate = await legacy({ method: 'GET', path: '/admin/readers/43/ban', headers: auth });
    const read = await legacy({ method: 'GET', path: '/admin/stats', headers: auth });

    // Assess
    expect([publish.statusCode, moderate.statusCode, read.statusCode]).toEqual([201, 404, 200]);
  });

  it('logs the key’s name (never the key) on every admin call', async () => {
    // Prepare
    const info = jest.spyOn(logger, 'info');

    // Act
    await call(READ, 'GET', '/admin/stats');
    await call(PUBLISH, 'PUT', '/admin/articles/logged', article('logged'));

    // Assess
    const logged = info.mock.calls.filter(([m]) => m === 'admin API call').map(([, extra]) => extra);
    expect(logged).toEqual([
      expect.objectContaining({ keyName: 'dashboard', route: 'stats', statusCode: 200 }),
      expect.objectContaining({ keyName: 'cms', route: 'article', statusCode: 201 }),
    ]);
    expect(JSON.stringify(info.mock.calls)).not.toContain(PUBLISH);
    info.mockRestore();
  });
});

describe('audit trail', () => {
  it('records who did what to which record, when, for 90 days; reads are not recorded', async () => {
    // Prepare
    const before = (await auditItems()).length;

    // Act
    await call(PUBLISH, 'PUT', '/admin/articles/audited', article('audited'));
    await call(READ, 'GET', '/admin/articles/audited');
    await call(MODERATE, 'PUT', '/admin/readers/77/ban', { reason: 'spam' });
    const listed = await call(READ, 'GET', '/admin/audit/2026-11-30', undefined, { limit: '2' });

    // Assess
    const items = await auditItems();
    expect(items).toHaveLength(before + 2);
    const ban = items.find((i) => i['target'] === '/admin/readers/77/ban');
    expect(ban).toMatchObject({
      by: 'moderator',
      action: 'PUT readerBan',
      statusCode: 201,
      at: NOW.toISOString(),
      expiresAt: NOW.getTime() / 1000 + AUDIT_TTL_SECONDS,
    });
    expect(AUDIT_TTL_SECONDS).toBe(90 * 86_400);
    expect(listed.json).toMatchObject({
      items: [{ by: expect.any(String) }, { by: expect.any(String) }],
      next: expect.any(String),
    });
  });

  it('refuses a silent URL change (409 naming url); with ?changeUrl=true it changes and is audited', async () => {
    // Prepare
    await call(PUBLISH, 'PUT', '/admin/articles/moved', article('moved', { url: 'https://example.org/old' }));

    // Act
    const silent = await call(
      PUBLISH,
      'PUT',
      '/admin/articles/moved',
      article('moved', { url: 'https://evil.example/x' }),
    );
    const dropped = await call(PUBLISH, 'PUT', '/admin/articles/moved', article('moved'));
    const stillOld = (await db.store.articles.getArticle('moved'))?.url;
    const explicit = await call(
      PUBLISH,
      'PUT',
      '/admin/articles/moved',
      article('moved', { url: 'https://example.org/new' }),
      { changeUrl: 'true' },
    );

    // Assess
    for (const r of [silent, dropped]) {
      expect(r.statusCode).toBe(409);
      expect(r.json).toMatchObject({
        issues: [{ field: 'url', message: expect.stringContaining('?changeUrl=true') }],
      });
    }
    expect(stillOld).toBe('https://example.org/old');
    expect(explicit.statusCode).toBe(200);
    expect((await db.store.articles.getArticle('moved'))?.url).toBe('https://example.org/new');
    const entry = (await auditItems()).find((i) => i['target'] === '/admin/articles/moved' && i['detail']);
    expect(entry?.['detail']).toEqual({
      urlFrom: 'https://example.org/old',
      urlTo: 'https://example.org/new',
    });
  });
});

describe('rotation', () => {
  it('a new key works at once; a removed key stops within the keyring TTL; the cache is bounded', async () => {
    // Prepare
    let now = 0;
    let reads = 0;
    let stored = KEYRING;
    const lookup = createKeyring(
      async () => {
        reads += 1;
        return stored;
      },
      () => now,
    );
    const NEW = 'brand-new-key-0123456789abcdef';

    // Act / Assess
    expect((await lookup(PUBLISH))?.name).toBe('cms');
    stored = JSON.stringify({ keys: [{ name: 'cms-2026', key: NEW, scopes: ['publish'] }] });
    now = KEYRING_REFRESH_MIN_MS;
    expect((await lookup(NEW))?.name).toBe('cms-2026'); // unknown key: read again at once
    expect(await lookup(PUBLISH)).toBeUndefined(); // that read also revoked the old key
    for (let i = 0; i < 50; i++) await lookup(`wrong-${i}`); // a flood of wrong keys…
    expect(reads).toBe(2); // …reads nothing more within the refresh interval
    now += KEYRING_TTL_MS;
    await lookup(NEW);
    expect(reads).toBe(3); // and the keyring is read again once it is a minute old
  });

  it('parses a bare key as "default" with every scope and names what is wrong in a keyring', () => {
    expect(parseKeyring(' k-0123 ')).toEqual([
      { name: 'default', key: 'k-0123', scopes: ['publish', 'moderate', 'read'] },
    ]);
    expect(() => parseKeyring('{"keys":[{"name":"a","key":"short","scopes":["read"]}]}')).toThrow(
      new KeyringError('keys[0].key must be at least 24 characters without spaces'),
    );
    expect(() => parseKeyring(`{"keys":[{"name":"a","key":"${PUBLISH}","scopes":["admin"]}]}`)).toThrow(
      /scopes must list/,
    );
    expect(() => parseKeyring('{"keys":[]}')).toThrow(/non-empty array/);
  });
});

describe('moderation routes', () => {
  const comment = (articleId: string, i: number, userId: number): Comment => ({
    articleId,
    commentId: (1_780_000_000 + i).toString(36).padStart(7, '0') + i.toString(36),
    userId,
    userName: `U${userId}`,
    text: `comment ${i}`,
    createdAt: new Date((1_780_000_000 + i) * 1000).toISOString(),
  });

  it('lists an article’s comments by cursor, newest first, with ids to delete', async () => {
    // Prepare
    await call(PUBLISH, 'PUT', '/admin/articles/talked', article('talked'));
    for (let i = 0; i < 5; i++) await db.store.comments.addComment(comment('talked', i, 500 + i));

    // Act
    const first = await call(MODERATE, 'GET', '/admin/articles/talked/comments', undefined, { limit: '3' });
    const next = (first.json as { next?: string }).next ?? '';
    const second = await call(MODERATE, 'GET', '/admin/articles/talked/comments', undefined, {
      limit: '3',
      cursor: next,
    });
    const bad = await call(MODERATE, 'GET', '/admin/articles/talked/comments', undefined, { cursor: 'x:y' });
    const missing = await call(MODERATE, 'GET', '/admin/articles/nope/comments');

    // Assess
    const texts = (r: { json: unknown }) => (r.json as { items: Comment[] }).items.map((c) => c.text);
    expect(texts(first)).toEqual(['comment 4', 'comment 3', 'comment 2']);
    expect(texts(second)).toEqual(['comment 1', 'comment 0']);
    expect((second.json as { next?: string }).next).toBeUndefined();
    expect(bad).toMatchObject({ statusCode: 400, json: { issues: [{ field: 'cursor' }] } });
    expect(missing.statusCode).toBe(404);
  });

  it('bans (with a reason), reads, refuses the banned reader’s comment, unbans; deletes all of a reader’s comments', async () => {
    // Prepare
    await call(PUBLISH, 'PUT', '/admin/articles/spammed', article('spammed'));
    for (let i = 0; i < 3; i++) await db.store.comments.addComment(comment('spammed', 10 + i, 900));

    // Act
    const ban = await call(MODERATE, 'PUT', '/admin/readers/900/ban', { reason: 'spam' });
    const read = await call(MODERATE, 'GET', '/admin/readers/900/ban');
    const refused = await db.store.comments.addComment(comment('spammed', 20, 900));
    const wiped = await call(MODERATE, 'DELETE', '/admin/readers/900/comments');
    const unban = await call(MODERATE, 'DELETE', '/admin/readers/900/ban');
    const unbanAgain = await call(MODERATE, 'DELETE', '/admin/readers/900/ban');
    const badField = await call(MODERATE, 'PUT', '/admin/readers/901/ban', { reasn: 'typo' });

    // Assess
    expect(ban).toEqual({ statusCode: 201, json: { userId: 900, result: 'banned' } });
    expect(read.json).toEqual({ userId: 900, by: 'moderator', reason: 'spam', createdAt: NOW.toISOString() });
    expect(refused).toBe('banned');
    expect(wiped).toEqual({ statusCode: 200, json: { deleted: 3, more: false } });
    expect((await db.store.articles.getArticle('spammed'))?.replies).toBe(0);
    expect([unban.statusCode, unbanAgain.statusCode]).toEqual([204, 404]);
    expect(badField).toMatchObject({ statusCode: 400, json: { issues: [{ field: 'reasn' }] } });
  });
});
