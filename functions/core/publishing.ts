/**
 * Publishing: the one code path every way in (admin API, import tool, bot admin commands,
 * the demo seed) goes through. Validates, computes the summary and reading time once (never
 * per view) and stores. Alerts are not sent from here: on AWS the table's stream starts the
 * fan-out; locally the runtime calls the same fan-out after a `created` result.
 */
import { UnknownAuthorError } from './errors';
import { type ArticleInput, type AuthorInput, articleInputSchema, authorInputSchema } from './model';
import type { ArticleRepositoryPort, AuthorRepositoryPort, PublishOptions, PutResult } from './ports';
import { summarize } from './summary';

export { UnknownAuthorError } from './errors';

/** A field-by-field validation failure; `issues` name each bad field. */
export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(readonly issues: { field: string; message: string }[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  }
}

type Issue = { path: PropertyKey[]; message: string };
const toIssues = (issues: readonly Issue[]) =>
  issues.map((i) => ({ field: i.path.map(String).join('.') || '(body)', message: i.message }));

/** Parses untrusted input into an article, or throws a {@link ValidationError} naming each bad field. */
export function parseArticle(input: unknown): ArticleInput {
  const r = articleInputSchema.safeParse(input);
  if (!r.success) throw new ValidationError(toIssues(r.error.issues));
  return r.data;
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
 * a second alert); an identical article is `unchanged` and writes nothing. `silent` stores a new
 * article without alerting (a back-fill).
 */
export async function publishArticle(
  store: PublishingStore,
  input: unknown,
  opts: PublishOptions = {},
): Promise<{ id: string; result: PutResult }> {
  const article = parseArticle(input);
  const author = await store.authors.getAuthor(article.authorHandle);
  if (!author) throw new UnknownAuthorError(article.authorHandle);
  const { summary, readingMinutes, wordCount } = summarize({ title: article.title, body: article.body });
  const result = await store.articles.putArticle(
    article,
    { summary, readingMinutes, wordCount },
    author.fullName,
    opts,
  );
  return { id: article.id, result };
}
