/**
 * Reading import files for `herald import`: finds `.json` and `.md` files, parses them into
 * authors and articles and validates each with the publishing schemas. Pure parsing — nothing
 * here writes anywhere — so the whole import can be checked before a single item is stored.
 *
 * JSON: an author object (it has `handle`), an article object (it has `id`), an array of
 * them, or `{ "authors": [...], "articles": [...] }`.
 * Markdown: a front matter block (`---`, one `key: value` per line, `---`) followed by the
 * article body. The front matter parser is deliberately small: strings only (optionally in
 * single or double quotes), no nesting, no lists, no inline comments (docs/admin-api.md).
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { ArticleInput, AuthorInput } from '../core/model';
import { parseArticle, parseAuthor, ValidationError } from '../core/publishing';

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
function classify(value: unknown, where: string, out: Parsed): void {
  const field = (f: string) => {
    if (f === '(body)') return where || '(object)';
    return where ? `${where}.${f}` : f;
  };
  if (!isObject(value)) {
    out.issues.push({ field: where || '(file)', message: 'must be an author or article object' });
    return;
  }
  try {
    if ('id' in value) out.items.push({ kind: 'article', input: parseArticle(value), where });
    else if ('handle' in value) out.items.push({ kind: 'author', input: parseAuthor(value), where });
    else {
      out.issues.push({
        field: where || '(object)',
        message: 'is neither an author (it has no "handle") nor an article (it has no "id")',
      });
    }
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    for (const i of err.issues) {
      // zod reports unknown keys on the object; name each key instead, so the report points at it.
      const keys = i.field === '(body)' ? /^Unrecognized keys?: (.+)$/.exec(i.message)?.[1] : undefined;
      const names = keys?.match(/"[^"]*"/g)?.map((k) => k.slice(1, -1));
      if (names && names.length > 0) {
        for (const k of names) out.issues.push({ field: field(k), message: 'is not a field Herald knows' });
      } else out.issues.push({ field: field(i.field), message: i.message });
    }
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
  return { data, body: lines.slice(end + 1).join('\n'), issues };
}

/** Parses a Markdown import: front matter with `id` (an article) or `handle` (an author, the body is the bio). */
export function parseMarkdownImport(text: string): Parsed {
  const out: Parsed = { items: [], issues: [] };
  const fm = parseFrontMatter(text);
  if (fm.issues.length > 0) return { items: [], issues: fm.issues };
  const body = markdownToPlainText(fm.body);
  let value: Record<string, unknown>;
  if ('id' in fm.data) {
    if ('body' in fm.data) {
      return {
        items: [],
        issues: [{ field: 'body', message: 'comes from the Markdown text, not from the front matter' }],
      };
    }
    value = { ...fm.data, body };
  } else if ('handle' in fm.data) {
    value = body !== '' && !('bio' in fm.data) ? { ...fm.data, bio: body } : { ...fm.data };
  } else {
    return {
      items: [],
      issues: [{ field: '(front matter)', message: 'needs an "id" (an article) or a "handle" (an author)' }],
    };
  }
  classify(value, '', out);
  if (out.issues.length > 0) out.items = [];
  return out;
}

// ---- Markdown to plain text ---------------------------------------------------------------

/**
 * Inline Markdown to plain text: images become their alt text, links their text, code spans
 * their content; `*`/`_` emphasis markers go. Backslash escapes keep their character.
 * Underscores inside words (snake_case) are text, as in CommonMark.
 */
function inlineToText(s: string): string {
  const escaped: string[] = [];
  // Escaped punctuation is set aside first so that no rule below treats it as syntax.
  let t = s.replace(/\\([!-/:-@[-`{-~])/g, (_, c: string) => {
    escaped.push(c);
    return `\uE000${escaped.length - 1}\uE001`;
  });
  t = t
    .replace(/`+([^`]+?)`+/g, '$1')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/gu, (m, d: string, inner: string, offset: number, all: string) =>
      d === '__' && !underscoreFlanks(all, offset, m.length) ? m : inner,
    )
    .replace(/(\*|_)(?=\S)(.+?)(?<=\S)\1/gu, (m, d: string, inner: string, offset: number, all: string) =>
      d === '_' && !underscoreFlanks(all, offset, m.length) ? m : inner,
    );
  return t.replace(/\uE000(\d+)\uE001/g, (_, i: string) => escaped[Number(i)] ?? '');
}

/** `_` emphasis only counts when it is not inside a word (CommonMark's rule for `_`). */
function underscoreFlanks(all: string, offset: number, length: number): boolean {
  const wordChar = /[\p{L}\p{N}]/u;
  const before = all[offset - 1];
  const after = all[offset + length];
  return !(before !== undefined && wordChar.test(before)) && !(after !== undefined && wordChar.test(after));
}

/**
 * Turns a Markdown body into Herald's plain text: paragraphs separated by one blank line,
 * lines of a paragraph joined with spaces. Heading markers (`#`), block quote markers (`>`),
 * emphasis and link syntax are removed; list items keep one line each (`•` for bullets);
 * fenced code keeps its lines; horizontal rules are dropped.
 */
export function markdownToPlainText(md: string): string {
  const lines = md.replace(/\r\n?/g, '\n').split('\n');
  const blocks: string[] = [];
  let current: string[] = [];
  let inList = false;
  let fence: string | undefined;
  let fenced: string[] = [];
  const flush = () => {
    if (current.length > 0) blocks.push(current.join(inList ? '\n' : ' '));
    current = [];
    inList = false;
  };
  for (const line of lines) {
    if (fence !== undefined) {
      if (line.trim().startsWith(fence)) {
        blocks.push(fenced.join('\n'));
        fence = undefined;
        fenced = [];
      } else fenced.push(line);
      continue;
    }
    const fenceOpen = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceOpen) {
      flush();
      fence = fenceOpen[1];
      continue;
    }
    const text = line
      .trim()
      .replace(/^(?:>\s?)+/, '')
      .trim();
    if (text === '' || /^([-*_])(?:\s*\1){2,}$/.test(text) || /^=+$/.test(text)) {
      // A blank line, a rule, or a setext heading's underline: the block ends here.
      flush();
      continue;
    }
    const heading = /^#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$/.exec(text);
    if (heading) {
      flush();
      const h = inlineToText(heading[1] ?? '').trim();
      if (h !== '') blocks.push(h);
      continue;
    }
    const bullet = /^[-*+]\s+(.*)$/.exec(text);
    const ordered = /^(\d{1,9})[.)]\s+(.*)$/.exec(text);
    if (bullet || ordered) {
      if (!inList) flush();
      inList = true;
      current.push(
        bullet
          ? `• ${inlineToText(bullet[1] ?? '')}`
          : `${ordered?.[1]}. ${inlineToText(ordered?.[2] ?? '')}`,
      );
      continue;
    }
    if (inList) {
      // A lazy continuation line of the last list item.
      current[current.length - 1] += ` ${inlineToText(text)}`;
      continue;
    }
    current.push(inlineToText(text));
  }
  if (fence !== undefined && fenced.length > 0) blocks.push(fenced.join('\n'));
  flush();
  return blocks
    .map((b) => b.trim())
    .filter((b) => b !== '')
    .join('\n\n');
}
