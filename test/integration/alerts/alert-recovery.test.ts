/**
 * How the alert pipeline recovers: a fan-out stopped half-way, two fan-outs at once, a
 * worker that crashed holding a recipient, Telegram failing past the retries, a flood of
 * 429s. Each case must end with every subscriber alerted once and exact counts.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createStatsReader } from '../../../functions/admin/stats';
import { FanoutDeadlineError, fanOut } from '../../../functions/alerts/fanout';
import { createLocalAlerts, type LocalAlerts } from '../../../functions/alerts/local-alerts';
import type { Clock } from '../../../functions/alerts/pacer';
import { articleStatsMessage } from '../../../functions/bot/features/admin';
import { alertRenderer } from '../../../functions/bot/views';
import { publishArticle, publishAuthor } from '../../../functions/core/publishing';
import { createI18n } from '../../../functions/i18n';
import { type BotApiStandIn, faults } from '../../../functions/local/telegram-stand-in';
import { AlertRepository } from '../../../functions/store/alert-repository';
import { runAlertFor, startAlertsRig, stopAlertsRig } from '../../helpers/alerts-rig';
import { faultyClient, outcome } from '../../helpers/fault-client';
import type { TestStore } from '../../helpers/test-store';

const TOKEN = '123456789:TEST-token-for-the-alerts-stand-in-1';
const ADMIN = 778;
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

let nextUserId = 20_001;

/** A new author with `count` new subscribers and one new article; returns their ids. */
async function world(handle: string, count: number): Promise<{ articleId: string; users: number[] }> {
  await publishAuthor(ts.store, { handle, fullName: `Author ${handle}`, userSince: '2010-01-01' });
  const users = Array.from({ length: count }, () => nextUserId++);
  await Promise.all(users.map((id) => ts.store.subscriptions.subscribe(id, handle)));
  const articleId = `${handle.replace(/_/g, '-')}-post`;
  await publishArticle(ts.store, {
    id: articleId,
    title: `A post by ${handle}`,
    authorHandle: handle,
    body: 'Body text.',
    publishedAt: '2026-11-25T09:00:00Z',
  });
  return { articleId, users };
}

function localAlerts(
  opts: {
    rate?: number;
    maxReceiveCount?: number;
    doc?: TestStore['doc'];
    singleInstance?: boolean;
    clock?: Clock;
  } = {},
): LocalAlerts {
  return createLocalAlerts({
    renderAlert: alertRenderer(createI18n()),
    doc: opts.doc ?? ts.doc,
    store: ts.store,
    config: { tableName: ts.tableName, alertRatePerSecond: opts.rate ?? 1000, adminIds: [ADMIN] },
    telegram: { apiRoot, token: TOKEN },
    logger,
    sender: { backoffBaseMs: 10, ...(opts.singleInstance === false ? { singleInstance: false } : {}) },
    ...(opts.clock ? { clock: opts.clock } : {}),
    queue: { maxReceiveCount: opts.maxReceiveCount ?? 5 },
    retryDelayMs: 50,
  });
}

const alertsTo = (chatId: number) =>
  standIn.messages(chatId).filter((m) => m.text.startsWith('New from')).length;
const reportsTo = (chatId: number, articleTitle: string) =>
  standIn.messages(chatId).filter((m) => m.text.startsWith(`Alert for “${articleTitle}”`)).length;

