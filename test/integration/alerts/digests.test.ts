/**
 * Delivery modes, tags, quiet hours and digests end to end in one process: publish → fan-out
 * (author and tag lists by mode, delivery claims, reader settings) → the in-memory queue → the
 * sender → the Bot API stand-in, and the digest scheduler's slots run at injected times, on
 * DynamoDB Local. Nothing is mocked. The tests run in time order: the scheduler's cursor only
 * moves forward.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalAlerts } from '../../../functions/alerts/local-alerts';
import { type DeliveryMode, slotOf } from '../../../functions/core/delivery';
import { publishArticle, publishAuthor } from '../../../functions/core/publishing';
import { forgetReader } from '../../../functions/core/use-cases/forget-reader';
import type { BotApiStandIn } from '../../../functions/local/telegram-stand-in';
import type { StoredMessage } from '../../../functions/local/telegram-stand-in/types';
import type { DigestRepository } from '../../../functions/store/digest-repository';
import { dueKey, tagKey } from '../../../functions/store/keys';
import type { ReaderSettingsRepository } from '../../../functions/store/reader-settings-repository';
import { ManualClock, startAlertsRig, startDigestPipeline, stopAlertsRig } from '../../helpers/alerts-rig';
import type { TestStore } from '../../helpers/test-store';

const TOKEN = '123456789:TEST-token-for-the-digest-stand-in-00';
const ADMIN = 777;

let ts: TestStore;
let standIn: BotApiStandIn;
let apiRoot: string;
let alerts: LocalAlerts;
let readers: ReaderSettingsRepository;
let digests: DigestRepository;
// The pipeline's clock: the tests set the time; waits (pacing, backoff) move it on.
const clock = new ManualClock(Date.parse('2026-03-01T00:00:00Z'));

beforeAll(async () => {
  ({ ts, standIn, apiRoot } = await startAlertsRig(TOKEN));
  ({ alerts, readers, digests } = startDigestPipeline({
    doc: ts.doc,
    tableName: ts.tableName,
    store: ts.store,
    apiRoot,
    token: TOKEN,
    clock,
    adminIds: [ADMIN],
  }));
  for (const [handle, fullName] of [
    ['alice', 'Alice Writer'],
    ['bob', 'Bob Night'],
    ['carol', 'Carol Morning'],
    ['eve', 'Eve Prolific'],
    ['walt', 'Walt Weekly'],
  ] as const)
    await publishAuthor(ts.store, { handle, fullName, userSince: '2008-03-15' });
});

afterAll(async () => {
  await alerts?.stop();
  await stopAlertsRig({ ts, standIn });
});

let articleNo = 0;
/** Publishes an article at the current time and runs its alert (fan-out, then the queue). */
async function publishNow(handle: string, tags: string[] = [], title?: string): Promise<string> {
  articleNo += 1;
  const id = `post-${articleNo}-${handle}`;
  const { result } = await publishArticle(ts.store, {
    id,
    title: title ?? `Article ${articleNo}`,
    authorHandle: handle,
    body: 'The first sentence says what it is about. A second one follows.\n\nMore text.',
    publishedAt: new Date(clock.ms).toISOString(),
    tags,
  });
  expect(result).toBe('created');
  await alerts.fanOut(id);
  await drain();
  return id;
}

async function drain(): Promise<void> {
  do await alerts.drain();
  while (alerts.queue.size > 0);
}

/** Runs the digest scheduler at `iso` (the slot just begun, nothing older), then sends. */
async function runDigestsAt(iso: string): Promise<number[]> {
  clock.at(iso);
  // Earlier slots of this file's timeline were run by earlier tests or have nothing due.
  await digests.advanceCursor(slotOf(clock.ms - 2 * 60_000));
  const result = await alerts.runDigests();
  await drain();
  return result?.slots ?? [];
}

const messagesTo = (chatId: number): StoredMessage[] => standIn.messages(chatId);
const buttonsOf = (m: StoredMessage | undefined) => (m?.reply_markup?.inline_keyboard ?? []).flat();

async function follow(userId: number, target: { author: string } | { tag: string }, mode: DeliveryMode) {
  if ('author' in target) await ts.store.subscriptions.subscribe(userId, target.author, undefined, mode);
  else await ts.store.subscriptions.subscribeTag(userId, target.tag, undefined, mode);
}

