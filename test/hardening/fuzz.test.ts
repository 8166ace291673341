/**
 * Fuzz: ≥ 10,000 generated updates through the webhook handler — every update kind, random
 * and malformed fields, huge and empty texts, every Unicode plane, HTML metacharacters,
 * forged callback data, inline queries and deep links — plus raw bodies that are not Updates.
 *
 * What must hold: the webhook answers only 200, 400 or 401; the app logs no error; and the
 * Bot API stand-in rejects none of the bot's messages with its HTML/length/button checks.
 *
 * Seeded and reproducible: HERALD_FUZZ_SEED=<n> replays a run (the seed is printed on
 * failure with the offending cases); HERALD_FUZZ_UPDATES=<n> changes the count.
 */
import type { RecordedCall, StoredMessage } from '../../functions/local/telegram-stand-in';
import { batchGetAll } from '../../functions/store/dynamo';
import { updateClaimKey } from '../../functions/store/keys';
import {
  callbackData,
  deepLinkPayload,
  type FuzzWorld,
  fuzzSeed,
  hostileText,
  type MessageRef,
  mangle,
  Rng,
  rawBody,
  UPDATE_KINDS,
  type UpdateKind,
  updateBody,
  updateIdFor,
} from '../helpers/fuzz';
import { samplePublication, TEST_SECRET } from '../helpers/harness';
import { startProcessStore } from './store-process';
import { BOT_ID, describeLine, mapPool, type Rig, seedStore, startRig, tally } from './support';

const SEED = fuzzSeed();
const UPDATES = Number(process.env.HERALD_FUZZ_UPDATES ?? 10_000);
const RAW_BODIES = 300;
const CONCURRENCY = 8;
/** Users who act through the stand-in's user side: their query ids and messages are real. */
const SIM_USERS = Array.from({ length: 10 }, (_, i) => 3000 + i);
/** Users of forged updates posted straight to the webhook. */
const RAW_USERS = Array.from({ length: 50 }, (_, i) => 2000 + i);
/** update_ids of posted updates start here, far from the stand-in's own (500,000,001 up). */
const FIRST_UPDATE_ID = 10_000_000;

const QUERY_TOO_OLD = /query is too old and response timeout expired or query ID is invalid/;

/** One generated input, kept as sent so a failure can print it. */
type FuzzCase =
  | {
      n: number;
      via: 'post';
      kind: UpdateKind | 'raw';
      body: string | undefined;
      isBase64Encoded: boolean;
      headers?: Record<string, string>;
    }
  | {
      n: number;
      via: 'user';
      kind: 'send' | 'press' | 'inline' | 'choose';
      userId: number;
      text: string;
      offset?: string;
      pick: number;
    };

interface Outcome {
  /** The webhook's status; 'in-progress' for a repeated update_id racing its original (503, asked again later). */
  status: number | 'user-action' | 'in-progress';
  /** Index range of stand-in calls made while the case ran (shared with up to 7 others). */
  calls: [number, number];
  updateId?: number;
}

let rig: Rig;
let world: FuzzWorld;
let cases: FuzzCase[];
let outcomes: Outcome[];
let elapsedMs = 0;

function describeCase(c: FuzzCase): string {
  const s = JSON.stringify(c);
  return s.length > 1500 ? `${s.slice(0, 1500)}… (${s.length} chars)` : s;
}

/** A bot message as a callback query's `message` carries it. */
function refOf(m: StoredMessage): MessageRef {
  return {
    message_id: m.message_id,
    chat: { id: m.chat.id, type: m.chat.type, first_name: m.chat.first_name ?? 'User' },
    date: m.date,
    from: { id: BOT_ID, is_bot: true, first_name: 'Herald', username: 'HeraldTestBot' },
    text: m.text,
    ...(m.reply_markup ? { reply_markup: structuredClone(m.reply_markup) } : {}),
  };
}

