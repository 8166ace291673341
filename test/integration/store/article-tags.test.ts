/**
 * Article tags (from a feed item's categories or the admin API) on the article meta: stored in
 * their normal form, read back on the card, compared by value (the same tags again write
 * nothing), removed when an update has none.
 */
import { publishArticle, publishAuthor } from '../../../functions/core/publishing';
import { startTestStore, type TestStore } from '../../helpers/test-store';

let t: TestStore | undefined;
beforeAll(async () => {
  t = await startTestStore();
  await publishAuthor(t.store, { handle: 'tagger', fullName: 'Tag Author', userSince: '2010-01-01' });
});
afterAll(async () => {
  await t?.stop();
});

const article = (tags?: string[]) => ({
  id: 'tagged-post',
  title: 'A tagged post',
  authorHandle: 'tagger',
  body: 'Body text.',
  publishedAt: '2026-11-30T09:00:00Z',
  ...(tags ? { tags } : {}),
});

describe('article tags', () => {
  it('stores tags, keeps an identical article unchanged, and drops them when an update has none', async () => {
    if (!t) throw new Error('store not started');
    const store = t.store;

    // Act
    const created = await publishArticle(store, article(['Climate', 'South Asia']));
    const same = await publishArticle(store, article(['Climate', 'South Asia']));
    const card = await store.articles.getArticle('tagged-post');
    const renormalised = await publishArticle(store, article([' CLIMATE ', '#South   Asia', 'climate']));
    const reordered = await publishArticle(store, article(['South Asia', 'Climate']));
    const untagged = await publishArticle(store, article());
    const after = await store.articles.getArticle('tagged-post');

    // Assess
    expect([created.result, same.result, renormalised.result, reordered.result, untagged.result]).toEqual([
      'created',
      'unchanged',
      'unchanged',
      'updated',
      'updated',
    ]);
    expect(card?.tags).toEqual(['climate', 'south asia']);
    expect(after).not.toHaveProperty('tags');
  });

  it('refuses more than 10 tags or an empty one, naming the field', async () => {
    if (!t) throw new Error('store not started');
    const many = Array.from({ length: 11 }, (_, i) => `t${i}`);
    await expect(publishArticle(t.store, article(many))).rejects.toMatchObject({
      issues: [{ field: 'tags', message: 'must have at most 10 tags' }],
    });
    const long = 'x'.repeat(40);
    const cut = await publishArticle(t.store, { ...article([long]), id: 'long-tag' });
    expect(cut.result).toBe('created');
    expect((await t.store.articles.getArticle('long-tag'))?.tags).toEqual(['x'.repeat(32)]);
    await expect(publishArticle(t.store, article(['#']))).rejects.toMatchObject({
      issues: [{ field: 'tags.0', message: 'must not be empty' }],
    });
    await expect(publishArticle(t.store, article([' ']))).rejects.toMatchObject({
      issues: [{ field: 'tags.0', message: 'must not be empty' }],
    });
  });
});
