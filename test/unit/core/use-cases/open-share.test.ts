import { openShare } from '../../../../functions/core/use-cases/open-share';
import { publication } from './seed';

const today = new Date('2026-11-30T10:00:00Z');
const tomorrow = new Date('2026-12-01T00:00:01Z');

describe('opening a share link', () => {
  it('a friend’s first open counts once on the share and the article; a view counts once per reader a day', async () => {
    // Prepare
    const store = await publication();
    const { share } = await store.shares.getOrCreateShare({
      articleId: 'bikes',
      title: 'Bikes and cities',
      sharerId: 1,
      sharerName: 'Sam',
    });

    // Act
    const first = await openShare(store, share.code, 2, today);
    const again = await openShare(store, share.code, 2, today);
    const own = await openShare(store, share.code, 1, today);
    await openShare(store, share.code, 2, tomorrow);

    // Assess
    expect(first).toMatchObject({ status: 'opened', sharedBy: 'Sam', article: { id: 'bikes' } });
    expect(again).toMatchObject({ status: 'opened', sharedBy: 'Sam' });
    expect(own).toMatchObject({ status: 'opened', sharedBy: undefined });
    const meta = await store.articles.getArticle('bikes');
    expect(meta?.shareOpens).toBe(1);
    // Reader 2 today, the sharer today, reader 2 again tomorrow: the repeat today is not a view.
    expect(meta?.views).toBe(3);
    expect((await store.shares.listByUser(1, 0, 10)).items[0]?.opens).toBe(1);
  });

  it('an unnamed sharer reads as "A friend"; unknown codes and deleted articles say so', async () => {
    // Prepare
    const store = await publication();
    const { share } = await store.shares.getOrCreateShare({
      articleId: 'bikes',
      title: 'Bikes and cities',
      sharerId: 1,
      sharerName: '',
    });

    // Act
    const unnamed = await openShare(store, share.code, 2, today);
    const unknown = await openShare(store, 'nope', 2, today);
    await store.articles.deleteArticle('bikes');
    const gone = await openShare(store, share.code, 3, today);

    // Assess
    expect(unnamed).toMatchObject({ status: 'opened', sharedBy: 'A friend' });
    expect(unknown).toEqual({ status: 'not-found' });
    expect(gone).toEqual({ status: 'article-missing' });
  });
});
