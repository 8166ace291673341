/**
 * The two Lambda handlers as AWS calls them: the fan-out with a DynamoDB stream event, the
 * sender with an SQS event. DynamoDB is DynamoDB Local, Telegram is the stand-in, and SQS is a
 * small HTTP server that speaks SQS's JSON protocol for SendMessageBatch (the SDK sends to
 * the queue URL's host), so the real SDK clients run unchanged.
 */

import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type {
  AttributeValue,
  Context,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';
import type { AlertMessage } from '../../../functions/alerts/queue';
import { publishArticle, publishAuthor } from '../../../functions/core/publishing';
import { type BotApiStandIn, createBotApiStandIn, faults } from '../../../functions/local/telegram-stand-in';
import { articleBodyKey, articleMetaKey } from '../../../functions/store/keys';
import { plain } from '../../helpers/chat';
import { startTestStore, type TestStore } from '../../helpers/test-store';

type FanoutModule = typeof import('../../../functions/handlers/fanout');
type SenderModule = typeof import('../../../functions/handlers/sender');

const TOKEN = '123456789:TEST-token-for-the-handler-tests-000';
const ADMIN = 779;
const HANDLE = 'handler_author';
const ARTICLE = 'handler-post';

let ts: TestStore;
let standIn: BotApiStandIn;
let sqs: Server;
/** Every message body the fake SQS accepted, in order. */
const enqueued: AlertMessage[] = [];
let sqsFailing = false;
let fanout: FanoutModule;
let sender: SenderModule;
const users = Array.from({ length: 60 }, (_, i) => 30_001 + i);
const savedEnv = { ...process.env };

/** SQS's JSON protocol for SendMessageBatch, including the MD5 the SDK checks. */
function startFakeSqs(): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (sqsFailing || target !== 'AmazonSQS.SendMessageBatch') {
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(
          JSON.stringify({
            __type: 'com.amazonaws.sqs#InternalError',
            message: 'We encountered an internal error.',
          }),
        );
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        Entries: { Id: string; MessageBody: string }[];
      };
      const successful = body.Entries.map((e) => {
        enqueued.push(JSON.parse(e.MessageBody) as AlertMessage);
        return {
          Id: e.Id,
          MessageId: `msg-${enqueued.length}`,
          MD5OfMessageBody: createHash('md5').update(e.MessageBody).digest('hex'),
        };
      });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ Successful: successful, Failed: [] }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function lambdaContext(): Context {
  // Only what the handlers and Powertools read; the rest of Context is not used.
  return {
    functionName: 'test',
    awsRequestId: 'req-1',
    getRemainingTimeInMillis: () => 60_000,
  } as unknown as Context;
}

async function itemAt(key: { pk: string; sk: string }): Promise<Record<string, unknown>> {
  const out = await ts.doc.send(new GetCommand({ TableName: ts.tableName, Key: key }));
  if (!out.Item) throw new Error(`no item ${key.pk}/${key.sk}`);
  return out.Item;
}

function streamRecord(
  seq: string,
  eventName: 'INSERT' | 'MODIFY',
  item: Record<string, unknown>,
): DynamoDBRecord {
  return {
    eventID: seq,
    eventName,
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      SequenceNumber: seq,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
      Keys: marshall({ pk: item['pk'], sk: item['sk'] }) as Record<string, AttributeValue>,
      NewImage: marshall(item, { removeUndefinedValues: true }) as Record<string, AttributeValue>,
    },
  };
}

