/**
 * A DynamoDB-aware fault proxy: an HTTP server on 127.0.0.1 that forwards every request to
 * the real store (DynamoDB Local) and, on command, cuts chosen requests off — the connection is
 * destroyed before the request reaches the store, which is what the SDK sees when DynamoDB
 * is unreachable. It knows each request's operation (the `X-Amz-Target` header) so a test
 * can fail precisely "the 3rd store call of this update" and nothing else.
 *
 * This is fault injection on the network path, like the stand-in's `injectFault` for
 * Telegram: the app and the store on either side are the real ones.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request that went through (or was cut). */
export interface ProxiedCall {
  /** e.g. `PutItem`, `UpdateItem`. */
  op: string;
  /** The request body (DynamoDB JSON), to tell which item a call touched. */
  body: string;
  cut: boolean;
}

export interface FaultProxy {
  endpoint: string;
  /** Every request seen, in arrival order. */
  readonly calls: ProxiedCall[];
  /** Cuts the next `count` requests (counting from now), e.g. one call and the SDK's retries of it. */
  cutNext(count: number, skip?: number): void;
  /** Cuts every request from now on until `up()`. */
  down(): void;
  up(): void;
  stop(): Promise<void>;
}

/** Starts a proxy in front of `target` (e.g. DynamoDB Local's `http://127.0.0.1:port`). */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const calls: ProxiedCall[] = [];
  const sockets = new Set<Socket>();
  let skip = 0;
  let toCut = 0;
  let isDown = false;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '?';
      let cut = isDown;
      if (!cut && toCut > 0) {
        if (skip > 0) skip--;
        else {
          toCut--;
          cut = true;
        }
      }
      calls.push({ op, body, cut });
      if (cut) {
        // As if the store vanished mid-request: no answer, the connection just dies.
        req.socket.destroy();
        return;
      }
      const forward = request(
        {
          hostname: upstream.hostname,
          port: upstream.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 500, up.headers);
          up.pipe(res);
        },
      );
      forward.on('error', () => req.socket.destroy());
      forward.end(body);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    cutNext: (count, skipFirst = 0) => {
      toCut = count;
      skip = skipFirst;
    },
    down: () => {
      isDown = true;
    },
    up: () => {
      isDown = false;
      toCut = 0;
      skip = 0;
    },
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