/** Builds every case up front from the seed (the stand-in state it points at is seeded too). */
function generate(rng: Rng, known: MessageRef[]): FuzzCase[] {
  const out: FuzzCase[] = [];
  const ctx = {
    world,
    userPool: RAW_USERS,
    knownMessage: () => (known.length > 0 ? rng.pick(known) : undefined),
  };
  let nextId = FIRST_UPDATE_ID;
  for (let i = 0; i < UPDATES; i++) {
    const n = out.length;
    // A tenth acts through the stand-in's user side: real query ids, real messages to edit.
    if (rng.chance(0.1)) {
      const kind = rng.weighted([
        [3, 'send'],
        [4, 'press'],
        [2, 'inline'],
        [1, 'choose'],
      ] as const);
      const userId = rng.pick(SIM_USERS);
      const text =
        kind === 'send'
          ? rng.chance(0.3)
            ? `/start ${deepLinkPayload(rng, world)}`
            : hostileText(rng)
          : kind === 'press'
            ? callbackData(rng, world)
            : kind === 'inline'
              ? hostileText(rng, { allowHuge: false }).slice(0, 256)
              : rng.pick(world.articleIds);
      const offset = kind === 'inline' ? rng.pick(['', '50', '0', 'x', '-5', '100000']) : undefined;
      out.push({ n, via: 'user', kind, userId, text, offset, pick: rng.next() });
      continue;
    }
    const kind = rng.weighted<UpdateKind>([
      [30, 'message'],
      [25, 'callback_query'],
      [12, 'inline_query'],
      [4, 'chosen_inline_result'],
      [4, 'my_chat_member'],
      [3, 'edited_message'],
      [2, 'channel_post'],
      ...UPDATE_KINDS.filter(
        (k) =>
          ![
            'message',
            'callback_query',
            'inline_query',
            'chosen_inline_result',
            'my_chat_member',
            'edited_message',
            'channel_post',
          ].includes(k),
      ).map((k) => [1, k] as const),
    ]);
    const body: Record<string, unknown> = {
      update_id: updateIdFor(rng, nextId++),
      ...updateBody(rng, kind, ctx),
    };
    if (rng.chance(0.2)) mangle(rng, body, rng.int(1, 3));
    // A repeated update_id now and then: the webhook must deduplicate, not reprocess.
    if (rng.chance(0.02)) body.update_id = FIRST_UPDATE_ID + rng.int(0, 50);
    out.push({ n, via: 'post', kind, body: JSON.stringify(body), isBase64Encoded: false });
  }
  for (let i = 0; i < RAW_BODIES; i++) {
    const raw = rawBody(rng);
    out.push({
      n: out.length,
      via: 'post',
      kind: 'raw',
      body: raw.body,
      isBase64Encoded: raw.isBase64Encoded,
    });
  }
  // Interleave the raw bodies with the updates.
  return rng.shuffle(out).map((c, n) => ({ ...c, n }));
}

/**
 * An update from a group, supergroup or channel means that chat exists at Telegram and the bot is
 * in it: make it exist in the stand-in too, which answers "chat not found" for chats it never saw.
 */
function registerChats(body: string | undefined): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    return;
  }
  if (typeof parsed !== 'object' || parsed === null) return;
  const u = parsed as Record<string, { chat?: unknown; message?: { chat?: unknown } } | undefined>;
  const chats = [
    'message',
    'edited_message',
    'channel_post',
    'edited_channel_post',
    'my_chat_member',
    'chat_member',
  ]
    .map((k) => u[k]?.chat)
    .concat([u['callback_query']?.message?.chat]);
  for (const chat of chats) {
    if (typeof chat !== 'object' || chat === null) continue;
    const { id, type, title } = chat as { id?: unknown; type?: unknown; title?: unknown };
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id >= 0) continue;
    if (type !== 'group' && type !== 'supergroup' && type !== 'channel') continue;
    rig.standIn.createChat({ id, type, ...(typeof title === 'string' ? { title } : {}) });
    // Telegram sends a bot a channel's updates only while it administers the channel.
    if (type === 'channel')
      rig.standIn.setMember(id, BOT_ID, {
        status: 'administrator',
        can_post_messages: true,
        can_edit_messages: true,
      });
  }
}

