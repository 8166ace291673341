/**
 * Replays: Telegram delivers an update at least once, and redelivers it when it doubts the
 * first answer arrived. A conversation of 100 updates from four readers (start, browse and
 * page, open, subscribe, comment through the pending prompt, deep links, search, inline,
 * share) is played twice from the same seed:
 *
 * - once with every update delivered exactly once — the reference;
 * - once with every update delivered 1–3 times: in conversation order first (the flow needs
 *   it: a comment's text must follow its prompt), sometimes with a copy racing the original,
 *   and the remaining copies interleaved at random later points.
 *
 * Each update must be processed once: every extra copy is answered 200 `duplicate` (or, racing
 * the original, 503 "in progress" and asked for again later, as Telegram does), makes no
 * Bot API call, and the counters (views, replies, subscriberCount) and the bot's replies are
 * exactly those of the reference and of the script's own arithmetic.
 */
import type { Update } from 'telegraf/types';
import type { WebhookResult } from '../../functions/bot/webhook';
import type { SimulatedUser, StoredMessage } from '../../functions/local/telegram-stand-in';
import { fuzzSeed, Rng } from '../helpers/fuzz';
import { samplePublication } from '../helpers/harness';
import { describeLine, type Rig, seedStore, startRig, tally } from './support';

const SEED = fuzzSeed();
const READERS = [5001, 5002, 5003, 5004];

/** What the script itself says must have happened, counted as it goes. */
interface Ledger {
  opens: string[];
  comments: string[];
  /** handle → subscriptions made minus removed. */
  subscriptions: Map<string, number>;
}

type Step = (u: SimulatedUser, s: ReaderState) => Promise<Update>;

interface ReaderState {
  id: number;
  article: string;
  rig: Rig;
  ledger: Ledger;
  latest?: StoredMessage;
  card?: StoredMessage;
  comments?: StoredMessage;
  search?: StoredMessage;
  profile?: StoredMessage;
}

const last = (s: ReaderState): StoredMessage => {
  const m = s.rig.standIn.lastMessage(s.id);
  if (!m) throw new Error(`reader ${s.id} has no bot message yet`);
  return m;
};

const dataOf = (m: StoredMessage, text: string): string => {
  const b = m.reply_markup?.inline_keyboard.flat().find((x) => x.text.startsWith(text));
  if (!b?.callback_data) throw new Error(`no button "${text}" on: ${m.text.slice(0, 60)}`);
  return b.callback_data;
};

const sub = (s: ReaderState, handle: string, by: number) =>
  s.ledger.subscriptions.set(handle, (s.ledger.subscriptions.get(handle) ?? 0) + by);

/** 25 steps a reader takes, in order; each returns the update it produced. */
const SCRIPT: Step[] = [
  (u) => u.send('/start'),
  async (u, s) => {
    const up = await u.send('/latest');
    s.latest = last(s);
    return up;
  },
  (u, s) => u.pressButton(s.latest!, '▶'),
  (u, s) => u.pressButton(s.rig.standIn.lastMessage(s.id)!, '◀'),
  async (u, s) => {
    const up = await u.press(s.latest!, `1:o:${s.article}`);
    s.ledger.opens.push(s.article);
    s.card = last(s);
    return up;
  },
  async (u, s) => {
    sub(s, 'jdoe', 1);
    return u.pressButton(s.card!, '🔔 Subscribe');
  },
  // A double tap (the second tap carries the first's data, whatever the button now shows):
  // already subscribed, nothing counts.
  (u, s) => u.press(s.card!, '1:s:jdoe'),
  async (u, s) => {
    const up = await u.press(s.card!, dataOf(s.card!, '💬 Comments'));
    s.comments = last(s);
    return up;
  },
  (u, s) => u.pressButton(s.comments!, '✍️ Post a comment'),
  async (u, s) => {
    s.ledger.comments.push(s.article);
    return u.send(`Reader ${s.id} says: <b>really</b> & "true" 🚲`);
  },
  async (u, s) => {
    s.ledger.opens.push('article-01');
    return u.send('/start a_article-01');
  },
  async (u, s) => {
    sub(s, 'ivanova', 1);
    return u.send('/subscribe ivanova');
  },
  (u) => u.send('/subscriptions'),
  (u) => u.inlineQuery('bikes'),
  async (u, s) => {
    const up = await u.send('/search bikes');
    s.search = last(s);
    return up;
  },
  async (u, s) => {
    const data = s.search!.reply_markup!.inline_keyboard[0]![0]!.callback_data!;
    s.ledger.opens.push(data.replace('1:o:', ''));
    return u.press(s.search!, data);
  },
  async (u, s) => {
    sub(s, 'ivanova', -1);
    return u.send('/unsubscribe ivanova');
  },
  (u, s) => u.pressButton(s.card!, '📤 Share with a friend'),
  (u) => u.send('/shared'),
  (u) => u.send('/help'),
  (u) => u.send('cities'),
  async (u, s) => {
    const up = await u.press(s.card!, '1:u:jdoe');
    s.profile = last(s);
    return up;
  },
  (u, s) => u.press(s.profile!, '1:ua:jdoe:0'),
  (u) => u.send('/cancel'),
  (u) => u.send('/authors'),
];

