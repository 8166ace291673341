import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createFileFetcher, fileFeedUrl } from '../../../functions/ingest/file-fetcher';
import { pollFeed } from '../../../functions/ingest/poll-feed';
import { newFeedSourceState } from '../../../functions/ingest/types';

const dir = mkdtempSync(join(tmpdir(), 'herald-feed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reading a feed from a file', () => {
  it('polls a file like a URL, with stable ids across runs', async () => {
    const path = join(__dirname, '../../fixtures/feeds/json-feed.json');
    const fetch = createFileFetcher();
    const source = { url: fileFeedUrl(path), alerts: true, state: newFeedSourceState() };
    const deps = { fetch, authors: { getAuthor: async () => undefined } };

    const first = await pollFeed(source, deps);
    const again = await pollFeed({ ...source, state: newFeedSourceState() }, deps);

    expect(first.outcome).toBe('updated');
    expect(first.items.map((i) => i.article.id)).toEqual(again.items.map((i) => i.article.id));
  });

  it('says what is wrong with a path', async () => {
    const fetch = createFileFetcher({ maxBytes: 10 });
    const big = join(dir, 'big.xml');
    writeFileSync(big, '<rss>01234567890123456789</rss>');

    expect(await fetch({ url: fileFeedUrl(join(dir, 'missing.xml')) })).toEqual({
      status: 'failed',
      reason: `no such file: ${join(dir, 'missing.xml')}`,
    });
    expect(await fetch({ url: fileFeedUrl(dir) })).toEqual({
      status: 'failed',
      reason: `${dir} is not a file`,
    });
    expect(await fetch({ url: fileFeedUrl(big) })).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/^larger than/),
    });
    expect(await fetch({ url: 'https://x.example/feed' })).toEqual({
      status: 'failed',
      reason: 'not a file URL',
    });
  });
});
