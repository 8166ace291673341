/**
 * The DynamoDB grants of lib/constructs/grants.ts against the code: each handler is bundled
 * the way HeraldFunction bundles it, and the SDK commands its bundle can send are read off the
 * output. A grant no command in the bundle could use is a leftover (the Scan of old); a command
 * with no grant fails on AWS with AccessDeniedException unless it is bundled but never reached
 * on that function's path — each such case is named below with its reason.
 */
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { TABLE_ACCESS, type TableUser } from '../../lib/constructs/grants';
import { lambdaBuildOptions } from '../../lib/constructs/herald-function';
import { PROJECT_ROOT } from './synth';

const ENTRIES: Record<TableUser, string> = {
  webhook: 'functions/handlers/webhook.ts',
  admin: 'functions/handlers/admin-api.ts',
  fanout: 'functions/handlers/fanout.ts',
  sender: 'functions/handlers/sender.ts',
  ingest: 'functions/handlers/ingest.ts',
  digest: 'functions/handlers/digest.ts',
  channels: 'functions/handlers/channels.ts',
};

/** lib-dynamodb and client-dynamodb command classes → the IAM action each one needs. */
const COMMAND_ACTIONS: Record<string, string> = {
  GetCommand: 'GetItem',
  GetItemCommand: 'GetItem',
  BatchGetCommand: 'BatchGetItem',
  BatchGetItemCommand: 'BatchGetItem',
  QueryCommand: 'Query',
  ScanCommand: 'Scan',
  PutCommand: 'PutItem',
  PutItemCommand: 'PutItem',
  UpdateCommand: 'UpdateItem',
  UpdateItemCommand: 'UpdateItem',
  DeleteCommand: 'DeleteItem',
  DeleteItemCommand: 'DeleteItem',
  BatchWriteCommand: 'BatchWriteItem',
  BatchWriteItemCommand: 'BatchWriteItem',
  // No IAM action of their own: each element is authorised as its item action (see grants.ts).
  TransactWriteCommand: 'TransactWriteItems',
  TransactWriteItemsCommand: 'TransactWriteItems',
  TransactGetCommand: 'TransactGetItems',
  TransactGetItemsCommand: 'TransactGetItems',
};

/** Every action a function is allowed on the table or its indexes, restricted or not. */
function grantedActions(role: TableUser): Set<string> {
  const access = TABLE_ACCESS[role];
  const granted = new Set<string>([...access.table, ...(access.keyRestricted ?? []).map((r) => r.action)]);
  if (access.queriedIndexes.length > 0) granted.add('Query');
  return granted;
}

/**
 * Commands a handler's bundle contains (a repository class comes whole) that its code path
 * never sends. Keep each entry honest: it is a promise that this function cannot reach it.
 */
const BUNDLED_NOT_SENT: Record<TableUser, Record<string, string>> = {
  webhook: {},
  admin: {},
  fanout: {
    DeleteItem:
      'SubscriptionRepository and AlertRepository come whole; closeRun is called by the sender and the local runtime',
    TransactWriteItems: "AlertRepository comes whole; countBatch's transaction is the sender's",
    BatchWriteItem: "DigestRepository comes whole; removing a reader's entries is the sender's",
  },
  sender: {
    BatchGetItem: 'createStore builds every repository; getArticles and listAuthors are never called here',
  },
  digest: {
    DeleteItem: 'AlertRepository comes whole; closeRun is called by the sender and the local runtime',
    TransactWriteItems: "AlertRepository comes whole; countBatch's transaction is the sender's",
    BatchWriteItem: "DigestRepository comes whole; removing entries is the sender's",
  },
  ingest: {
    BatchGetItem:
      'ArticleRepository and AuthorRepository come whole; getArticles and listAuthors are never called',
    DeleteItem: 'deleteArticle and removeSource come with their repositories; ingest only publishes',
    TransactWriteItems: "deleteArticle's transaction comes with ArticleRepository; ingest never deletes",
  },
  channels: {
    BatchGetItem: 'ArticleRepository comes whole for getArticle; getArticles is never called here',
    BatchWriteItem: "ArticleRepository's title-index writes are never called here",
    DeleteItem:
      'removeChannel and deleteArticle come with their repositories; the poster never deletes items',
    TransactWriteItems: "deleteArticle's transaction comes with ArticleRepository; the poster never deletes",
  },
};