describe('weekly digests', () => {
  it('go out on the reader’s weekday at their hour, across the US change to summer time', async () => {
    // Prepare: a New York reader wants Mondays at 09:00.
    const reader = 5001;
    await readers.updateSettings(reader, { timeZone: 'America/New_York', digestHour: 9, digestWeekday: 1 });
    await follow(reader, { author: 'walt' }, 'weekly');
    clock.at('2026-03-04T15:00:00Z'); // Wednesday

    // Act
    await publishNow('walt', [], 'Midweek thoughts');
    const thursday = await runDigestsAt('2026-03-05T14:02:00Z'); // Thursday 09:02 EST
    const afterThursday = messagesTo(reader).length;
    await runDigestsAt('2026-03-09T13:02:00Z'); // Monday 09:02 EDT (clocks changed on Sunday)

    // Assess: nothing before Monday, no alert on publication, then one weekly digest
    expect(thursday).toHaveLength(1);
    expect(afterThursday).toBe(0);
    const got = messagesTo(reader);
    expect(got).toHaveLength(1);
    expect(got[0]?.text).toContain('Your weekly digest');
    expect(got[0]?.text).toContain('Midweek thoughts');
  });
});

describe('an article reaches a reader once, in the most immediate mode they chose', () => {
  it('dedupes author and tag follows with conditional claims, also on a replayed fan-out', async () => {
    // Prepare
    clock.at('2026-03-20T10:00:00Z');
    const both = 6001; // alice instant + #climate instant
    const mixed = 6002; // alice daily + #climate instant → instant
    const digestOnly = 6003; // alice daily + #water weekly → daily digest
    const twoTags = 6004; // #climate + #water, both instant
    await follow(both, { author: 'alice' }, 'instant');
    await follow(both, { tag: 'climate' }, 'instant');
    await follow(mixed, { author: 'alice' }, 'daily');
    await follow(mixed, { tag: 'climate' }, 'instant');
    await follow(digestOnly, { author: 'alice' }, 'daily');
    await follow(digestOnly, { tag: 'water' }, 'weekly');
    await follow(twoTags, { tag: 'climate' }, 'instant');
    await follow(twoTags, { tag: 'water' }, 'instant');

    // Act
    const id = await publishNow('alice', ['Climate', ' WATER '], 'Rivers in a warmer world');
    const replay = await alerts.fanOut(id);
    await drain();
    const report = await alerts.report(id);

    // Assess: one alert each to the instant readers, none to the digest reader, and the
    // article waiting in the digest reader's daily digest only
    expect([both, mixed, twoTags].map((u) => messagesTo(u).length)).toEqual([1, 1, 1]);
    expect(messagesTo(digestOnly)).toHaveLength(0);
    expect(report).toMatchObject({ total: 3, sent: 3, blocked: 0, failed: 0 });
    expect(replay).toMatchObject({ created: false, total: 3 });
    expect((await digests.entries(digestOnly)).map((e) => [e.articleId, e.reason])).toEqual([[id, 'daily']]);
    expect(await digests.entries(mixed)).toEqual([]);
    expect(messagesTo(both)[0]?.disable_notification).toBeUndefined();
  });
});

