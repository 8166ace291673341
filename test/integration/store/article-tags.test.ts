/**
 * Article tags (from a feed item's categories or the admin API) on the article meta: stored in
 * their normal form, read back on the card, compared by value (the same tags again write
 * nothing), removed when an update has none.
 */
import { publishArticle, publishAuthor } from '../../../functions/core/publishing';
import { TagRepository } from '../../../functions/store/tag-repository';
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

describe('an article in its tags’ lists (TAGART#<tag>)', () => {
  it('lists it under each tag, moves it when its tags or date change, and drops it when deleted', async () => {
    if (!t) throw new Error('store not started');
    const store = t.store;
    const tags = new TagRepository(t.doc, t.tableName);
    const listed = async () =>
      Object.fromEntries(
        await Promise.all(
          ['alpha', 'beta', 'gamma'].map(async (tag) => [
            tag,
            (await tags.latestByTag(tag, 3)).map((r) => `${r.id}@${r.publishedAt}`),
          ]),
        ),
      );
    const post = (tagList: string[], publishedAt: string) => ({
      id: 'listed-post',
      title: 'A listed post',
      authorHandle: 'tagger',
      body: 'Body text.',
      publishedAt,
      tags: tagList,
    });

    // Act
    await publishArticle(store, post(['Alpha', 'Beta'], '2026-11-01T09:00:00Z'));
    const first = await listed();
    await publishArticle(store, post(['Beta', 'Gamma'], '2026-11-02T09:00:00Z'));
    const moved = await listed();
    await store.articles.deleteArticle('listed-post');

    // Assess
    expect(first).toEqual({
      alpha: ['listed-post@2026-11-01T09:00:00Z'],
      beta: ['listed-post@2026-11-01T09:00:00Z'],
      gamma: [],
    });
    expect(moved).toEqual({
      alpha: [],
      beta: ['listed-post@2026-11-02T09:00:00Z'],
      gamma: ['listed-post@2026-11-02T09:00:00Z'],
    });
    expect(await listed()).toEqual({ alpha: [], beta: [], gamma: [] });
  });
});