interface Run {
  rig: Rig;
  ledger: Ledger;
  /** Every delivery's answer, per update_id. */
  answers: Map<number, WebhookResult[]>;
  /** Bot API calls made while a lone late copy was being delivered (must stay 0). */
  callsDuringLateCopies: number;
  copies: number;
}

/** The webhook's answer to a copy that raced the delivery holding the claim. */
const isInProgress = (r: WebhookResult) =>
  r.statusCode === 503 && JSON.parse(String(r.body)).inProgress === true;

/** The order readers act in: a random interleaving that keeps each reader's own order. */
function interleaving(rng: Rng): number[] {
  const slots = READERS.flatMap((id) => SCRIPT.map(() => id));
  return rng.shuffle(slots);
}

async function play(order: number[], duplicates: Rng | undefined): Promise<Run> {
  const rig = await startRig();
  await seedStore(rig.store, samplePublication(12));
  const ledger: Ledger = { opens: [], comments: [], subscriptions: new Map() };
  const answers = new Map<number, WebhookResult[]>();
  const late: Array<{ update: Update; due: number }> = [];
  let step = 0;
  let callsDuringLateCopies = 0;
  let copies = 0;
  const record = (update: Update, res: WebhookResult) => {
    answers.set(update.update_id, [...(answers.get(update.update_id) ?? []), res]);
  };

  if (duplicates) {
    const rng = duplicates;
    rig.onUserUpdate = async (update) => {
      const extra = rng.int(0, 2);
      copies += 1 + extra;
      // Sometimes a copy races the original (Telegram retrying a slow answer).
      const racing = extra > 0 && rng.chance(0.3) ? 1 : 0;
      const now = await Promise.all(Array.from({ length: 1 + racing }, () => rig.deliver(update)));
      for (const res of now) {
        record(update, res);
        // A copy that found the original in progress is asked for again later, as Telegram does.
        if (isInProgress(res)) late.push({ update, due: step + rng.int(0, 20) });
      }
      for (let i = racing; i < extra; i++) late.push({ update, due: step + rng.int(0, 20) });
    };
  } else {
    rig.onUserUpdate = async (update) => {
      copies += 1;
      record(update, await rig.deliver(update));
    };
  }

  const deliverLate = async (upTo: number) => {
    const due = late.filter((l) => l.due <= upTo);
    for (const l of due) late.splice(late.indexOf(l), 1);
    for (const { update } of duplicates ? duplicates.shuffle(due) : due) {
      // Alone in flight: any Bot API call now would come from this copy.
      const before = rig.standIn.calls.length;
      record(update, await rig.deliver(update));
      callsDuringLateCopies += rig.standIn.calls.length - before;
    }
  };

  const states = new Map(
    READERS.map((id, i) => [
      id,
      { id, article: `article-0${i * 3}`, rig, ledger } satisfies ReaderState as ReaderState,
    ]),
  );
  const next = new Map(READERS.map((id) => [id, 0]));
  for (const id of order) {
    const i = next.get(id)!;
    next.set(id, i + 1);
    await SCRIPT[i]!(rig.user(id, `Reader${id}`), states.get(id)!);
    await deliverLate(step);
    step++;
  }
  await deliverLate(Number.POSITIVE_INFINITY);
  return { rig, ledger, answers, callsDuringLateCopies, copies };
}

