import { openShare } from '../../../../functions/core/use-cases/open-share';
import { publication } from './seed';

describe('opening a share link', () => {
  it('a friend’s first open counts once on the share and the article; every open counts a view', async () => {
    // Prepare
    const store = await publication();
    const { share } = await store.shares.getOrCreateShare({
      articleId: 'bikes',
      title: 'Bikes and cities',
      sharerId: 1,
      sharerName: 'Sam',
    });

    // Act
    const first = await openShare(store, share.code, 2);
    const again = await openShare(store, share.code, 2);
    const own = await openShare(store, share.code, 1);

    // Assess
    expect(first).toMatchObject({ status: 'opened', sharedBy: 'Sam', article: { id: 'bikes' } });
    expect(again).toMatchObject({ status: 'opened', sharedBy: 'Sam' });
    expect(own).toMatchObject({ status: 'opened', sharedBy: undefined });
    const meta = await store.articles.getArticle('bikes');
    expect(meta?.shareOpens).toBe(1);
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
    const unnamed = await openShare(store, share.code, 2);
    const unknown = await openShare(store, 'nope', 2);
    await store.articles.deleteArticle('bikes');
    const gone = await openShare(store, share.code, 3);

    // Assess
    expect(unnamed).toMatchObject({ status: 'opened', sharedBy: 'A friend' });
    expect(unknown).toEqual({ status: 'not-found' });
    expect(gone).toEqual({ status: 'article-missing' });
  });
});
