/**
 * Channel requests from the admin API, parsed once with zod field by field
 * ({@link ValidationError} names each bad field). Apart from core/channels.ts so that the
 * webhook and the poster, which build their inputs themselves, do not carry the schemas.
 */
import * as z from 'zod/mini';
import type { ChannelPatch, ChannelRule } from './channels';
import { ValidationError } from './errors';
import { HANDLE_PATTERN } from './ids';

/** A channel or supergroup id: Telegram's are -100 followed by the channel's own id. */
const chatId = z.number({ error: (i) => (i.input === undefined ? 'is required' : 'must be a number') }).check(
  z.int('must be an integer'),
  z.refine((n) => n <= -1_000_000_000_000 && n >= -1_999_999_999_999, {
    message: 'must be a channel id (-100 followed by the channel number, e.g. -1001234567890)',
  }),
);
const handle = z
  .string({ error: 'must be an author handle' })
  .check(z.trim(), z.toLowerCase(), z.regex(HANDLE_PATTERN, 'must be an author handle'));
const tag = z
  .string({ error: 'must be a string' })
  .check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(50, 'must be at most 50 characters'));

const ruleSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('all') }),
  z.strictObject({
    mode: z.literal('authors'),
    authors: z
      .array(handle)
      .check(
        z.minLength(1, 'must name at least one author'),
        z.maxLength(50, 'must have at most 50 authors'),
      ),
  }),
  z.strictObject({
    mode: z.literal('tags'),
    tags: z
      .array(tag)
      .check(z.minLength(1, 'must name at least one tag'), z.maxLength(50, 'must have at most 50 tags')),
  }),
]);
const title = z
  .string({ error: 'must be a string' })
  .check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(128, 'must be at most 128 characters'));

const connectSchema = z.strictObject({
  chatId,
  rule: z.optional(ruleSchema),
  title: z.optional(title),
});
const patchSchema = z.strictObject({
  rule: z.optional(ruleSchema),
  paused: z.optional(z.boolean({ error: 'must be true or false' })),
  title: z.optional(title),
});

type Issue = { path: PropertyKey[]; message: string; code?: string };
const toIssues = (issues: readonly Issue[]) =>
  issues.map((i) => ({
    field: i.path.map(String).join('.') || '(body)',
    // zod's own text for a bad discriminator lists internals; say what is accepted instead.
    message: i.code === 'invalid_union' ? 'must have mode "all", "authors" or "tags"' : i.message,
  }));

/** A connect request: `chatId` (a channel id), optional `rule` (default all articles) and `title`. */
export function parseChannelInput(input: unknown): { chatId: number; rule: ChannelRule; title?: string } {
  const r = connectSchema.safeParse(input);
  if (!r.success) throw new ValidationError(toIssues(r.error.issues));
  return {
    chatId: r.data.chatId,
    rule: r.data.rule ?? { mode: 'all' },
    ...(r.data.title !== undefined ? { title: r.data.title } : {}),
  };
}

/** A change: `rule`, `paused`, `title`; at least one. */
export function parseChannelPatch(input: unknown): ChannelPatch {
  const r = patchSchema.safeParse(input);
  if (!r.success) throw new ValidationError(toIssues(r.error.issues));
  const patch: ChannelPatch = {};
  if (r.data.rule !== undefined) patch.rule = r.data.rule;
  if (r.data.paused !== undefined) patch.paused = r.data.paused;
  if (r.data.title !== undefined) patch.title = r.data.title;
  if (Object.keys(patch).length === 0)
    throw new ValidationError([{ field: '(body)', message: 'name at least one of rule, paused, title' }]);
  return patch;
}
