/**
 * Admin statistics: totals over the whole publication and one row per article (views,
 * replies, shares, opens from shares, alerts sent).
 *
 * Admin-only and never on a reader's path. Nothing here Scans the table: article ids come
 * from a Query of the `FEED` partition of gsi1, author handles from the `AUTHORS` partition,
 * and the counters from BatchGetItem of the items those name (the counters are not projected
 * into any index, so that a view never writes an index). Cost grows with the number of
 * articles (~0.5 RCU per article per report), which is why the report is capped at
 * {@link MAX_STATS_ARTICLES} rows; see docs/admin-api.md.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { deliveryTimes, starsFor } from '../core/delivery-time';
import type { ArticleMeta } from '../core/model';
import type { ArticleRepositoryPort } from '../core/ports';
import type { ArticleStats, StatsReader } from '../core/stats';
import { alertRunKey, toRun } from '../store/alert-repository';
import { toAuthor } from '../store/author-repository';
import { batchGetAll, type Item, str } from '../store/dynamo';
import { AUTHORS_PK, authorKey, FEED_PK, GSI1 } from '../store/keys';

/** Most article rows one report reads (the newest ones); totals of counters cover these rows. */
export const MAX_STATS_ARTICLES = 10_000;

export interface StatsReaderDeps {
  doc: DynamoDBDocumentClient;
  tableName: string;
  articles: Pick<ArticleRepositoryPort, 'getArticle' | 'getArticles'>;
  now?: () => Date;
}

/** The counters of an article card (the card without its summary, reading time, URL and language). */
export function toArticleStats(meta: ArticleMeta): ArticleStats {
  const { summary: _s, readingMinutes: _r, wordCount: _w, url: _u, language: _l, ...stats } = meta;
  return stats;
}

/**
 * Reads a gsi1 partition to its end, keeping the first `max` rows' `attribute` and counting
 * them all (one pass; the projection keeps the responses small).
 */
async function readPartition(
  doc: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'IndexName' | 'KeyConditionExpression' | 'ExpressionAttributeValues'> & {
    pk: string;
  },
  attribute: string,
  max: number,
): Promise<{ values: string[]; count: number }> {
  const { pk, ...rest } = input;
  const values: string[] = [];
  let count = 0;
  let startKey: Item | undefined;
  do {
    const out = await doc.send(
      new QueryCommand({
        ...rest,
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ProjectionExpression: '#a',
        ExpressionAttributeNames: { '#a': attribute },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of out.Items ?? []) if (values.length < max) values.push(str(item, attribute));
    count += out.Count ?? 0;
    startKey = out.LastEvaluatedKey;
  } while (startKey !== undefined);
  return { values, count };
}

/**
 * Builds the statistics reader on the table (Queries of index partitions + BatchGetItem;
 * never a Scan).
 */
export function createStatsReader(deps: StatsReaderDeps): StatsReader {
  const { doc, tableName } = deps;
  const now = deps.now ?? (() => new Date());
  return {
    async report() {
      const [ids, handles] = await Promise.all([
        readPartition(
          doc,
          { TableName: tableName, pk: FEED_PK, ScanIndexForward: false },
          'id',
          MAX_STATS_ARTICLES,
        ),
        // Authors are few (a publication's voices): every profile is read for its counter.
        readPartition(doc, { TableName: tableName, pk: AUTHORS_PK }, 'gsi1sk', Number.MAX_SAFE_INTEGER),
      ]);
      const [metas, profiles] = await Promise.all([
        deps.articles.getArticles(ids.values),
        batchGetAll(doc, tableName, handles.values.map(authorKey)),
      ]);
      const authors = profiles.flatMap((p) => toAuthor(p) ?? []);
      const rows = metas.map(toArticleStats);
      const sum = (k: 'views' | 'replies' | 'shares' | 'shareOpens' | 'alertsSent') =>
        rows.reduce((total, r) => total + r[k], 0);
      return {
        totals: {
          articles: ids.count,
          authors: authors.length,
          subscriptions: authors.reduce((total, a) => total + a.subscriberCount, 0),
          comments: sum('replies'),
          views: sum('views'),
          shares: sum('shares'),
          shareOpens: sum('shareOpens'),
          alertsSent: sum('alertsSent'),
        },
        articles: rows,
        truncated: ids.count > ids.values.length,
        generatedAt: now().toISOString(),
      };
    },
    async article(id) {
      const [meta, run] = await Promise.all([
        deps.articles.getArticle(id),
        doc.send(new GetCommand({ TableName: tableName, Key: alertRunKey(id) })),
      ]);
      if (!meta) return undefined;
      const stats = toArticleStats(meta);
      if (run.Item) {
        const r = toRun(run.Item);
        const times = deliveryTimes(r.histogram);
        stats.alerts = {
          total: r.total,
          sent: r.sent,
          blocked: r.blocked,
          failed: r.failed,
          unconfirmed: r.unconfirmed,
          // Unconfirmed recipients are final (never sent again): they are not pending.
          pending: Math.max(0, r.total - r.sent - r.blocked - r.failed - r.unconfirmed),
          fanoutDone: r.fanoutDone,
          startedAt: r.startedAt,
          ...(times ? { times } : {}),
          stars: starsFor(r.paidMessages),
        };
      }
      return stats;
    },
  };
}
