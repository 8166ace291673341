/**
 * Feed-source requests from the admin API and the command line, parsed once with zod, field by
 * field ({@link ValidationError} names each bad field). Apart from core/feed-admin.ts so that
 * the webhook bundle (the bot's /feeds builds its input itself) does not carry these schemas.
 */
import * as z from 'zod/mini';
import { schemaIssues, ValidationError } from './errors';
import {
  type FeedSourceConfig,
  type FeedSourcePatch,
  feedUrlProblem,
  normalizeFeedUrl,
} from './feed-sources';
import { HANDLE_PATTERN } from './ids';

const feedUrl = z.pipe(
  z.string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a string') }),
  z.transform((s: string, ctx) => {
    const problem = feedUrlProblem(s);
    if (problem !== undefined) {
      ctx.issues.push({ code: 'custom', message: problem, input: s });
      return s;
    }
    return normalizeFeedUrl(s);
  }),
);
const handle = z
  .string({ error: 'must be an author handle' })
  .check(z.trim(), z.toLowerCase(), z.regex(HANDLE_PATTERN, 'must be an author handle'));
const authorMap = z
  .record(
    z
      .string()
      .check(
        z.trim(),
        z.minLength(1, 'must not be empty'),
        z.maxLength(200, 'must be at most 200 characters'),
      ),
    handle,
  )
  .check(z.refine((m) => Object.keys(m).length <= 100, 'must have at most 100 entries'));

const addSchema = z.strictObject({
  url: feedUrl,
  defaultAuthor: z.optional(handle),
  authorMap: z.optional(authorMap),
  alerts: z.optional(z.boolean({ error: 'must be true or false' })),
});

const patchSchema = z.strictObject({
  paused: z.optional(z.boolean({ error: 'must be true or false' })),
  alerts: z.optional(z.boolean({ error: 'must be true or false' })),
  defaultAuthor: z.optional(z.nullable(handle)),
  authorMap: z.optional(z.nullable(authorMap)),
});

const toIssues = schemaIssues;

/** Parses an admin's new source: `url` (http(s)), optional `defaultAuthor`, `authorMap`, `alerts` (default true). */
export function parseFeedSourceInput(input: unknown): FeedSourceConfig {
  const r = addSchema.safeParse(input);
  if (!r.success) throw new ValidationError(toIssues(r.error.issues));
  const { url, defaultAuthor, authorMap: map, alerts } = r.data;
  return {
    url,
    alerts: alerts ?? true,
    ...(defaultAuthor !== undefined ? { defaultAuthor } : {}),
    ...(map !== undefined ? { authorMap: map } : {}),
  };
}

/** Parses a change: `paused`, `alerts`, `defaultAuthor`, `authorMap` (null clears the last two). */
export function parseFeedSourcePatch(input: unknown): FeedSourcePatch {
  const r = patchSchema.safeParse(input);
  if (!r.success) throw new ValidationError(toIssues(r.error.issues));
  const patch: FeedSourcePatch = {};
  for (const [k, v] of Object.entries(r.data)) if (v !== undefined) Object.assign(patch, { [k]: v });
  if (Object.keys(patch).length === 0) {
    throw new ValidationError([
      { field: '(body)', message: 'name at least one of paused, alerts, defaultAuthor, authorMap' },
    ]);
  }
  return patch;
}
