/**
 * The digest scheduler: every 15 minutes (EventBridge Scheduler on AWS, a timer in `npm start`)
 * it starts the digest run of each slot that has begun since the last one it started. The
 * cursor (`DIGEST` / `CURSOR`) moves forward only; a run is once per slot (its run item), so an
 * overlapping or repeated invocation resumes or skips it, and slots missed while nothing ran
 * (a failed invocation, a stopped `npm start`) are caught up in order: nothing is dropped.
 */
import { digestRunId, SLOT_MS, slotOf } from '../core/delivery';
import type { DigestRepository } from '../store/digest-repository';
import { type FanoutDeps, type FanoutOptions, fanOutDigestSlot } from './fanout';

/**
 * How long after a slot begins its run starts: a fan-out that routed an article just before
 * the boundary has this long to write its entry and due marker (the schedule fires at minute
 * 2, 17, 32 and 47).
 */
export const SLOT_LAG_MS = 2 * 60_000;

export interface DigestSchedulerDeps extends Omit<FanoutDeps, 'subscriptions'> {
  digests: Pick<DigestRepository, 'duePage' | 'cursor' | 'advanceCursor'>;
}

export interface DigestSlotsResult {
  /** The slots whose runs this call started or resumed, oldest first (epoch ms). */
  slots: number[];
  /** Readers enqueued by those runs. */
  readers: number;
}

/**
 * Runs the digest slots due by `now` (less {@link SLOT_LAG_MS}) from the cursor on. The
 * first run ever starts at the current slot. `deadline` stops between slots and pages (the
 * next invocation resumes).
 */
export async function runDueDigestSlots(
  deps: DigestSchedulerDeps,
  opts: FanoutOptions = {},
): Promise<DigestSlotsResult> {
  const now = (deps.now ?? Date.now)();
  const latest = slotOf(now - SLOT_LAG_MS);
  const cursor = await deps.digests.cursor();
  const result: DigestSlotsResult = { slots: [], readers: 0 };
  for (let slot = cursor ?? latest; slot <= latest; slot += SLOT_MS) {
    if (opts.deadline !== undefined && (deps.now ?? Date.now)() >= opts.deadline) break;
    await deps.digests.advanceCursor(slot);
    const run = await fanOutDigestSlot(deps, slot, opts);
    result.slots.push(slot);
    result.readers += run.total;
  }
  if (result.slots.length > 0)
    deps.logger.info('digest slots run', {
      runs: result.slots.map(digestRunId),
      readers: result.readers,
    });
  return result;
}
