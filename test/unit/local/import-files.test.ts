import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  listImportFiles,
  parseFrontMatter,
  parseImportFile,
  parseJsonImport,
  parseMarkdownImport,
} from '../../../functions/local/import-files';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'import');

const author = { handle: 'lena_park', fullName: 'Lena Park', userSince: '2012-09-04' };
const article = {
  id: 'night-buses',
  title: 'Night buses',
  authorHandle: 'lena_park',
  publishedAt: '2026-11-03T07:00:00Z',
  body: 'One.\n\nTwo.',
};

describe('parseJsonImport', () => {
  it('tells authors (handle) from articles (id) in a single object, an array and a collection', () => {
    // Prepare
    const single = JSON.stringify(article);
    const array = JSON.stringify([author, article]);
    const collection = JSON.stringify({ authors: [author], articles: [article] });

    // Act
    const results = [single, array, collection].map(parseJsonImport);

    // Assess
    expect(results[0]).toEqual({ items: [{ kind: 'article', input: article, where: '' }], issues: [] });
    expect(results[1]?.items.map((i) => [i.kind, i.where])).toEqual([
      ['author', '[0]'],
      ['article', '[1]'],
    ]);
    expect(results[2]?.items.map((i) => [i.kind, i.where])).toEqual([
      ['author', 'authors[0]'],
      ['article', 'articles[0]'],
    ]);
  });

  it('names every bad field with its place in the file, and keeps no item of an invalid file', () => {
    // Prepare
    const text = JSON.stringify({
      authors: [author],
      articles: [article, { ...article, id: 'Bad Id', title: '', publishedAt: 'soon', extra: 1 }],
    });

    // Act
    const result = parseJsonImport(text);

    // Assess
    expect(result.items).toEqual([]);
    expect(result.issues.map((i) => i.field)).toEqual([
      'articles[1].id',
      'articles[1].title',
      'articles[1].publishedAt',
      'articles[1].extra',
    ]);
  });

  it('reports malformed JSON, unknown collection keys, wrong lists and objects that are neither', () => {
    // Act
    const broken = parseJsonImport('{"id": ');
    const unknownKey = parseJsonImport(JSON.stringify({ authors: [author], comments: [] }));
    const misplaced = parseJsonImport(JSON.stringify({ authors: [article] }));
    const neither = parseJsonImport(JSON.stringify([{ name: 'x' }, 42]));
    const empty = parseJsonImport('[]');

    // Assess
    expect(broken.issues[0]?.field).toBe('(file)');
    expect(broken.issues[0]?.message).toMatch(/not valid JSON/);
    expect(unknownKey.issues).toEqual([{ field: 'comments', message: expect.stringMatching(/unknown key/) }]);
    expect(misplaced.issues).toEqual([
      { field: 'authors[0]', message: 'is an article, listed under "authors"' },
    ]);
    expect(neither.issues.map((i) => i.field)).toEqual(['[0]', '[1]']);
    expect(empty.issues).toEqual([{ field: '(file)', message: 'contains no authors or articles' }]);
  });
});

describe('parseFrontMatter', () => {
  it('reads plain, double- and single-quoted values and treats an empty value as not set', () => {
    // Prepare
    const text = [
      '---',
      'id: my-post',
      'title: "Quotes \\"inside\\" and a colon: fine"',
      "subtitle: 'It''s single-quoted'",
      '# a comment line',
      'url:',
      'publishedAt: 2026-11-12T09:15:00Z',
      '---',
      'Body here.',
    ].join('\n');

    // Act
    const fm = parseFrontMatter(text);

    // Assess
    expect(fm.issues).toEqual([]);
    expect(fm.data).toEqual({
      id: 'my-post',
      title: 'Quotes "inside" and a colon: fine',
      subtitle: "It's single-quoted",
      publishedAt: '2026-11-12T09:15:00Z',
    });
    expect(fm.body).toBe('Body here.');
  });

  it('rejects nested YAML, lines without a key, duplicate keys, bad quoting and a missing block', () => {
    // Act
    const nested = parseFrontMatter('---\nauthor:\n  handle: x\n---\n');
    const noKey = parseFrontMatter('---\njust words\n---\n');
    const twice = parseFrontMatter('---\nid: a\nid: b\n---\n');
    const quotes = parseFrontMatter('---\ntitle: "open\n---\n');
    const missing = parseFrontMatter('# Title\n\ntext');
    const unclosed = parseFrontMatter('---\nid: a\n');

    // Assess
    expect(nested.issues[0]).toEqual({
      field: '(front matter line 3)',
      message: expect.stringMatching(/nested YAML/),
    });
    expect(noKey.issues[0]).toEqual({ field: '(front matter line 2)', message: 'expected "key: value"' });
    expect(twice.issues[0]).toEqual({ field: 'id', message: 'is set twice (again on line 3)' });
    expect(quotes.issues[0]?.field).toBe('title');
    expect(missing.issues[0]?.field).toBe('(front matter)');
    expect(unclosed.issues[0]?.message).toMatch(/not closed/);
  });
});

