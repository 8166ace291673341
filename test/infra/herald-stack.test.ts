/**
 * The synthesized HeraldStack, dev and prod: table, functions, IAM, alert pipeline, HTTP API,
 * webhook registration, alarms and outputs. One synthesis per stage, shared by all tests.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { SECRET_HEADER } from '../../functions/bot/webhook';
import { TABLE } from '../../functions/store/table-definition';
import type { HeraldStack } from '../../lib/herald-stack';
import {
  actionsOfFunction,
  logicalIdOf,
  resourcesFor,
  type Synthesized,
  statementsOfFunction,
  synthHerald,
} from './synth';

type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};

let dev: Synthesized;
let prod: Synthesized;
/** Prod as the README deploys it: no alarmEmail. */
let prodNoEmail: Synthesized;

beforeAll(() => {
  dev = synthHerald();
  prod = synthHerald({
    stage: 'prod',
    botUsername: 'HeraldNewsBot',
    adminIds: '111, 222',
    alarmEmail: 'ops@example.com',
  });
  prodNoEmail = synthHerald({ stage: 'prod', botUsername: 'HeraldNewsBot' });
});

function resourcesOfType(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

function onlyResource(template: Template, type: string): [string, Resource] {
  const entries = Object.entries(resourcesOfType(template, type));
  expect(entries).toHaveLength(1);
  return entries[0] as [string, Resource];
}

/** The eight Herald functions by role, with their logical ids. */
function heraldFunctions(stack: HeraldStack): Record<string, string> {
  return {
    webhook: logicalIdOf(stack.webhook),
    authorizer: logicalIdOf(stack.authorizer),
    admin: logicalIdOf(stack.admin),
    fanout: logicalIdOf(stack.alerts.fanout),
    sender: logicalIdOf(stack.alerts.sender),
    registrar: logicalIdOf(stack.registration.registrar),
    ingest: logicalIdOf(stack.ingest.fn),
    digest: logicalIdOf(stack.digests.fn),
    channels: logicalIdOf(stack.channels.fn),
  };
}

function functionProps(s: Synthesized, role: string): Record<string, unknown> {
  const id = heraldFunctions(s.stack)[role] as string;
  return (s.template.toJSON().Resources[id] as Resource).Properties;
}

function envOf(s: Synthesized, role: string): Record<string, unknown> {
  return (functionProps(s, role).Environment as { Variables: Record<string, unknown> }).Variables;
}

const secretRef = (s: Synthesized, idPrefix: string): { Ref: string } => {
  const id = Object.keys(resourcesOfType(s.template, 'AWS::SecretsManager::Secret')).find((k) =>
    k.startsWith(idPrefix),
  );
  if (id === undefined) throw new Error(`no secret ${idPrefix}`);
  return { Ref: id };
};

describe('table', () => {
  it('has the keys, indexes, TTL, stream and PITR of TABLE, on demand', () => {
    // Prepare
    const [, table] = onlyResource(dev.template, 'AWS::DynamoDB::Table');

    // Act
    const p = table.Properties;

    // Assess
    expect(p.KeySchema).toEqual([
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ]);
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: TABLE.ttlAttribute, Enabled: true });
    expect(p.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(p.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(p.TableName).toBeUndefined();
    const expectedIndexes = TABLE.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection:
        index.projection.type === 'INCLUDE'
          ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.nonKeyAttributes] }
          : { ProjectionType: index.projection.type },
    }));
    expect(p.GlobalSecondaryIndexes).toEqual(expectedIndexes);
    const keyNames = [
      TABLE.partitionKey,
      TABLE.sortKey,
      ...TABLE.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
    ];
    expect(p.AttributeDefinitions).toEqual(
      keyNames.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    );
  });

  it('is disposable in dev and protected in prod', () => {
    // Prepare / Act
    const [, devTable] = onlyResource(dev.template, 'AWS::DynamoDB::Table');
    const [, prodTable] = onlyResource(prod.template, 'AWS::DynamoDB::Table');

    // Assess
    expect(devTable.Properties.DeletionProtectionEnabled).toBe(false);
    expect(devTable.DeletionPolicy).toBe('Delete');
    expect(prodTable.Properties.DeletionProtectionEnabled).toBe(true);
    expect(prodTable.DeletionPolicy).toBe('Retain');
    expect(prodTable.UpdateReplacePolicy).toBe('Retain');
    expect(prodTable.Properties.PointInTimeRecoverySpecification).toEqual({
      PointInTimeRecoveryEnabled: true,
    });
  });
});

describe('stage isolation', () => {
  it('names stacks per stage and fixes no physical name, so dev and prod can share an account', () => {
    // Prepare
    const nameProps = [
      'TableName',
      'FunctionName',
      'QueueName',
      'TopicName',
      'Name',
      'RoleName',
      'LogGroupName',
      'AlarmName',
    ];

    // Act
    const named = [dev, prod].flatMap((s) =>
      Object.entries(s.template.toJSON().Resources as Record<string, Resource>)
        // An API's and an authorizer's names are labels, unique within nothing (or within the API).
        .filter(([, r]) => r.Type !== 'AWS::ApiGatewayV2::Api' && r.Type !== 'AWS::ApiGatewayV2::Authorizer')
        .flatMap(([id, r]) =>
          nameProps.filter((p) => typeof r.Properties?.[p] === 'string').map((p) => `${id}.${p}`),
        ),
    );

    // Assess
    expect(dev.stack.stackName).toBe('Herald-dev');
    expect(prod.stack.stackName).toBe('Herald-prod');
    expect(named).toEqual([]);
    // No hard-coded account id: a 12-digit number standing alone (asset hashes are hex and may
    // contain 12 digits in a row, so digits inside a longer hex run do not count).
    expect(/(?<![0-9a-f])\d{12}(?![0-9a-f])/i.test(JSON.stringify(dev.template.toJSON()))).toBe(false);
  });
});

