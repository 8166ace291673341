/**
 * A feed read from a file (`npm run herald -- ingest <path>`), answering like the HTTP
 * fetcher so the same poll runs on it. Only for the command line and the local runtime: the
 * Lambda never reads files a feed names.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import type { FeedFetcher, FetchOutcome } from './fetch-feed';

const TYPES: Readonly<Record<string, string>> = {
  '.json': 'application/feed+json',
  '.xml': 'application/xml',
  '.rss': 'application/rss+xml',
  '.atom': 'application/atom+xml',
  '.html': 'text/html',
};

/** The `file:` URL a source reading `path` has (so its items' ids stay the same on every run). */
export function fileFeedUrl(path: string): string {
  return pathToFileURL(path).href;
}

/** A fetcher for `file:` URLs, with the same size cap as HTTP (default 5 MB). */
export function createFileFetcher(opts: { maxBytes?: number } = {}): FeedFetcher {
  const maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
  return async ({ url }): Promise<FetchOutcome> => {
    let path: string;
    try {
      path = fileURLToPath(url);
    } catch {
      return { status: 'failed', reason: 'not a file URL' };
    }
    try {
      const info = await stat(path);
      if (!info.isFile()) return { status: 'failed', reason: `${path} is not a file` };
      if (info.size > maxBytes)
        return { status: 'failed', reason: `larger than ${Math.round(maxBytes / 1024 / 1024)} MB` };
      const body = new Uint8Array(await readFile(path));
      const contentType = TYPES[extname(path).toLowerCase()];
      return { status: 'ok', url, body, ...(contentType ? { contentType } : {}) };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return {
        status: 'failed',
        reason: code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path} (${code ?? 'error'})`,
      };
    }
  };
}
