import { AuthorResolver, authorKey, deriveHandle } from '../../../functions/ingest/authors';

describe('deriveHandle', () => {
  it.each([
    ['Dr. Jane Doe', undefined, 'dr_jane_doe'],
    ['  José   Álvarez-Núñez ', undefined, 'jose_alvarez_nunez'],
    ['O’Brien', undefined, 'o_brien'],
    ['سارة', 'sara.m@site.example', 'sara_m'],
    ['A', undefined, expect.stringMatching(/^author_[0-9a-f]{8}$/)],
    ['An Extremely Long Name That Goes On And On Forever', undefined, 'an_extremely_long_name_that_goes'],
  ])('%s → a valid handle', (name, email, expected) => {
    const handle = deriveHandle(name, email);

    expect(handle).toEqual(expected);
    expect(handle).toMatch(/^[a-z0-9_]{2,32}$/);
  });

  it('gives the same name the same hashed handle', () => {
    expect(deriveHandle('سارة')).toBe(deriveHandle('  سارة '));
  });
});

describe('AuthorResolver', () => {
  it('steps past twenty taken handles to a hashed one, still valid', async () => {
    const taken = new Set(['jane_doe', ...Array.from({ length: 19 }, (_, i) => `jane_doe_${i + 2}`)]);
    const resolver = new AuthorResolver({
      learned: {},
      publicationName: 'Pub',
      lookup: { getAuthor: async (h) => (taken.has(h) ? { fullName: 'Someone Else' } : undefined) },
    });

    const handle = await resolver.resolve([{ name: 'Jane Doe' }], '2026-11-25');

    expect(handle).toMatch(/^jane_doe_[0-9a-f]{8}$/);
    expect(resolver.newAuthors).toEqual([{ handle, fullName: 'Jane Doe', userSince: '2026-11-25' }]);
  });

  it('keeps two names that derive the same handle apart within one poll', async () => {
    const resolver = new AuthorResolver({
      learned: {},
      publicationName: 'Pub',
      lookup: { getAuthor: async () => undefined },
    });

    const a = await resolver.resolve([{ name: 'Jane Doe' }], '2026-11-25');
    const b = await resolver.resolve([{ name: 'Jane-Doe' }], '2026-11-25');

    expect([a, b]).toEqual(['jane_doe', 'jane_doe_2']);
    expect(resolver.learned).toEqual({ 'jane doe': 'jane_doe', 'jane-doe': 'jane_doe_2' });
  });

  it('normalises keys: case, width and spacing', () => {
    expect(authorKey('  ＪＡＮＥ   Doe ')).toBe('jane doe');
  });
});
