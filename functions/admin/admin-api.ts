/**
 * The admin HTTP API, free of any framework: a function from a request (method, path,
 * headers, body) to a response. The Lambda handler (API Gateway HTTP API, payload v2) and the
 * local admin server (`npm start`) both adapt to it, so both answer exactly alike.
 *
 * Every write goes through core/publishing.ts. Checks run in this order and the first that
 * fails answers, before anything is written: bearer key (401), route (404) and method (405),
 * content type (415), size (413), JSON (400), then the publishing validation (400/409).
 * docs/admin-api.md documents the routes for a CMS.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  changeChannel,
  connectChannel,
  disconnectChannel,
  listChannels,
  TooManyChannelsError,
} from '../core/channel-admin';
import { parseChannelInput, parseChannelPatch } from '../core/channel-input';
import type { ChannelRepositoryPort } from '../core/channels';
import {
  addFeedSource,
  changeFeedSource,
  feedSourceView,
  findFeedSource,
  listFeedSources,
  removeFeedSource,
  TooManyFeedSourcesError,
} from '../core/feed-admin';
import { parseFeedSourceInput, parseFeedSourcePatch } from '../core/feed-source-input';
import { ARTICLE_ID_PATTERN, HANDLE_PATTERN } from '../core/ids';
import type {
  ArticleRepositoryPort,
  AuditEntry,
  AuditRepositoryPort,
  AuthorRepositoryPort,
  CommentRepositoryPort,
  FeedSourceRepositoryPort,
  ModerationPort,
  PutResult,
} from '../core/ports';
import { publishArticle, publishAuthor, UnknownAuthorError, ValidationError } from '../core/publishing';
import type { StatsReader } from '../core/stats';
import { headerValue } from '../http-edge';
import { type AdminKey, type AdminScope, createKeyring, KeyringError } from './admin-keys';

/**
 * Largest request body accepted: room for the largest article the schema allows
 * (core/model.ts: body 200,000 characters, url 2,048, title 300, id 40, handle 32, a date)
 * with every character written as a 6-byte `\uXXXX` escape — what a client that escapes all
 * non-ASCII sends (Python's `json.dumps` does by default) — about 1.22 MB, plus keys and
 * spacing. The platform takes more: an HTTP API request up to 10 MB, a Lambda invocation
 * event up to 6 MB (even base64-encoded, this body is under 1.8 MB).
 */
export const MAX_BODY_BYTES = 1280 * 1024;

/** The request as the adapters hand it over. Header names may be in any case. */
export interface AdminRequest {
  method: string;
  /** The path, e.g. `/admin/articles/my-id` (no query string). */
  path: string;
  /** Query parameters; `alerts=false` on an article write stores a new article without alerting. */
  query?: Record<string, string | undefined>;
  headers: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
}

export interface AdminResponse {
  statusCode: number;
  headers: Record<string, string>;
  /** JSON text; empty for 204. */
  body: string;
}

/** What the admin API needs from storage. */
export interface AdminStore {
  articles: Pick<ArticleRepositoryPort, 'putArticle' | 'getArticle' | 'getBody' | 'deleteArticle'>;
  authors: Pick<AuthorRepositoryPort, 'putAuthor' | 'getAuthor'>;
  comments: Pick<CommentRepositoryPort, 'deleteComment' | 'commentsPage'>;
  moderation: ModerationPort;
  feeds: FeedSourceRepositoryPort;
  audit: AuditRepositoryPort;
}

export interface AdminApiDeps {
  store: AdminStore;
  stats: StatsReader;
  /**
   * The admin secret: a bare key or a keyring (admin/admin-keys.ts). Read fresh on AWS: the API
   * caches the parsed keyring itself, bounded (KEYRING_TTL_MS), so revocation and a new key take
   * effect within a known time. Generated per run locally, or HERALD_ADMIN_KEY(S).
   */
  getApiKey: () => Promise<string>;
  logger: Logger;
  /** The clock (feed sources' `createdAt`); defaults to the system's. */
  now?: () => Date;
  /**
   * Connected channels (`/admin/channels`). Apart from `store` because the webhook's store leaves
   * them out (its bundle budget); without it those routes answer 404.
   */
  channels?: ChannelRepositoryPort;
}