describe('fan-out recovery', () => {
  it('resumes from the stored cursor after stopping at its deadline, enqueueing no page twice', async () => {
    // Prepare
    const { articleId, users } = await world('resumer', 120);
    const alerts = localAlerts();
    const meta = await ts.store.articles.getArticle(articleId);
    let clock = 0;
    const deps = {
      alerts: alerts.alerts,
      subscriptions: ts.store.subscriptions,
      queue: alerts.queue,
      logger,
      // Each read of the clock moves it 1 ms: the deadline of 1 passes after the first page.
      now: () => clock++,
    };

    // Act
    const stopped = fanOut(deps, meta!, { pageSize: 50, deadline: 1 });
    await expect(stopped).rejects.toThrow(FanoutDeadlineError);
    const afterStop = (await alerts.alerts.getRun(articleId))!;
    const resumed = await fanOut(deps, meta!, { pageSize: 50 });
    const report = await runAlertFor(alerts, articleId);

    // Assess
    expect(afterStop).toMatchObject({ pages: 1, total: 50, fanoutDone: false });
    expect(resumed).toEqual({ created: false, total: 120, pagesEnqueued: 2 });
    expect(users.every((id) => alertsTo(id) === 1)).toBe(true);
    expect(report).toMatchObject({ total: 120, sent: 120, blocked: 0, failed: 0 });
    expect(reportsTo(ADMIN, 'A post by resumer')).toBe(1);
  });

  it('re-sends the written-ahead page as recorded after a crash before the cursor moved', async () => {
    // Prepare: a fan-out read page 0, wrote it ahead, and crashed before enqueueing it;
    // meanwhile one of its subscribers unsubscribed.
    const { articleId, users } = await world('crasher', 60);
    const alerts = localAlerts();
    const meta = (await ts.store.articles.getArticle(articleId))!;
    await alerts.alerts.createRun(meta);
    const read = await ts.store.subscriptions.subscribersPage('crasher', undefined, 30);
    const page = { page: 0, userIds: read.userIds, ...(read.next ? { next: read.next } : {}) };
    expect(await alerts.alerts.writeAhead(articleId, page)).toEqual(page);
    await ts.store.subscriptions.unsubscribe(read.userIds[0] as number, 'crasher');

    // Act
    const resumed = await fanOut(
      { alerts: alerts.alerts, subscriptions: ts.store.subscriptions, queue: alerts.queue, logger },
      meta,
      { pageSize: 30 },
    );
    const report = await runAlertFor(alerts, articleId);

    // Assess: page 0 went out as recorded (the recipients it promised), then the rest (a
    // page of 30 and the empty last page DynamoDB returns after a full one).
    expect(resumed).toEqual({ created: false, total: 60, pagesEnqueued: 3 });
    expect(users.every((id) => alertsTo(id) === 1)).toBe(true);
    expect(report).toMatchObject({ total: 60, sent: 60, blocked: 0, failed: 0 });
    expect(reportsTo(ADMIN, 'A post by crasher')).toBe(1);
  });

  it('lets two fan-outs of the same record race without duplicates or double counts', async () => {
    // Prepare
    const { articleId, users } = await world('racer', 150);
    const alerts = localAlerts();
    const meta = (await ts.store.articles.getArticle(articleId))!;
    const deps = {
      alerts: alerts.alerts,
      subscriptions: ts.store.subscriptions,
      queue: alerts.queue,
      logger,
    };

    // Act
    const results = await Promise.all([
      fanOut(deps, meta, { pageSize: 40 }),
      fanOut(deps, meta, { pageSize: 40 }),
    ]);
    const drained = await alerts.drain();
    const report = await alerts.report(articleId);

    // Assess
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
    expect(users.every((id) => alertsTo(id) === 1)).toBe(true);
    expect(report).toMatchObject({ total: 150, sent: 150, blocked: 0, failed: 0 });
    expect(drained.reports).toHaveLength(1);
    expect(reportsTo(ADMIN, 'A post by racer')).toBe(1);
  });
});

