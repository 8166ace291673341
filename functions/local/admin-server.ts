/**
 * The admin HTTP API on this machine: a node:http server on 127.0.0.1 in front of the same
 * framework-free handler the Lambda uses (functions/admin/admin-api.ts), so a CMS, curl or
 * `herald import --api` can be tried against `npm start` exactly as against AWS.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AdminApi, MAX_BODY_BYTES } from '../admin/admin-api';

export interface AdminServer {
  /** `http://127.0.0.1:<port>`; the routes are under `/admin/`. */
  url: string;
  stop(): Promise<void>;
}

/** A fresh random bearer key for one local run (never written anywhere but the terminal). */
export function generateAdminKey(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Reads the body, keeping at most one byte past the limit: enough for the handler to answer
 * 413 without buffering an arbitrarily large upload. The rest is read and dropped so the
 * client, still sending, gets the answer instead of a reset connection.
 */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let kept = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    if (kept > MAX_BODY_BYTES) continue;
    const part = buf.subarray(0, MAX_BODY_BYTES + 1 - kept);
    chunks.push(part);
    kept += part.byteLength;
  }
  return Buffer.concat(chunks);
}

/**
 * Starts the server on 127.0.0.1. `port` 0 (the default) takes any free port; a busy port
 * falls back to a free one rather than failing `npm start`.
 */
export async function startAdminServer(opts: { api: AdminApi; port?: number }): Promise<AdminServer> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const response = await opts.api({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        body: body.toString('base64'),
        isBase64Encoded: true,
      });
      res.writeHead(response.statusCode, response.headers);
      res.end(response.body);
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `internal error: ${err instanceof Error ? err.name : 'unknown'}` }));
    });
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  try {
    await listen(opts.port ?? 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !opts.port) throw err;
    await listen(0);
  }
  const { port } = server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}
