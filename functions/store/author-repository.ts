/**
 * Author profiles on DynamoDB: one item per author that also carries the two counters
 * shown on the profile ("No of voices" and subscribers), listed by handle through gsi1.
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Author, AuthorInput } from '../core/model';
import type { AuthorRepositoryPort, OffsetPage, PutResult } from '../core/ports';
import { batchGetAll, buildUpdate, type Item, num, optStr, queryOffsetPage, str } from './dynamo';
import { AUTHORS_PK, authorKey, GSI1, KIND } from './keys';

/** The profile fields an author input sets; counters are maintained by other writes. */
const CONTENT_FIELDS = ['handle', 'fullName', 'userSince', 'bio', 'siteUrl'] as const;

/**
 * Reads a stored author. An item without `kind=author` is a counter-only placeholder
 * (articles counted before the profile was imported) and reads as absent.
 */
export function toAuthor(item: Item): Author | undefined {
  if (item['kind'] !== KIND.author) return undefined;
  const bio = optStr(item, 'bio');
  const siteUrl = optStr(item, 'siteUrl');
  return {
    handle: str(item, 'handle'),
    fullName: str(item, 'fullName'),
    userSince: str(item, 'userSince'),
    ...(bio !== undefined ? { bio } : {}),
    ...(siteUrl !== undefined ? { siteUrl } : {}),
    articleCount: num(item, 'articleCount'),
    subscriberCount: num(item, 'subscriberCount'),
  };
}

/** {@link AuthorRepositoryPort} on Herald's DynamoDB table. */
export class AuthorRepository implements AuthorRepositoryPort {
  /**
   * @param doc a document client from functions/store/client.ts
   * @param tableName the table built from table-definition.ts
   */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Creates or updates a profile; 'unchanged' (nothing written) when the stored profile
   * already has this content. Counters are kept: `if_not_exists` initialises them only.
   * 'created' vs 'updated' comes from the write's own previous image, so two racing
   * creators cannot both report 'created'.
   */
  async putAuthor(input: AuthorInput): Promise<PutResult> {
    const key = authorKey(input.handle);
    const old = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    if (old.Item?.['kind'] === KIND.author && CONTENT_FIELDS.every((f) => old.Item?.[f] === input[f])) {
      return 'unchanged';
    }
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        ...buildUpdate({
          set: {
            kind: KIND.author,
            handle: input.handle,
            fullName: input.fullName,
            userSince: input.userSince,
            bio: input.bio,
            siteUrl: input.siteUrl,
            gsi1pk: AUTHORS_PK,
            gsi1sk: input.handle,
          },
          setIfNotExists: { articleCount: 0, subscriberCount: 0 },
        }),
        ReturnValues: 'ALL_OLD',
      }),
    );
    return out.Attributes?.['kind'] === KIND.author ? 'updated' : 'created';
  }

  /** Reads a profile with its counters (one GetItem); undefined when there is none. */
  async getAuthor(handle: string): Promise<Author | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: authorKey(handle) }));
    return out.Item ? toAuthor(out.Item) : undefined;
  }

  /**
   * Authors in handle order, a page at a time: the page's handles come from gsi1
   * (`AUTHORS`), then one BatchGetItem reads those profiles, because the index does not
   * project the counters (an article or a subscription must not write the index).
   *
   * @throws RangeError on invalid paging arguments (see `assertPaging`).
   */
  async listAuthors(offset: number, limit: number): Promise<OffsetPage<Author>> {
    const { items, hasMore } = await queryOffsetPage(
      this.doc,
      {
        TableName: this.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': AUTHORS_PK },
        ScanIndexForward: true,
      },
      offset,
      limit,
    );
    const keys = items.map((row) => authorKey(str(row, 'gsi1sk')));
    const profiles = await batchGetAll(this.doc, this.tableName, keys);
    const authors = profiles.flatMap((p) => {
      const a = toAuthor(p);
      return a ? [a] : [];
    });
    return { items: authors, hasMore };
  }
}
