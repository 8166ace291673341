/**
 * Digests and quiet hours as a reader sets them up, end to end: the choices made by buttons
 * through the webhook handler (the /subscriptions mode button, the one-time time zone question,
 * the /settings screen), articles published, the digest scheduler's slots run with an injected
 * clock across London's change to summer time, and who got what, once — on DynamoDB Local and the
 * Bot API stand-in, the bot and the pipeline sharing both.
 */
import type { LocalAlerts } from '../../../functions/alerts/local-alerts';
import { slotOf } from '../../../functions/core/delivery';
import { publishArticle } from '../../../functions/core/publishing';
import type { DigestRepository } from '../../../functions/store/digest-repository';
import { ManualClock, startDigestPipeline } from '../../helpers/alerts-rig';
import { chatHelpers, plain } from '../../helpers/chat';
import { type Harness, seed, startHarness, TEST_TOKEN } from '../../helpers/harness';

// The pipeline's clock: the tests set the time; waits (pacing, backoff) move it on.
const clock = new ManualClock(Date.parse('2026-03-27T10:00:00Z'));

let h: Harness;
let alerts: LocalAlerts;
let digests: DigestRepository;

beforeAll(async () => {
  h = await startHarness({ now: () => new Date(clock.ms) });
  await seed(
    h,
    [
      { handle: 'alice', fullName: 'Alice Writer', userSince: '2008-03-15' },
      { handle: 'bob', fullName: 'Bob Night', userSince: '2010-06-01' },
    ],
    [],
  );
  ({ alerts, digests } = startDigestPipeline({
    doc: h.app.doc,
    tableName: h.config.tableName,
    store: h.app.store,
    apiRoot: h.config.telegramApiRoot,
    token: TEST_TOKEN,
    clock,
  }));
});

afterAll(async () => {
  await alerts?.stop();
  await h?.stop();
});

const { freshUser, last } = chatHelpers(() => h, 9700);

async function drain(): Promise<void> {
  do await alerts.drain();
  while (alerts.queue.size > 0);
}

/** Publishes an article at `iso` and runs its alert (fan-out, then the queue). */
async function publishAt(iso: string, id: string, handle: string, title: string): Promise<void> {
  clock.at(iso);
  await publishArticle(h.app.store, {
    id,
    title,
    authorHandle: handle,
    body: 'The first sentence says what it is about. A second one follows.',
    publishedAt: iso,
  });
  await alerts.fanOut(id);
  await drain();
}

/** Runs the digest scheduler at `iso` (the slot just begun), then sends. */
async function runDigestsAt(iso: string): Promise<void> {
  clock.at(iso);
  await digests.advanceCursor(slotOf(clock.ms - 2 * 60_000));
  await alerts.runDigests();
  await drain();
}

const texts = (chatId: number, since: number) =>
  h.standIn
    .messages(chatId)
    .slice(since)
    .map((m) => plain(m.text));

it('sends what readers chose by buttons: a daily digest at 08:00 London time after the change, and an alert held through quiet hours', async () => {
  // Prepare: Ana follows Alice, makes it daily with the list's mode button and answers the time
  // zone question with its London button. Ben follows Bob (instant) and picks London and quiet
  // hours that hold alerts on the /settings screen.
  const ana = freshUser('Ana');
  await ana.send('/subscribe alice');
  await ana.send('/subscriptions');
  await ana.pressButton(last(ana.user.id), '⚡');
  const question = last(ana.user.id);
  await ana.pressButton(question, 'Europe/London');
  const ben = freshUser('Ben');
  await ben.send('/subscribe bob');
  await ben.send('/settings');
  const screen = last(ben.user.id);
  await ben.pressButton(screen, 'Europe/London');
  await ben.pressButton(screen, '🌙 22–07 hold');
  const anaBefore = h.standIn.messages(ana.user.id).length;
  const benBefore = h.standIn.messages(ben.user.id).length;

  // Act: Saturday noon Alice publishes; at 23:30 GMT Bob does, inside Ben's quiet hours. Clocks
  // go forward at 01:00 UTC on Sunday 29 March.
  await publishAt('2026-03-28T12:00:00.000Z', 'spring-forward', 'alice', 'Spring forward');
  await publishAt('2026-03-28T23:30:00.000Z', 'night-owl', 'bob', 'Night owl');
  const straightAway = { ana: texts(ana.user.id, anaBefore), ben: texts(ben.user.id, benBefore) };
  await runDigestsAt('2026-03-29T05:47:00Z'); // 06:47 BST: still quiet for Ben
  const beforeSeven = texts(ben.user.id, benBefore);
  await runDigestsAt('2026-03-29T06:02:00Z'); // 07:02 BST: Ben's quiet hours are over
  const afterSeven = { ana: texts(ana.user.id, anaBefore), ben: texts(ben.user.id, benBefore) };
  await runDigestsAt('2026-03-29T06:47:00Z'); // 07:47 BST: not Ana's hour yet
  const beforeEight = texts(ana.user.id, anaBefore);
  await runDigestsAt('2026-03-29T07:02:00Z'); // 08:02 BST (07:02 UTC): Ana's digest
  await runDigestsAt('2026-03-29T07:17:00Z'); // the next slot: nothing more

  // Assess
  // The question, answered by its button, now says what was set.
  expect(plain(question.text)).toBe(
    'Time zone: Europe/London. Your digests arrive at 08:00 local time; change it any time in /settings.',
  );
  expect(straightAway).toEqual({ ana: [], ben: [] });
  expect(beforeSeven).toEqual([]);
  expect(afterSeven.ana).toEqual([]);
  expect(afterSeven.ben).toEqual([expect.stringContaining('Night owl')]);
  expect(beforeEight).toEqual([]);
  const anaGot = texts(ana.user.id, anaBefore);
  expect(anaGot).toEqual([expect.stringContaining('Your daily digest')]);
  expect(anaGot[0]).toContain('Spring forward');
  expect(anaGot[0]).toContain('Alice Writer');
  expect(texts(ben.user.id, benBefore)).toHaveLength(1);
  expect(await digests.entries(ana.user.id)).toEqual([]);
  expect(await digests.entries(ben.user.id)).toEqual([]);
});
