/**
 * Reading import files for `herald import`: finds `.json` and `.md` files, parses them into
 * authors and articles and validates each with the publishing schemas. Pure parsing — nothing
 * here writes anywhere — so the whole import can be checked before a single item is stored.
 *
 * JSON: an author object (it has `handle`), an article object (it has `id`), an array of
 * them, or `{ "authors": [...], "articles": [...] }`.
 * Markdown: a front matter block (`---`, one `key: value` per line, `---`) followed by the
 * article body, which keeps its Markdown (headings, quotes, lists, links, images) and is
 * checked like any published body, its issues naming their line in the file. The front matter
 * parser is deliberately small: strings only (optionally in single or double quotes), no
 * nesting, no lists, no inline comments (docs/admin-api.md).
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { plainText } from '../core/body/blocks';
import { parseMarkdownBody } from '../core/body/parse-markdown';
import type { ArticleInput, AuthorInput } from '../core/model';
import { type ParseArticleOptions, parseArticle, parseAuthor, ValidationError } from '../core/publishing';

/** One author or article of an import file, already validated. */
export type ImportItem =
  | { kind: 'author'; input: AuthorInput; where: string }
  | { kind: 'article'; input: ArticleInput; where: string };

/** A problem with a file: the field (with its place in the file) and what is wrong. */
export interface ImportIssue {
  field: string;
  message: string;
}

/** A parsed file: its valid items, or (when `issues` is not empty) none to write. */
export interface ImportFile {
  file: string;
  items: ImportItem[];
  issues: ImportIssue[];
}

const EXTENSIONS = new Set(['.json', '.md', '.markdown']);

/**
 * The files an import of `paths` reads: a file as given, a folder walked recursively (only
 * `.json`/`.md`/`.markdown`, hidden entries skipped), in sorted order without duplicates.
 *
 * @throws Error (code ENOENT) when a path does not exist.
 */
export async function listImportFiles(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && EXTENSIONS.has(extname(entry.name).toLowerCase())) found.push(full);
    }
  };
  for (const p of paths) {
    if ((await stat(p)).isDirectory()) await walk(p);
    else found.push(p);
  }
  // Code-unit order, not locale order: the same files import in the same order on every machine.
  return [...new Set(found)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Parses one file's text by its extension. */
export function parseImportFile(file: string, text: string): ImportFile {
  const ext = extname(file).toLowerCase();
  const clean = text.replace(/^\uFEFF/, '');
  if (ext === '.json') return { file, ...parseJsonImport(clean) };
  if (ext === '.md' || ext === '.markdown') return { file, ...parseMarkdownImport(clean) };
  return {
    file,
    items: [],
    issues: [{ field: '(file)', message: 'only .json and .md files can be imported' }],
  };
}

type Parsed = { items: ImportItem[]; issues: ImportIssue[] };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates one object as an author or an article; issues carry `where` as a prefix. */
function classify(value: unknown, where: string, out: Parsed, opts: ParseArticleOptions = {}): void {
  const field = (f: string) => {
    if (f === '(body)') return where || '(object)';
    return where ? `${where}.${f}` : f;
  };
  if (!isObject(value)) {
    out.issues.push({ field: where || '(file)', message: 'must be an author or article object' });
    return;
  }
  try {
    if ('id' in value) out.items.push({ kind: 'article', input: parseArticle(value, opts), where });
    else if ('handle' in value) out.items.push({ kind: 'author', input: parseAuthor(value), where });
    else {
      out.issues.push({
        field: where || '(object)',
        message: 'is neither an author (it has no "handle") nor an article (it has no "id")',
      });
    }
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    // Unknown keys come named one by one (core/errors.ts schemaIssues).
    for (const i of err.issues) out.issues.push({ field: field(i.field), message: i.message });
  }
}

/** Parses a JSON import: an object, an array of objects, or `{ authors, articles }`. */
export function parseJsonImport(text: string): Parsed {
  const out: Parsed = { items: [], issues: [] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    out.issues.push({ field: '(file)', message: `is not valid JSON (${(err as Error).message})` });
    return out;
  }
  if (Array.isArray(data)) {
    for (const [i, v] of data.entries()) classify(v, `[${i}]`, out);
  } else if (
    isObject(data) &&
    !('id' in data) &&
    !('handle' in data) &&
    ('authors' in data || 'articles' in data)
  ) {
    for (const [key, value] of Object.entries(data)) {
      if (key !== 'authors' && key !== 'articles') {
        out.issues.push({
          field: key,
          message: 'unknown key: a collection file has only "authors" and "articles"',
        });
        continue;
      }
      if (!Array.isArray(value)) {
        out.issues.push({ field: key, message: 'must be an array' });
        continue;
      }
      value.forEach((v, i) => {
        const before = out.items.length;
        classify(v, `${key}[${i}]`, out);
        const added = out.items[before];
        const want = key === 'authors' ? 'author' : 'article';
        if (added !== undefined && added.kind !== want) {
          out.items.pop();
          out.issues.push({ field: `${key}[${i}]`, message: `is an ${added.kind}, listed under "${key}"` });
        }
      });
    }
  } else {
    classify(data, '', out);
  }
  if (out.issues.length === 0 && out.items.length === 0) {
    out.issues.push({ field: '(file)', message: 'contains no authors or articles' });
  }
  if (out.issues.length > 0) out.items = [];
  return out;
}

/** Front matter as `key → value` strings, the text after it, and any problems. */
export interface FrontMatter {
  data: Record<string, string>;
  body: string;
  /** The 1-based line of the file where `body` starts. */
  bodyLine: number;
  issues: ImportIssue[];
}

const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]+(.*))?$/;

