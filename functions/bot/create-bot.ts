/**
 * The composition root of the bot: `createBot(deps, token)` builds a Telegraf instance once
 * (per cold start, per local run, per test) with botInfo preset (no getMe), the Telegram
 * endpoint from config, every feature module, one callback router and one error handler.
 */
import { Context, Telegraf, type Telegram, TelegramError } from 'telegraf';
import type { Update, UserFromGetMe } from 'telegraf/types';
import { NETWORK_ERROR_CODES } from '../core/mechanics/network';
import { HeraldTelegram } from '../telegram/herald-telegram';
import type { BotDeps } from './deps';
import { articlesFeature } from './features/articles';
import { authorsFeature } from './features/authors';
import { personalInGroupsFeature } from './features/personal-in-groups';
import { searchFeature } from './features/search';
import { startFeature, unknownCommandFeature } from './features/start';
import { subscriptionsFeature } from './features/subscriptions';
import { type ButtonRoute, type Feature, onButton } from './features/types';
import { localeMiddleware, telegramTranslator, trIfSet } from './locale';
import { ON_DEMAND, onDemandFeature } from './on-demand';
import { answer, answerOutOfDate } from './respond';
import { updateProblem } from './update-guard';
import { pageNumberButton } from './views';
import { webhookReplySlot, webhookReplyTarget } from './webhook-reply';

/** Thrown out of the bot when the update should be redelivered by Telegram (the store failed). */
export class RetryableUpdateError extends Error {
  override name = 'RetryableUpdateError';
  constructor(override readonly cause: unknown) {
    super('update processing failed on a transient infrastructure error');
  }
}

/**
 * Infrastructure failures worth a redelivery: AWS SDK errors (they carry `$metadata`) and
 * network errors that did not come from Telegram. Telegram errors and bugs are not retried:
 * a redelivery would fail the same way.
 */
export function isTransientInfrastructureError(err: unknown): boolean {
  if (err instanceof TelegramError || !err || typeof err !== 'object') return false;
  const e = err as { $metadata?: unknown; $fault?: string; name?: string; code?: string };
  if (e.$metadata !== undefined)
    return e.$fault !== 'client' || /Throttl|ProvisionedThroughput|RequestLimit/.test(e.name ?? '');
  // Not a `TimeoutError` without `$metadata`: that is a Bot API call timing out (the message
  // may have been sent, so a redelivery could send it twice). The SDK's retry layer puts
  // `$metadata` on its own timeouts.
  return NETWORK_ERROR_CODES.has(e.code ?? '');
}

/** Builds the bot. The same factory serves Lambda, `npm start` and the tests. */
export function createBot(deps: BotDeps, token: string): Telegraf<Context> {
  const { config, logger } = deps;
  /**
   * Each update's context carries its own Bot API client: every call retries 429/5xx within
   * the update's deadline, and the first eligible one may ride in the webhook response.
   */
  class HeraldContext extends Context {
    constructor(update: Update, telegram: Telegram, botInfo: UserFromGetMe) {
      const slot = webhookReplySlot(update);
      const deadline = (slot?.deadline ?? Date.now() + config.handlerTimeoutMs) - 500;
      super(
        update,
        new HeraldTelegram(telegram.token, telegram.options, {
          deadline,
          webhookReply: slot && webhookReplyTarget(slot),
          paidBroadcast: config.paidBroadcastStarsPerRun > 0,
        }),
        botInfo,
      );
    }
  }
  const bot = new Telegraf<Context>(token, {
    contextType: HeraldContext,
    // Every update comes through the webhook handler (Lambda, `npm start`, tests), which keeps
    // the time budget from the start of the invocation and, past it, still waits for the
    // handler to settle so the update is marked done exactly once. Telegraf's timeout would
    // only hide that settlement from it.
    handlerTimeout: Number.POSITIVE_INFINITY,
    telegram: { apiRoot: config.telegramApiRoot, webhookReply: false },
  });
  const botId = Number(token.split(':')[0]);
  bot.botInfo = {
    id: Number.isSafeInteger(botId) ? botId : 0,
    is_bot: true,
    first_name: 'Herald',
    username: config.botUsername,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: true,
  };

  // A forged or corrupted update would crash a feature halfway: drop it before any runs.
  bot.use((ctx, next) => {
    const problem = updateProblem(ctx.update);
    if (problem === undefined) return next();
    logger.warn('malformed update ignored', { updateId: ctx.update.update_id, problem });
  });
  bot.use(localeMiddleware(deps));

  const features: Feature[] = [
    // First: in a group a member's personal command never reaches the features that would answer it there.
    personalInGroupsFeature(),
    startFeature(deps),
    onDemandFeature(ON_DEMAND.share, deps),
    articlesFeature(deps),
    authorsFeature(deps),
    // Before the readers' /subscribe: in a group the command is the group's.
    onDemandFeature(ON_DEMAND.groups, deps),
    subscriptionsFeature(deps),
    onDemandFeature(ON_DEMAND.admin, deps),
    onDemandFeature(ON_DEMAND.reading, deps),
    onDemandFeature(ON_DEMAND.language, deps),
    onDemandFeature(ON_DEMAND.settings, deps),
    onDemandFeature(ON_DEMAND.privacy, deps),
    onDemandFeature(ON_DEMAND.comments, deps),
    searchFeature(deps),
  ];
  const buttons: ButtonRoute[] = [
    onButton(pageNumberButton, (ctx) => answer(ctx)),
    ...features.flatMap((f) => f.buttons),
  ];
  const codes = buttons.map((b) => b.code);
  const taken = codes.find((c, i) => codes.indexOf(c) !== i);
  if (taken !== undefined) throw new Error(`two features answer callback code ${taken}`);

  bot.on('callback_query', async (ctx, next) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    if (data === undefined) return next();
    // Herald puts callback buttons only on messages in chats; a press on an inline message
    // (no chat) has nowhere to show a reply.
    if (ctx.chat === undefined) return answerOutOfDate(ctx);
    // Each feature recognises only its own buttons; data nobody recognises (another version, a
    // forged or malformed payload, a button kind that no longer exists) is out of date.
    for (const button of buttons) {
      const handle = button.match(data);
      if (handle) return handle(ctx);
    }
    return answerOutOfDate(ctx);
  });

  for (const f of features) bot.use(f.composer);
  bot.use(unknownCommandFeature().composer);

  bot.catch(async (err, ctx) => {
    const context = {
      updateId: ctx.update.update_id,
      updateType: ctx.updateType,
      chatId: ctx.chat?.id,
      userId: ctx.from?.id,
    };
    if (isTransientInfrastructureError(err)) {
      logger.warn('transient failure; asking Telegram to redeliver', { ...context, error: err as Error });
      throw new RetryableUpdateError(err);
    }
    logger.error('update failed', { ...context, error: err as Error });
    // Tell the person something went wrong; never let this second failure escape.
    try {
      // The locale's read may be what failed: then Telegram's language_code decides.
      const t = trIfSet(ctx) ?? telegramTranslator(ctx, deps.i18n);
      if (ctx.callbackQuery) await answer(ctx, t.text('common-error-toast'));
      else if (ctx.chat && ctx.message) await ctx.reply(t.t('common-error'), { parse_mode: 'HTML' });
    } catch (replyErr) {
      logger.warn('could not tell the user about the failure', { ...context, error: replyErr as Error });
    }
  });
  return bot;
}
