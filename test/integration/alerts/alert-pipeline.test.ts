/**
 * The alert pipeline end to end in one process: fan-out → in-memory queue → sender →
 * the Bot API stand-in (with Telegram's faults), on DynamoDB Local. Nothing is mocked.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { createStatsReader } from '../../../functions/admin/stats';
import { CallCounter } from '../../../functions/alerts/call-counter';
import { articleFromStreamRecord } from '../../../functions/alerts/fanout';
import { createLocalAlerts, type LocalAlerts } from '../../../functions/alerts/local-alerts';
import type { AlertMessage } from '../../../functions/alerts/queue';
import { articleStatsMessage } from '../../../functions/bot/features/admin';
import { alertRenderer } from '../../../functions/bot/views';
import { publishArticle, publishAuthor } from '../../../functions/core/publishing';
import { createI18n } from '../../../functions/i18n';
import { type BotApiStandIn, faults } from '../../../functions/local/telegram-stand-in';
import { articleMetaKey } from '../../../functions/store/keys';
import { runAlertFor, startAlertsRig, stopAlertsRig } from '../../helpers/alerts-rig';
import { plain } from '../../helpers/chat';
import { eachLimit } from '../../helpers/each-limit';
import type { TestStore } from '../../helpers/test-store';

const TOKEN = '123456789:TEST-token-for-the-alerts-stand-in-0';
const ADMIN = 777;
const logger = new Logger({ logLevel: 'SILENT' });

let ts: TestStore;
let standIn: BotApiStandIn;
let apiRoot: string;

beforeAll(async () => {
  ({ ts, standIn, apiRoot } = await startAlertsRig(TOKEN));
});

afterAll(async () => {
  await stopAlertsRig({ ts, standIn });
});

async function seedAuthor(handle: string, fullName: string, subscriberIds: readonly number[]): Promise<void> {
  await publishAuthor(ts.store, { handle, fullName, userSince: '2008-03-15' });
  await eachLimit(subscriberIds, 25, (id) => ts.store.subscriptions.subscribe(id, handle));
}

async function publish(id: string, handle: string, title: string): Promise<void> {
  const { result } = await publishArticle(ts.store, {
    id,
    title,
    authorHandle: handle,
    body: 'First paragraph of the article. It has a few sentences.\n\nA second paragraph.',
    publishedAt: '2026-11-25T08:00:00Z',
  });
  expect(result).toBe('created');
}

async function allSubscribers(handle: string): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | undefined;
  do {
    const page = await ts.store.subscriptions.subscribersPage(handle, cursor, 500);
    ids.push(...page.userIds);
    cursor = page.next;
  } while (cursor !== undefined);
  return ids;
}

function localAlerts(rate: number, counter?: CallCounter): LocalAlerts {
  return createLocalAlerts({
    renderAlert: alertRenderer(createI18n()),
    doc: ts.doc,
    store: ts.store,
    config: { tableName: ts.tableName, alertRatePerSecond: rate, adminIds: [ADMIN] },
    telegram: { apiRoot, token: TOKEN },
    logger,
    counter,
    // Fast backoff: a 500 is retried after ~10 ms instead of ~250 ms.
    sender: { backoffBaseMs: 20 },
  });
}

const sendsTo = (chatId: number) =>
  standIn.callsTo('sendMessage').filter((c) => Number(c.params['chat_id']) === chatId && c.ok).length;

describe('an article with 1,000 subscribers and Telegram faults', () => {
  const handle = 'jdoe';
  const articleId = 'thousand-readers';
  const title = 'Tom & Jerry say "<hi>" — 🚀 привет';
  const users = Array.from({ length: 1000 }, (_, i) => 10_001 + i);
  // Disjoint fault sets by position: 5 % 429 (retry_after 1 s), 2 % blocked, 1 % one 500.
  const rateLimited = users.filter((_, i) => i % 20 === 0);
  const blocked = users.filter((_, i) => i % 50 === 1);
  const serverError = users.filter((_, i) => i % 100 === 2);
  let alerts: LocalAlerts;
  let report: Awaited<ReturnType<LocalAlerts['report']>>;
  let callsBefore: number;
  const counter = new CallCounter();

  beforeAll(async () => {
    // Prepare
    await seedAuthor(handle, 'Dr. Jane <Doe>', users);
    await publish(articleId, handle, title);
    for (const id of rateLimited)
      standIn.injectFault(faults.tooManyRequests(1, { method: 'sendMessage', chatId: id }));
    for (const id of serverError)
      standIn.injectFault(faults.serverError({ method: 'sendMessage', chatId: id }));
    for (const id of blocked) await standIn.user({ id, first_name: `U${id}` }).block();
    alerts = localAlerts(1000, counter);
    callsBefore = standIn.callsTo('sendMessage').length;

    // Act
    report = await runAlertFor(alerts, articleId);
  }, 120_000); // 1,000 subscribers through the paced sender: generous on a loaded 2-core machine

  it('sends every active subscriber exactly one alert, with the heading and the escaped card', () => {
    // Assess
    const active = users.filter((id) => !blocked.includes(id));
    const counts = active.map((id) => standIn.messages(id).length);
    expect(counts.every((n) => n === 1)).toBe(true);
    const message = standIn.messages(active[0] as number)[0];
    expect(plain(message?.text)).toContain('New from Dr. Jane <Doe>');
    expect(message?.text).toContain(title);
    expect(message?.sentText).toContain('Tom &amp; Jerry say &quot;&lt;hi&gt;&quot;');
    // Its recipients follow the author: the card offers to unsubscribe, not to subscribe again.
    const labels = message?.reply_markup?.inline_keyboard.flat().map((b) => b.text);
    expect(labels).toContain('🔕 Unsubscribe');
    expect(labels).not.toContain('🔔 Subscribe');
    expect(blocked.every((id) => standIn.messages(id).length === 0)).toBe(true);
  });

  it('retries 429s and 500s without ever sending twice: 1,000 first tries + 50 + 10 retries + 1 report', () => {
    // Assess
    expect(standIn.callsTo('sendMessage').length - callsBefore).toBe(
      1000 + rateLimited.length + serverError.length + 1,
    );
    expect(rateLimited.every((id) => sendsTo(id) === 1)).toBe(true);
    expect(serverError.every((id) => sendsTo(id) === 1)).toBe(true);
  });

  it('marks blocked subscribers inactive, so the next fan-out skips them', async () => {
    // Act
    const listed = new Set(await allSubscribers(handle));

    // Assess
    expect(listed.size).toBe(1000 - blocked.length);
    expect(blocked.some((id) => listed.has(id))).toBe(false);
  });

  it('reports counts that add up, to the admin once, and on the article', async () => {
    // Assess
    expect(report).toEqual({
      articleId,
      title,
      total: 1000,
      sent: 980,
      blocked: 20,
      failed: 0,
      unconfirmed: 0,
    });
    const adminMessages = standIn.messages(ADMIN);
    expect(adminMessages).toHaveLength(1);
    expect(adminMessages[0]?.text).toBe(`Alert for “${title}”: 980 sent, 20 blocked, 0 failed`);
    expect(adminMessages[0]?.sentText).toContain('Tom &amp; Jerry');
    expect((await ts.store.articles.getArticle(articleId))?.alertsSent).toBe(980);
    const run = await alerts.alerts.getRun(articleId);
    expect(run).toMatchObject({ done: true, fanoutDone: true, batches: 20, countedBatches: 21 });
  });

  it('shows the delivery report in the admin statistics of the article (/stats <id>, GET …/stats)', async () => {
    // Act
    const stats = await createStatsReader({
      doc: ts.doc,
      tableName: ts.tableName,
      articles: ts.store.articles,
    }).article(articleId);

    // Assess
    expect(stats?.alerts).toEqual({
      total: 1000,
      sent: 980,
      blocked: 20,
      failed: 0,
      unconfirmed: 0,
      pending: 0,
      fanoutDone: true,
    });
    if (!stats) throw new Error('no stats for the article');
    expect(articleStatsMessage(stats)).toContain(
      'Alert run: 980 sent · 20 blocked · 0 failed · 0 pending, of 1,000',
    );
  });

  it('uses one SendMessageBatch per 500 subscribers, plus the end message', () => {
    // Assess
    expect(counter.get('SendMessageBatch')).toBe(2 + 1);
    expect(alerts.queue.size).toBe(0);
    expect(alerts.queue.deadLetters).toEqual([]);
  });

  it('sends nothing more when the same message is delivered again, even twice at once', async () => {
    // Prepare
    const message: AlertMessage = { articleId, batchId: 'p0-0', userIds: users.slice(0, 50) };
    const before = standIn.callsTo('sendMessage').length;

    // Act
    const results = await Promise.all([
      alerts.sender.processMessage(message, { receiveCount: 2 }),
      alerts.sender.processMessage(message, { receiveCount: 2 }),
    ]);

    // Assess
    expect(standIn.callsTo('sendMessage').length).toBe(before);
    for (const r of results)
      expect(r).toEqual({
        complete: true,
        decided: { sent: 0, blocked: 0, failed: 0, unconfirmed: 0 },
        retry: 0,
      });
    expect(await alerts.report(articleId)).toEqual(report);
  });

  it('sends nothing more when the fan-out runs again for the same stream record', async () => {
    // Prepare
    const before = standIn.callsTo('sendMessage').length;

    // Act
    const again = await runAlertFor(alerts, articleId);

    // Assess
    expect(standIn.callsTo('sendMessage').length).toBe(before);
    expect(again).toEqual(report);
    expect(standIn.messages(ADMIN)).toHaveLength(1);
  });

  it('does not alert for an update of the article (a MODIFY record)', async () => {
    // Prepare
    const { result } = await publishArticle(ts.store, {
      id: articleId,
      title: `${title} (updated)`,
      authorHandle: handle,
      body: 'A corrected body.',
      publishedAt: '2026-11-25T08:00:00Z',
    });
    const item = (
      await ts.doc.send(new GetCommand({ TableName: ts.tableName, Key: articleMetaKey(articleId) }))
    ).Item;
    const record: DynamoDBRecord = {
      eventName: 'MODIFY',
      dynamodb: { NewImage: marshall(item ?? {}) as Record<string, AttributeValue> },
    };
    const before = standIn.callsTo('sendMessage').length;

    // Act
    const article = articleFromStreamRecord(record);

    // Assess
    expect(result).toBe('updated');
    expect(article).toBeUndefined();
    expect(standIn.callsTo('sendMessage').length).toBe(before);
  });
});