describe('functions', () => {
  it.each(['dev', 'prod'] as const)(
    '%s: every Herald function is nodejs22.x on arm64 with a retained-for-a-while log group',
    (stage) => {
      // Prepare
      const s = stage === 'dev' ? dev : prod;
      const days = stage === 'dev' ? 30 : 180;
      const logGroups = resourcesOfType(s.template, 'AWS::Logs::LogGroup');

      // Act
      const checked = Object.entries(heraldFunctions(s.stack)).map(([role]) => {
        const p = functionProps(s, role);
        const logging = p.LoggingConfig as {
          LogGroup: { Ref: string };
          LogFormat?: string;
          SystemLogLevel?: string;
          ApplicationLogLevel?: string;
        };
        return {
          role,
          runtime: p.Runtime,
          arch: p.Architectures,
          tracing: p.TracingConfig,
          retention: logGroups[logging.LogGroup.Ref]?.Properties.RetentionInDays,
          logs: [logging.LogFormat, logging.SystemLogLevel, logging.ApplicationLogLevel],
        };
      });

      // Assess
      expect(checked).toEqual(
        [
          'webhook',
          'authorizer',
          'admin',
          'fanout',
          'sender',
          'registrar',
          'ingest',
          'digest',
          'channels',
        ].map((role) => ({
          role,
          runtime: 'nodejs22.x',
          arch: ['arm64'],
          tracing: undefined,
          retention: days,
          // JSON, platform lines only from WARN up (log volume is billed), app level from context.
          logs: ['JSON', 'WARN', 'INFO'],
        })),
      );
    },
  );

  it('gives every Lambda function in the stack (the custom-resource framework too) a log group with retention', () => {
    // Prepare
    const logGroups = resourcesOfType(dev.template, 'AWS::Logs::LogGroup');

    // Act
    const withoutRetention = Object.entries(resourcesOfType(dev.template, 'AWS::Lambda::Function'))
      .filter(([, fn]) => {
        const ref = (fn.Properties.LoggingConfig as { LogGroup?: { Ref: string } } | undefined)?.LogGroup
          ?.Ref;
        return ref === undefined || logGroups[ref]?.Properties.RetentionInDays === undefined;
      })
      .map(([id]) => id);

    // Assess
    expect(withoutRetention).toEqual([]);
    for (const group of Object.values(logGroups)) expect(group.Properties.RetentionInDays).toBe(30);
  });

  it('sizes and times each function, and bounds the webhook below API Gateway', () => {
    // Prepare / Act
    const sizes = Object.fromEntries(
      ['webhook', 'authorizer', 'admin', 'fanout', 'sender', 'registrar', 'channels'].map((role) => {
        const p = functionProps(dev, role);
        return [role, [p.Timeout, p.MemorySize]];
      }),
    );

    // Assess
    expect(sizes).toEqual({
      webhook: [10, 256],
      authorizer: [5, 128],
      admin: [10, 256],
      fanout: [60, 512],
      sender: [60, 256],
      registrar: [30, 128],
      channels: [60, 256],
    });
    expect(envOf(dev, 'webhook').HANDLER_TIMEOUT_MS).toBe('9000');
  });

  it('sets the common environment and the per-function extras', () => {
    // Prepare
    const tableRef = { Ref: onlyResource(prod.template, 'AWS::DynamoDB::Table')[0] };
    const botToken = secretRef(prod, 'BotTokenSecret');
    const base = {
      POWERTOOLS_SERVICE_NAME: 'herald',
      POWERTOOLS_METRICS_NAMESPACE: 'Herald',
      LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    };
    const common = { ...base, TABLE_NAME: tableRef, BOT_USERNAME: 'HeraldNewsBot', ADMIN_IDS: '111,222' };

    // Act
    const env = (role: string) => envOf(prod, role);

    // Assess
    expect(env('webhook')).toEqual({
      ...common,
      BOT_TOKEN_SECRET_ARN: botToken,
      WEBHOOK_SECRET_ARN: secretRef(prod, 'WebhookSecret'),
      HANDLER_TIMEOUT_MS: '9000',
    });
    expect(env('admin')).toEqual({
      ...common,
      ADMIN_API_KEY_SECRET_ARN: secretRef(prod, 'AdminApiKeySecret'),
    });
    expect(env('fanout')).toEqual({
      ...common,
      ALERT_QUEUE_URL: { Ref: expect.stringMatching(/^AlertsAlertQueue/) },
    });
    // The sender is told the event source's MaximumConcurrency and the queue's maxReceiveCount.
    expect(env('sender')).toEqual({
      ...common,
      BOT_TOKEN_SECRET_ARN: botToken,
      ALERT_RATE_PER_SECOND: '25',
      ALERT_FREE_RATE_PER_SECOND: '25',
      SENDER_MAX_CONCURRENCY: '2',
      SENDER_IN_FLIGHT: '12',
      SENDER_LEASE_SECONDS: '300',
      ALERT_MAX_RECEIVE_COUNT: '5',
      PAID_BROADCAST_STARS_PER_RUN: '0',
    });
    expect(env('registrar')).toEqual(base);
    // The authorizer needs the webhook secret and nothing of the bot's (source ranges: see HTTP API).
    expect(env('authorizer')).toEqual({ ...base, WEBHOOK_SECRET_ARN: secretRef(prod, 'WebhookSecret') });
  });

  it('puts no secret value in any environment variable: secrets travel as *_ARN references', () => {
    // Prepare
    const secretIds = new Set(Object.keys(resourcesOfType(dev.template, 'AWS::SecretsManager::Secret')));
    const everything = JSON.stringify(dev.template.toJSON());

    // Act
    const problems = Object.entries(resourcesOfType(dev.template, 'AWS::Lambda::Function')).flatMap(
      ([id, fn]) =>
        Object.entries(
          (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {},
        )
          .filter(([key, value]) => {
            const text = JSON.stringify(value);
            const refersToSecret = [...secretIds].some((secretId) => text.includes(`"${secretId}"`));
            if (refersToSecret) return !key.endsWith('_SECRET_ARN') || typeof value !== 'object';
            if (/TOKEN|SECRET|PASSWORD|API_KEY/.test(key) && !key.endsWith('_ARN')) return true;
            return (
              typeof value === 'string' &&
              (/^\d+:[A-Za-z0-9_-]{30,}$/.test(value) || /^[A-Za-z0-9+/=_-]{32,}$/.test(value))
            );
          })
          .map(([key]) => `${id}.${key}`),
    );

    // Assess
    expect(problems).toEqual([]);
    // Booleans, not toContain: a failure would otherwise print the whole template.
    expect(everything.includes('resolve:secretsmanager')).toBe(false);
    expect(everything.includes('"SecretString"')).toBe(false);
  });

  it('reserves webhook concurrency only when asked to (context webhookConcurrency)', () => {
    // Prepare
    const withConcurrency = synthHerald({ webhookConcurrency: '40' });

    // Act
    const unset = functionProps(dev, 'webhook').ReservedConcurrentExecutions;
    const set = functionProps(withConcurrency, 'webhook').ReservedConcurrentExecutions;

    // Assess
    expect(unset).toBeUndefined();
    expect(set).toBe(40);
    expect(functionProps(withConcurrency, 'sender').ReservedConcurrentExecutions).toBeUndefined();
  });

  it('passes the alert rate from context to the sender', () => {
    // Prepare / Act
    const s = synthHerald({ alertRate: '10' });

    // Assess
    expect(envOf(s, 'sender').ALERT_RATE_PER_SECOND).toBe('10');
  });
});

describe('secrets', () => {
  it('generates the webhook secret as 64 letters and digits (Telegram allows A-Z a-z 0-9 _ -)', () => {
    // Prepare
    const id = secretRef(dev, 'WebhookSecret').Ref;

    // Act
    const secret = resourcesOfType(dev.template, 'AWS::SecretsManager::Secret')[id];

    // Assess
    expect(secret?.Properties.GenerateSecretString).toEqual({
      PasswordLength: 64,
      ExcludePunctuation: true,
      IncludeSpace: false,
    });
  });

  it('creates the bot token secret with a generated placeholder that cannot pass for a token', () => {
    // Prepare
    const id = secretRef(dev, 'BotTokenSecret').Ref;

    // Act
    const secret = resourcesOfType(dev.template, 'AWS::SecretsManager::Secret')[id];

    // Assess: without punctuation the placeholder has no ':' — the registrar's token test fails on it.
    expect(secret?.Properties.GenerateSecretString).toMatchObject({ ExcludePunctuation: true });
    expect(secret?.Properties.SecretString).toBeUndefined();
  });
});

describe('IAM, least privilege per function', () => {
  let ids: Record<string, string>;
  let actions: (role: string) => string[];
  let tableArn: unknown;
  const index = (name: string) => ({ 'Fn::Join': ['', [tableArn, `/index/${name}`]] });
  beforeAll(() => {
    ids = heraldFunctions(dev.stack);
    actions = (role) => actionsOfFunction(dev.template, ids[role] as string);
    tableArn = { 'Fn::GetAtt': [onlyResource(dev.template, 'AWS::DynamoDB::Table')[0], 'Arn'] };
  });

  it('lists every action of every function, exactly', () => {
    // Prepare / Act
    const all = Object.fromEntries(Object.keys(ids).map((role) => [role, actions(role)]));

    // Assess: what each handler's code path calls (lib/constructs/grants.ts says which call
    // needs what), plus what its event source needs to poll on its behalf.
    expect(all).toEqual({
      webhook: [
        'dynamodb:BatchGetItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'secretsmanager:GetSecretValue',
      ],
      admin: [
        'dynamodb:BatchGetItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'secretsmanager:GetSecretValue',
      ],
      fanout: [
        'dynamodb:BatchGetItem', // reader settings, 100 profiles a call
        // the stream event source
        'dynamodb:DescribeStream',
        'dynamodb:GetItem',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        // the event source's on-failure destination (GetQueue*), and the alert queue
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
      ],
      sender: [
        'dynamodb:BatchWriteItem', // only a reader's sent digest entries (USER#*)
        'dynamodb:DeleteItem', // only the open-run markers (see below)
        'dynamodb:GetItem',
        'dynamodb:PutItem', // only alert tallies (see below)
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'secretsmanager:GetSecretValue',
        // the alert queue's event source
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
      ],
      registrar: ['secretsmanager:GetSecretValue'],
      authorizer: ['secretsmanager:GetSecretValue'],
      ingest: [
        'dynamodb:BatchWriteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query', // only the feed sources' partition (test/infra/feed-ingest.test.ts)
        'dynamodb:UpdateItem',
      ],
      digest: [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query', // only the due shards (DUE#*)
        'dynamodb:UpdateItem',
        'sqs:SendMessage', // the alert queue: digests share the sender and its pacing
      ],
      channels: [
        // the stream event source
        'dynamodb:DescribeStream',
        'dynamodb:GetItem',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
        'dynamodb:PutItem', // only articles' partitions: the report marker (see below)
        'dynamodb:Query', // only the channels' and the articles' partitions
        'dynamodb:UpdateItem',
        'secretsmanager:GetSecretValue',
        // the event source's on-failure destination
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
      ],
    });
    // The actions the issue named, granted before to functions that never call them.
    expect(
      Object.values(all)
        .flat()
        .filter((a) => a === 'dynamodb:Scan'),
    ).toEqual([]);
    expect(all.fanout).not.toContain('dynamodb:BatchWriteItem');
  });

  it('lets the sender put and delete only alert bookkeeping, groups and readers’ partitions, by partition key', () => {
    // Prepare
    const statements = statementsOfFunction(dev.template, ids.sender as string);

    // Act
    const writes = statements
      .filter((st) => {
        const a = Array.isArray(st.Action) ? st.Action : [st.Action];
        return a.includes('dynamodb:PutItem') || a.includes('dynamodb:DeleteItem');
      })
      .map((st) => ({
        Action: st.Action,
        Resource: st.Resource,
        Condition: (st as { Condition?: unknown }).Condition,
      }));

    // Assess: a comment or an article is out of the sender's reach; a group's subscriptions are
    // not (a kicked bot's group stops, a migrated group moves), nor a reader's partition (their
    // topic per author is stored and forgotten there; IAM cannot narrow a sort key).
    expect(writes).toEqual([
      {
        Action: 'dynamodb:PutItem',
        Resource: tableArn,
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ALERT#*', 'CHAT#*', 'USER#*'] } },
      },
      {
        Action: 'dynamodb:DeleteItem',
        Resource: tableArn,
        Condition: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ALERTRUNS', 'CHAT#*', 'USER#*'] },
        },
      },
    ]);
  });

  it('scopes table actions to the table, and index queries to the indexes each function reads', () => {
    // Prepare / Act
    const queried = (role: string) => resourcesFor(dev.template, ids[role] as string, 'dynamodb:Query');
    const updated = (role: string) => resourcesFor(dev.template, ids[role] as string, 'dynamodb:UpdateItem');

    // Assess: no `index/*`, no `*` on any item action.
    expect(queried('webhook')).toEqual([tableArn, index('gsi1'), index('gsi2')]);
    expect(queried('admin')).toEqual([tableArn, index('gsi1')]);
    expect(queried('fanout')).toEqual([index('gsi1')]);
    expect(queried('sender')).toEqual([tableArn]);
    for (const role of ['webhook', 'admin', 'fanout', 'sender']) expect(updated(role)).toEqual([tableArn]);
  });

  it('reads only the secrets each function needs', () => {
    // Prepare / Act
    const read = (role: string) =>
      resourcesFor(dev.template, ids[role] as string, 'secretsmanager:GetSecretValue');

    // Assess
    expect(read('webhook')).toEqual([secretRef(dev, 'BotTokenSecret'), secretRef(dev, 'WebhookSecret')]);
    expect(read('admin')).toEqual([secretRef(dev, 'AdminApiKeySecret')]);
    expect(read('fanout')).toEqual([]);
    expect(read('sender')).toEqual([secretRef(dev, 'BotTokenSecret')]);
    expect(read('registrar')).toEqual([secretRef(dev, 'BotTokenSecret'), secretRef(dev, 'WebhookSecret')]);
    expect(read('authorizer')).toEqual([secretRef(dev, 'WebhookSecret')]);
  });

  it('sends to the alert queue only from the fan-out', () => {
    // Prepare / Act
    const sendTargets = (role: string) =>
      JSON.stringify(resourcesFor(dev.template, ids[role] as string, 'sqs:SendMessage'));

    // Assess
    expect(sendTargets('fanout')).toContain('AlertsAlertQueue');
    for (const role of ['webhook', 'authorizer', 'admin', 'sender', 'registrar'])
      expect(sendTargets(role)).toBe('[]');
  });
});

