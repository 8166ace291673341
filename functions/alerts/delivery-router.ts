/**
 * Where each follower of a new article goes: an instant alert (with or without a sound), or
 * an entry in their digest (or held until their quiet hours end). The fan-out reads the
 * followers of the author and of each tag, instant first, then daily, then weekly
 * (`articleSources`); this decides per page:
 *
 * 1. **Once per reader.** When the article has tags a reader may be in several lists. Each is
 *    claimed with a conditional write (`claimDelivery`, keyed by article and reader, owned by
 *    the fan-out page), so only the first list that reaches them delivers — and since instant
 *    lists are read before daily before weekly, that is the most immediate mode they chose.
 *    A retry of the same page claims again and gets the same answer. An article without tags
 *    has one list per mode and a reader is in at most one of them: no claim is written.
 * 2. **Quiet hours** (instant only): `silent` sends without a sound; `hold` queues the
 *    article until the window ends. Decided when the page is routed (a run of 100,000 at
 *    25/s may send an hour later).
 * 3. **Digests:** the entry is due at the reader's next digest time of that mode, in their
 *    time zone (core/delivery.ts), rounded up to the scheduler's 15-minute slot.
 */
import {
  type DeliveryMode,
  nextDigestAt,
  quietState,
  type ReaderSettings,
  slotAtOrAfter,
} from '../core/delivery';
import { mapPool } from '../core/mechanics/pool';
import type { ArticleMeta } from '../core/model';
import type { Followable, FollowersPort, ReaderSettingsPort } from '../core/ports';
import { truncate } from '../core/text';
import type { DigestRepository } from '../store/digest-repository';

/** What the router needs of the article (from the stream's new image). */
export type RoutedArticle = Pick<ArticleMeta, 'id' | 'title' | 'authorHandle'> &
  Partial<Pick<ArticleMeta, 'authorName' | 'summary' | 'tags'>>;

/** The storage the router uses. */
export interface DeliveryDeps {
  followers: FollowersPort;
  readers: Pick<ReaderSettingsPort, 'getManySettings'>;
  digests: Pick<DigestRepository, 'claimDelivery' | 'queue'>;
}

/** One list the fan-out reads: the followers of a target in one mode. */
export interface FollowerSource {
  target: Followable;
  mode: DeliveryMode;
}

/** Instant lists, then daily, then weekly; each the author then the tags. */
export function articleSources(article: Pick<RoutedArticle, 'authorHandle' | 'tags'>): FollowerSource[] {
  const targets: Followable[] = [
    { kind: 'author', handle: article.authorHandle },
    ...(article.tags ?? []).map((tag): Followable => ({ kind: 'tag', tag })),
  ];
  return (['instant', 'daily', 'weekly'] as const).flatMap((mode) =>
    targets.map((target) => ({ target, mode })),
  );
}

/**
 * Of `ids` (readers, or groups by chat id), those this page delivers an article to: each claimed
 * with a conditional write owned by the page, so when the article has tags and someone is in
 * several lists, only the first list's page gets them; a retry of that page gets the same answer.
 */
export async function claimDeliveries(
  deps: Pick<DeliveryDeps, 'digests'>,
  articleId: string,
  ids: readonly number[],
  page: number,
): Promise<number[]> {
  const claimed = await mapPool(ids, ROUTE_CONCURRENCY, async (id) =>
    (await deps.digests.claimDelivery(articleId, id, page)) ? id : undefined,
  );
  return claimed.filter((id): id is number => id !== undefined);
}

/** Who of a page gets an alert now, and who gets it without a sound. The rest were queued. */
export interface RoutedPage {
  loud: number[];
  silent: number[];
  /** Readers whose article went to their digest or was held. */
  queued: number;
  /** Readers another list already delivered to. */
  duplicates: number;
}

/** The one line a digest shows under a title: the summary's first sentence, at most 160 characters. */
export function oneLine(summary: string | undefined): string {
  const text = (summary ?? '').replace(/\s+/g, ' ').trim();
  const sentence = /^(.+?[.!?؟۔])(\s|$)/u.exec(text)?.[1] ?? text;
  return truncate(sentence, 160);
}

/** Writes in flight while routing a page (claims and entries). */
const ROUTE_CONCURRENCY = 16;

/**
 * Routes one page of followers of `source` (page number `page` of the article's run).
 * Idempotent: a retry of the same page writes the same items and returns the same split.
 */
export async function routePage(
  deps: DeliveryDeps,
  article: RoutedArticle,
  source: FollowerSource,
  page: number,
  userIds: readonly number[],
  now: number,
): Promise<RoutedPage> {
  const multi = (article.tags ?? []).length > 0;
  const claimed = multi ? await claimDeliveries(deps, article.id, userIds, page) : [...userIds];
  const routed: RoutedPage = { loud: [], silent: [], queued: 0, duplicates: userIds.length - claimed.length };
  if (claimed.length === 0) return routed;
  const settings = await deps.readers.getManySettings(claimed);
  const toQueue: Array<{ userId: number; reason: 'daily' | 'weekly' | 'held'; dueAt: number }> = [];
  for (const userId of claimed) {
    const s: ReaderSettings | undefined = settings.get(userId);
    if (!s) continue;
    if (source.mode === 'instant') {
      const quiet = quietState(now, s);
      if (!quiet.quiet) routed.loud.push(userId);
      else if (s.quiet?.action === 'hold')
        toQueue.push({ userId, reason: 'held', dueAt: slotAtOrAfter(quiet.endsAt) });
      else routed.silent.push(userId);
    } else {
      toQueue.push({ userId, reason: source.mode, dueAt: slotAtOrAfter(nextDigestAt(now, s, source.mode)) });
    }
  }
  const entry = {
    articleId: article.id,
    title: article.title,
    authorHandle: article.authorHandle,
    authorName: article.authorName ?? article.authorHandle,
    summary: oneLine(article.summary),
  };
  await mapPool(toQueue, ROUTE_CONCURRENCY, (q) =>
    deps.digests.queue(q.userId, { ...entry, reason: q.reason, dueAt: q.dueAt }),
  );
  routed.queued = toQueue.length;
  return routed;
}
