/** A small publication in an in-memory store, published the way every way in publishes. */
import type { HeraldStore } from '../../../../functions/core/ports';
import { publishArticle, publishAuthor } from '../../../../functions/core/publishing';
import { createInMemoryStore } from '../../../helpers/in-memory-store';

export async function publication(
  now: () => Date = () => new Date('2026-11-30T12:00:00Z'),
): Promise<HeraldStore> {
  const store = createInMemoryStore(now);
  await publishAuthor(store, { handle: 'jdoe', fullName: 'Dr. Jane Doe', userSince: '2008-03-15' });
  await publishArticle(store, {
    id: 'bikes',
    title: 'Bikes and cities',
    authorHandle: 'jdoe',
    body: 'Cities that build bike lanes see more cyclists. '.repeat(20),
    publishedAt: '2026-11-01T08:00:00Z',
  });
  return store;
}

/** `port` with some methods replaced (the rest still on its prototype): a failing or blind store. */
export function override<T extends object>(port: T, methods: Partial<T>): T {
  return Object.assign(Object.create(port) as T, methods);
}