describe('alert pipeline', () => {
  function queueId(s: Synthesized, prefix: string): string {
    const id = Object.keys(resourcesOfType(s.template, 'AWS::SQS::Queue')).find((k) => k.startsWith(prefix));
    if (id === undefined) throw new Error(`no queue ${prefix}`);
    return id;
  }

  it('encrypts every queue and refuses non-TLS access to each', () => {
    // Prepare
    const queues = resourcesOfType(dev.template, 'AWS::SQS::Queue');
    const policies = Object.values(resourcesOfType(dev.template, 'AWS::SQS::QueuePolicy'));

    // Act
    const unencrypted = Object.entries(queues).filter(([, q]) => q.Properties.SqsManagedSseEnabled !== true);
    const sslOnly = Object.keys(queues).filter((id) =>
      policies.some(
        (p) =>
          JSON.stringify(p.Properties.Queues).includes(`"${id}"`) &&
          JSON.stringify(p.Properties.PolicyDocument).includes('"aws:SecureTransport":"false"'),
      ),
    );

    // Assess
    expect(Object.keys(queues)).toHaveLength(4);
    expect(unencrypted).toEqual([]);
    expect(sslOnly.sort()).toEqual(Object.keys(queues).sort());
  });

  it('redrives alerts to the DLQ after 5 receives, with visibility at least 6x the sender timeout', () => {
    // Prepare
    const queues = resourcesOfType(dev.template, 'AWS::SQS::Queue');
    const senderTimeout = functionProps(dev, 'sender').Timeout as number;

    // Act
    const alertQueue = queues[queueId(dev, 'AlertsAlertQueue')];

    // Assess
    expect(alertQueue?.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [queueId(dev, 'AlertsAlertDeadLetterQueue'), 'Arn'] },
      maxReceiveCount: 5,
    });
    expect(alertQueue?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * senderTimeout);
  });

  it('feeds the fan-out only INSERTs of articles from the stream, with retries, bisection and a failure queue', () => {
    // Prepare
    const mappings = Object.values(resourcesOfType(dev.template, 'AWS::Lambda::EventSourceMapping'));

    // Act
    const stream = mappings.find(
      (m) =>
        JSON.stringify(m.Properties.EventSourceArn).includes('StreamArn') &&
        JSON.stringify(m.Properties.FunctionName) ===
          JSON.stringify({ Ref: heraldFunctions(dev.stack).fanout }),
    );

    // Assess
    expect(stream?.Properties).toMatchObject({
      BatchSize: 10,
      MaximumRetryAttempts: 3,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [queueId(dev, 'AlertsFanoutFailureQueue'), 'Arn'] } },
      },
    });
    const filters = (stream!.Properties.FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
    expect(filters.map((f) => JSON.parse(f.Pattern))).toEqual([
      // Only new articles, and not those published with alerts off (`silent`).
      {
        eventName: ['INSERT'],
        dynamodb: { NewImage: { kind: { S: ['article'] }, silent: [{ exists: false }] } },
      },
    ]);
  });

  it('feeds the channel poster new articles, card revisions and deleted articles, and nothing else', () => {
    // Prepare
    const mappings = Object.values(resourcesOfType(dev.template, 'AWS::Lambda::EventSourceMapping'));
    const poster = { Ref: heraldFunctions(dev.stack).channels };

    // Act
    const stream = mappings.find((m) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify(poster));
    const readers = mappings.filter((m) => JSON.stringify(m.Properties.EventSourceArn).includes('StreamArn'));

    // Assess: two readers of the stream, DynamoDB Streams' limit per shard
    expect(readers).toHaveLength(2);
    expect(stream?.Properties).toMatchObject({
      BatchSize: 5,
      MaximumRetryAttempts: 3,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [queueId(dev, 'ChannelsChannelFailureQueue'), 'Arn'] } },
      },
    });
    if (!stream) throw new Error('the channel poster has no stream event source');
    const filters = (stream.Properties.FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
    expect(filters.map((f) => JSON.parse(f.Pattern))).toEqual([
      {
        eventName: ['INSERT'],
        dynamodb: { NewImage: { kind: { S: ['article'] }, silent: [{ exists: false }] } },
      },
      { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { kind: { S: ['cardrev'] } } } },
      { eventName: ['REMOVE'], dynamodb: { OldImage: { kind: { S: ['article'] } } } },
    ]);
  });

  it('lets the channel poster query and put only in the channels and articles partitions', () => {
    // Prepare
    const statements = statementsOfFunction(dev.template, heraldFunctions(dev.stack).channels as string);

    // Act
    const restricted = statements
      .map((st) => ({ action: st.Action, keys: (st as { Condition?: unknown }).Condition }))
      .filter((st) => st.keys !== undefined);

    // Assess
    expect(restricted).toEqual([
      {
        action: 'dynamodb:Query',
        keys: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CHANNELS', 'ART#*'] } },
      },
      {
        action: 'dynamodb:PutItem',
        keys: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ART#*'] } },
      },
    ]);
  });

  it('drains the alert queue into the sender with at most 2 concurrent invocations', () => {
    // Prepare
    const mappings = Object.values(resourcesOfType(dev.template, 'AWS::Lambda::EventSourceMapping'));

    // Act
    const sqs = mappings.find((m) =>
      JSON.stringify(m.Properties.EventSourceArn).includes('AlertsAlertQueue'),
    );

    // Assess
    expect(sqs?.Properties).toMatchObject({
      FunctionName: { Ref: heraldFunctions(dev.stack).sender },
      // 3 messages × 50 recipients at 12.5/s = 12 s (lib/send-capacity.ts).
      BatchSize: 3,
      ScalingConfig: { MaximumConcurrency: 2 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    // The fan-out's and the channel poster's stream sources, and this one.
    expect(mappings).toHaveLength(3);
  });
});

describe('HTTP API', () => {
  function integrationTarget(s: Synthesized, routeKey: string): unknown {
    const [, route] =
      Object.entries(resourcesOfType(s.template, 'AWS::ApiGatewayV2::Route')).find(
        ([, r]) => r.Properties.RouteKey === routeKey,
      ) ?? [];
    const integrationId = (route!.Properties.Target as { 'Fn::Join': [string, unknown[]] })[
      'Fn::Join'
    ][1][1] as { Ref: string };
    const integration = resourcesOfType(s.template, 'AWS::ApiGatewayV2::Integration')[integrationId.Ref];
    return {
      uri: integration?.Properties.IntegrationUri,
      payload: integration?.Properties.PayloadFormatVersion,
      auth: route?.Properties.AuthorizationType,
    };
  }

  it('routes POST /telegram/webhook to the webhook (behind its authorizer) and ANY /admin/{proxy+} to the admin API, payload v2', () => {
    // Prepare
    const ids = heraldFunctions(dev.stack);

    // Act
    const routeKeys = Object.values(resourcesOfType(dev.template, 'AWS::ApiGatewayV2::Route')).map(
      (r) => r.Properties.RouteKey,
    );

    // Assess
    expect(routeKeys.sort()).toEqual(['ANY /admin/{proxy+}', 'POST /telegram/webhook']);
    expect(integrationTarget(dev, 'POST /telegram/webhook')).toEqual({
      uri: { 'Fn::GetAtt': [ids.webhook, 'Arn'] },
      payload: '2.0',
      auth: 'CUSTOM',
    });
    expect(integrationTarget(dev, 'ANY /admin/{proxy+}')).toEqual({
      uri: { 'Fn::GetAtt': [ids.admin, 'Arn'] },
      payload: '2.0',
      auth: 'NONE',
    });
  });

  it('refuses webhook calls without the secret header at API Gateway: the header is the authorizer identity', () => {
    // Prepare
    const [authorizerId, authorizer] = onlyResource(dev.template, 'AWS::ApiGatewayV2::Authorizer');

    // Act
    const route = Object.values(resourcesOfType(dev.template, 'AWS::ApiGatewayV2::Route')).find(
      (r) => r.Properties.RouteKey === 'POST /telegram/webhook',
    );

    // Assess: a REQUEST authorizer with simple answers, cached per header value for 5 minutes.
    expect(route?.Properties.AuthorizerId).toEqual({ Ref: authorizerId });
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      AuthorizerResultTtlInSeconds: 300,
      IdentitySource: ['$request.header.x-telegram-bot-api-secret-token'],
    });
    expect(JSON.stringify(authorizer.Properties.AuthorizerUri)).toContain(
      heraldFunctions(dev.stack).authorizer,
    );
    // The header the authorizer keys on is the one the webhook checks.
    expect(SECRET_HEADER).toBe('x-telegram-bot-api-secret-token');
  });

  it("with webhookSourceRanges=telegram, the authorizer accepts only Telegram's ranges, cached per address", () => {
    // Prepare
    const restricted = synthHerald({ webhookSourceRanges: 'telegram' });

    // Act
    const [, authorizer] = onlyResource(restricted.template, 'AWS::ApiGatewayV2::Authorizer');

    // Assess
    expect(envOf(restricted, 'authorizer').WEBHOOK_SOURCE_RANGES).toBe('149.154.160.0/20,91.108.4.0/22');
    expect(authorizer.Properties.IdentitySource).toEqual([
      '$request.header.x-telegram-bot-api-secret-token',
      '$context.identity.sourceIp',
    ]);
    expect(envOf(dev, 'authorizer').WEBHOOK_SOURCE_RANGES).toBeUndefined();
  });

  it('throttles each route on its own bucket, unknown paths tightest, and logs JSON access lines without headers', () => {
    // Prepare
    const [stageId, stage] = onlyResource(dev.template, 'AWS::ApiGatewayV2::Stage');

    // Act
    const access = stage.Properties.AccessLogSettings as {
      DestinationArn: { 'Fn::GetAtt': [string, string] };
      Format: string;
    };
    const format = JSON.parse(access.Format) as Record<string, string>;
    const routeIds = Object.keys(resourcesOfType(dev.template, 'AWS::ApiGatewayV2::Route'));

    // Assess
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
      RouteSettings: {
        'POST /telegram/webhook': { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
        'ANY /admin/{proxy+}': { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      },
    });
    // Route settings name route keys: the stage must come after the routes.
    const dependsOn = (dev.template.toJSON().Resources[stageId] as { DependsOn?: string[] }).DependsOn ?? [];
    expect(dependsOn).toEqual(expect.arrayContaining(routeIds));
    expect(Object.keys(format)).toEqual(
      expect.arrayContaining(['requestId', 'ip', 'routeKey', 'status', 'latency', 'error']),
    );
    expect(format.ip).toBe('$context.identity.sourceIp');
    expect(access.Format.toLowerCase()).not.toMatch(/header|authorization|secret/);
    const logGroup = resourcesOfType(dev.template, 'AWS::Logs::LogGroup')[
      access.DestinationArn['Fn::GetAtt'][0]
    ];
    expect(logGroup?.Properties.RetentionInDays).toBe(30);
  });
});