describe('daily digests at 08:00 local time across the March change in London', () => {
  const london = 7001;
  const kolkata = 7002;

  it('sends one digest per reader at their 08:00, grouped by author, each article with an open button', async () => {
    // Prepare
    await readers.updateSettings(london, { timeZone: 'Europe/London' });
    await readers.updateSettings(kolkata, { timeZone: 'Asia/Kolkata' });
    for (const reader of [london, kolkata]) {
      await follow(reader, { author: 'carol' }, 'daily');
      await follow(reader, { author: 'alice' }, 'daily');
    }
    clock.at('2026-03-28T12:00:00Z'); // Saturday, GMT
    const first = await publishNow('carol', [], 'Spring forward');
    const second = await publishNow('alice', [], 'Clocks & <tags>');

    // Act: 07:45 BST is not the hour yet; 08:02 BST (07:02 UTC, the day after the change) is
    const early = await runDigestsAt('2026-03-29T02:32:00Z'); // 08:02 in Kolkata
    const kolkataGot = messagesTo(kolkata).length;
    await runDigestsAt('2026-03-29T06:47:00Z');
    const londonEarly = messagesTo(london).length;
    await runDigestsAt('2026-03-29T07:02:00Z');
    await runDigestsAt('2026-03-29T07:17:00Z'); // the next slot: nothing more

    // Assess
    expect(early).toHaveLength(1);
    expect(kolkataGot).toBe(1);
    expect(londonEarly).toBe(0);
    const got = messagesTo(london);
    expect(got).toHaveLength(1);
    const text = got[0]?.text ?? '';
    expect(text).toContain('Your daily digest');
    expect(text).toContain('Carol Morning');
    expect(text).toContain('Alice Writer');
    expect(text).toContain('Clocks & <tags>'); // escaped on the way, shown as written
    expect(text).toContain('The first sentence says what it is about.');
    expect(buttonsOf(got[0]).map((b) => ('callback_data' in b ? b.callback_data : ''))).toEqual([
      `1:o:${first}`,
      `1:o:${second}`,
    ]);
    expect(await digests.entries(london)).toEqual([]);
    expect(await alerts.report(`digest_202603290700`)).toMatchObject({ total: 1, sent: 1 });
    // A digest run that went well is logged, not reported to the admins every 15 minutes.
    expect(messagesTo(ADMIN).filter((m) => m.text.includes('Digests of'))).toEqual([]);
  });

  it('sends nothing for an empty period', async () => {
    // Act: the next day's 08:00 BST, with nothing published since
    await runDigestsAt('2026-03-30T07:02:00Z');

    // Assess
    expect(messagesTo(london)).toHaveLength(1);
    expect(messagesTo(kolkata)).toHaveLength(1);
  });
});

describe('quiet hours (22:00–07:00 London) across the October change', () => {
  it('sends silently to one reader and holds for the other until the window ends; nothing is dropped', async () => {
    // Prepare
    const silent = 8001;
    const hold = 8002;
    await readers.updateSettings(silent, {
      timeZone: 'Europe/London',
      quiet: { start: 22 * 60, end: 7 * 60, action: 'silent' },
    });
    await readers.updateSettings(hold, {
      timeZone: 'Europe/London',
      quiet: { start: 22 * 60, end: 7 * 60, action: 'hold' },
    });
    for (const reader of [silent, hold]) await follow(reader, { author: 'bob' }, 'instant');
    clock.at('2026-10-24T22:30:00Z'); // Saturday 23:30 BST

    // Act
    const id = await publishNow('bob', [], 'Late-night column');
    const heldAtNight = messagesTo(hold).length;
    await runDigestsAt('2026-10-25T06:47:00Z'); // 06:47 GMT: still quiet
    const heldAt0647 = messagesTo(hold).length;
    await runDigestsAt('2026-10-25T07:02:00Z'); // 07:02 GMT: the window ended

    // Assess
    const loud = messagesTo(silent);
    expect(loud).toHaveLength(1);
    expect(loud[0]?.disable_notification).toBe(true);
    expect([heldAtNight, heldAt0647]).toEqual([0, 0]);
    const held = messagesTo(hold);
    expect(held).toHaveLength(1);
    expect(held[0]?.text).toContain('While your quiet hours were on');
    expect(held[0]?.disable_notification).toBeUndefined();
    expect(buttonsOf(held[0]).map((b) => ('callback_data' in b ? b.callback_data : ''))).toEqual([
      `1:o:${id}`,
    ]);
    expect(await alerts.report(id)).toMatchObject({ total: 1, sent: 1 });
  });
});

