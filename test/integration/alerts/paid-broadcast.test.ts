/**
 * Paid broadcast against the stand-in's limits (a free rate, allow_paid_broadcast up to 1,000/s
 * at 0.1 Star each): the sender pays only above the free rate, reports the Stars it spent, and
 * stops paying at the run's cap.
 *
 * The free rate here is 5/s, not Telegram's 30/s: how many sends go above it then does not hang
 * on how fast this machine sends (a loaded 2-core machine may not reach 30/s, and a run that never
 * passes the free rate pays nothing).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createLocalAlerts, type LocalAlerts } from '../../../functions/alerts/local-alerts';
import { alertRenderer } from '../../../functions/bot/views';
import { publishArticle, publishAuthor } from '../../../functions/core/publishing';
import { createI18n } from '../../../functions/i18n';
import type { BotApiStandIn } from '../../../functions/local/telegram-stand-in';
import { type AlertsRig, runAlertFor, startAlertsRig, stopAlertsRig } from '../../helpers/alerts-rig';
import { eachLimit } from '../../helpers/each-limit';

const TOKEN = '123456789:TEST-token-for-paid-broadcast-tests-0';
const logger = new Logger({ logLevel: 'SILENT' });
/** The free rate of the stand-in and of the sender (see above). */
const FREE_RATE = 5;

let rig: AlertsRig;
let standIn: BotApiStandIn;

beforeAll(async () => {
  rig = await startAlertsRig(TOKEN);
  standIn = rig.standIn;
});

afterAll(async () => {
  await stopAlertsRig(rig ?? {});
});

async function audience(handle: string, ids: number[], articleId: string): Promise<void> {
  await publishAuthor(rig.ts.store, { handle, fullName: `Author ${handle}`, userSince: '2020-01-01' });
  await eachLimit(ids, 25, (id) => rig.ts.store.subscriptions.subscribe(id, handle));
  await publishArticle(rig.ts.store, {
    id: articleId,
    title: `News from ${handle}`,
    authorHandle: handle,
    body: 'Body.',
    publishedAt: '2026-11-30T10:00:00Z',
  });
}

function paid(starsPerRun: number): LocalAlerts {
  return createLocalAlerts({
    renderAlert: alertRenderer(createI18n()),
    doc: rig.ts.doc,
    store: rig.ts.store,
    // 100/s in all, FREE_RATE of it free: as the stack configures with paidBroadcastRate=100.
    config: {
      tableName: rig.ts.tableName,
      alertRatePerSecond: 100,
      alertFreeRatePerSecond: FREE_RATE,
      paidBroadcastStarsPerRun: starsPerRun,
      adminIds: [],
    },
    telegram: { apiRoot: rig.apiRoot, token: TOKEN },
    logger,
    sender: { backoffBaseMs: 20 },
  });
}

const alertsTo = (id: number) => standIn.messages(id).filter((m) => m.text.startsWith('New from')).length;

describe('paid broadcast', () => {
  it('sends above the free rate with allow_paid_broadcast and reports about the Stars Telegram took', async () => {
    // Prepare
    standIn.setRateLimits({ freePerSecond: FREE_RATE, paidPerSecond: 1000 });
    standIn.setStarBalance(1_000);
    const users = Array.from({ length: 400 }, (_, i) => 110_001 + i);
    await audience('payer', users, 'paid-post');
    const before = standIn.broadcast;

    // Act
    const report = await runAlertFor(paid(1_000), 'paid-post');

    // Assess: all sent once, none refused, and the report's Stars within 10 % of Telegram's.
    const spent = standIn.broadcast.starsSpent - before.starsSpent;
    expect(report).toMatchObject({ total: 400, sent: 400, failed: 0 });
    expect(users.every((id) => alertsTo(id) === 1)).toBe(true);
    expect(standIn.broadcast.refused).toBe(before.refused);
    expect(spent).toBeGreaterThan(20);
    expect(Math.abs((report?.stars ?? 0) - spent)).toBeLessThanOrEqual(0.1 * spent);
    const flagged = standIn
      .callsTo('sendMessage')
      .filter(
        (c) => c.params['allow_paid_broadcast'] === true && users.includes(Number(c.params['chat_id'])),
      );
    // Every send of a paying run carries the flag; Telegram charges those above its free rate.
    expect(flagged.length).toBe(400);
  }, 60_000);

  it('stops paying at the run’s Stars cap and sends the rest at the free rate', async () => {
    // Prepare: a cap of 3 Stars is 30 paid messages.
    standIn.setRateLimits({ freePerSecond: FREE_RATE, paidPerSecond: 1000 });
    standIn.setStarBalance(1_000);
    // 80 readers: 30 paid sends reach the cap, the rest go at the free 5/s (about 10 s).
    const users = Array.from({ length: 80 }, (_, i) => 120_001 + i);
    await audience('capped', users, 'capped-post');
    const alerts = paid(3);
    const before = standIn.broadcast.starsSpent;

    // Act
    const report = await runAlertFor(alerts, 'capped-post');

    // Assess: the overshoot is bounded by the paid sends in flight when the cap was seen.
    const spent = standIn.broadcast.starsSpent - before;
    const inFlight = alerts.sender.options.concurrency;
    expect(report).toMatchObject({ total: 80, sent: 80, failed: 0 });
    expect(report?.stars).toBeGreaterThanOrEqual(3);
    expect(report?.stars ?? 0).toBeLessThanOrEqual(3 + inFlight * 0.1);
    expect(spent).toBeLessThanOrEqual(3 + inFlight * 0.1);
    expect(users.every((id) => alertsTo(id) === 1)).toBe(true);
  }, 60_000);
});
