/**
 * privacyFeature (issue 17, item 2): `/privacy` says what Herald stores and why and links the
 * publisher's policy (config PRIVACY_POLICY_URL); `/forget_me` asks first, then erases the reader
 * (core/use-cases/forget-reader.ts) in bounded steps, offering to go on when there is more than a
 * press's worth. Loaded on demand (bot/on-demand/privacy.ts): readers ask rarely.
 */
import { Composer, type Context, TelegramError } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { truncate } from '../../core/text';
import { type ForgetStore, forgetReader } from '../../core/use-cases/forget-reader';
import { attr, ltr, type Translator } from '../../i18n';
import { defineCallback, field } from '../callback';
import type { BotDeps } from '../deps';
import { tr } from '../locale';
import { answer, replyHtml, sender } from '../respond';
import { type Feature, onButton } from './types';

/** Erase (`y`) or keep (`n`): `1:fm:y`. */
export const forgetButton = defineCallback('fm', { confirm: field.yesNo });

/** Erasure steps one press runs (each ≤ FORGET_BATCH items): a light reader is done in one. */
const STEPS_PER_PRESS = 8;

const confirmKeyboard = (t: Translator, yes: string): InlineKeyboardMarkup => ({
  inline_keyboard: [
    [
      { text: t.text(yes), callback_data: forgetButton.encode({ confirm: true }) },
      { text: t.text('forget-button-no'), callback_data: forgetButton.encode({ confirm: false }) },
    ],
  ],
});

/** What the erasure needs beyond the bot's store (built by the on-demand module). */
export type ErasureStore = ForgetStore;

export function privacyFeature(deps: BotDeps, store: ErasureStore): Feature {
  const composer = new Composer<Context>();

  composer.command('privacy', async (ctx) => {
    const t = tr(ctx);
    const url = deps.config.privacyPolicyUrl;
    const policy = url
      ? t.t('privacy-policy-link', { url: attr(url), label: ltr(truncate(url, 100)) })
      : t.t('privacy-no-policy');
    await replyHtml(ctx, `${t.t('privacy-text')}\n\n${policy}`);
  });

  composer.command('forget_me', async (ctx) => {
    const t = tr(ctx);
    await replyHtml(ctx, t.t('forget-confirm'), confirmKeyboard(t, 'forget-button-yes'));
  });

  /** The question's message becomes the answer, so its buttons cannot be pressed again. */
  const settle = async (ctx: Context, html: string, keyboard?: InlineKeyboardMarkup) => {
    try {
      await ctx.editMessageText(html, {
        parse_mode: 'HTML',
        ...(keyboard ? { reply_markup: keyboard } : {}),
      });
    } catch (err) {
      if (!(err instanceof TelegramError && err.code === 400)) throw err;
      await replyHtml(ctx, html, keyboard);
    }
  };

  return {
    composer,
    buttons: [
      onButton(forgetButton, async (ctx, { confirm }) => {
        const t = tr(ctx);
        await answer(ctx);
        if (!confirm) return settle(ctx, t.t('forget-kept'));
        const userId = sender(ctx).id;
        let done = false;
        for (let i = 0; i < STEPS_PER_PRESS && !done; i++) ({ done } = await forgetReader(store, userId));
        deps.logger.info('reader erased', { done });
        if (done) return settle(ctx, t.t('forget-done'));
        await settle(ctx, t.t('forget-more'), confirmKeyboard(t, 'forget-button-continue'));
      }),
    ],
  };
}
