/**
 * Tags as a list readers browse (`/tags`): the most followed tags, ranked on gsi2 without a Scan.
 * Also a tag's latest articles (`latestByTag`), from the rows publishing writes per tag. The tag counter (`TAG#<tag>`/`META`, written exactly by SubscriptionRepository's follow and
 * unfollow transactions) carries gsi2 keys `TAGRANK` / `<count, 10 digits>#<tag>` while its count
 * is above zero. The rank key is refreshed right after each follow or unfollow from the counter it
 * reads back, guarded by that count, so a concurrent change wins and refreshes it in turn. Only the
 * on-demand settings feature builds it, so the webhook's main bundle does not carry it.
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ArticleRow, RankedTag } from '../core/ports';
import { conditionHolds, str } from './dynamo';
import { GSI2, TAG_RANK_PK, tagArticleKey, tagKey, tagRankSk } from './keys';

/** Tags `/tags` lists at most: one Query page of the ranking. */
export const TOP_TAGS = 20;

/** The ranking of followed tags on Herald's table. */
export class TagRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Brings a tag's rank entry in line with its follower count, after a follow or unfollow: GetItem
   * the counter (strong), then one UpdateItem conditioned on the count read — `SET gsi2pk, gsi2sk`
   * while followed, `REMOVE` them at zero. A failed condition means another change came in
   * between, and that change's own refresh writes the newer rank. 1 RCU + 1 WCU + 2 gsi2 writes
   * (the entry moves). A crash between the follow and this leaves the rank one change behind until
   * the tag's next follow or unfollow: the ranking is for browsing, the count itself stays exact.
   */
  async refreshRank(tag: string): Promise<void> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: tagKey(tag),
        ProjectionExpression: 'subscriberCount',
        ConsistentRead: true,
      }),
    );
    const count = out.Item?.['subscriberCount'];
    if (typeof count !== 'number') return;
    await conditionHolds(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: tagKey(tag),
          ConditionExpression: 'subscriberCount = :seen',
          ...(count > 0
            ? {
                UpdateExpression: 'SET gsi2pk = :rank, gsi2sk = :sk',
                ExpressionAttributeValues: {
                  ':seen': count,
                  ':rank': TAG_RANK_PK,
                  ':sk': tagRankSk(count, tag),
                },
              }
            : {
                UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
                ExpressionAttributeValues: { ':seen': count },
              }),
        }),
      ),
    );
  }

  /**
   * The most followed tags, most followed first (ties in reverse tag order): one Query of gsi2
   * `TAGRANK`, descending, `Limit` {@link TOP_TAGS}; the count and tag are read from the sort key
   * (the index projects no counter). ~0.5 RCU (20 entries of ~0.1 KB).
   */
  async topTags(limit = TOP_TAGS): Promise<RankedTag[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI2,
        KeyConditionExpression: 'gsi2pk = :rank',
        ExpressionAttributeValues: { ':rank': TAG_RANK_PK },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((item) => {
      const sk = str(item, 'gsi2sk');
      const hash = sk.indexOf('#');
      return { tag: sk.slice(hash + 1), followers: Number(sk.slice(0, hash)) };
    });
  }

  /**
   * A tag's latest articles, newest first: one Query of `TAGART#<tag>` (the rows publishing
   * writes, one per tag of an article), descending, `Limit` — ~0.5 RCU for three rows.
   */
  async latestByTag(tag: string, limit: number): Promise<ArticleRow[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': tagArticleKey(tag, '1970-01-01T00:00:00Z', '').pk },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((item) => ({
      id: str(item, 'id'),
      title: str(item, 'title'),
      authorHandle: str(item, 'authorHandle'),
      authorName: str(item, 'authorName'),
      publishedAt: str(item, 'publishedAt'),
    }));
  }
}
