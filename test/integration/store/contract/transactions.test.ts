/**
 * Contract: TransactWriteItems as the store uses it (store/dynamo.ts `transactWrite`, and
 * through it subscribe/unsubscribe, comment add/delete, a share's first open, article delete).
 */
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { requestToken, transactWrite } from '../../../../functions/store/dynamo';
import { type ContractTable, startContractTable } from './contract-table';

let t: ContractTable;

beforeAll(async () => {
  t = await startContractTable();
});

afterAll(async () => {
  await t?.stop();
});

const key = (name: string) => ({ pk: `${t.run}#TX`, sk: name });
const read = async (name: string) =>
  (await t.doc.send(new GetCommand({ TableName: t.tableName, Key: key(name), ConsistentRead: true }))).Item;
const putIfAbsent = (name: string) => ({
  Put: { TableName: t.tableName, Item: key(name), ConditionExpression: 'attribute_not_exists(pk)' },
});
const addIfPresent = (name: string, by = 1) => ({
  Update: {
    TableName: t.tableName,
    Key: key(name),
    UpdateExpression: 'ADD n :by',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: { ':by': by },
  },
});

describe('cancellation reasons (subscribe, comment, share open, delete decide by item index)', () => {
  it.each([
    ['the first item', 0],
    ['the second item', 1],
  ])('names %s when only its condition fails, and writes nothing', async (_, failing) => {
    // Prepare: item `present-<i>` exists; the put must find its item absent, the add present.
    const p = `p${failing}`;
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { ...key(`${p}-counter`), n: 0 } }));
    if (failing === 0) await t.doc.send(new PutCommand({ TableName: t.tableName, Item: key(`${p}-item`) }));
    const counter = failing === 1 ? `${p}-missing` : `${p}-counter`;

    // Act
    const outcome = await transactWrite(t.doc, [
      putIfAbsent(failing === 0 ? `${p}-item` : `${p}-new`),
      addIfPresent(counter),
    ]);

    // Assess
    expect(outcome).toEqual({ committed: false, failed: [failing] });
    expect((await read(`${p}-counter`))?.['n']).toBe(0);
    expect(await read(`${p}-new`)).toBeUndefined();
    expect(await read(`${p}-missing`)).toBeUndefined();
  });

  it('names at least one failing item when both conditions fail', async () => {
    // Prepare
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: key('both-item') }));

    // Act
    const outcome = await transactWrite(t.doc, [putIfAbsent('both-item'), addIfPresent('both-missing')]);

    // Assess
    expect(outcome.committed).toBe(false);
    if (!outcome.committed) {
      expect(outcome.failed.length).toBeGreaterThan(0);
      expect(outcome.failed.every((i) => i === 0 || i === 1)).toBe(true);
    }
  });

  it('writes every item when every condition holds', async () => {
    // Prepare
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { ...key('all-counter'), n: 5 } }));

    // Act
    const outcome = await transactWrite(t.doc, [putIfAbsent('all-item'), addIfPresent('all-counter')]);

    // Assess
    expect(outcome).toEqual({ committed: true });
    expect(await read('all-item')).toBeDefined();
    expect((await read('all-counter'))?.['n']).toBe(6);
  });

  it('rejects two operations on one item in one transaction (the store never builds one)', async () => {
    await expect(
      t.doc.send(new TransactWriteCommand({ TransactItems: [putIfAbsent('twice'), addIfPresent('twice')] })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('ClientRequestToken (addComment)', () => {
  it('applies a repeated transaction with the same token once and answers it as a success', async () => {
    // Prepare
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { ...key('tok-counter'), n: 0 } }));
    const token = requestToken(t.run, 'tok');

    // Act
    const first = await transactWrite(t.doc, [putIfAbsent('tok-item'), addIfPresent('tok-counter')], {
      token,
    });
    const repeat = await transactWrite(t.doc, [putIfAbsent('tok-item'), addIfPresent('tok-counter')], {
      token,
    });
    const withoutToken = await transactWrite(t.doc, [putIfAbsent('tok-item'), addIfPresent('tok-counter')]);

    // Assess
    expect([first, repeat, withoutToken]).toEqual([
      { committed: true },
      { committed: true },
      { committed: false, failed: [0] },
    ]);
    expect((await read('tok-counter'))?.['n']).toBe(1);
  });

  it('refuses the same token with a different request (so every part of a tokened request must be deterministic)', async () => {
    // Prepare
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { ...key('mismatch'), n: 0 } }));
    const token = requestToken(t.run, 'mismatch');
    await transactWrite(t.doc, [addIfPresent('mismatch', 1)], { token });

    // Act / Assess
    await expect(transactWrite(t.doc, [addIfPresent('mismatch', 2)], { token })).rejects.toMatchObject({
      name: 'IdempotentParameterMismatchException',
    });
    expect((await read('mismatch'))?.['n']).toBe(1);
  });

  it('makes tokens of at most 36 characters, equal for equal parts', () => {
    expect(requestToken('comment', 'a'.repeat(48), 'zzzzzzzz')).toHaveLength(32);
    expect(requestToken('comment', 'a', 'b')).toBe(requestToken('comment', 'a', 'b'));
    expect(requestToken('comment', 'a', 'b')).not.toBe(requestToken('comment', 'a', 'c'));
  });
});

describe('races on one hot item (subscribe: concurrent transactions on one author)', () => {
  it('commits 25 concurrent transactions that all add to one counter: exactly +25', async () => {
    // Prepare
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { ...key('hot'), n: 0 } }));

    // Act
    const outcomes = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        transactWrite(t.doc, [putIfAbsent(`hot-${i}`), addIfPresent('hot')]),
      ),
    );

    // Assess
    expect(outcomes.every((o) => o.committed)).toBe(true);
    expect((await read('hot'))?.['n']).toBe(25);
  });

  it('commits one of 8 concurrent transactions racing for one item (a double tap): +1', async () => {
    // Prepare
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: { ...key('tap-counter'), n: 0 } }));

    // Act
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () =>
        transactWrite(t.doc, [putIfAbsent('tap'), addIfPresent('tap-counter')]),
      ),
    );

    // Assess
    expect(outcomes.filter((o) => o.committed)).toHaveLength(1);
    expect((await read('tap-counter'))?.['n']).toBe(1);
  });
});
