/**
 * Per update: how many DynamoDB calls and Telegram calls each kind of update costs, counted by
 * the world's probes while one reader walks through the bot (no concurrency, so the stand-in's
 * call record between two deliveries belongs to exactly one update).
 */
import { SEARCHES_PER_MINUTE } from '../functions/core/use-cases/search';
import type { StoredMessage } from '../functions/local/telegram-stand-in';
import type { BenchOptions, Row } from './lib/table';
import type { World } from './lib/world';

export const PER_UPDATE_METHOD =
  'One reader walks through the bot on the seeded demo publication, one update at a time, through the ' +
  'webhook handler exactly as API Gateway calls it. DynamoDB calls are counted by a middleware on the ' +
  "document client the app uses (one per command, whatever its retries; the webhook's update_id dedupe " +
  "claim is included because every update pays it). Telegram calls are the stand-in's record of Bot API " +
  'calls made while that update was handled; answerCallbackQuery is not among them because it rides in the ' +
  "webhook's HTTP response (Telegram executes it; see functions/bot/webhook-reply.ts).";

const SECTION = 'Per update';
/**
 * Opening an article reads it and counts the view in one call, reads whether the reader follows
 * its author (the card's 🔔/🔕 button, issue 11), plus the update's claim (a lease) and its
 * completion mark. The mark is the price of "never twice, never dropped" (issue 10 item
 * 3; docs/architecture.md, "Exactly once, and what is left"): without it a claim could not tell
 * a finished update from one whose instance died, so it was either dropped (the old permanent
 * claim) or run again. One WRU per update, $0.625 per million updates.
 */
const OPEN_GOAL = { dynamo: 4, telegram: 1 };
/** A first contact also reads the reader's /language choice (bot/locale.ts keeps it a minute). */
const FIRST_OPEN_GOAL = { dynamo: 5, telegram: 1 };
/**
 * An inline search's worst case: the claim, the search allowance (one UpdateItem), at most
 * MAX_SEARCH_PARTITIONS (4) Queries, the BatchGetItem of the cards (none when nothing matched),
 * the completion mark. Before issue 17 item 3, 100 CJK characters made 99 Queries and no limit.
 */
const SEARCH_WORST_DYNAMO = 8;

interface Measured {
  dynamo: string[];
  telegram: string[];
}

/** "2 — PutItem, UpdateItem" (the list in order of issue). */
function describe(calls: string[]): string {
  return calls.length === 0 ? '0' : `${calls.length} — ${calls.join(', ')}`;
}

function buttonData(message: StoredMessage | undefined, test: (data: string) => boolean): string {
  const found = (message?.reply_markup?.inline_keyboard ?? [])
    .flat()
    .map((b) => b.callback_data)
    .find((d): d is string => d !== undefined && test(d));
  if (found === undefined)
    throw new Error(`no matching button on message ${message?.message_id ?? '(none)'}`);
  return found;
}

/**
 * Walks one reader (and a friend) through start, the latest list and its next page, an article
 * card, subscribe, a comment, an inline query, a share link and a deep link, and returns two rows
 * per update kind: DynamoDB calls and Telegram calls.
 */
