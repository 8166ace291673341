/**
 * adminFeature: commands for the publisher's operators (config.adminIds) — `/stats`,
 * `/stats <article-id>` and `/delete_article <id>` (confirmed with a button). For anyone else
 * these commands fall through with `next()`, so the catch-all answers them exactly like any
 * unknown command and nobody can tell they exist. Comment deletion lives in the comments
 * view (commentsFeature).
 *
 * The confirmation buttons are ordinary versioned callbacks (`1:ad:<id>:y|n`); a non-admin's
 * press gets the same "out of date" answer as any unknown button.
 */
import { Composer, type Context, TelegramError } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { describeDeliveryTimes } from '../../core/delivery-time';
import { ARTICLE_ID_PATTERN } from '../../core/ids';
import type { ModerationPort } from '../../core/ports';
import type { ArticleStats, StatsReader, StatsReport } from '../../core/stats';
import { escapeHtml as e, telegramLength, truncate } from '../../core/text';
import { formatDate } from '../../i18n/format';
import { defineCallback, field } from '../callback';
import type { BotDeps } from '../deps';
import { answer, answerOutOfDate } from '../respond';
import { type Feature, onButton } from './types';

/** Rows of the "top articles" list in `/stats`. */
export const TOP_ARTICLES = 10;
/** Titles in the top list are shortened; elsewhere they are whole (the schema caps them at 300). */
const TITLE_CHARS = 80;
const MAX_MESSAGE = 4096;

/** The answer to "/delete_article <id>": `confirm` deletes, otherwise keeps. */
export const deleteArticleButton = defineCallback('ad', { id: field.articleId, confirm: field.yesNo });

const n = (x: number) => x.toLocaleString('en-US');
/** "1 share", "2 shares" (admin texts are English; readers' plurals come from the catalogues). */
const count = (x: number, word: string) => `${n(x)} ${word}${x === 1 ? '' : 's'}`;

function statsLine(s: ArticleStats): string {
  return `👁 ${n(s.views)} · 💬 ${n(s.replies)} · ↗️ ${count(s.shares, 'share')} · 🔗 ${count(s.shareOpens, 'open')} · 🔔 ${count(s.alertsSent, 'alert')}`;
}

/** The `/stats` message: totals and the most viewed articles, always within Telegram's 4096 characters. */
export function statsMessage(report: StatsReport, top = TOP_ARTICLES): string {
  const t = report.totals;
  const head = [
    '📊 <b>Stats</b>',
    `Articles: ${n(t.articles)} · Authors: ${n(t.authors)}`,
    `Subscriptions: ${n(t.subscriptions)} · Comments: ${n(t.comments)}`,
    `Views: ${n(t.views)} · Shares: ${n(t.shares)} · Opens from shares: ${n(t.shareOpens)} · Alerts sent: ${n(t.alertsSent)}`,
    ...(report.truncated ? [`<i>Counters cover the newest ${n(report.articles.length)} articles.</i>`] : []),
  ];
  const foot = ['', 'One article: /stats &lt;article-id&gt;'];
  const ranked = [...report.articles].sort(
    (a, b) => b.views - a.views || (a.publishedAt < b.publishedAt ? 1 : -1),
  );
  const rows = ranked
    .slice(0, top)
    .map(
      (s, i) =>
        `${i + 1}. <b>${e(truncate(s.title, TITLE_CHARS))}</b> (<code>${e(s.id)}</code>)\n    ${statsLine(s)}`,
    );
  const build = (r: string[]) =>
    [...head, '', r.length > 0 ? '<b>Top articles by views</b>' : 'No articles yet.', ...r, ...foot].join(
      '\n',
    );
  let text = build(rows);
  // Titles are bounded, so this only matters if the limits above change; never send > 4096.
  while (telegramLength(text) > MAX_MESSAGE && rows.length > 0) {
    rows.pop();
    text = build(rows);
  }
  return text;
}

/** The `/stats <id>` message. */
export function articleStatsMessage(s: ArticleStats): string {
  return [
    `📊 <b>${e(s.title)}</b>`,
    `by ${e(s.authorName)} (@${e(s.authorHandle)}) · ${e(formatDate('en', s.publishedAt))}`,
    `id: <code>${e(s.id)}</code>`,
    '',
    `Views: ${n(s.views)}`,
    `Replies: ${n(s.replies)}`,
    `Shares: ${n(s.shares)}`,
    `Opens from shares: ${n(s.shareOpens)}`,
    `Alerts sent: ${n(s.alertsSent)}`,
    ...(s.alerts
      ? [
          '',
          `Alert run: ${n(s.alerts.sent)} sent · ${n(s.alerts.blocked)} blocked · ${n(s.alerts.failed)} failed · ` +
            // Like the delivery report: unconfirmed only when there are any (a sender stopped mid-send).
            (s.alerts.unconfirmed > 0 ? `${n(s.alerts.unconfirmed)} unconfirmed · ` : '') +
            `${n(s.alerts.pending)} pending, of ${n(s.alerts.total)}${s.alerts.fanoutDone ? '' : ' so far'}`,
          ...(s.alerts.times ? [describeDeliveryTimes(s.alerts.times)] : []),
          ...(s.alerts.stars > 0 ? [`Paid broadcast: ${n(s.alerts.stars)} Stars`] : []),
        ]
      : []),
  ].join('\n');
}

