/**
 * The command line's HTTP client for a running admin API (`herald import --api`, `herald feeds
 * --api`): the API's root from what a person types, one JSON call with the key and a timeout,
 * and the two answers every command treats alike — unreachable and a refused key. Each command
 * passes the error type it stops with (exit 2) and reads the other statuses itself.
 */

/** What one call answered: the status and the body as JSON (undefined when empty or not JSON). */
export interface AdminApiAnswer {
  status: number;
  json: unknown;
}

export interface AdminApiClient {
  /** `https://host/…/admin`, what paths are appended to. */
  readonly root: string;
  call(method: string, path: string, body?: unknown): Promise<AdminApiAnswer>;
}

/** `https://x/admin/`, `https://x/admin` and `https://x` all mean the API at `https://x/admin`. */
export function adminApiRoot(url: string, abort: (message: string) => Error): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw abort(`--api ${url} is not a URL (e.g. http://127.0.0.1:8787)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw abort(`--api ${url} must be an http(s) URL`);
  }
  const path = parsed.pathname.replace(/\/+$/, '').replace(/\/admin$/, '');
  return `${parsed.origin}${path}/admin`;
}

/**
 * A client for the admin API at `url` with `key`.
 *
 * @param abort builds the command's stopping error (unreachable API, refused key, bad --api)
 */
export function createAdminApiClient(
  url: string,
  key: string,
  abort: (message: string) => Error,
): AdminApiClient {
  const root = adminApiRoot(url, abort);
  return {
    root,
    async call(method, path, body) {
      let res: Response;
      try {
        res = await fetch(`${root}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        throw abort(
          `cannot reach the admin API at ${root}: ${cause?.code ?? cause?.message ?? (err as Error).message}`,
        );
      }
      const text = await res.text();
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      if (res.status === 401) {
        throw abort(`the admin API at ${root} refused the key (401): check --key or HERALD_ADMIN_KEY`);
      }
      return { status: res.status, json };
    },
  };
}