/** Unquotes a front matter value: "double" (JSON escapes), 'single' ('' is a quote) or plain. */
function frontMatterValue(raw: string): { ok: true; value: string } | { ok: false; message: string } {
  const v = raw.trim();
  if (v.startsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(v);
      if (typeof parsed === 'string') return { ok: true, value: parsed };
    } catch {
      // Reported below.
    }
    return { ok: false, message: 'has an unterminated or malformed "double-quoted" value' };
  }
  if (v.startsWith("'")) {
    if (v.length >= 2 && v.endsWith("'") && !/(^|[^'])'([^']|$)/.test(v.slice(1, -1))) {
      return { ok: true, value: v.slice(1, -1).replace(/''/g, "'") };
    }
    return {
      ok: false,
      message: "has an unterminated or malformed 'single-quoted' value (write '' for a quote)",
    };
  }
  return { ok: true, value: v };
}

/**
 * Splits a Markdown file into its front matter and body. The block must open on the first
 * line with `---` and close with `---` (or `...`). An empty unquoted value means "not set".
 */
export function parseFrontMatter(text: string): FrontMatter {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const issues: ImportIssue[] = [];
  const data: Record<string, string> = {};
  if (lines[0]?.trimEnd() !== '---') {
    return {
      data,
      body: text,
      bodyLine: 1,
      issues: [
        {
          field: '(front matter)',
          message: 'a Markdown file must start with a "---" line that opens its front matter',
        },
      ],
    };
  }
  const end = lines.findIndex((l, i) => i > 0 && (l.trimEnd() === '---' || l.trimEnd() === '...'));
  if (end < 0) {
    return {
      data,
      body: '',
      bodyLine: lines.length + 1,
      issues: [{ field: '(front matter)', message: 'is not closed by a "---" line' }],
    };
  }
  for (let i = 1; i < end; i++) {
    const line = lines[i] ?? '';
    const where = `(front matter line ${i + 1})`;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (/^\s/.test(line) || line.startsWith('- ')) {
      issues.push({
        field: where,
        message: 'nested YAML (indented lines, lists) is not supported: write one "key: value" per line',
      });
      continue;
    }
    const m = KEY_LINE.exec(line);
    const key = m?.[1];
    if (!m || key === undefined) {
      issues.push({ field: where, message: 'expected "key: value"' });
      continue;
    }
    const raw = m[2] ?? '';
    if (key in data) {
      issues.push({ field: key, message: `is set twice (again on line ${i + 1})` });
      continue;
    }
    const value = frontMatterValue(raw);
    if (!value.ok) issues.push({ field: key, message: value.message });
    else if (raw.trim() !== '') data[key] = value.value;
  }
  return { data, body: lines.slice(end + 1).join('\n'), bodyLine: end + 2, issues };
}

/**
 * Parses a Markdown import: front matter with `id` (an article: the text is its Markdown body,
 * kept as written) or `handle` (an author: the text, as plain text, is the bio).
 */
export function parseMarkdownImport(text: string): Parsed {
  const out: Parsed = { items: [], issues: [] };
  const fm = parseFrontMatter(text);
  if (fm.issues.length > 0) return { items: [], issues: fm.issues };
  let value: Record<string, unknown>;
  let bodyLine = fm.bodyLine;
  if ('id' in fm.data) {
    if ('body' in fm.data) {
      return {
        items: [],
        issues: [{ field: 'body', message: 'comes from the Markdown text, not from the front matter' }],
      };
    }
    // Blank lines between the front matter and the text are not part of the body.
    const leading = /^(?:[ \t]*\n)*/.exec(fm.body)?.[0] ?? '';
    const body = fm.body.slice(leading.length).trimEnd();
    bodyLine = fm.bodyLine + (leading.match(/\n/g)?.length ?? 0);
    value = { ...fm.data, body };
  } else if ('handle' in fm.data) {
    const bio = parseMarkdownBody(fm.body, { firstLine: fm.bodyLine });
    if (!bio.ok) {
      return {
        items: [],
        issues: bio.issues.map((i) => ({ field: 'bio', message: `line ${i.line}: ${i.message}` })),
      };
    }
    const plain = plainText(bio.blocks);
    value = plain !== '' && !('bio' in fm.data) ? { ...fm.data, bio: plain } : { ...fm.data };
  } else {
    return {
      items: [],
      issues: [{ field: '(front matter)', message: 'needs an "id" (an article) or a "handle" (an author)' }],
    };
  }
  classify(value, '', out, { bodyFirstLine: bodyLine });
  if (out.issues.length > 0) out.items = [];
  return out;
}