export type AdminApi = (req: AdminRequest) => Promise<AdminResponse>;

type Issue = { field: string; message: string };

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): AdminResponse {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

const noContent = (): AdminResponse => ({
  statusCode: 204,
  headers: { 'cache-control': 'no-store' },
  body: '',
});
const notFound = (what = 'not found'): AdminResponse => json(404, { error: what });
const invalid = (issues: Issue[]): AdminResponse => json(400, { error: 'validation failed', issues });

/** The token of `Authorization: Bearer <token>` (scheme case-insensitive), else undefined. */
export function bearerToken(headers: AdminRequest['headers']): string | undefined {
  const value = headerValue(headers, 'authorization');
  const m = value === undefined ? null : /^\s*Bearer\s+(\S+)\s*$/i.exec(value);
  return m?.[1];
}

// ---- routing -------------------------------------------------------------------------------

type RouteName =
  | 'author'
  | 'articles'
  | 'article'
  | 'articleComment'
  | 'articleStats'
  | 'stats'
  | 'feeds'
  | 'feed'
  | 'channels'
  | 'channel'
  | 'articleComments'
  | 'readerBan'
  | 'readerComments'
  | 'audit';

interface Route {
  name: RouteName;
  params: Record<string, string>;
  methods: readonly string[];
}

const ROUTES: { name: RouteName; pattern: RegExp; keys: string[]; methods: readonly string[] }[] = [
  { name: 'author', pattern: /^\/admin\/authors\/([^/]+)$/, keys: ['handle'], methods: ['GET', 'PUT'] },
  { name: 'articles', pattern: /^\/admin\/articles$/, keys: [], methods: ['POST'] },
  {
    name: 'article',
    pattern: /^\/admin\/articles\/([^/]+)$/,
    keys: ['id'],
    methods: ['GET', 'PUT', 'DELETE'],
  },
  {
    name: 'articleComment',
    pattern: /^\/admin\/articles\/([^/]+)\/comments\/([^/]+)$/,
    keys: ['id', 'commentId'],
    methods: ['DELETE'],
  },
  {
    name: 'articleComments',
    pattern: /^\/admin\/articles\/([^/]+)\/comments$/,
    keys: ['id'],
    methods: ['GET'],
  },
  {
    name: 'readerBan',
    pattern: /^\/admin\/readers\/([^/]+)\/ban$/,
    keys: ['userId'],
    methods: ['GET', 'PUT', 'DELETE'],
  },
  {
    name: 'readerComments',
    pattern: /^\/admin\/readers\/([^/]+)\/comments$/,
    keys: ['userId'],
    methods: ['DELETE'],
  },
  { name: 'audit', pattern: /^\/admin\/audit\/(\d{4}-\d{2}-\d{2})$/, keys: ['day'], methods: ['GET'] },
  { name: 'articleStats', pattern: /^\/admin\/articles\/([^/]+)\/stats$/, keys: ['id'], methods: ['GET'] },
  { name: 'stats', pattern: /^\/admin\/stats$/, keys: [], methods: ['GET'] },
  { name: 'feeds', pattern: /^\/admin\/feeds$/, keys: [], methods: ['GET', 'POST'] },
  // A source by its id (from the list) or its URL, percent-encoded as one segment.
  { name: 'feed', pattern: /^\/admin\/feeds\/([^/]+)$/, keys: ['ref'], methods: ['GET', 'PATCH', 'DELETE'] },
  { name: 'channels', pattern: /^\/admin\/channels$/, keys: [], methods: ['GET', 'POST'] },
  {
    name: 'channel',
    pattern: /^\/admin\/channels\/([^/]+)$/,
    keys: ['chatId'],
    methods: ['GET', 'PATCH', 'DELETE'],
  },
];

/** Matches a path to a route; undefined for an unknown path (or an undecodable segment). */
function matchRoute(path: string): Route | undefined {
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  for (const r of ROUTES) {
    const m = r.pattern.exec(clean);
    if (!m) continue;
    const params: Record<string, string> = {};
    try {
      r.keys.forEach((k, i) => {
        params[k] = decodeURIComponent(m[i + 1] ?? '');
      });
    } catch {
      return undefined;
    }
    return { name: r.name, params, methods: r.methods };
  }
  return undefined;
}

const COMMENT_ID = /^[0-9a-z]{1,20}$/;
const USER_ID = /^[1-9]\d{0,15}$/;

/** The scope a call needs: reads need `read`; comments and bans `moderate`; other writes `publish`. */
function scopeFor(route: RouteName, method: string): AdminScope {
  if (
    route === 'articleComment' ||
    route === 'articleComments' ||
    route === 'readerBan' ||
    route === 'readerComments'
  )
    return 'moderate';
  return method === 'GET' ? 'read' : 'publish';
}

/** A page size from `?limit=` (1–100), the default when absent; undefined when malformed. */
function limitParam(raw: string | undefined, fallback: number): number | undefined {
  if (raw === undefined || raw === '') return fallback;
  return /^\d{1,3}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 100 ? Number(raw) : undefined;
}
const normalizeHandle = (s: string) => s.trim().toLowerCase();

// ---- body --------------------------------------------------------------------------------

type BodyResult = { ok: true; value: unknown } | { ok: false; response: AdminResponse };

function readJsonBody(req: AdminRequest): BodyResult {
  const type = headerValue(req.headers, 'content-type');
  const mediaType = type?.split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    return {
      ok: false,
      response: json(415, { error: 'send the body as JSON with Content-Type: application/json' }),
    };
  }
  const raw = req.isBase64Encoded
    ? Buffer.from(req.body ?? '', 'base64')
    : Buffer.from(req.body ?? '', 'utf8');
  if (raw.byteLength > MAX_BODY_BYTES) {
    return { ok: false, response: json(413, { error: `the body exceeds ${MAX_BODY_BYTES} bytes` }) };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return { ok: false, response: json(400, { error: 'the body is not valid UTF-8' }) };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, response: json(400, { error: 'the body is not valid JSON' }) };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Fills the path's identifier into the body when the body omits it; an issue when the body
 * names a different one (a CMS bug that would otherwise write to the wrong record).
 */
function withPathKey(
  body: unknown,
  field: 'id' | 'handle',
  pathValue: string,
  same: (a: string, b: string) => boolean,
): { ok: true; value: unknown } | { ok: false; issue: Issue } {
  if (!isObject(body)) return { ok: true, value: body };
  const given = body[field];
  if (given === undefined) return { ok: true, value: { ...body, [field]: pathValue } };
  if (typeof given === 'string' && same(given, pathValue)) return { ok: true, value: body };
  return {
    ok: false,
    issue: { field, message: `must equal the ${field} in the path ("${pathValue}") or be omitted` },
  };
}

// ---- the API -----------------------------------------------------------------------------

/** Builds the admin API request handler. */
export function createAdminApi(deps: AdminApiDeps): AdminApi {
  const { store, stats, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const keyring = createKeyring(deps.getApiKey);

  /** Per request: details its audit entry records beyond who did what to which path (a URL change). */
  type Audit = { detail?: Record<string, string> };

  const putArticle = async (input: unknown, req: AdminRequest, audit: Audit): Promise<AdminResponse> => {
    const silent = req.query?.['alerts'] === 'false';
    // An article's URL is where readers are sent: changing it is explicit (`?changeUrl=true`) and
    // audited, never a silent overwrite by a CMS that sent an old or wrong link (item 9).
    if (isObject(input) && typeof input['id'] === 'string' && ARTICLE_ID_PATTERN.test(input['id'])) {
      const stored = await store.articles.getArticle(input['id']);
      const next = typeof input['url'] === 'string' ? input['url'] : undefined;
      if (stored?.url !== undefined && next !== stored.url) {
        if (req.query?.['changeUrl'] !== 'true') {
          return json(409, {
            error: 'url change not confirmed',
            issues: [
              {
                field: 'url',
                message: `differs from the stored url "${stored.url}"; send ?changeUrl=true to change it`,
              },
            ],
          });
        }
        audit.detail = { urlFrom: stored.url, urlTo: next ?? '(none)' };
      }
    }
    // A created article alerts through the table's stream (on AWS and in `npm start` alike):
    // nothing to call here. `silent` keeps the stream filter from passing it.
    const { id, result } = await publishArticle(store, input, { silent, now: now() });
    return json(result === 'created' ? 201 : 200, { id, result });
  };

  const handle = async (
    req: AdminRequest,
    route: Route,
    key: AdminKey,
    audit: Audit,
  ): Promise<AdminResponse> => {
    const method = req.method.toUpperCase();
    const p = route.params;
    switch (route.name) {
      case 'articleComments': {
        const id = p.id ?? '';
        const cursor = req.query?.['cursor'];
        const limit = limitParam(req.query?.['limit'], 20);
        if (limit === undefined)
          return invalid([{ field: 'limit', message: 'must be a whole number from 1 to 100' }]);
        if (cursor !== undefined && !COMMENT_ID.test(cursor))
          return invalid([{ field: 'cursor', message: 'must be the "next" value of the previous page' }]);
        if (!ARTICLE_ID_PATTERN.test(id) || !(await store.articles.getArticle(id)))
          return notFound('no such article');
        const page = await store.comments.commentsPage(id, cursor ? { before: cursor } : undefined, limit);
        return json(200, { items: page.items, ...(page.older ? { next: page.older } : {}) });
      }
      case 'readerBan': {
        if (!USER_ID.test(p.userId ?? '')) return notFound('no such reader');
        const userId = Number(p.userId);
        if (method === 'GET') {
          const ban = await store.moderation.getBan(userId);
          return ban ? json(200, ban) : notFound('this reader is not banned');
        }
        if (method === 'DELETE')
          return (await store.moderation.unban(userId)) ? noContent() : notFound('this reader is not banned');
        let reason: string | undefined;
        if (req.body !== undefined && req.body !== '') {
          const body = readJsonBody(req);
          if (!body.ok) return body.response;
          const r = isObject(body.value) ? body.value['reason'] : undefined;
          const extra = isObject(body.value) ? Object.keys(body.value).filter((k) => k !== 'reason') : [];
          if (!isObject(body.value))
            return invalid([{ field: '(body)', message: 'must be an object like {"reason":"spam"}' }]);
          if (extra.length > 0)
            return invalid(extra.map((k) => ({ field: k, message: 'is not a field Herald knows' })));
          if (r !== undefined && (typeof r !== 'string' || r.length > 200))
            return invalid([{ field: 'reason', message: 'must be a string of at most 200 characters' }]);
          reason = r;
        }
        const created = await store.moderation.ban({
          userId,
          by: key.name,
          createdAt: now().toISOString(),
          ...(reason === undefined ? {} : { reason }),
        });
        return json(created ? 201 : 200, { userId, result: created ? 'banned' : 'already banned' });
      }
      case 'readerComments': {
        if (!USER_ID.test(p.userId ?? '')) return notFound('no such reader');
        // Bounded: up to 100 comments a call; `more` says call again (docs/admin-api.md).
        const { deleted, more } = await store.moderation.deleteCommentsBy(Number(p.userId), 100);
        return json(200, { deleted, more });
      }
      case 'audit': {
        const limit = limitParam(req.query?.['limit'], 50);
        if (limit === undefined)
          return invalid([{ field: 'limit', message: 'must be a whole number from 1 to 100' }]);
        try {
          return json(200, await store.audit.listDay(p.day ?? '', req.query?.['cursor'], limit));
        } catch (err) {
          if (err instanceof RangeError)
            return invalid([{ field: 'cursor', message: 'must be the "next" value of the previous page' }]);
          throw err;
        }
      }
      case 'stats':
        return json(200, await stats.report());
      case 'articleStats': {
        const id = p.id ?? '';
        const row = ARTICLE_ID_PATTERN.test(id) ? await stats.article(id) : undefined;
        return row ? json(200, row) : notFound('no such article');
      }
      case 'author': {
        const h = normalizeHandle(p.handle ?? '');
        if (method === 'GET') {
          const author = HANDLE_PATTERN.test(h) ? await store.authors.getAuthor(h) : undefined;
          return author ? json(200, author) : notFound('no such author');
        }
        const body = readJsonBody(req);
        if (!body.ok) return body.response;
        const filled = withPathKey(body.value, 'handle', h, (a, b) => normalizeHandle(a) === b);
        if (!filled.ok) return invalid([filled.issue]);
        const result: PutResult = await publishAuthor(store, filled.value);
        return json(result === 'created' ? 201 : 200, { handle: h, result });
      }
      case 'articles': {
        const body = readJsonBody(req);
        if (!body.ok) return body.response;
        return putArticle(body.value, req, audit);
      }
      case 'article': {
        const id = p.id ?? '';
        if (method === 'PUT') {
          const body = readJsonBody(req);
          if (!body.ok) return body.response;
          const filled = withPathKey(body.value, 'id', id, (a, b) => a === b);
          if (!filled.ok) return invalid([filled.issue]);
          return putArticle(filled.value, req, audit);
        }
        if (!ARTICLE_ID_PATTERN.test(id)) return notFound('no such article');
        if (method === 'DELETE')
          return (await store.articles.deleteArticle(id)) ? noContent() : notFound('no such article');
        const [meta, text] = await Promise.all([store.articles.getArticle(id), store.articles.getBody(id)]);
        return meta ? json(200, { ...meta, body: text ?? '' }) : notFound('no such article');
      }
      case 'feeds': {
        if (method === 'GET') return json(200, await listFeedSources(store));
        const body = readJsonBody(req);
        if (!body.ok) return body.response;
        const { created, source } = await addFeedSource(store, parseFeedSourceInput(body.value), now());
        return json(created ? 201 : 200, {
          result: created ? 'created' : 'exists',
          source: feedSourceView(source),
        });
      }
      case 'feed': {
        const ref = p.ref ?? '';
        if (method === 'DELETE')
          return (await removeFeedSource(store, ref)) ? noContent() : notFound('no such feed');
        if (method === 'GET') {
          const source = await findFeedSource(store, ref);
          return source ? json(200, feedSourceView(source)) : notFound('no such feed');
        }
        const body = readJsonBody(req);
        if (!body.ok) return body.response;
        const changed = await changeFeedSource(store, ref, parseFeedSourcePatch(body.value));
        return changed ? json(200, feedSourceView(changed)) : notFound('no such feed');
      }
      case 'channels':
      case 'channel': {
        const channels = deps.channels;
        if (!channels) return notFound('channels are not available in this runtime');
        const cstore = { channels, authors: store.authors };
        if (route.name === 'channels') {
          if (method === 'GET') return json(200, { channels: await listChannels(cstore) });
          const body = readJsonBody(req);
          if (!body.ok) return body.response;
          const { created, channel } = await connectChannel(cstore, parseChannelInput(body.value));
          return json(created ? 201 : 200, { result: created ? 'created' : 'exists', channel });
        }
        const raw = p.chatId ?? '';
        const chatId = /^-100\d{10}$/.test(raw) ? Number(raw) : undefined;
        if (chatId === undefined) return notFound('no such channel');
        if (method === 'GET') {
          const channel = await channels.getChannel(chatId);
          return channel ? json(200, channel) : notFound('no such channel');
        }
        if (method === 'DELETE')
          return (await disconnectChannel(cstore, chatId)) ? noContent() : notFound('no such channel');
        const body = readJsonBody(req);
        if (!body.ok) return body.response;
        const changed = await changeChannel(cstore, chatId, parseChannelPatch(body.value));
        return changed ? json(200, changed) : notFound('no such channel');
      }
      case 'articleComment': {
        const id = p.id ?? '';
        const commentId = p.commentId ?? '';
        if (!ARTICLE_ID_PATTERN.test(id) || !COMMENT_ID.test(commentId)) return notFound('no such comment');
        return (await store.comments.deleteComment(id, commentId))
          ? noContent()
          : notFound('no such comment');
      }
    }
  };

  return async (req) => {
    const started = Date.now();
    const method = req.method.toUpperCase();
    let key: AdminKey | undefined;
    try {
      key = await keyring(bearerToken(req.headers));
    } catch (err) {
      logger.error(
        err instanceof KeyringError ? `admin keyring invalid: ${err.message}` : 'admin API key unavailable',
        {
          error: err as Error,
        },
      );
      return json(503, { error: 'the admin API is not ready (its key cannot be read)' });
    }
    if (!key) {
      logger.warn('admin API call rejected: wrong or missing bearer key', { method });
      return json(401, { error: 'unauthorized' }, { 'www-authenticate': 'Bearer realm="herald-admin"' });
    }
    const route = matchRoute(req.path);
    if (!route) return notFound('no such route; see docs/admin-api.md');
    if (!route.methods.includes(method)) {
      return json(405, { error: `use ${route.methods.join(', ')}` }, { allow: route.methods.join(', ') });
    }
    const scope = scopeFor(route.name, method);
    if (!key.scopes.includes(scope)) {
      logger.warn('admin API call refused: the key lacks the scope', {
        method,
        route: route.name,
        keyName: key.name,
        scope,
      });
      return json(403, { error: `the key "${key.name}" lacks the scope "${scope}"` });
    }
    const audit: Audit = {};
    let response: AdminResponse;
    try {
      response = await handle(req, route, key, audit);
    } catch (err) {
      if (err instanceof ValidationError) response = invalid(err.issues);
      else if (err instanceof TooManyFeedSourcesError || err instanceof TooManyChannelsError)
        response = json(409, { error: err.message });
      else if (err instanceof UnknownAuthorError) {
        response = json(409, {
          error: 'unknown author',
          issues: [
            {
              field: 'authorHandle',
              message: `no author "${err.handle}" exists; PUT /admin/authors/${err.handle} first`,
            },
          ],
        });
      } else {
        logger.error('admin API request failed', { method, route: route.name, error: err as Error });
        response = json(500, { error: 'internal error' });
      }
    }
    logger.info('admin API call', {
      method,
      route: route.name,
      keyName: key.name,
      statusCode: response.statusCode,
      durationMs: Date.now() - started,
    });
    if (method !== 'GET' && response.statusCode < 300) {
      const entry: AuditEntry = {
        at: now().toISOString(),
        by: key.name,
        action: `${method} ${route.name}`,
        target: req.path,
        statusCode: response.statusCode,
        ...(audit.detail ? { detail: audit.detail } : {}),
      };
      // The write happened: a failed audit write is logged loudly, never turned into a failure.
      await store.audit.record(entry).catch((err: unknown) => {
        logger.error('admin audit entry not written', { ...entry, error: err as Error });
      });
    }
    return response;
  };
}

/** Translates an API Gateway HTTP API (payload v2) event into an {@link AdminRequest}. */
export function fromHttpApiEvent(event: APIGatewayProxyEventV2): AdminRequest {
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    query: event.queryStringParameters ?? {},
    headers: event.headers ?? {},
    body: event.body,
    isBase64Encoded: event.isBase64Encoded,
  };
}