const HTML = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } } as const;

/** Builds the admin feature; mount it before the catch-all. */
export function adminFeature(deps: BotDeps, stats: StatsReader, moderation: ModerationPort): Feature {
  const isAdmin = (ctx: Context) => ctx.from !== undefined && deps.config.adminIds.includes(ctx.from.id);
  const composer = new Composer<Context>();

  composer.command('stats', async (ctx, next) => {
    if (!isAdmin(ctx)) return next();
    const arg = ctx.payload.trim().toLowerCase();
    if (arg === '') {
      await ctx.reply(statsMessage(await stats.report()), HTML);
      return;
    }
    const row = ARTICLE_ID_PATTERN.test(arg) ? await stats.article(arg) : undefined;
    await ctx.reply(
      row ? articleStatsMessage(row) : `No article has the id <code>${e(truncate(arg, 64))}</code>.`,
      HTML,
    );
  });

  composer.command('delete_article', async (ctx, next) => {
    if (!isAdmin(ctx)) return next();
    const id = ctx.payload.trim().toLowerCase();
    if (id === '') {
      await ctx.reply('Usage: /delete_article &lt;article-id&gt; — the id is in /stats.', HTML);
      return;
    }
    const meta = ARTICLE_ID_PATTERN.test(id) ? await deps.store.articles.getArticle(id) : undefined;
    if (!meta) {
      await ctx.reply(`No article has the id <code>${e(truncate(id, 64))}</code>.`, HTML);
      return;
    }
    const keyboard: InlineKeyboardMarkup = {
      inline_keyboard: [
        [
          { text: '🗑 Delete for good', callback_data: deleteArticleButton.encode({ id, confirm: true }) },
          { text: 'Keep it', callback_data: deleteArticleButton.encode({ id, confirm: false }) },
        ],
      ],
    };
    const comments = meta.replies === 1 ? '1 comment' : `${n(meta.replies)} comments`;
    await ctx.reply(
      `Delete “<b>${e(meta.title)}</b>” by ${e(meta.authorName)} (@${e(meta.authorHandle)})?\n` +
        `Its ${comments} go with it. This cannot be undone.`,
      { ...HTML, reply_markup: keyboard },
    );
  });

  /** `/ban <user id> [reason]` and `/unban <user id>`: comment bans (admin texts in English). */
  const banUsage = (cmd: string) =>
    `Usage: /${cmd} &lt;Telegram user id&gt;${cmd === 'ban' ? ' [reason]' : ''} — the id is on the comment (admin API) or in the reader's profile link.`;
  composer.command('ban', async (ctx, next) => {
    if (!isAdmin(ctx)) return next();
    const [id, ...rest] = ctx.payload.trim().split(/\s+/);
    if (!id || !/^[1-9]\d{0,15}$/.test(id)) return void (await ctx.reply(banUsage('ban'), HTML));
    const reason = rest.join(' ').slice(0, 200);
    const banned = await moderation.ban({
      userId: Number(id),
      by: `telegram:${ctx.from.id}`,
      createdAt: deps.now().toISOString(),
      ...(reason ? { reason } : {}),
    });
    deps.logger.info('reader banned by an admin', { userId: Number(id), adminId: ctx.from.id, banned });
    await ctx.reply(
      banned
        ? `🚫 ${id} can no longer post comments. /unban ${id} lifts it. To delete their comments: DELETE /admin/readers/${id}/comments.`
        : `${id} was already banned.`,
      HTML,
    );
  });
  composer.command('unban', async (ctx, next) => {
    if (!isAdmin(ctx)) return next();
    const id = ctx.payload.trim();
    if (!/^[1-9]\d{0,15}$/.test(id)) return void (await ctx.reply(banUsage('unban'), HTML));
    const lifted = await moderation.unban(Number(id));
    deps.logger.info('reader unbanned by an admin', { userId: Number(id), adminId: ctx.from.id, lifted });
    await ctx.reply(lifted ? `✅ ${id} may comment again.` : `${id} was not banned.`, HTML);
  });

  const confirmDelete = async (ctx: Context, id: string, confirm: boolean): Promise<void> => {
    if (!isAdmin(ctx)) return answerOutOfDate(ctx);
    const meta = await deps.store.articles.getArticle(id);
    const title = meta ? `“<b>${e(meta.title)}</b>”` : `<code>${e(id)}</code>`;
    let text: string;
    if (!confirm) {
      await answer(ctx, 'Kept.');
      text = `Kept ${title}.`;
    } else {
      const deleted = await deps.store.articles.deleteArticle(id);
      deps.logger.info('article deleted by an admin', { articleId: id, adminId: ctx.from?.id, deleted });
      await answer(ctx, deleted ? '🗑 Deleted.' : 'It was already deleted.');
      text = deleted ? `🗑 Deleted ${title}.` : `${title} was already deleted.`;
    }
    // Replace the question so its buttons cannot be pressed again.
    try {
      await ctx.editMessageText(text, HTML);
    } catch (err) {
      // Too old to edit, or deleted by the admin: the deletion itself is done and answered.
      if (!(err instanceof TelegramError && err.code === 400)) throw err;
      deps.logger.warn('could not update the confirmation message', { error: err });
    }
  };

  return {
    composer,
    buttons: [onButton(deleteArticleButton, (ctx, { id, confirm }) => confirmDelete(ctx, id, confirm))],
  };
}