function sqsEvent(messages: readonly AlertMessage[], receiveCount: number): SQSEvent {
  return {
    Records: messages.map(
      (m, i): SQSRecord => ({
        messageId: `${m.articleId}-${m.batchId}-${i}`,
        receiptHandle: `rh-${i}`,
        body: JSON.stringify(m),
        attributes: {
          ApproximateReceiveCount: String(receiveCount),
          SentTimestamp: '0',
          SenderId: 'test',
          ApproximateFirstReceiveTimestamp: '0',
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:herald-alerts',
        awsRegion: 'us-east-1',
      }),
    ),
  };
}

beforeAll(async () => {
  ts = await startTestStore();
  standIn = createBotApiStandIn({
    token: TOKEN,
    botInfo: { id: 123456789, is_bot: true, first_name: 'Herald', username: 'HeraldTestBot' },
  });
  const apiRoot = await standIn.start();
  sqs = await startFakeSqs();
  const { port } = sqs.address() as AddressInfo;
  Object.assign(process.env, {
    TABLE_NAME: ts.tableName,
    DYNAMODB_ENDPOINT: ts.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_MAX_ATTEMPTS: '1',
    ALERT_QUEUE_URL: `http://127.0.0.1:${port}/000000000000/herald-alerts`,
    // The SDK's own override for SQS's endpoint (without it, it warns that the queue URL's
    // host differs from sqs.us-east-1.amazonaws.com).
    AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${port}`,
    TELEGRAM_API_ROOT: apiRoot,
    TELEGRAM_BOT_TOKEN: TOKEN,
    ADMIN_IDS: String(ADMIN),
    ALERT_RATE_PER_SECOND: '1000',
    SENDER_MAX_CONCURRENCY: '1',
    LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  // The handlers read their configuration when loaded, as on a Lambda cold start.
  fanout = require('../../../functions/handlers/fanout') as FanoutModule;
  sender = require('../../../functions/handlers/sender') as SenderModule;

  await publishAuthor(ts.store, { handle: HANDLE, fullName: 'Handler Author', userSince: '2012-05-01' });
  await Promise.all(users.map((id) => ts.store.subscriptions.subscribe(id, HANDLE)));
  await publishArticle(ts.store, {
    id: ARTICLE,
    title: 'Published through the stream',
    authorHandle: HANDLE,
    body: 'Some text.',
    publishedAt: '2026-11-25T10:00:00Z',
  });
});

afterAll(async () => {
  process.env = savedEnv;
  await new Promise<void>((resolve) => (sqs ? sqs.close(() => resolve()) : resolve()));
  await standIn?.stop();
  await ts?.stop();
});

describe('fan-out handler', () => {
  it('enqueues batches for an INSERT of an article and nothing for a MODIFY or another item', async () => {
    // Prepare
    const meta = await itemAt(articleMetaKey(ARTICLE));
    const event: DynamoDBStreamEvent = {
      Records: [
        streamRecord('101', 'INSERT', await itemAt(articleBodyKey(ARTICLE))),
        streamRecord('102', 'INSERT', meta),
        streamRecord('103', 'MODIFY', { ...meta, views: 1 }),
      ],
    };

    // Act
    const response = await fanout.handler(event, lambdaContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const recipients = enqueued.flatMap((m) => m.userIds);
    expect(recipients.sort()).toEqual([...users].sort());
    expect(enqueued.map((m) => m.batchId)).toEqual(['p0-0', 'p0-1', 'end']);
  });

  it('enqueues no recipient twice when the stream delivers the record again', async () => {
    // Prepare
    const before = enqueued.length;
    const event: DynamoDBStreamEvent = {
      Records: [streamRecord('102', 'INSERT', await itemAt(articleMetaKey(ARTICLE)))],
    };

    // Act
    const response = await fanout.handler(event, lambdaContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(enqueued.slice(before).map((m) => m.batchId)).toEqual(['end']);
  });

  it('reports the record by sequence number when the queue is down, so the stream retries it', async () => {
    // Prepare: a second article by the same author while SQS fails.
    await publishArticle(ts.store, {
      id: 'handler-post-2',
      title: 'Second post',
      authorHandle: HANDLE,
      body: 'More text.',
      publishedAt: '2026-11-25T11:00:00Z',
    });
    const event: DynamoDBStreamEvent = {
      Records: [streamRecord('201', 'INSERT', await itemAt(articleMetaKey('handler-post-2')))],
    };
    sqsFailing = true;

    // Act
    const failed = await fanout.handler(event, lambdaContext());
    sqsFailing = false;
    const before = enqueued.length;
    const retried = await fanout.handler(event, lambdaContext());

    // Assess: the retry resumes from the written-ahead page (same batch ids, enqueued once).
    expect(failed).toEqual({ batchItemFailures: [{ itemIdentifier: '201' }] });
    expect(retried).toEqual({ batchItemFailures: [] });
    expect(enqueued.slice(before).map((m) => m.batchId)).toEqual(['p0-0', 'p0-1', 'end']);
  });
});

describe('sender handler', () => {
  const firstRun = () => enqueued.filter((m) => m.articleId === ARTICLE);

  it('sends each recipient once, reports a batch with a failing chat for redelivery, and finishes on the redelivery', async () => {
    // Prepare: one subscriber's chat fails with 500 four times (one delivery's attempts).
    const flaky = users[7] as number;
    standIn.injectFault({ ...faults.serverError({ method: 'sendMessage', chatId: flaky }), times: 4 });
    const messages = firstRun();
    const flakyBatch = messages.find((m) => m.userIds.includes(flaky)) as AlertMessage;

    // Act
    const first = await sender.handler(sqsEvent(messages, 1), lambdaContext());
    const redelivered = await sender.handler(sqsEvent([flakyBatch], 2), lambdaContext());

    // Assess
    expect(first.batchItemFailures).toEqual([
      { itemIdentifier: `${ARTICLE}-${flakyBatch.batchId}-${messages.indexOf(flakyBatch)}` },
    ]);
    expect(redelivered).toEqual({ batchItemFailures: [] });
    expect(
      users.every(
        (id) =>
          standIn.messages(id).filter((m) => plain(m.text).startsWith('New from Handler Author')).length ===
          1,
      ),
    ).toBe(true);
    expect(standIn.lastMessage(ADMIN)?.text).toBe(
      'Alert for “Published through the stream”: 60 sent, 0 blocked, 0 failed',
    );
  });

  it('sends nothing when SQS delivers the same messages again', async () => {
    // Prepare
    const before = standIn.callsTo('sendMessage').length;

    // Act
    const response = await sender.handler(sqsEvent(firstRun(), 3), lambdaContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(standIn.callsTo('sendMessage').length).toBe(before);
    expect(standIn.messages(ADMIN)).toHaveLength(1);
  });

  it('marks a subscriber who blocked the bot inactive and counts them blocked', async () => {
    // Prepare
    const blocker = users[3] as number;
    await standIn.user({ id: blocker, first_name: 'Blocker' }).block();
    const messages = enqueued.filter((m) => m.articleId === 'handler-post-2');

    // Act
    const response = await sender.handler(sqsEvent(messages, 1), lambdaContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(standIn.lastMessage(ADMIN)?.text).toBe('Alert for “Second post”: 59 sent, 1 blocked, 0 failed');
    const page = await ts.store.subscriptions.subscribersPage(HANDLE, undefined, 100);
    expect(page.userIds).not.toContain(blocker);
  });
});
