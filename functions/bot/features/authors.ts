/** authorsFeature: author profiles, the authors list and an author's articles. */
import { Composer, type Context } from 'telegraf';
import { HANDLE_PATTERN } from '../../core/ids';
import type { Translator } from '../../i18n';
import type { BotDeps } from '../deps';
import { tr } from '../locale';
import { answer, replyHtml, sendView, showView } from '../respond';
import { authorArticlesList, authorProfile, authorsList, handleArg, notFound, PAGE_SIZE } from '../views';
import { authorArticlesButton, authorButton, authorsButton } from './authors-buttons';
import { type Feature, onButton } from './types';

const LATEST_ON_PROFILE = 5;

/** Normalizes a user-typed handle ("@JDoe" → "jdoe"); undefined when it cannot be one. */
export function parseHandle(text: string | undefined): string | undefined {
  const h = (text ?? '').trim().replace(/^@/, '').toLowerCase();
  return HANDLE_PATTERN.test(h) ? h : undefined;
}

/** Builds the profile view for a user (with their subscribe state); undefined when unknown. */
export async function profileView(
  t: Translator,
  deps: BotDeps,
  handle: string,
  userId: number | undefined,
  inGroupOf?: string,
) {
  // In a group the profile's button opens the private chat: no reader state to read.
  const reader = inGroupOf === undefined ? userId : undefined;
  const [author, latest, mode] = await Promise.all([
    deps.store.authors.getAuthor(handle),
    deps.store.articles.byAuthor(handle, 0, LATEST_ON_PROFILE),
    reader === undefined ? undefined : deps.store.subscriptions.subscriptionMode(reader, handle),
  ]);
  return author
    ? authorProfile(
        t,
        author,
        latest.items,
        reader === undefined ? undefined : mode !== undefined,
        mode,
        inGroupOf,
      )
    : undefined;
}

/** Sends an author's profile, or a friendly "not found". */
export async function showAuthor(ctx: Context, deps: BotDeps, handle: string, edit = false): Promise<void> {
  const t = tr(ctx);
  const inGroupOf = ctx.chat !== undefined && ctx.chat.type !== 'private' ? ctx.me : undefined;
  const view = await profileView(t, deps, handle, ctx.from?.id, inGroupOf);
  if (!view) {
    await answer(ctx, t.text('authors-unavailable-toast'));
    if (!ctx.callbackQuery)
      await sendView(ctx, notFound(t, t.t('authors-not-found', { handle: handleArg(handle) })));
    return;
  }
  await answer(ctx);
  await showView(ctx, view, edit);
}

export function authorsFeature(deps: BotDeps): Feature {
  const composer = new Composer<Context>();
  const showAuthors = async (ctx: Context, page: number, edit: boolean) => {
    const result = await deps.store.authors.listAuthors(page * PAGE_SIZE, PAGE_SIZE);
    await answer(ctx);
    await showView(ctx, authorsList(tr(ctx), result, page), edit);
  };
  composer.command('authors', (ctx) => showAuthors(ctx, 0, false));
  composer.command('author', async (ctx) => {
    const arg = ctx.payload.trim();
    if (arg === '') return showAuthors(ctx, 0, false);
    const handle = parseHandle(arg);
    if (!handle) {
      await replyHtml(ctx, tr(ctx).t('authors-handle-invalid'));
      return;
    }
    await showAuthor(ctx, deps, handle);
  });

  return {
    composer,
    buttons: [
      onButton(authorsButton, (ctx, { page }) => showAuthors(ctx, page, true)),
      onButton(authorButton, (ctx, { handle }) => showAuthor(ctx, deps, handle)),
      onButton(authorArticlesButton, async (ctx, { handle, page }) => {
        const [author, result] = await Promise.all([
          deps.store.authors.getAuthor(handle),
          deps.store.articles.byAuthor(handle, page * PAGE_SIZE, PAGE_SIZE),
        ]);
        if (!author) return answer(ctx, tr(ctx).text('authors-unavailable-toast'));
        await answer(ctx);
        await showView(ctx, authorArticlesList(tr(ctx), author, result, page), true);
      }),
    ],
  };
}
