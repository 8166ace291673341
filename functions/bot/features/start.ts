/** startFeature: /start (with deep links), /help and the answer to unknown commands. */
import { Composer, type Context } from 'telegraf';
import { isForThisBot, parseCommand } from '../command-text';
import { parseDeepLink } from '../deep-link';
import type { BotDeps } from '../deps';
import { tr } from '../locale';
import { ON_DEMAND, onDemandModule } from '../on-demand';
import { replyHtml, sendView } from '../respond';
import { notFound, welcome } from '../views';
import { openArticle } from './articles';
import { showAuthor } from './authors';
import type { Feature } from './types';

export function startFeature(deps: BotDeps): Feature {
  const composer = new Composer<Context>();
  composer.start(async (ctx) => {
    const link = parseDeepLink(ctx.payload);
    switch (link.kind) {
      case 'none':
        // Recorded on the plain /start only: a deep link opens its target in the fewest calls
        // (two DynamoDB calls for an article), and nothing else needs the profile to exist.
        await deps.store.sessions.touchUser({
          id: ctx.from.id,
          firstName: ctx.from.first_name,
          username: ctx.from.username,
          languageCode: ctx.from.language_code,
        });
        await sendView(ctx, welcome(tr(ctx), ctx.from.first_name));
        return;
      case 'article':
        await openArticle(ctx, deps, link.id);
        return;
      case 'comment':
        await onDemandModule(ON_DEMAND.comments).promptComment(ctx, deps, link.id);
        return;
      case 'read':
        await onDemandModule(ON_DEMAND.reading).readArticle(ctx, deps, link.id);
        return;
      case 'author':
        await showAuthor(ctx, deps, link.handle);
        return;
      case 'share':
        if (await onDemandModule(ON_DEMAND.share).openShare(ctx, deps, link.code)) return;
        await sendView(ctx, notFound(tr(ctx), tr(ctx).t('start-share-link-invalid')));
        return;
      case 'invalid':
        await sendView(ctx, notFound(tr(ctx), tr(ctx).t('start-link-invalid')));
        return;
    }
  });
  composer.help((ctx) => replyHtml(ctx, tr(ctx).t('help-text')));
  return { composer, buttons: [] };
}

/** Last in the chain: an unknown command gets a short pointer to /help; other updates are accepted silently. */
export function unknownCommandFeature(): Feature {
  const composer = new Composer<Context>();
  composer.on('text', async (ctx) => {
    const command = parseCommand(ctx.message.text);
    // `/cmd@OtherBot` is another bot's; in a group a bare `/cmd` may be too (other bots share
    // the chat): answer only what is certainly addressed to this bot, never spam the group.
    if (!command || !isForThisBot(command, ctx.me, ctx.chat.type)) return;
    await replyHtml(ctx, tr(ctx).t('start-unknown-command'));
  });
  return { composer, buttons: [] };
}
