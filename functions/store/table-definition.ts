/**
 * The one source of truth for Herald's DynamoDB table shape. The CDK stack
 * (lib/constructs/herald-table.ts) and the embedded store (functions/local/embedded-store.ts)
 * both build the table from this object, so key schema, indexes and the TTL attribute can
 * never drift between AWS, `npm start` and the tests.
 *
 * Plain data on purpose: no infrastructure library and no AWS SDK, so runtime code and the
 * stack can both import it.
 */
export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  /** INCLUDE projections list the non-key attributes copied into the index. */
  readonly projection:
    | { readonly type: 'ALL' | 'KEYS_ONLY' }
    | { readonly type: 'INCLUDE'; readonly nonKeyAttributes: readonly string[] };
}

export interface TableDefinition {
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly ttlAttribute: string;
  /** What the stream that drives the alert fan-out carries. */
  readonly streamViewType: 'NEW_AND_OLD_IMAGES';
  readonly globalSecondaryIndexes: readonly IndexDefinition[];
}

/** Attribute names used by the key design (all keys are strings). */
export const KEY = {
  pk: 'pk',
  sk: 'sk',
  gsi1pk: 'gsi1pk',
  gsi1sk: 'gsi1sk',
  gsi2pk: 'gsi2pk',
  gsi2sk: 'gsi2sk',
  ttl: 'expiresAt',
} as const;

/** Attributes that listings need. Article counters are deliberately NOT projected, so a view
 * (UpdateItem ADD views) never causes a GSI write; a share's `opens` is (it changes rarely and
 * /shared lists it without a second read). */
const LISTING_ATTRIBUTES = [
  'kind',
  'id',
  'title',
  'authorHandle',
  'authorName',
  'publishedAt',
  'fullName',
  'handle',
  'chatId',
  'articleId',
  'createdAt',
  'userId',
  'code',
  'opens',
] as const;

export const TABLE: TableDefinition = {
  partitionKey: KEY.pk,
  sortKey: KEY.sk,
  ttlAttribute: KEY.ttl,
  streamViewType: 'NEW_AND_OLD_IMAGES',
  globalSecondaryIndexes: [
    {
      indexName: 'gsi1',
      partitionKey: KEY.gsi1pk,
      sortKey: KEY.gsi1sk,
      projection: { type: 'INCLUDE', nonKeyAttributes: LISTING_ATTRIBUTES },
    },
    {
      indexName: 'gsi2',
      partitionKey: KEY.gsi2pk,
      sortKey: KEY.gsi2sk,
      projection: { type: 'INCLUDE', nonKeyAttributes: LISTING_ATTRIBUTES },
    },
  ],
};