async function runCase(c: FuzzCase): Promise<Outcome> {
  const start = rig.standIn.calls.length;
  if (c.via === 'post') {
    registerChats(c.body);
    const res = await rig.post(c.body, { 'x-telegram-bot-api-secret-token': TEST_SECRET }, c.isBase64Encoded);
    let updateId: number | undefined;
    try {
      const parsed = JSON.parse(c.body ?? '') as { update_id?: unknown };
      if (typeof parsed.update_id === 'number') updateId = parsed.update_id;
    } catch {
      // not JSON: no update id to map log lines to
    }
    const inProgress = res.statusCode === 503 && JSON.parse(String(res.body)).inProgress === true;
    return {
      status: inProgress ? 'in-progress' : res.statusCode,
      calls: [start, rig.standIn.calls.length],
      updateId,
    };
  }
  const user = rig.user(c.userId, `Sim${c.userId}`);
  const botMessages = rig.standIn.messages(c.userId);
  const on = botMessages[Math.floor(c.pick * botMessages.length)];
  let update: { update_id: number } | undefined;
  if (c.kind === 'press' && on) update = await user.press(on, c.text);
  else if (c.kind === 'inline') update = await user.inlineQuery(c.text, c.offset);
  else if (c.kind === 'choose') update = await user.chooseInlineResult(c.text, `#${c.text}`);
  else update = await user.send(c.kind === 'press' ? '/latest' : c.text);
  return { status: 'user-action', calls: [start, rig.standIn.calls.length], updateId: update.update_id };
}

/**
 * The Bot API errors that are Telegram's normal answer to forged input, not a bug of the bot.
 * Everything else the stand-in rejects — an HTML parse error, an empty or too long text, a
 * bad button, an invalid inline result — is a message the bot built wrong.
 *
 * - 'query is too old…' on answerCallbackQuery (run from the webhook's answer, as Telegram
 *   does) or answerInlineQuery, only for query ids the stand-in never issued (forged in a
 *   posted update). For a real id it would mean the bot answered a query twice.
 * - 'message to edit not found' / "message can't be edited" on editMessageText, only outside
 *   the stand-in users' chats: there the pressed message was invented by the fuzz; the bot
 *   then falls back to a new message (respond.ts showView).
 * - 'message is not modified' anywhere: a double tap; showView treats it as done.
 */
