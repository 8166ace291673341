/**
 * The HTTP face of the Bot API side: `POST|GET /bot<token>/<method>` on 127.0.0.1, parameters
 * from the query string and a JSON or urlencoded body, Telegram's envelopes and status codes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Dispatcher } from './dispatcher';
import { BotApiError, badRequest, errorBody } from './errors';
import { decodeJsonParams, isRecord, type Params } from './params';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export class ApiServer {
  private server: Server | undefined;
  private root: string | undefined;

  constructor(
    private readonly token: string,
    private readonly dispatcher: Dispatcher,
  ) {}

  /** The apiRoot once listening, e.g. `http://127.0.0.1:40123`. */
  get apiRoot(): string | undefined {
    return this.root;
  }

  async start(port: number): Promise<string> {
    if (this.root !== undefined) return this.root;
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        // Only a bug in the stand-in lands here; answer it visibly rather than hang the client.
        if (!res.headersSent) {
          writeJson(res, 500, {
            ok: false,
            error_code: 500,
            description: `Internal Server Error: ${String(error)}`,
          });
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string')
      throw new Error('The stand-in did not get a TCP port');
    this.server = server;
    this.root = `http://127.0.0.1:${address.port}`;
    return this.root;
  }

  /** Stops listening and closes keep-alive sockets (so jest can exit). Idempotent. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.root = undefined;
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/bot([^/]*)\/([^/]+)\/?$/.exec(url.pathname);
    if (match === null) {
      writeJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    const token = decodeURIComponent(match[1] ?? '');
    const methodName = decodeURIComponent(match[2] ?? '');
    let params: Params;
    try {
      params = await readParams(req, url);
    } catch (error) {
      const failure = error instanceof BotApiError ? error : badRequest(String(error));
      this.dispatcher.recordRejected(methodName, {}, failure);
      writeJson(res, failure.code, errorBody(failure));
      return;
    }
    if (token !== this.token) {
      const failure = new BotApiError(401, 'Unauthorized');
      this.dispatcher.recordRejected(methodName, params, failure);
      writeJson(res, failure.code, errorBody(failure));
      return;
    }
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const outcome = await this.dispatcher.invoke(methodName, params, controller.signal);
    if (!res.destroyed) writeJson(res, outcome.status, outcome.body);
  }
}

function writeJson(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** Query string plus body (JSON or urlencoded), with JSON-carrying strings decoded. */
async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const params: Params = Object.fromEntries(url.searchParams);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BotApiError(413, 'Request Entity Too Large');
    chunks.push(buffer);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw.trim() !== '') {
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    if (type.startsWith('multipart/form-data')) {
      throw badRequest('the Bot API stand-in does not accept multipart/form-data (file uploads)');
    }
    if (type.includes('application/x-www-form-urlencoded')) {
      Object.assign(params, Object.fromEntries(new URLSearchParams(raw)));
    } else {
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        throw badRequest("can't parse JSON object");
      }
      if (!isRecord(body)) throw badRequest("can't parse JSON object");
      Object.assign(params, body);
    }
  }
  return decodeJsonParams(params);
}