export async function runPerUpdateBench(world: World, opts: BenchOptions): Promise<Row[]> {
  const { standIn } = world;
  const reader = world.user(2001);
  const friend = world.user(2002);
  const linkUser = world.user(2003);

  /** Runs one user action and returns what that single update cost. */
  const measure = async (action: () => Promise<unknown>): Promise<Measured> => {
    const callsBefore = standIn.calls.length;
    const handledBefore = world.handled.length;
    await action();
    const handled = world.handled.slice(handledBefore);
    if (handled.length !== 1) throw new Error(`expected one handled update, saw ${handled.length}`);
    const update = handled[0]!;
    if (update.status !== 200) throw new Error(`the webhook answered ${update.status}`);
    const calls = standIn.calls.slice(callsBefore);
    const rejected = calls.filter((c) => !c.ok);
    if (rejected.length > 0) {
      // A rejected call would make the count meaningless (the bot would be showing an error).
      throw new Error(
        `the stand-in rejected ${rejected.map((c) => `${c.method}: ${c.description}`).join('; ')}`,
      );
    }
    return { dynamo: update.dynamo, telegram: calls.map((c) => c.method) };
  };

  const results: Array<{ kind: string; m: Measured; goal?: { dynamo: number; telegram: number } }> = [];
  const record = (kind: string, m: Measured, goal?: { dynamo: number; telegram: number }) => {
    opts.log(`  ${kind}: ${m.dynamo.length} DynamoDB, ${m.telegram.length} Telegram`);
    results.push({ kind, m, goal });
  };

  record('start', await measure(() => reader.send('/start')));
  record('latest page (/latest)', await measure(() => reader.send('/latest')));
  const list = standIn.lastMessage(reader.chat.id);
  const next = buttonData(list, (d) => d === '1:l:1');
  record('next page (▶)', await measure(() => reader.press(list!, next)));
  // The list now shows page 2; open its first article, as a reader would.
  const listNow = standIn.messages(reader.chat.id).find((m) => m.message_id === list!.message_id);
  const open = buttonData(listNow, (d) => d.startsWith('1:o:'));
  const articleId = open.slice('1:o:'.length);
  record('open article (card button)', await measure(() => reader.press(listNow!, open)), OPEN_GOAL);
  const card = standIn.lastMessage(reader.chat.id);
  const sub = buttonData(card, (d) => d.startsWith('1:s:'));
  record('subscribe (card button)', await measure(() => reader.press(card!, sub)));
  // Comments list, then the "Post a comment" prompt: not measured (the post step is what is asked).
  await reader.press(
    card!,
    buttonData(card, (d) => d.startsWith('1:c:')),
  );
  const comments = standIn.lastMessage(reader.chat.id);
  await reader.press(
    comments!,
    buttonData(comments, (d) => d.startsWith('1:pc:')),
  );
  record(
    'comment (the post step)',
    await measure(() => reader.send('Thanks, this is the clearest account of the budget I have read.')),
  );
  record('inline query ("bikes")', await measure(() => reader.inlineQuery('bikes')));
  await reader.press(
    card!,
    buttonData(card, (d) => d.startsWith('1:sh:')),
  );
  const shareText = standIn.lastMessage(reader.chat.id)?.text ?? '';
  const code = /start=s_([A-Za-z0-9]+)/.exec(shareText)?.[1];
  if (code === undefined) throw new Error('the share message carries no share link');
  record("share open (friend's first /start s_…)", await measure(() => friend.send(`/start s_${code}`)));
  record(
    "open article (deep link /start a_…, the reader's first update)",
    await measure(() => linkUser.send(`/start a_${articleId}`)),
    FIRST_OPEN_GOAL,
  );
  // Issue 17, item 5: a repeat the same day is not a view, and costs no extra call either.
  record(
    'open article again the same day (not a view)',
    await measure(() => linkUser.send(`/start a_${articleId}`)),
    OPEN_GOAL,
  );
  // Issue 17, item 3: the worst search is bounded (at most 4 index Queries, one allowance update).
  const cjk = Array.from({ length: 100 }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 37) % 2000))).join(
    '',
  );
  record('inline query, worst case (100 CJK characters)', await measure(() => reader.inlineQuery(cjk)), {
    dynamo: SEARCH_WORST_DYNAMO,
    telegram: 1,
  });
  const searcher = world.user(2004);
  for (let i = 0; i < SEARCHES_PER_MINUTE; i++) await searcher.inlineQuery(`bikes ${i}`);
  record('inline query over the allowance (30 a minute)', await measure(() => searcher.inlineQuery('bikes')));

  return results.flatMap(({ kind, m, goal }) => [
    {
      section: SECTION,
      metric: `${kind}: DynamoDB calls`,
      value: describe(m.dynamo),
      goal: goal ? `≤ ${goal.dynamo}` : '',
      ok: goal ? m.dynamo.length <= goal.dynamo : undefined,
    },
    {
      section: SECTION,
      metric: `${kind}: Telegram calls`,
      value: describe(m.telegram),
      goal: goal ? `${goal.telegram}` : '',
      ok: goal ? m.telegram.length <= goal.telegram : undefined,
    },
  ]);
}
