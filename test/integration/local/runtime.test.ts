/**
 * The demo seed of `npm start` runs once per store: its marker goes through the store's marker
 * port, under the key data directories from before the port already hold.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DEMO_ARTICLES } from '../../../functions/local/demo-content';
import { seedDemoContent } from '../../../functions/local/runtime';
import { startTestStore, type TestStore } from '../../helpers/test-store';

let ts: TestStore;

beforeAll(async () => {
  ts = await startTestStore();
});

afterAll(async () => {
  await ts?.stop();
});

describe('seedDemoContent', () => {
  it('seeds on the first start only, and marks it where older data directories have the mark', async () => {
    // Prepare (an empty table)

    // Act
    const first = await seedDemoContent(ts.store);
    const second = await seedDemoContent(ts.store);

    // Assess
    expect([first, second]).toEqual([true, false]);
    expect((await ts.store.articles.latest(0, 100)).items).toHaveLength(DEMO_ARTICLES.length);
    const marker = await ts.doc.send(
      new GetCommand({ TableName: ts.tableName, Key: { pk: 'LOCAL#SEED', sk: 'DEMO' } }),
    );
    expect(marker.Item).toBeDefined();
  });
});
