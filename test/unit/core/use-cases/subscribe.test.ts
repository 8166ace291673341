import { subscribe } from '../../../../functions/core/use-cases/subscribe';
import { override, publication } from './seed';

describe('subscribe', () => {
  it('subscribes once: a second tap is already-subscribed and counts no second subscriber', async () => {
    // Prepare
    const store = await publication();

    // Act
    const first = await subscribe(store, 7, 'jdoe');
    const second = await subscribe(store, 7, 'jdoe');

    // Assess
    expect(first).toEqual({ status: 'subscribed', authorName: 'Dr. Jane Doe' });
    expect(second).toEqual({ status: 'already-subscribed', authorName: 'Dr. Jane Doe' });
    expect((await store.authors.getAuthor('jdoe'))?.subscriberCount).toBe(1);
  });

  it('refuses an unknown author and writes nothing, without reading a profile', async () => {
    // Prepare
    const store = await publication();
    const reads: string[] = [];
    const watched = {
      ...store,
      authors: override(store.authors, {
        getAuthor: async (handle: string) => {
          reads.push(handle);
          return store.authors.getAuthor(handle);
        },
      }),
    };

    // Act
    const outcome = await subscribe(watched, 7, 'nobody');

    // Assess
    expect(outcome).toEqual({ status: 'unknown-author' });
    expect(await store.subscriptions.listForUser(7)).toEqual([]);
    expect(reads).toEqual([]);
  });

  it('asks the store once whether the author exists: the subscription write decides', async () => {
    // Prepare: an author the profile read cannot see (deleted between write and read)
    const store = await publication();
    const reads: string[] = [];
    const blind = {
      ...store,
      authors: override(store.authors, {
        getAuthor: async (handle: string) => {
          reads.push(handle);
          return undefined;
        },
      }),
    };

    // Act
    const outcome = await subscribe(blind, 8, 'jdoe');

    // Assess
    expect(outcome).toEqual({ status: 'subscribed', authorName: 'jdoe' });
    expect(reads).toEqual(['jdoe']);
  });

  it('lets a store failure through', async () => {
    // Prepare
    const store = await publication();
    const failing = {
      ...store,
      subscriptions: override(store.subscriptions, {
        subscribe: async () => {
          throw new Error('store down');
        },
      }),
    };

    // Act
    const attempt = subscribe(failing, 9, 'jdoe');

    // Assess
    await expect(attempt).rejects.toThrow('store down');
  });
});
