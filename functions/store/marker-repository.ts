/** One-time markers on Herald's DynamoDB table (the local runtime's "demo content seeded"). */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { MarkerRepositoryPort } from '../core/ports';
import { localMarkerKey } from './keys';

/** {@link MarkerRepositoryPort} on Herald's DynamoDB table. */
export class MarkerRepository implements MarkerRepositoryPort {
  /**
   * @param doc a document client from functions/store/client.ts
   * @param tableName the table built from table-definition.ts
   * @param now the clock (the marker records when it was set)
   */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async has(name: string): Promise<boolean> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: localMarkerKey(name) }));
    return out.Item !== undefined;
  }

  async set(name: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...localMarkerKey(name), kind: 'marker', at: this.now().toISOString() },
      }),
    );
  }
}