describe('a long digest', () => {
  it('splits into parts within Telegram’s limits, every article listed once', async () => {
    // Prepare: 130 articles waiting, with the longest titles and summaries
    const reader = 9001;
    clock.at('2026-11-02T10:00:00Z');
    const due = Date.parse('2026-11-03T08:00:00Z');
    const ids = Array.from({ length: 130 }, (_, i) => `long-${String(i).padStart(3, '0')}`);
    for (const [i, id] of ids.entries()) {
      clock.ms += 1;
      await digests.queue(reader, {
        articleId: id,
        title: `${'Ω'.repeat(190)} ${i}`,
        authorHandle: i % 2 === 0 ? 'eve' : 'alice',
        authorName: i % 2 === 0 ? 'Eve Prolific' : 'Alice Writer',
        summary: `${'s'.repeat(150)}.`,
        reason: 'daily',
        dueAt: due,
      });
    }

    // Act
    await runDigestsAt('2026-11-03T08:02:00Z');

    // Assess: the stand-in enforces 4,096 characters and 100 buttons per message
    const parts = messagesTo(reader);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.text.length).toBeLessThanOrEqual(4096);
      expect(buttonsOf(p).length).toBeLessThanOrEqual(100);
    }
    const opened = parts.flatMap((p) =>
      buttonsOf(p).map((b) => ('callback_data' in b ? b.callback_data : '')),
    );
    expect(opened.sort()).toEqual(ids.map((id) => `1:o:${id}`).sort());
    expect(parts.at(-1)?.text).toContain(`Part ${parts.length} of ${parts.length}`);
    expect(await digests.entries(reader)).toEqual([]);
    expect(await alerts.report('digest_202611030800')).toMatchObject({ total: 1, sent: 1 });
  });

  it('is reported to the admins when a reader could not be reached', async () => {
    // Prepare: a reader with a digest waiting has blocked the bot
    const reader = 9002;
    clock.at('2026-11-04T10:00:00Z');
    await digests.queue(reader, {
      articleId: 'blocked-one',
      title: 'Never delivered',
      authorHandle: 'eve',
      authorName: 'Eve Prolific',
      summary: '',
      reason: 'daily',
      dueAt: Date.parse('2026-11-05T08:00:00Z'),
    });
    await standIn.user({ id: reader, first_name: 'Gone' }).block();

    // Act
    await runDigestsAt('2026-11-05T08:02:00Z');

    // Assess
    expect(await alerts.report('digest_202611050800')).toMatchObject({ total: 1, sent: 0, blocked: 1 });
    const reports = messagesTo(ADMIN).filter((m) => m.text.includes('Digests of 2026-11-05 08:00 UTC'));
    expect(reports.map((m) => m.text)).toEqual([
      'Alert for “Digests of 2026-11-05 08:00 UTC”: 0 sent, 1 blocked, 0 failed',
    ]);
  });
});

describe('a reader who used /forget_me', () => {
  it('is sent nothing by the slot their digest was due in; their follows’ counters are back', async () => {
    // Prepare: two readers follow an author and a tag for the daily digest; one article is
    // waiting for both (once each, though it matches both follows).
    const forgotten = 9101;
    const other = 9102;
    for (const reader of [forgotten, other]) {
      await readers.updateSettings(reader, { timeZone: 'UTC' });
      await follow(reader, { author: 'eve' }, 'daily');
      await follow(reader, { tag: 'privacy' }, 'daily');
    }
    const tagCount = async () =>
      (
        await ts.doc.send(
          new GetCommand({ TableName: ts.tableName, Key: tagKey('privacy'), ConsistentRead: true }),
        )
      ).Item?.['subscriberCount'];
    clock.at('2026-11-10T10:00:00Z');
    const id = await publishNow('eve', ['privacy'], 'Held for tomorrow');
    const waiting = (await digests.entries(forgotten)).map((e) => e.articleId);
    const counts = { eve: (await ts.store.authors.getAuthor('eve'))?.subscriberCount, tag: await tagCount() };

    // Act: erase the reader, then leave a due marker behind as a fan-out racing the erasure
    // could, and run their slot.
    let done = false;
    for (let calls = 0; !done && calls < 10; calls++) ({ done } = await forgetReader(ts.store, forgotten));
    const left = await ts.doc.send(
      new QueryCommand({
        TableName: ts.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `USER#${forgotten}` },
        ConsistentRead: true,
      }),
    );
    await ts.doc.send(
      new PutCommand({
        TableName: ts.tableName,
        Item: { ...dueKey('202611110800', forgotten), kind: 'digestdue', userId: forgotten },
      }),
    );
    await runDigestsAt('2026-11-11T08:02:00Z');

    // Assess: the digest builder finds no entries for them and sends nothing; the other reader
    // gets theirs.
    expect(waiting).toEqual([id]);
    expect(done).toBe(true);
    expect(left.Items).toEqual([]);
    expect((await ts.store.authors.getAuthor('eve'))?.subscriberCount).toBe((counts.eve ?? 0) - 1);
    expect(await tagCount()).toBe(Number(counts.tag) - 1);
    // The run did visit the left-behind marker (two recipients), and found nothing to send.
    expect(await alerts.report('digest_202611110800')).toMatchObject({ total: 2, sent: 2 });
    expect(messagesTo(forgotten)).toEqual([]);
    expect(messagesTo(other).map((m) => m.text)).toEqual([expect.stringContaining('Held for tomorrow')]);
  });
});
