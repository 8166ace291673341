/**
 * The stand-in's model of Telegram's broadcast limits and paid broadcast (bot-api/rate-limits.ts),
 * on a clock the test moves, over real HTTP.
 */
import {
  BALANCE_TOO_LOW,
  type BotApiStandIn,
  createBotApiStandIn,
} from '../../../functions/local/telegram-stand-in';
import { type ApiReply, BOT, TOKEN } from './support';

let standIn: BotApiStandIn;
let apiRoot: string;
let clock = Date.UTC(2026, 10, 30, 12);

beforeAll(async () => {
  standIn = createBotApiStandIn({ token: TOKEN, botInfo: BOT, now: () => clock });
  apiRoot = await standIn.start();
});

afterAll(async () => {
  await standIn?.stop();
});

beforeEach(() => {
  clock += 60_000;
  standIn.setRateLimits({ freePerSecond: 30, paidPerSecond: 1000, floodWaitSeconds: 3 });
  standIn.setStarBalance(0);
});

async function call(method: string, params: Record<string, unknown>): Promise<ApiReply> {
  const response = await fetch(`${apiRoot}/bot${TOKEN}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: (await response.json()) as ApiReply['body'] };
}

const send = (chatId: number, extra: Record<string, unknown> = {}) =>
  call('sendMessage', { chat_id: chatId, text: `to ${chatId}`, ...extra });

/** `n` messages to different chats, one after another, all within the same millisecond. */
async function burst(n: number, from: number, extra: Record<string, unknown> = {}): Promise<ApiReply[]> {
  const replies: ApiReply[] = [];
  for (let i = 0; i < n; i++) replies.push(await send(from + i, extra));
  return replies;
}

describe('broadcast limits', () => {
  it('sends 30 messages a second free and answers the 31st with 429 and retry_after', async () => {
    // Act
    const replies = await burst(31, 10_000);

    // Assess
    expect(replies.slice(0, 30).every((r) => r.status === 200)).toBe(true);
    expect(replies[30]?.body).toEqual({
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 3',
      parameters: { retry_after: 3 },
    });
  });

  it('blocks every call of the bot during the flood wait, concurrent ones included, and counts retry_after down', async () => {
    // Prepare: into a flood wait.
    await burst(31, 20_000);

    // Act: 20 calls at once to other chats (an interactive reply among them), then later ones.
    const concurrent = await Promise.all(Array.from({ length: 20 }, (_, i) => send(30_000 + i)));
    const edit = await call('editMessageText', { chat_id: 30_000, message_id: 1, text: 'x' });
    clock += 1_200;
    const later = await send(30_100);
    clock += 1_800;
    const after = await send(30_101);

    // Assess
    expect(concurrent.map((r) => r.body.error_code)).toEqual(Array(20).fill(429));
    expect(new Set(concurrent.map((r) => r.body.description))).toEqual(
      new Set(['Too Many Requests: retry after 3']),
    );
    expect(edit.body.error_code).toBe(429);
    expect(later.body.description).toBe('Too Many Requests: retry after 2');
    expect(after.status).toBe(200);
  });

  it('does not lengthen the wait for calls made during it', async () => {
    // Prepare
    await burst(31, 40_000);
    const until = standIn.broadcast.floodWaitUntil;

    // Act
    await burst(50, 40_100);

    // Assess
    expect(standIn.broadcast.floodWaitUntil).toBe(until);
  });

  it('sends above the free rate with allow_paid_broadcast for 0.1 Star each, up to 1,000 a second', async () => {
    // Prepare
    standIn.setStarBalance(100);
    const spentBefore = standIn.broadcast.starsSpent;

    // Act
    const replies = await burst(1001, 50_000, { allow_paid_broadcast: true });

    // Assess: 30 free, 970 paid (97 Stars), the 1,001st over the paid limit.
    expect(replies.slice(0, 1000).every((r) => r.status === 200)).toBe(true);
    expect(replies[1000]?.body.error_code).toBe(429);
    expect(standIn.broadcast.starsSpent - spentBefore).toBeCloseTo(97, 5);
    expect(standIn.broadcast.starBalance).toBeCloseTo(3, 5);
  });

  it('refuses a paid message the Stars balance cannot cover, and a non-boolean allow_paid_broadcast', async () => {
    // Prepare
    standIn.setStarBalance(0.2);

    // Act
    const replies = await burst(33, 60_000, { allow_paid_broadcast: true });
    const malformed = await send(60_100, { allow_paid_broadcast: 'yes please' });

    // Assess
    expect(replies.slice(0, 32).every((r) => r.status === 200)).toBe(true);
    expect(replies[32]?.body).toEqual({ ok: false, error_code: 400, description: BALANCE_TOO_LOW });
    expect(malformed.body).toEqual({
      ok: false,
      error_code: 400,
      description: "Bad Request: can't parse allow_paid_broadcast: expected a Boolean",
    });
  });

  it('never refuses for rate when the limits are off (the default)', async () => {
    // Prepare
    standIn.clearRateLimits();

    // Act
    const replies = await burst(100, 70_000);

    // Assess
    expect(replies.every((r) => r.status === 200)).toBe(true);
  });
});