/** What the store says, for comparison with the ledger and between runs. */
async function counters(rig: Rig) {
  const ids = samplePublication(12).articles.map((a) => a.id);
  const metas = await rig.store.articles.getArticles(ids);
  const authors = await Promise.all(['jdoe', 'ivanova'].map((h) => rig.store.authors.getAuthor(h)));
  return {
    views: Object.fromEntries(metas.filter((m) => m.views > 0).map((m) => [m.id, m.views])),
    replies: Object.fromEntries(metas.filter((m) => m.replies > 0).map((m) => [m.id, m.replies])),
    subscribers: Object.fromEntries(authors.map((a) => [a!.handle, a!.subscriberCount])),
  };
}

/** The bot's successful Bot API calls by method, e.g. `{ sendMessage: 60, editMessageText: 8 }`. */
const repliesByMethod = (rig: Rig) => tally(rig.standIn.calls.filter((c) => c.ok).map((c) => c.method));

/** Every reader's chat as text, to compare the two runs message by message (share codes are random). */
const chats = (rig: Rig) =>
  READERS.map((id) =>
    rig.standIn
      .chatHistory(id)
      .map((m) => `${m.from.is_bot ? 'bot' : 'user'}: ${m.text.replace(/s_[A-Za-z0-9]{8,16}/g, 's_<code>')}`),
  );

let reference: Run;
let replayed: Run;

beforeAll(async () => {
  const order = interleaving(new Rng(SEED));
  reference = await play(order, undefined);
  replayed = await play(order, new Rng(SEED ^ 0x5eed));
}, 60_000);

afterAll(async () => {
  await reference?.rig.stop();
  await replayed?.rig.stop();
});

describe(`replays (seed ${SEED})`, () => {
  it('delivered 100 updates, each 1–3 times, some copies racing the original', () => {
    expect(replayed.answers.size).toBe(READERS.length * SCRIPT.length);
    expect(replayed.copies).toBeGreaterThan(replayed.answers.size * 1.5);
    // Copies answered "in progress" were asked for again: they do not count as deliveries here.
    const perUpdate = [...replayed.answers.values()].map((a) => a.filter((r) => !isInProgress(r)).length);
    expect(Math.min(...perUpdate)).toBe(1);
    expect(Math.max(...perUpdate)).toBe(3);
  });

  it('processed each update once: one 200 handled, every other copy a 200 duplicate or a 503 "in progress"', () => {
    for (const [updateId, answers] of replayed.answers) {
      const kinds = answers.map((a) =>
        isInProgress(a)
          ? '503 in progress'
          : `${a.statusCode} ${JSON.parse(String(a.body)).duplicate ? 'duplicate' : 'handled'}`,
      );
      expect({
        updateId,
        handled: kinds.filter((k) => k === '200 handled').length,
        other: kinds.filter((k) => !['200 handled', '200 duplicate', '503 in progress'].includes(k)),
      }).toEqual({
        updateId,
        handled: 1,
        other: [],
      });
    }
    expect(replayed.callsDuringLateCopies).toBe(0);
  });

  it('counts views, replies and subscribers exactly as the script did', async () => {
    const expected = {
      views: tally(replayed.ledger.opens),
      replies: tally(replayed.ledger.comments),
      subscribers: {
        jdoe: replayed.ledger.subscriptions.get('jdoe') ?? 0,
        ivanova: replayed.ledger.subscriptions.get('ivanova') ?? 0,
      },
    };
    expect(expected.subscribers.jdoe).toBe(READERS.length);
    expect(await counters(replayed.rig)).toEqual(expected);
    expect(await counters(reference.rig)).toEqual(expected);
  });

  it('replied exactly as often, and with the same messages, as with single delivery', () => {
    expect(repliesByMethod(replayed.rig)).toEqual(repliesByMethod(reference.rig));
    expect(chats(replayed.rig)).toEqual(chats(reference.rig));
    expect(replayed.rig.standIn.calls.filter((c) => !c.ok)).toEqual([]);
  });

  it('logged no error', () => {
    expect(replayed.rig.logger.errors().map(describeLine)).toEqual([]);
    expect(reference.rig.logger.errors().map(describeLine)).toEqual([]);
  });
});
