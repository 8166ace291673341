/**
 * One Telegram budget: a broadcast that runs into Telegram's limit (here: paced at 60/s against
 * the stand-in's 15/s, as a misconfigured rate or a second sender would; 15 rather than
 * Telegram's 30 so that a loaded 2-core machine still overshoots it) must never delay a
 * reader's interactive reply by more than the retry_after Telegram gives that reply. The
 * stand-in's flood wait refuses every call of the bot (bot-api/rate-limits.ts), so the reply
 * is refused once; the sender's flood pause outlasts the wait by more than retry_after's
 * rounding (floodResumeGapMs), so the reply's one retry goes through.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createLocalAlerts, type LocalAlerts } from '../../../functions/alerts/local-alerts';
import { alertRenderer } from '../../../functions/bot/views';
import { publishArticle, publishAuthor } from '../../../functions/core/publishing';
import { createI18n } from '../../../functions/i18n';
import { runAlertFor } from '../../helpers/alerts-rig';
import { eachLimit } from '../../helpers/each-limit';
import { type Harness, startHarness, TEST_TOKEN } from '../../helpers/harness';

const logger = new Logger({ logLevel: 'SILENT' });
const SUBSCRIBERS = Array.from({ length: 150 }, (_, i) => 70_001 + i);
const READERS = [90_001, 90_002, 90_003];

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

/** The pipeline with the sender's defaults (floodResumeGapMs 1.5 s; with 0 this test fails). */
function storming(): LocalAlerts {
  return createLocalAlerts({
    renderAlert: alertRenderer(createI18n()),
    doc: h.db.doc,
    store: h.db.store,
    config: { tableName: h.db.tableName, alertRatePerSecond: 60, adminIds: [] },
    telegram: { apiRoot: h.standIn.apiRoot, token: TEST_TOKEN },
    logger,
    sender: { backoffBaseMs: 20 },
  });
}

/**
 * Resolves inside a flood wait with 1.0–1.3 s left: the reply is then told retry_after 2 and
 * retries 0.7–1 s after the wait ended, later than a broadcast that resumed the moment its own
 * (earlier, also rounded-up) retry_after ran out would need to flood Telegram again.
 */
async function intoFloodWait(deadline: number): Promise<void> {
  for (;;) {
    const left = h.standIn.broadcast.floodWaitUntil - Date.now();
    if (left > 1000 && left <= 1300) return;
    if (Date.now() > deadline) throw new Error('no flood wait came');
    await new Promise((r) => setTimeout(r, 2));
  }
}

const answersTo = (chatId: number) =>
  h.standIn
    .callsTo('sendMessage')
    .filter((c) => Number(c.params['chat_id']) === chatId)
    .map((c) => c.errorCode ?? 'ok');

describe('a broadcast in a 429 storm and a reader’s interactive reply', () => {
  it('refuses the reply at most once: its retry after retry_after goes through, and the alert loses and repeats nothing', async () => {
    // Prepare
    h.standIn.setRateLimits({ freePerSecond: 15, floodWaitSeconds: 2 });
    await publishAuthor(h.db.store, {
      handle: 'stormy',
      fullName: 'Stormy Weather',
      userSince: '2020-01-01',
    });
    await eachLimit(SUBSCRIBERS, 25, (id) => h.db.store.subscriptions.subscribe(id, 'stormy'));
    await publishArticle(h.db.store, {
      id: 'storm-post',
      title: 'Storm warning',
      authorHandle: 'stormy',
      body: 'Wind.',
      publishedAt: '2026-11-30T10:00:00Z',
    });
    const alerts = storming();

    // Act: the alert runs; during three of its flood waits a reader asks the bot something.
    const run = runAlertFor(alerts, 'storm-post');
    const deadline = Date.now() + 60_000;
    for (const reader of READERS) {
      await intoFloodWait(deadline);
      await h.user(reader).send('/start');
    }
    const report = await run;

    // Assess: every reply was refused at most once, and at least one did meet a flood wait.
    const answers = READERS.map(answersTo);
    for (const a of answers) expect(a === undefined ? [] : a).toEqual(expect.arrayContaining(['ok']));
    for (const a of answers) expect(a.filter((x) => x === 429).length).toBeLessThanOrEqual(1);
    expect(answers.some((a) => a[0] === 429)).toBe(true);
    expect(h.standIn.broadcast.refused).toBeGreaterThan(0);
    expect(alerts.sender.stats.globalPauses).toBeGreaterThan(0);
    expect(report).toMatchObject({ total: SUBSCRIBERS.length, sent: SUBSCRIBERS.length, failed: 0 });
    const alertsPer = SUBSCRIBERS.map(
      (id) => h.standIn.messages(id).filter((m) => m.text.startsWith('New from')).length,
    );
    expect(alertsPer.every((n) => n === 1)).toBe(true);
  }, 120_000);
});
