/**
 * Publishing: the one code path every way in (admin API, import tool, bot admin commands,
 * the demo seed) goes through. Validates, parses the Markdown body into blocks, computes the
 * summary and reading time from its text once (never per view) and stores both. Alerts are
 * not sent from here: on AWS the table's stream starts the fan-out; locally the runtime calls
 * the same fan-out after a `created` result.
 */
import { type Block, plainText } from './body/blocks';
import { parseMarkdownBody } from './body/parse-markdown';
import { encodeBlocks } from './body/stored-body';
import { schemaIssues, UnknownAuthorError, ValidationError } from './errors';
import { detectLanguage } from './language';
import { type ArticleInput, type AuthorInput, articleInputSchema, authorInputSchema } from './model';
import type { ArticleRepositoryPort, AuthorRepositoryPort, PublishOptions, PutResult } from './ports';
import { summarizeBlocks } from './summary';

export { UnknownAuthorError, ValidationError } from './errors';

const toIssues = schemaIssues;

/**
 * How far ahead `publishedAt` may be: a clock a little fast, or a time zone written wrong. An
 * article dated later would alert at once and sit on top of /latest until then (item 17);
 * Herald has no scheduled publishing, so it is refused and the CMS publishes it when it is due.
 */
export const MAX_PUBLISHED_AHEAD_MS = 24 * 60 * 60 * 1000;

export interface ParseArticleOptions {
  /**
   * The line of a larger file where the body's first line is (a Markdown import file's body
   * follows its front matter), so that a body issue names the line as the author sees it.
   */
  bodyFirstLine?: number;
  /** The clock `publishedAt` is checked against (at most a day ahead); the system's by default. */
  now?: Date;
}

/**
 * Parses untrusted input into an article and its body into blocks, or throws a
 * {@link ValidationError} naming each bad field; a body issue (a `javascript:` link, lists
 * nested too deep…) is on field `body` with its `line`, which its message names too.
 */
export function prepareArticle(
  input: unknown,
  opts: ParseArticleOptions = {},
): { article: ArticleInput; blocks: Block[] } {
  const r = articleInputSchema.safeParse(input);
  if (!r.success) throw new ValidationError(toIssues(r.error.issues));
  const now = opts.now ?? new Date();
  if (Date.parse(r.data.publishedAt) - now.getTime() > MAX_PUBLISHED_AHEAD_MS) {
    throw new ValidationError([
      {
        field: 'publishedAt',
        message: `must not be more than a day ahead of now (${now.toISOString()}); publish the article when it is due`,
      },
    ]);
  }
  const body = parseMarkdownBody(r.data.body, { firstLine: opts.bodyFirstLine });
  if (!body.ok) {
    throw new ValidationError(
      body.issues.map((i) => ({ field: 'body', line: i.line, message: `line ${i.line}: ${i.message}` })),
    );
  }
  return { article: r.data, blocks: body.blocks };
}

/** Parses untrusted input into an article (body markup included), or throws a {@link ValidationError}. */
export function parseArticle(input: unknown, opts: ParseArticleOptions = {}): ArticleInput {
  return prepareArticle(input, opts).article;
}

/** Parses untrusted input into an author, or throws a {@link ValidationError}. */
export function parseAuthor(input: unknown): AuthorInput {
  const r = authorInputSchema.safeParse(input);
  if (!r.success) throw new ValidationError(toIssues(r.error.issues));
  return r.data;
}

export interface PublishingStore {
  articles: Pick<ArticleRepositoryPort, 'putArticle'>;
  authors: Pick<AuthorRepositoryPort, 'putAuthor' | 'getAuthor'>;
}

/** Creates or updates an author profile. */
export async function publishAuthor(store: PublishingStore, input: unknown): Promise<PutResult> {
  return store.authors.putAuthor(parseAuthor(input));
}

/**
 * Creates or updates an article. An existing id is an update (never a second article, never
 * a second alert); an identical article is `unchanged` and writes nothing. An article without
 * a `language` is stored with the one its script suggests (`detectLanguage`). `silent` stores a new
 * article without alerting (a back-fill).
 */
export async function publishArticle(
  store: PublishingStore,
  input: unknown,
  opts: PublishOptions & { now?: Date } = {},
): Promise<{ id: string; result: PutResult }> {
  const { article, blocks } = prepareArticle(input, { now: opts.now });
  const author = await store.authors.getAuthor(article.authorHandle);
  if (!author) throw new UnknownAuthorError(article.authorHandle);
  const language = article.language ?? detectLanguage(`${article.title}\n${plainText(blocks)}`);
  const { summary, readingMinutes, wordCount } = summarizeBlocks({ title: article.title, blocks, language });
  const result = await store.articles.putArticle(
    { ...article, language },
    { summary, readingMinutes, wordCount, bodyBlocks: encodeBlocks(blocks) },
    author.fullName,
    opts.silent === undefined ? {} : { silent: opts.silent },
  );
  return { id: article.id, result };
}
