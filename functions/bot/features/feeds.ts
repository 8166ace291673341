/**
 * feedsFeature: the publisher's feed sources from inside the bot, for admins (config.adminIds).
 *
 *   /feeds                               every source with its health
 *   /feeds add <url> [handle] [quiet]    a new source (default author; `quiet`: new items never alert)
 *   /feeds pause|resume|remove <url or id>
 *
 * The same use cases as the admin API and `herald feeds` (core/feed-admin.ts) decide and validate;
 * this module only reads the command and draws the answer. For anyone who is not an admin the
 * command falls through with `next()`, exactly like an unknown command. Every URL, author and
 * failure reason comes from a feed or an admin and is escaped before it reaches Telegram.
 */
import { Composer, type Context } from 'telegraf';
import { ValidationError } from '../../core/errors';
import {
  addFeedSource,
  changeFeedSource,
  type FeedSourceView,
  feedSourceView as feedView,
  listFeedSources,
  removeFeedSource,
  TooManyFeedSourcesError,
} from '../../core/feed-admin';
import type { FeedSourceRepositoryPort } from '../../core/ports';
import { escapeHtml as e, telegramLength, truncate } from '../../core/text';
import type { BotDeps } from '../deps';
import type { Feature } from './types';

const HTML = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } } as const;
const MAX_MESSAGE = 4096;
const USAGE = [
  '<b>Feed sources</b>',
  '/feeds — every source with its health',
  '/feeds add &lt;url&gt; [author handle] [quiet] — quiet: new items never alert',
  '/feeds pause &lt;url or id&gt; · /feeds resume &lt;url or id&gt; · /feeds remove &lt;url or id&gt;',
].join('\n');

/** One source as a few lines: state, URL, last success or failure, id. */
export function feedSourceLines(s: FeedSourceView): string {
  const state = s.paused
    ? '⏸ paused'
    : s.lastError
      ? '⚠️ failing'
      : s.lastSuccessAt
        ? '✅ ok'
        : '🕓 not polled yet';
  const details = [
    s.alerts ? 'alerts on' : 'no alerts',
    ...(s.defaultAuthor ? [`author @${e(s.defaultAuthor)}`] : []),
    `${s.itemsSeen} items`,
  ].join(' · ');
  const health = s.lastError
    ? `last error: ${e(truncate(s.lastError.reason, 200))} (${e(s.lastError.at.slice(0, 16).replace('T', ' '))} UTC)`
    : s.lastSuccessAt
      ? `last success: ${e(s.lastSuccessAt.slice(0, 16).replace('T', ' '))} UTC`
      : '';
  return [
    `${state} <code>${e(truncate(s.url, 300))}</code>`,
    `    ${details}`,
    ...(health ? [`    ${health}`] : []),
    ...(s.movedTo ? [`    moved permanently to <code>${e(truncate(s.movedTo, 300))}</code>`] : []),
    `    id: <code>${e(s.id)}</code>`,
  ].join('\n');
}

/** The /feeds list, within Telegram's 4096 characters (the rest is counted, not dropped silently). */
export function feedListMessage(sources: readonly FeedSourceView[], hasMore: boolean): string {
  if (sources.length === 0) return `No feed sources yet.\n\n${USAGE}`;
  const blocks = sources.map(feedSourceLines);
  const build = (shown: number) => {
    const rest = sources.length - shown;
    const more =
      rest > 0 || hasMore ? [`… and ${rest > 0 ? rest : 'more'} more (the admin API lists all).`] : [];
    return [
      `📡 <b>Feed sources</b> (${sources.length}${hasMore ? '+' : ''})`,
      '',
      ...blocks.slice(0, shown),
      ...more,
    ].join('\n\n');
  };
  let shown = blocks.length;
  let text = build(shown);
  while (telegramLength(text) > MAX_MESSAGE && shown > 0) text = build(--shown);
  return text;
}

/** A readable sentence for a failed validation, naming each field. */
function problems(err: ValidationError): string {
  return err.issues.map((i) => `${e(i.field)}: ${e(i.message)}`).join('\n');
}

/** Builds the /feeds feature; mount it before the catch-all. */
export function feedsFeature(deps: BotDeps, feeds: FeedSourceRepositoryPort): Feature {
  const store = { ...deps.store, feeds };
  const isAdmin = (ctx: Context) => ctx.from !== undefined && deps.config.adminIds.includes(ctx.from.id);
  const composer = new Composer<Context>();

  composer.command('feeds', async (ctx, next) => {
    if (!isAdmin(ctx)) return next();
    const [verb = '', ...args] = ctx.payload
      .trim()
      .split(/\s+/)
      .filter((w) => w !== '');
    const ref = args[0] ?? '';
    try {
      switch (verb.toLowerCase()) {
        case '': {
          const { sources, hasMore } = await listFeedSources(store);
          await ctx.reply(feedListMessage(sources, hasMore), HTML);
          return;
        }
        case 'add': {
          const rest = args.slice(1);
          const quiet = rest.some((w) => w.toLowerCase() === 'quiet');
          const handle = rest.find((w) => w.toLowerCase() !== 'quiet')?.replace(/^@/, '');
          const input = { url: ref, alerts: !quiet, ...(handle ? { defaultAuthor: handle } : {}) };
          const { created, source } = await addFeedSource(store, input, deps.now());
          deps.logger.info('feed source added by an admin', { adminId: ctx.from?.id, created });
          await ctx.reply(
            created
              ? `Added. New items are polled within the schedule${source.alerts ? ' and alert subscribers' : ', silently'}; nothing from the current backlog alerts.\n\n${feedSourceLines(feedView(source))}`
              : `That feed is already a source.\n\n${feedSourceLines(feedView(source))}`,
            HTML,
          );
          return;
        }
        case 'pause':
        case 'resume': {
          const changed =
            ref === '' ? undefined : await changeFeedSource(store, ref, { paused: verb === 'pause' });
          await ctx.reply(
            changed
              ? `${verb === 'pause' ? '⏸ Paused' : '▶️ Resumed'}.\n\n${feedSourceLines(feedView(changed))}`
              : notFound(ref),
            HTML,
          );
          return;
        }
        case 'remove': {
          const removed = ref !== '' && (await removeFeedSource(store, ref));
          await ctx.reply(removed ? 'Removed. Its articles stay published.' : notFound(ref), HTML);
          return;
        }
        default:
          await ctx.reply(USAGE, HTML);
      }
    } catch (err) {
      if (err instanceof ValidationError) {
        await ctx.reply(`That source cannot be added:\n${problems(err)}`, HTML);
        return;
      }
      if (err instanceof TooManyFeedSourcesError) {
        await ctx.reply(e(err.message), HTML);
        return;
      }
      throw err;
    }
  });

  return { composer, buttons: [] };
}

function notFound(ref: string): string {
  return ref === ''
    ? `Which source? Give its URL or id.\n\n${USAGE}`
    : `No feed source is <code>${e(truncate(ref, 300))}</code>. /feeds lists them.`;
}