describe('webhook registration custom resource', () => {
  it('passes the webhook URL and the secret ARNs (never values), and changes with every deploy', () => {
    // Prepare
    const [, resource] = onlyResource(dev.template, 'Custom::TelegramWebhook');

    // Act
    const p = resource.Properties;

    // Assess
    expect(p.WebhookUrl).toEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalIdOf(dev.stack.api), 'ApiEndpoint'] }, '/telegram/webhook']],
    });
    expect(p.BotTokenSecretArn).toEqual(secretRef(dev, 'BotTokenSecret'));
    expect(p.WebhookSecretArn).toEqual(secretRef(dev, 'WebhookSecret'));
    expect(p.ConfigHash).toMatch(/^[0-9a-f]{16}$/);
    expect(Number.isNaN(Date.parse(p.DeployedAt as string))).toBe(false);
    expect(Object.keys(p).sort()).toEqual([
      'BotTokenSecretArn',
      'ConfigHash',
      'DeployedAt',
      'ServiceToken',
      'WebhookSecretArn',
      'WebhookUrl',
    ]);
  });

  it('registers only after the stage, the webhook route, its authorizer, their invoke permissions and functions exist', () => {
    // Prepare
    const [, resource] = onlyResource(dev.template, 'Custom::TelegramWebhook');
    const ids = heraldFunctions(dev.stack);
    const stageId = onlyResource(dev.template, 'AWS::ApiGatewayV2::Stage')[0];
    const authorizerId = onlyResource(dev.template, 'AWS::ApiGatewayV2::Authorizer')[0];
    const routeId = Object.entries(resourcesOfType(dev.template, 'AWS::ApiGatewayV2::Route')).find(
      ([, r]) => r.Properties.RouteKey === 'POST /telegram/webhook',
    )?.[0];
    const permissionOf = (fnId: string) =>
      Object.entries(resourcesOfType(dev.template, 'AWS::Lambda::Permission')).find(([, p]) =>
        JSON.stringify(p.Properties.FunctionName).includes(fnId),
      )?.[0];

    // Act
    const dependsOn = (resource as Resource & { DependsOn?: string[] }).DependsOn ?? [];

    // Assess
    const expected = [
      stageId,
      routeId,
      authorizerId,
      permissionOf(ids.webhook as string),
      permissionOf(ids.authorizer as string),
      ids.webhook,
      ids.authorizer,
    ];
    expect(expected.every((id) => id !== undefined)).toBe(true);
    expect(dependsOn).toEqual(expect.arrayContaining(expected));
  });

  it('is served by a Provider whose onEvent handler is the registrar function', () => {
    // Prepare
    const [, resource] = onlyResource(dev.template, 'Custom::TelegramWebhook');
    const frameworkId = (resource.Properties.ServiceToken as { 'Fn::GetAtt': [string, string] })[
      'Fn::GetAtt'
    ][0];

    // Act
    const framework = resourcesOfType(dev.template, 'AWS::Lambda::Function')[frameworkId];

    // Assess
    expect(
      (framework!.Properties.Environment as { Variables: Record<string, unknown> }).Variables
        .USER_ON_EVENT_FUNCTION_ARN,
    ).toEqual({
      'Fn::GetAtt': [heraldFunctions(dev.stack).registrar, 'Arn'],
    });
  });
});