describe('sender recovery', () => {
  it('leaves a recipient claimed by a live worker alone, and settles one whose sender is gone as unconfirmed, never resending it', async () => {
    // Prepare: several sender instances, as on AWS (not the single-instance local runtime).
    const { articleId, users } = await world('leaser', 3);
    const alerts = localAlerts({ singleInstance: false });
    const [live, crashed] = users as [number, number, number];
    const fresh = new AlertRepository(ts.doc, ts.tableName);
    // A worker that crashed ten minutes ago held `crashed`; one that is running holds `live`.
    const past = new AlertRepository(ts.doc, ts.tableName, () => Date.now() - 10 * 60_000);
    await alerts.fanOut(articleId);
    expect((await fresh.claimRecipient(articleId, live, 'worker-a', 60_000)).claimed).toBe(true);
    expect((await past.claimRecipient(articleId, crashed, 'worker-b', 60_000)).claimed).toBe(true);

    // Act
    const first = await alerts.sender.processMessage(
      { articleId, batchId: 'p0-0', userIds: users },
      { receiveCount: 1 },
    );
    const liveMessages = alertsTo(live);
    await fresh.releaseRecipient(articleId, live, 'worker-a');
    const second = await alerts.sender.processMessage(
      { articleId, batchId: 'p0-0', userIds: users },
      { receiveCount: 2 },
    );

    // Assess: the crashed worker may have sent before it died, so its recipient is not sent
    // again; the live worker's recipient goes out once it is given back.
    expect(first).toMatchObject({ complete: false, retry: 1, decided: { sent: 1, unconfirmed: 1 } });
    expect(liveMessages).toBe(0);
    expect(second).toMatchObject({ complete: true, retry: 0, decided: { sent: 1 } });
    expect(users.map(alertsTo)).toEqual([1, 0, 1]);
    expect(await alerts.alerts.recipientStatus(articleId, crashed)).toBe('unconfirmed');
  });

  it('shows an unconfirmed recipient in the admin statistics apart from pending, and the run as finished', async () => {
    // Prepare: of three subscribers, one was claimed by a sender that died ten minutes ago.
    const { articleId, users } = await world('unsure', 3);
    const alerts = localAlerts({ singleInstance: false });
    const [, crashed] = users as [number, number, number];
    const past = new AlertRepository(ts.doc, ts.tableName, () => Date.now() - 10 * 60_000);
    await alerts.fanOut(articleId);
    expect((await past.claimRecipient(articleId, crashed, 'worker-gone', 60_000)).claimed).toBe(true);
    const stats = createStatsReader({ doc: ts.doc, tableName: ts.tableName, articles: ts.store.articles });

    // Act
    do await alerts.drain();
    while (alerts.queue.size > 0);
    const row = await stats.article(articleId);

    // Assess: unconfirmed is final, so nothing is pending and the run's report went out.
    expect(row?.alerts).toEqual({
      total: 3,
      sent: 2,
      blocked: 0,
      failed: 0,
      unconfirmed: 1,
      pending: 0,
      fanoutDone: true,
    });
    expect(row && articleStatsMessage(row)).toContain(
      'Alert run: 2 sent · 0 blocked · 0 failed · 1 unconfirmed · 0 pending, of 3',
    );
    expect(reportsTo(ADMIN, 'A post by unsure')).toBe(1);
  });

  it('does not send twice when recording the outcome fails after a successful send (same process)', async () => {
    // Prepare: the alert items go through a client whose second write (the outcome, after
    // the claim) is refused, as under throttling.
    const { articleId, users } = await world('throttled', 1);
    const faulty = faultyClient(ts.endpoint);
    try {
      const alerts = localAlerts({ doc: faulty.doc });
      await alerts.fanOut(articleId);
      const [reader] = users as [number];
      const message = { articleId, batchId: 'p0-0', userIds: users };
      faulty.fail(1, 'request-lost');

      // Act
      const first = await outcome(() => alerts.sender.processMessage(message, { receiveCount: 1 }));
      const redelivered = await alerts.sender.processMessage(message, { receiveCount: 2 });

      // Assess
      expect(first).toBe('throws');
      expect(redelivered).toMatchObject({ complete: true, decided: { sent: 1 } });
      expect(alertsTo(reader)).toBe(1);
      expect(await alerts.alerts.recipientStatus(articleId, reader)).toBe('sent');
    } finally {
      faulty.destroy();
    }
  });

  it('does not send twice when the outcome write failed and the redelivery reaches another sender after the lease', async () => {
    // Prepare: as above, but the process that sent is gone; SQS redelivers after its
    // visibility timeout (6 × the sender timeout), past the claim's lease, to a new sender.
    const { articleId, users } = await world('lostrecord', 2);
    const faulty = faultyClient(ts.endpoint);
    try {
      const first = localAlerts({ doc: faulty.doc, singleInstance: false });
      await first.fanOut(articleId);
      const [reader, other] = users as [number, number];
      faulty.fail(1, 'request-lost');
      await expect(
        outcome(() =>
          first.sender.processMessage({ articleId, batchId: 'p0-0', userIds: [reader] }, { receiveCount: 1 }),
        ),
      ).resolves.toBe('throws');
      const later = localAlerts({
        singleInstance: false,
        clock: { now: () => Date.now() + 10 * 60_000, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
      });

      // Act
      const redelivered = await later.sender.processMessage(
        { articleId, batchId: 'p0-0', userIds: users },
        { receiveCount: 2 },
      );
      await later.drain();
      const report = await later.report(articleId);

      // Assess
      expect(alertsTo(reader)).toBe(1);
      expect(alertsTo(other)).toBe(1);
      expect(redelivered).toMatchObject({ complete: true, decided: { sent: 1, unconfirmed: 1 } });
      expect(await later.alerts.recipientStatus(articleId, reader)).toBe('unconfirmed');
      expect(report).toMatchObject({ total: 2, sent: 1, unconfirmed: 1, failed: 0 });
    } finally {
      faulty.destroy();
    }
  });

  it('leaves a recipient for the redelivery after 5xx past the retries, then succeeds once', async () => {
    // Prepare: four 500s exhaust one delivery's attempts.
    const { articleId, users } = await world('flaky', 5);
    const alerts = localAlerts();
    const flaky = users[2] as number;
    standIn.injectFault({ ...faults.serverError({ method: 'sendMessage', chatId: flaky }), times: 4 });

    // Act
    const report = await runAlertFor(alerts, articleId);

    // Assess
    expect(alertsTo(flaky)).toBe(1);
    expect(report).toMatchObject({ total: 5, sent: 5, failed: 0 });
    expect(alerts.queue.deadLetters).toEqual([]);
  });

  it('counts a recipient failed on the last delivery, and the run still finishes with its report', async () => {
    // Prepare: the chat answers 500 forever; two deliveries at most.
    const { articleId, users } = await world('doomed', 4);
    const alerts = localAlerts({ maxReceiveCount: 2 });
    const doomed = users[0] as number;
    const fault = standIn.injectFault({
      ...faults.serverError({ method: 'sendMessage', chatId: doomed }),
      times: Number.POSITIVE_INFINITY,
    });

    // Act
    const report = await runAlertFor(alerts, articleId);
    standIn.clearFaults();

    // Assess
    expect(fault.hits).toBe(8);
    expect(report).toMatchObject({ total: 4, sent: 3, blocked: 0, failed: 1 });
    expect(await alerts.alerts.recipientStatus(articleId, doomed)).toBe('failed');
    expect(standIn.lastMessage(ADMIN)?.text).toBe(
      'Alert for “A post by doomed”: 3 sent, 0 blocked, 1 failed',
    );
  });

  it('pauses every send when Telegram answers mostly 429 (a flood), and still delivers each alert once', async () => {
    // Prepare: the next 12 sendMessage calls, whoever they are for, answer 429 retry_after 1.
    const { articleId, users } = await world('flooded', 30);
    const alerts = localAlerts({ rate: 200 });
    standIn.injectFault({ ...faults.tooManyRequests(1, { method: 'sendMessage' }), times: 12 });

    // Act
    const started = Date.now();
    const report = await runAlertFor(alerts, articleId);
    const elapsed = Date.now() - started;

    // Assess
    expect(alerts.sender.stats.globalPauses).toBeGreaterThanOrEqual(1);
    expect(alerts.pacer.pauses).toBeGreaterThanOrEqual(1);
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(users.every((id) => alertsTo(id) === 1)).toBe(true);
    expect(report).toMatchObject({ total: 30, sent: 30 });
  });

  it('treats 400 "chat not found" like a block: counted blocked, marked inactive, never retried', async () => {
    // Prepare
    const { articleId, users } = await world('ghosts', 3);
    const alerts = localAlerts();
    const ghost = users[1] as number;
    const fault = standIn.injectFault({
      ...faults.chatNotFound({ method: 'sendMessage', chatId: ghost }),
      times: Number.POSITIVE_INFINITY,
    });

    // Act
    const report = await runAlertFor(alerts, articleId);
    standIn.clearFaults();

    // Assess
    expect(fault.hits).toBe(1);
    expect(report).toMatchObject({ total: 3, sent: 2, blocked: 1, failed: 0 });
    expect((await ts.store.subscriptions.subscribersPage('ghosts', undefined, 10)).userIds).not.toContain(
      ghost,
    );
  });

  it('waits for an article the read does not see yet, and counts its batch failed on the last delivery', async () => {
    // Prepare: a run for an article that does not exist (deleted before its alert went out).
    const alerts = localAlerts();
    const repo = alerts.alerts;
    await repo.createRun({ id: 'gone-article', title: 'Gone', authorHandle: 'nobody' });
    const message = { articleId: 'gone-article', batchId: 'p0-0', userIds: [1, 2] };

    // Act
    const early = await alerts.sender.processMessage(message, { receiveCount: 1 });
    const last = await alerts.sender.processMessage(message, { receiveCount: 5 });

    // Assess
    expect(early).toMatchObject({ complete: false, retry: 2 });
    expect(last).toMatchObject({ complete: true, decided: { failed: 2 } });
    expect((await repo.getRun('gone-article'))?.failed).toBe(2);
  });
});
