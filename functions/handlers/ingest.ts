/**
 * Lambda entry point of feed ingest, invoked by an EventBridge Scheduler schedule (every 10
 * minutes by default). An adapter: config, logger, store and fetcher are built once per cold
 * start; each invocation polls the due sources (functions/ingest/ingest-sources.ts) and logs
 * one summary line, whose `feedSourcesFailingOverAnHour` a metric filter turns into the
 * FeedSourcesFailing metric and alarm (lib/constructs/feed-ingest.ts).
 *
 * It never throws for a feed: a failing source is a report and a log line. It stops starting
 * new sources a minute before the function's timeout; those are polled next time.
 */
import type { Context } from 'aws-lambda';
import { loadConfig } from '../config';
import { createHttpFetcher, heraldUserAgent } from '../ingest/fetch-feed';
import { ingestDueSources } from '../ingest/ingest-sources';
import { createLogger } from '../logger';
import { ArticleRepository } from '../store/article-repository';
import { AuthorRepository } from '../store/author-repository';
import { createDocumentClient } from '../store/client';
import { FeedSourceRepository } from '../store/feed-repository';

/** A source failing this long counts in the alarm's metric. */
export const FAILING_ALARM_MS = 3600_000;
/** Time kept back from the deadline for the polls in flight and the summary. */
const DEADLINE_MARGIN_MS = 60_000;

const config = loadConfig();
const logger = createLogger(config, 'herald-ingest');
const doc = createDocumentClient({ region: config.region, endpoint: config.dynamoEndpoint });
// Only what ingest uses: the bundle (and its grants) stay small.
const store = {
  feeds: new FeedSourceRepository(doc, config.tableName),
  articles: new ArticleRepository(doc, config.tableName),
  authors: new AuthorRepository(doc, config.tableName),
};
const fetch = createHttpFetcher({ userAgent: heraldUserAgent(`https://t.me/${config.botUsername}`) });

export async function handler(_event: unknown, context: Pick<Context, 'getRemainingTimeInMillis'>) {
  const deadline = new Date(Date.now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS);
  const report = await ingestDueSources({ store, fetch, logger, deadline });
  const polled = report.sources.filter((r) => r.outcome !== 'skipped');
  const summary = {
    sources: report.sources.length,
    polled: polled.length,
    failed: polled.filter((r) => r.outcome === 'failed').length,
    created: polled.reduce((n, r) => n + r.created, 0),
    updated: polled.reduce((n, r) => n + r.updated, 0),
    alerting: polled.reduce((n, r) => n + r.alerting, 0),
    outOfTime: report.sources.filter((r) => r.skipped === 'out of time').length,
    feedSourcesFailingOverAnHour: report.sources.filter((r) => r.failingForMs >= FAILING_ALARM_MS).length,
  };
  logger.info('feed ingest run', summary);
  return summary;
}