function excuse(call: RecordedCall, issuedQueryIds: Set<string>): string | undefined {
  const d = call.description ?? '';
  if (call.errorCode !== 400) return undefined;
  if (call.method === 'answerCallbackQuery' || call.method === 'answerInlineQuery') {
    const id = String(call.params.callback_query_id ?? call.params.inline_query_id ?? '');
    return QUERY_TOO_OLD.test(d) && !issuedQueryIds.has(id) ? 'forged query id' : undefined;
  }
  if (call.method === 'editMessageText') {
    if (/message is not modified/.test(d)) return 'double tap';
    const chatId = Number(call.params.chat_id);
    if (/message to edit not found|message can't be edited/.test(d) && !SIM_USERS.includes(chatId))
      return 'forged message';
  }
  return undefined;
}

beforeAll(async () => {
  const t0 = Date.now();
  // The store in its own process: the run is CPU-bound and the machine has two cores.
  rig = await startRig({ db: await startProcessStore() });
  await seedStore(rig.store, samplePublication(12));
  const { share } = await rig.store.shares.getOrCreateShare({
    articleId: 'article-03',
    title: 'Bikes',
    sharerId: 3000,
    sharerName: 'Sim',
  });
  world = {
    botId: BOT_ID,
    botUsername: 'HeraldTestBot',
    articleIds: samplePublication(12).articles.map((a) => a.id),
    handles: ['jdoe', 'ivanova'],
    shareCodes: [share.code],
  };
  // Give the stand-in users real bot messages of every kind to press buttons on.
  for (const id of SIM_USERS) {
    const u = rig.user(id, `Sim${id}`);
    await u.send('/start');
    await u.send('/latest');
    await u.send('/start a_article-00');
    await u.send('/author jdoe');
    await u.send('/authors');
    await u.send('/search bikes');
  }
  const known = SIM_USERS.flatMap((id) => rig.standIn.messages(id)).map(refOf);
  cases = generate(new Rng(SEED), known);
  outcomes = await mapPool(cases, CONCURRENCY, runCase);
  elapsedMs = Date.now() - t0;
}, 120_000);

afterAll(async () => {
  await rig?.stop();
});

/** Prints the seed and the cases behind a failure, so the run can be replayed. */
function report(title: string, lines: string[], suspects: FuzzCase[]): string {
  const uniq = [...new Map(suspects.map((c) => [c.n, c])).values()].slice(0, 12);
  return [
    `${title} (seed ${SEED}; replay with HERALD_FUZZ_SEED=${SEED})`,
    ...lines.slice(0, 20).map((l) => `  ${l}`),
    lines.length > 20 ? `  … ${lines.length - 20} more` : '',
    'cases in flight:',
    ...uniq.map((c) => `  #${c.n} ${describeCase(c)}`),
  ].join('\n');
}

describe(`fuzz (seed ${SEED})`, () => {
  it('sends ≥ 10,000 updates of every kind', () => {
    const updates = cases.filter((c) => c.kind !== 'raw').length;
    const byKind = tally(cases.map((c) => c.kind));
    console.log(
      `fuzz seed ${SEED}: ${updates} updates + ${cases.length - updates} raw bodies in ${(elapsedMs / 1000).toFixed(1)} s; ` +
        `webhook statuses ${JSON.stringify(tally(outcomes.map((o) => o.status)))} (user-side: ${JSON.stringify(tally(rig.statuses))}); ` +
        `kinds ${JSON.stringify(byKind)}; Bot API calls ${rig.standIn.calls.length}`,
    );
    expect(updates).toBe(UPDATES);
    for (const k of UPDATE_KINDS) expect(byKind[k] ?? 0).toBeGreaterThan(0);
  });

  it('processed every update it accepted: the bot marked each one done (not just the generator counting)', async () => {
    // The ids of updates the webhook took: every simulated user's (the stand-in delivers them)
    // and every posted one answered 200. The bot's own record of processing is the update claim
    // with doneAt (store/session-repository.ts): a bot that dropped or never ran updates fails here.
    const accepted = new Set(
      outcomes
        .filter((o) => (o.status === 'user-action' || o.status === 200) && o.updateId !== undefined)
        .map((o) => o.updateId as number),
    );
    const keys = [...accepted].map((id) => updateClaimKey(id));
    const claims = await batchGetAll(rig.app.doc, rig.app.config.tableName, keys);
    const done = claims.filter((c) => typeof c['doneAt'] === 'number').length;
    expect(done).toBe(accepted.size);
    expect(accepted.size).toBeGreaterThanOrEqual(Math.floor(UPDATES * 0.8));
  });

  it('answers only 200, 400 or 401 (or 503 "in progress" to a repeated update_id racing its original)', () => {
    const bad = cases.filter((_c, i) => {
      const s = outcomes[i]!.status;
      return s !== 'user-action' && s !== 'in-progress' && ![200, 400, 401].includes(s);
    });
    const badUser = rig.statuses.filter((s) => ![200, 400, 401].includes(s));
    if (bad.length > 0 || badUser.length > 0) {
      throw new Error(report('unexpected webhook statuses', [...badUser.map(String)], bad));
    }
    // Posted Updates with the right secret are never 401.
    expect(outcomes.filter((o) => o.status === 401)).toHaveLength(0);
  });

  it('logs no error', () => {
    const errors = rig.logger.errors();
    if (errors.length > 0) {
      const ids = new Set(errors.map((l) => l.attributes.updateId));
      const suspects = cases.filter((_, i) => ids.has(outcomes[i]!.updateId));
      throw new Error(report(`${errors.length} error log line(s)`, errors.map(describeLine), suspects));
    }
  });

  it('never has a message rejected by the Bot API', () => {
    const issued = new Set<string>();
    for (const u of rig.standIn.updates) {
      const x = u as { callback_query?: { id: string }; inline_query?: { id: string } };
      if (x.callback_query) issued.add(x.callback_query.id);
      if (x.inline_query) issued.add(x.inline_query.id);
    }
    const calls = rig.standIn.calls;
    const rejected = calls
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => !c.ok && c.pending !== true && excuse(c, issued) === undefined);
    if (rejected.length > 0) {
      const suspects = cases.filter((_, k) =>
        rejected.some(({ i }) => i >= outcomes[k]!.calls[0] && i < outcomes[k]!.calls[1]),
      );
      const lines = rejected.map(
        ({ c }) =>
          `${c.method} ${c.errorCode} ${c.description} params=${JSON.stringify(c.params).slice(0, 300)}`,
      );
      throw new Error(report(`${rejected.length} Bot API call(s) rejected`, lines, suspects));
    }
    const excused = tally(calls.filter((c) => !c.ok).map((c) => excuse(c, issued) ?? 'none'));
    console.log(`excused Bot API errors: ${JSON.stringify(excused)}`);
  });
});