describe('alarms', () => {
  function alarms(s: Synthesized): Resource[] {
    return Object.values(resourcesOfType(s.template, 'AWS::CloudWatch::Alarm'));
  }

  it('watches errors and throttles of each function, the DLQ, the fan-out failures, AlertsFailed and API 5xx, 4xx and 429', () => {
    // Prepare
    const ids = heraldFunctions(dev.stack);

    // Act
    const summary = alarms(dev).map((a) => {
      const dims =
        (a.Properties.Dimensions as {
          Name: string;
          Value: { Ref?: string; 'Fn::GetAtt'?: string[] } | string;
        }[]) ?? [];
      const target = dims
        .map((d) => (typeof d.Value === 'string' ? d.Value : (d.Value.Ref ?? d.Value['Fn::GetAtt']?.[0])))
        .join(',');
      return `${a.Properties.Namespace}/${a.Properties.MetricName}@${target}`;
    });

    // Assess
    const expected = [
      ...Object.values(ids).flatMap((id) => [`AWS/Lambda/Errors@${id}`, `AWS/Lambda/Throttles@${id}`]),
      expect.stringMatching(/^AWS\/SQS\/ApproximateNumberOfMessagesVisible@AlertsAlertDeadLetterQueue/),
      expect.stringMatching(/^AWS\/SQS\/ApproximateNumberOfMessagesVisible@AlertsFanoutFailureQueue/),
      'Herald/AlertsFailed@herald',
      'Herald/AlertTimeTo90@herald',
      expect.stringMatching(/^AWS\/ApiGateway\/5xx@Api/),
      expect.stringMatching(/^AWS\/ApiGateway\/4xx@Api/),
      // From metric filters over the webhook's one-line-per-request `outcome` logs.
      'Herald/dev/WebhookBotErrors@',
      'Herald/dev/WebhookUnavailable@',
      // From a metric filter over the API's access log (HTTP APIs publish no 429 metric).
      'Herald/dev/ApiThrottled@',
      // From a metric filter over the ingest function's summary line.
      'Herald/dev/FeedSourcesFailing@',
      // From a metric filter over the digest function's summary line.
      'Herald/dev/DigestSlotsPerRun@',
      expect.stringMatching(/^AWS\/SQS\/ApproximateNumberOfMessagesVisible@ChannelsChannelFailureQueue/),
    ];
    expect(summary).toHaveLength(expected.length);
    expect(summary).toEqual(expect.arrayContaining(expected));
  });

  it('counts webhook outcomes from the logs with metric filters', () => {
    // Prepare / Act
    const filters = dev.template.findResources('AWS::Logs::MetricFilter');
    const patterns = Object.values(filters).map((f) => {
      const p = f.Properties as { FilterPattern: string; MetricTransformations: { MetricName: string }[] };
      return `${p.MetricTransformations[0]?.MetricName} ${p.FilterPattern}`;
    });

    // Assess
    expect(patterns).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^WebhookUpdatesHandled .*\$\.outcome = "handled"/),
        expect.stringMatching(/^WebhookBotErrors .*\$\.message = "update failed"/),
        expect.stringMatching(/^WebhookUnavailable .*\$\.outcome = "unavailable"/),
        // Throttled calls to the two real routes, not to unknown paths.
        'ApiThrottled { ($.status = "429") && (($.routeKey = "POST /telegram/webhook") || ($.routeKey = "ANY /admin/{proxy+}")) }',
      ]),
    );
  });

  it('alarms when a run takes longer than the stage’s time-to-90 % target (default 120 s)', () => {
    // Prepare
    const target = (s: Synthesized) =>
      alarms(s).find((a) => a.Properties.MetricName === 'AlertTimeTo90')?.Properties;

    // Act
    const custom = synthHerald({ alertTimeTo90Seconds: '300' });

    // Assess
    expect(target(dev)).toMatchObject({
      Namespace: 'Herald',
      Threshold: 120,
      ComparisonOperator: 'GreaterThanThreshold',
      Statistic: 'Maximum',
      Period: 300,
      TreatMissingData: 'notBreaching',
    });
    expect(target(custom)).toMatchObject({ Threshold: 300 });
  });

  it('alarms on 4xx at about one every 3 s, and on the first throttled webhook or admin call', () => {
    // Prepare
    const all = alarms(dev);

    // Act
    const fourXx = all.find((a) => a.Properties.MetricName === '4xx');
    const throttled = all.find((a) => a.Properties.MetricName === 'ApiThrottled');

    // Assess
    expect(fourXx?.Properties).toMatchObject({ Threshold: 100, Period: 300, Statistic: 'Sum' });
    expect(throttled?.Properties).toMatchObject({ Threshold: 1, Period: 300, Statistic: 'Sum' });
  });

  it('treats missing data as fine and alarms at the first undeliverable alert', () => {
    // Prepare / Act
    const all = alarms(dev);
    const dlq = all.find((a) =>
      JSON.stringify(a.Properties.Dimensions ?? []).includes('AlertDeadLetterQueue'),
    );
    const failed = all.find((a) => a.Properties.MetricName === 'AlertsFailed');

    // Assess
    // Except FeedSourcesFailing, reported once per ingest run: a period the schedule left empty keeps the state.
    // So is DigestSlotsPerRun, once per digest run.
    const perRun = all.filter((a) =>
      ['FeedSourcesFailing', 'DigestSlotsPerRun'].includes(String(a.Properties.MetricName)),
    );
    expect(perRun.map((a) => a.Properties.TreatMissingData)).toEqual(['ignore', 'ignore']);
    expect(
      all.filter((a) => !perRun.includes(a)).every((a) => a.Properties.TreatMissingData === 'notBreaching'),
    ).toBe(true);
    for (const a of [dlq, failed]) {
      expect(a?.Properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
    // A dev stack without alarmEmail has no topic: its alarms show in the console only.
    expect(all.every((a) => a.Properties.AlarmActions === undefined)).toBe(true);
    expect(Object.keys(resourcesOfType(dev.template, 'AWS::SNS::Topic'))).toEqual([]);
  });

  it.each([
    ['prod without alarmEmail', () => prodNoEmail],
    ['prod with alarmEmail', () => prod],
    ['dev with alarmEmail', () => synthHerald({ alarmEmail: 'dev@example.com' })],
  ])('%s: every alarm notifies the alarm topic', (_name, stack) => {
    // Prepare
    const s = stack();
    const [topicId] = onlyResource(s.template, 'AWS::SNS::Topic');

    // Act
    const withoutAction = alarms(s).filter(
      (a) => JSON.stringify(a.Properties.AlarmActions) !== JSON.stringify([{ Ref: topicId }]),
    );

    // Assess
    expect(alarms(s).length).toBe(alarms(dev).length);
    expect(withoutAction).toEqual([]);
  });

  it('prod without alarmEmail: the topic has no subscriber yet, and the stack outputs it with how to subscribe', () => {
    // Prepare
    const [topicId] = onlyResource(prodNoEmail.template, 'AWS::SNS::Topic');

    // Act
    const outputs = prodNoEmail.template.toJSON().Outputs as Record<
      string,
      { Value: unknown; Description?: string }
    >;

    // Assess
    expect(Object.keys(resourcesOfType(prodNoEmail.template, 'AWS::SNS::Subscription'))).toEqual([]);
    expect(outputs.AlarmTopicArn?.Value).toEqual({ Ref: topicId });
    expect(outputs.AlarmTopicArn?.Description).toMatch(/-c alarmEmail=.*aws sns subscribe --topic-arn/);
  });

  it('with alarmEmail, notifies an encrypted, TLS-only SNS topic', () => {
    // Prepare
    const [topicId, topic] = onlyResource(prod.template, 'AWS::SNS::Topic');
    const [, key] = onlyResource(prod.template, 'AWS::KMS::Key');

    // Act
    const [, subscription] = onlyResource(prod.template, 'AWS::SNS::Subscription');
    const [, topicPolicy] = onlyResource(prod.template, 'AWS::SNS::TopicPolicy');

    // Assess
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(JSON.stringify(key.Properties.KeyPolicy)).toContain('cloudwatch.amazonaws.com');
    expect(subscription.Properties).toMatchObject({ Protocol: 'email', Endpoint: 'ops@example.com' });
    expect(JSON.stringify(topicPolicy.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    expect(
      alarms(prod).every(
        (a) => JSON.stringify(a.Properties.AlarmActions) === JSON.stringify([{ Ref: topicId }]),
      ),
    ).toBe(true);
  });
});

describe('outputs', () => {
  it('publishes the URLs, the token secret (ARN and name), the table name and the registration state', () => {
    // Prepare
    const outputs = dev.template.toJSON().Outputs as Record<string, { Value: unknown }>;

    // Act
    const names = Object.keys(outputs).sort();

    // Assess
    expect(names).toEqual(
      [
        'AdminApiKeySecretArn',
        'AdminApiUrl',
        'BotTokenSecretArn',
        'BotTokenSecretName',
        'TableName',
        'WebhookRegistered',
        'WebhookUrl',
      ].sort(),
    );
    expect(outputs.BotTokenSecretArn?.Value).toEqual(secretRef(dev, 'BotTokenSecret'));
    expect(JSON.stringify(outputs.WebhookUrl?.Value)).toContain('/telegram/webhook');
    expect(JSON.stringify(outputs.AdminApiUrl?.Value)).toContain('/admin/');
    expect(JSON.stringify(outputs)).not.toContain('SecretString');
  });
});
