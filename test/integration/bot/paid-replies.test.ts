/**
 * With paid broadcast on, a reader's reply carries allow_paid_broadcast: a paid broadcast uses
 * Telegram's free rate up, and an unflagged reply would then be refused (and start a flood wait
 * that stops the broadcast too). Flagged, it goes through and costs 0.1 Star at most.
 */
import { type Harness, startHarness, TEST_TOKEN } from '../../helpers/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { PAID_BROADCAST_STARS_PER_RUN: '1000' } });
});

afterAll(async () => {
  await h?.stop();
});

/** What a paid broadcast does to the bot's free allowance: 40 flagged sends at once. */
async function paidBurst(): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const response = await fetch(`${h.standIn.apiRoot}/bot${TEST_TOKEN}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: 500_000 + i, text: 'news', allow_paid_broadcast: true }),
    });
    expect(response.status).toBe(200);
  }
}

describe('replies while a paid broadcast runs', () => {
  it('carry allow_paid_broadcast and are never refused for the free rate', async () => {
    // Prepare
    h.standIn.setRateLimits({ freePerSecond: 30, paidPerSecond: 1000 });
    h.standIn.setStarBalance(100);
    await paidBurst();
    const refusedBefore = h.standIn.broadcast.refused;

    // Act
    await h.user(4242).send('/start');

    // Assess
    const replies = h.standIn.callsTo('sendMessage').filter((c) => Number(c.params['chat_id']) === 4242);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every((c) => c.ok && c.params['allow_paid_broadcast'] === true)).toBe(true);
    expect(h.standIn.broadcast.refused).toBe(refusedBefore);
  });
});