describe('parseMarkdownImport', () => {
  it('turns front matter with an id into an article whose body keeps its Markdown', () => {
    // Prepare
    const md = `---\nid: a-1\ntitle: T\nauthorHandle: Lena_Park\npublishedAt: 2026-01-01T00:00:00Z\n---\n\n## Hi\n\n*Text*.\n\n- one\n- two\n`;

    // Act
    const result = parseMarkdownImport(md);

    // Assess: the structure is kept (heading, emphasis, the list), only the blank lines around go
    expect(result.issues).toEqual([]);
    expect(result.items).toEqual([
      {
        kind: 'article',
        where: '',
        input: {
          id: 'a-1',
          title: 'T',
          authorHandle: 'lena_park',
          publishedAt: '2026-01-01T00:00:00Z',
          body: '## Hi\n\n*Text*.\n\n- one\n- two',
        },
      },
    ]);
  });

  it('names the line of the file where the body has a bad link, and keeps nothing of the file', () => {
    // Prepare: the front matter takes lines 1–6, two blank lines follow; the bad link is on line 11
    const md = [
      '---',
      'id: a-2',
      'title: T',
      'authorHandle: lena_park',
      'publishedAt: 2026-01-01T00:00:00Z',
      '---',
      '',
      '',
      'First paragraph.',
      '',
      'A [harmless-looking link](javascript:alert(1)) in the second.',
    ].join('\n');

    // Act
    const result = parseMarkdownImport(md);

    // Assess
    expect(result.items).toEqual([]);
    expect(result.issues).toEqual([
      { field: 'body', message: 'line 11: a link must go to an http(s) URL; "javascript:alert(1)" does not' },
    ]);
  });

  it('gives an author the plain text of the Markdown as the bio', () => {
    // Act
    const result = parseMarkdownImport(
      '---\nhandle: omar\nfullName: Omar\nuserSince: 2019-02-11\n---\n**Urban** ecologist; see [my site](https://example.org).\n',
    );

    // Assess
    expect(result.items[0]?.input).toMatchObject({ bio: 'Urban ecologist; see my site.' });
  });

  it('turns front matter with a handle into an author whose bio is the text, and names bad fields', () => {
    // Act
    const ok = parseMarkdownImport(
      '---\nhandle: omar\nfullName: Omar\nuserSince: 2019-02-11\n---\nUrban ecologist.\n',
    );
    const bad = parseMarkdownImport('---\nhandle: x!\nfullName: ""\nuserSince: 15/Mar/2008\n---\n');
    const neither = parseMarkdownImport('---\ntitle: no id\n---\ntext');

    // Assess
    expect(ok.items[0]).toEqual({
      kind: 'author',
      where: '',
      input: { handle: 'omar', fullName: 'Omar', userSince: '2019-02-11', bio: 'Urban ecologist.' },
    });
    expect(bad.items).toEqual([]);
    expect(bad.issues.map((i) => i.field)).toEqual(['handle', 'fullName', 'userSince']);
    expect(neither.issues[0]?.message).toMatch(/needs an "id"/);
  });
});

describe('the example import set', () => {
  it('lists files recursively in sorted order and parses 2 authors, 3 articles and one invalid file', async () => {
    // Act
    const files = await listImportFiles([FIXTURES]);
    const parsed = await Promise.all(files.map(async (f) => parseImportFile(f, await readFile(f, 'utf8'))));

    // Assess
    expect(files.map((f) => f.slice(FIXTURES.length + 1))).toEqual([
      'articles/night-buses.json',
      'articles/street-trees.md',
      'invalid/broken-article.json',
      'publication.json',
    ]);
    const items = parsed.flatMap((p) => p.items);
    expect(items.filter((i) => i.kind === 'author')).toHaveLength(2);
    expect(items.filter((i) => i.kind === 'article')).toHaveLength(3);
    const invalid = parsed.filter((p) => p.issues.length > 0);
    expect(invalid.map((p) => p.file)).toEqual([join(FIXTURES, 'invalid', 'broken-article.json')]);
    expect(invalid[0]?.issues.map((i) => i.field)).toEqual(['id', 'title', 'publishedAt', 'summary']);
  });

  it('rejects a file type it cannot read', () => {
    // Act
    const result = parseImportFile('notes.txt', 'hello');

    // Assess
    expect(result.issues).toEqual([{ field: '(file)', message: 'only .json and .md files can be imported' }]);
  });
});