/** The SDK command classes the handler's bundle instantiates. */
function commandsInBundle(entry: string): string[] {
  const out = buildSync({
    ...lambdaBuildOptions(path.join(PROJECT_ROOT, entry)),
    // Only the SDK external: the on-demand side files are inlined here on purpose, so the
    // commands they send count towards the function's grants too.
    external: ['@aws-sdk/*'],
    write: false,
    minify: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles?.[0]?.text ?? '';
  const found = code.matchAll(/\bnew\s+import_(?:lib_dynamodb|client_dynamodb)\d*\.(\w+Command)\b/g);
  return [...new Set([...found].map((m) => m[1] as string))].sort();
}

const bundled = new Map<TableUser, string[]>();
beforeAll(() => {
  for (const [role, entry] of Object.entries(ENTRIES) as [TableUser, string][]) {
    bundled.set(role, commandsInBundle(entry));
  }
}, 60_000);

describe.each(Object.keys(ENTRIES) as TableUser[])('%s', (role) => {
  it('sends only commands the bundle maps to a known IAM action', () => {
    // Prepare / Act
    const unknown = (bundled.get(role) ?? []).filter((c) => COMMAND_ACTIONS[c] === undefined);

    // Assess: a new command kind needs its action added to COMMAND_ACTIONS (and maybe a grant).
    expect(bundled.get(role)?.length).toBeGreaterThan(0);
    expect(unknown).toEqual([]);
  });

  it('is granted no DynamoDB action its code cannot send', () => {
    // Prepare
    const access = TABLE_ACCESS[role];
    const sendable = new Set((bundled.get(role) ?? []).map((c) => COMMAND_ACTIONS[c]));
    for (const a of access.transactionElements ?? []) if (sendable.has('TransactWriteItems')) sendable.add(a);
    if (sendable.has('TransactGetItems')) sendable.add('GetItem');

    // Act
    const unusable = [...grantedActions(role)].filter((a) => !sendable.has(a));

    // Assess
    expect(unusable).toEqual([]);
  });

  it('is granted every action its code path sends, transaction elements declared', () => {
    // Prepare
    const granted = grantedActions(role);
    const declared = TABLE_ACCESS[role].transactionElements ?? [];

    // Act
    const needed = [...new Set((bundled.get(role) ?? []).map((c) => COMMAND_ACTIONS[c] ?? c))];
    const missing = needed.filter((action) => {
      if (BUNDLED_NOT_SENT[role][action] !== undefined) return false;
      // A transaction's elements are authorised as their own actions: grants.ts must say which.
      if (action === 'TransactWriteItems') return declared.length === 0;
      if (action === 'TransactGetItems') return !granted.has('GetItem');
      return !granted.has(action);
    });

    // Assess
    expect(missing).toEqual([]);
    expect(declared.filter((a) => !granted.has(a))).toEqual([]);
    if (declared.length > 0) expect(needed).toContain('TransactWriteItems');
  });

  it('names only real leftovers as bundled but not sent', () => {
    // Prepare
    const inBundle = new Set((bundled.get(role) ?? []).map((c) => COMMAND_ACTIONS[c]));

    // Act: an exemption for a command that is granted, or not even bundled, is stale.
    const granted = grantedActions(role);
    const stale = Object.keys(BUNDLED_NOT_SENT[role]).filter((a) => !inBundle.has(a) || granted.has(a));

    // Assess
    expect(stale).toEqual([]);
  });
});
