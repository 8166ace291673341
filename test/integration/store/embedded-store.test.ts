import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { ensureTable, startEmbeddedStore } from '../../../functions/local/embedded-store';
import { createDynamoClient, toDocumentClient } from '../../../functions/store/client';
import { createStore } from '../../../functions/store/index';
import { TABLE } from '../../../functions/store/table-definition';

describe('startEmbeddedStore and ensureTable', () => {
  it('creates the table from the shared definition once', async () => {
    // Prepare
    const embedded = await startEmbeddedStore();
    const client = createDynamoClient({ region: 'us-east-1', endpoint: embedded.endpoint });
    try {
      // Act
      const first = await ensureTable(client, 'herald-t1');
      const second = await ensureTable(client, 'herald-t1');
      const table = (await client.send(new DescribeTableCommand({ TableName: 'herald-t1' }))).Table;

      // Assess
      expect([first, second]).toEqual(['created', 'existed']);
      expect(embedded.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(table?.TableStatus).toBe('ACTIVE');
      expect(table?.KeySchema).toEqual([
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ]);
      expect(table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
      const indexes = table?.GlobalSecondaryIndexes ?? [];
      expect(indexes.map((i) => i.IndexName).sort()).toEqual(
        TABLE.globalSecondaryIndexes.map((i) => i.indexName),
      );
      for (const index of indexes) {
        expect(index.Projection?.ProjectionType).toBe('INCLUDE');
        expect(index.Projection?.NonKeyAttributes).not.toContain('views');
      }
    } finally {
      client.destroy();
      await embedded.stop();
    }
  });

  it('keeps data on disk across a restart, and stop() may be called twice', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'herald-embedded-'));
    const path = join(dir, 'nested', 'data');
    try {
      const first = await startEmbeddedStore({ path });
      const client1 = createDynamoClient({ region: 'us-east-1', endpoint: first.endpoint });
      await ensureTable(client1, 'herald');
      await createStore(toDocumentClient(client1), 'herald').authors.putAuthor({
        handle: 'kept',
        fullName: 'Kept Across Restarts',
        userSince: '2008-03-15',
      });
      client1.destroy();
      await first.stop();
      await first.stop();

      // Act
      const second = await startEmbeddedStore({ path });
      const client2 = createDynamoClient({ region: 'us-east-1', endpoint: second.endpoint });
      try {
        const existed = await ensureTable(client2, 'herald');
        const author = await createStore(toDocumentClient(client2), 'herald').authors.getAuthor('kept');

        // Assess
        expect(existed).toBe('existed');
        expect(author?.fullName).toBe('Kept Across Restarts');
      } finally {
        client2.destroy();
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
