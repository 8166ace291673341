/**
 * Feed sources on DynamoDB: one item per source in the `FEEDSRC` partition, holding the
 * admin's config and the polling state (as JSON: its maps are keyed by names a feed makes
 * up, and it is read and written whole). Listing is one Query of that partition, bounded.
 *
 * The state is saved with a condition on `stateVersion`, so two polls of one source that
 * overlap cannot interleave their states; config changes never touch the state or its version,
 * so an admin pausing a source mid-poll loses nothing either.
 */
import { createHash } from 'node:crypto';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type FeedSourceConfig,
  type FeedSourcePatch,
  type FeedSourceState,
  newFeedSourceState,
  normalizeFeedUrl,
  type StoredFeedSource,
} from '../core/feed-sources';
import type { FeedSourceRepositoryPort } from '../core/ports';
import { buildUpdate, conditionHolds, type Item, num, optStr, putIfAbsent, queryUpTo, str } from './dynamo';
import { FEED_SOURCES_PK, feedSourceKey, KIND } from './keys';

/**
 * A source's stable id: 128 bits of SHA-256 of its normalised URL, in base64url (22
 * characters). A URL can be 2,048 characters, too long for a sort key and awkward in a path.
 *
 * @throws TypeError when `url` is not a URL (check it with feedUrlProblem first).
 */
export function feedSourceId(url: string): string {
  return createHash('sha256').update(normalizeFeedUrl(url), 'utf8').digest('base64url').slice(0, 22);
}

/** Sources a store holds at most (a publisher's feeds; see docs/data-model.md for the read cost). */
export const MAX_FEED_SOURCES = 200;

function toStringMap(v: unknown): Record<string, string> | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** Reads the stored state; a state that cannot be read starts over (a full fetch, no alerts lost: see shouldAlert). */
function readState(item: Item): FeedSourceState {
  const raw = optStr(item, 'state');
  if (raw === undefined) return newFeedSourceState();
  try {
    return { ...newFeedSourceState(), ...(JSON.parse(raw) as Partial<FeedSourceState>) };
  } catch {
    return newFeedSourceState();
  }
}

function toSource(item: Item): StoredFeedSource {
  const defaultAuthor = optStr(item, 'defaultAuthor');
  const authorMap = toStringMap(item['authorMap']);
  return {
    id: str(item, 'id'),
    url: str(item, 'url'),
    alerts: item['alerts'] === true,
    paused: item['paused'] === true,
    ...(defaultAuthor !== undefined ? { defaultAuthor } : {}),
    ...(authorMap !== undefined ? { authorMap } : {}),
    createdAt: str(item, 'createdAt'),
    state: readState(item),
    stateVersion: num(item, 'stateVersion'),
  };
}

/** {@link FeedSourceRepositoryPort} on Herald's DynamoDB table. */
export class FeedSourceRepository implements FeedSourceRepositoryPort {
  readonly maxSources: number;

  /**
   * @param doc a document client from functions/store/client.ts
   * @param tableName the table built from table-definition.ts
   * @param maxSources the bound of {@link listSources} (tests lower it)
   */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    maxSources = MAX_FEED_SOURCES,
  ) {
    this.maxSources = maxSources;
  }

  /** {@link feedSourceId}. */
  idFor(url: string): string {
    return feedSourceId(url);
  }

  /** One conditional PutItem (`attribute_not_exists`): undefined when the URL is already a source. */
  async addSource(config: FeedSourceConfig, createdAt: string): Promise<StoredFeedSource | undefined> {
    const url = normalizeFeedUrl(config.url);
    const id = feedSourceId(url);
    const state = newFeedSourceState();
    const item: Item = {
      ...feedSourceKey(id),
      kind: KIND.feedSource,
      id,
      url,
      alerts: config.alerts,
      paused: false,
      ...(config.defaultAuthor !== undefined ? { defaultAuthor: config.defaultAuthor } : {}),
      ...(config.authorMap !== undefined && Object.keys(config.authorMap).length > 0
        ? { authorMap: { ...config.authorMap } }
        : {}),
      createdAt,
      state: JSON.stringify(state),
      stateVersion: 0,
    };
    return (await putIfAbsent(this.doc, this.tableName, item)) ? toSource(item) : undefined;
  }

  /** One strongly consistent GetItem. */
  async getSource(id: string): Promise<StoredFeedSource | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: feedSourceKey(id), ConsistentRead: true }),
    );
    return out.Item ? toSource(out.Item) : undefined;
  }

  /** One Query of the `FEEDSRC` partition (paged by DynamoDB at 1 MB), at most `maxSources` items. */
  async listSources(): Promise<{ items: StoredFeedSource[]; hasMore: boolean }> {
    const { items, hasMore } = await queryUpTo(
      this.doc,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': FEED_SOURCES_PK },
      },
      this.maxSources,
    );
    const sources = items.map(toSource).sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
    return { items: sources, hasMore };
  }

  /** One conditional UpdateItem of the config attributes; undefined when there is no such source. */
  async updateSource(id: string, patch: FeedSourcePatch): Promise<StoredFeedSource | undefined> {
    const set: Record<string, unknown> = {};
    if (patch.paused !== undefined) set['paused'] = patch.paused;
    if (patch.alerts !== undefined) set['alerts'] = patch.alerts;
    // null clears (REMOVE); an empty map is no map.
    if (patch.defaultAuthor !== undefined) set['defaultAuthor'] = patch.defaultAuthor ?? undefined;
    if (patch.authorMap !== undefined) {
      set['authorMap'] =
        patch.authorMap === null || Object.keys(patch.authorMap).length === 0
          ? undefined
          : { ...patch.authorMap };
    }
    if (Object.keys(set).length === 0) return this.getSource(id);
    let updated: Item | undefined;
    await conditionHolds(async () => {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: feedSourceKey(id),
          ...buildUpdate({ set }),
          ConditionExpression: 'attribute_exists(pk)',
          ReturnValues: 'ALL_NEW',
        }),
      );
      updated = out.Attributes;
    });
    return updated ? toSource(updated) : undefined;
  }

  /** One UpdateItem conditional on `stateVersion = expectedVersion`; it raises the version by one. */
  async saveState(id: string, state: FeedSourceState, expectedVersion: number): Promise<boolean> {
    return conditionHolds(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: feedSourceKey(id),
          UpdateExpression: 'SET #state = :state, #version = :next',
          ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
          ExpressionAttributeNames: { '#state': 'state', '#version': 'stateVersion' },
          ExpressionAttributeValues: {
            ':state': JSON.stringify(state),
            ':next': expectedVersion + 1,
            ':expected': expectedVersion,
          },
        }),
      ),
    );
  }

  /** One conditional DeleteItem: false when there was no such source. */
  async removeSource(id: string): Promise<boolean> {
    return conditionHolds(() =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: feedSourceKey(id),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    );
  }
}
