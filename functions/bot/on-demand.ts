/**
 * Features loaded on first use, so the webhook's cold start carries only the reader's hot path.
 *
 * A rarely used feature (the admin commands, say) lives in `on-demand/<name>.ts` and exports
 * `createFeature(deps)`. The main bundle keeps only a small entry per feature: who may reach it,
 * which commands and button codes are its own. The first update that needs it `require`s the
 * module and builds the feature once per process; later updates reuse it.
 *
 * In Lambda bundles the module is a separate file, `on-demand/<name>.js` beside `index.js`
 * (lib/constructs/bundle.ts builds it; the main bundle keeps `./on-demand/*` external). The side
 * file gets telegraf from the main bundle (functions/shims/provided-telegraf.js) so `instanceof
 * TelegramError` and Composer mean the same on both sides. Under tsx and jest the same `require`
 * loads the TypeScript source, so every test drives the real feature; the bundled end-to-end
 * test (test/integration/handlers/webhook-bundle.test.ts) proves the split files load.
 */
import * as telegraf from 'telegraf';
import { Composer, type Context } from 'telegraf';
import { callbackCode } from './callback';
import type { BotDeps } from './deps';
import type { ButtonRoute, Feature } from './features/types';
import { answerOutOfDate } from './respond';

/** What an on-demand module exports. */
export interface OnDemandModule {
  createFeature(deps: BotDeps): Feature;
}

/** The main bundle's entry for one on-demand feature. */
export interface OnDemandEntry<M extends OnDemandModule = OnDemandModule> {
  /** Whether this update may reach the feature at all; nothing loads when it may not. */
  admits(ctx: Context, deps: BotDeps): boolean;
  /** The commands it answers (without the slash). */
  readonly commands: readonly string[];
  /**
   * Other updates it answers (a `my_chat_member`, a reply to its own question…), decided without
   * loading it; such an update loads the module and runs its composer. Cheap checks only.
   */
  handles?(ctx: Context, deps: BotDeps): boolean;
  /** The callback codes of its buttons (bot/callback.ts); a test checks they match the module's. */
  readonly buttonCodes: readonly string[];
  /** Loads the module (a `require` of `./on-demand/<name>` with a literal path: see above). */
  load(): M;
}

/** The key under which the main bundle hands its telegraf to side files (shims/provided-telegraf.js). */
export const PROVIDED_TELEGRAF = Symbol.for('herald.provided.telegraf');

const isAdmin = (ctx: Context, deps: BotDeps): boolean =>
  ctx.from !== undefined && deps.config.adminIds.includes(ctx.from.id);

/** The on-demand features, in the order they are mounted. */
export const ON_DEMAND = {
  admin: {
    admits: isAdmin,
    commands: ['stats', 'delete_article', 'feeds', 'ban', 'unban'],
    buttonCodes: ['ad'],
    load: () => require('./on-demand/admin') as OnDemandModule,
  },
  /**
   * Reading a whole article: the renderers (Rich Messages, HTML pages) wait for the first "Read"
   * press or `r_` link; the card, lists and subscribe buttons do not need them.
   */
  reading: {
    admits: () => true,
    commands: [],
    buttonCodes: ['f'],
    load: () => require('./on-demand/reading') as typeof import('./on-demand/reading'),
  },
  /**
   * Groups and channels: a group's /subscribe and /unsubscribe (before the readers' own, which
   * answer in private chats), the bot added to or removed from a group or channel, a group that
   * became a supergroup, and an admin's /channels. Readers in private chats never load it.
   */
  groups: {
    admits: (ctx, deps) => (ctx.chat !== undefined && ctx.chat.type !== 'private') || isAdmin(ctx, deps),
    commands: ['subscribe', 'unsubscribe', 'channels'],
    handles: (ctx) => {
      const member = ctx.update && 'my_chat_member' in ctx.update ? ctx.update.my_chat_member : undefined;
      if (member) return member.chat.type !== 'private';
      const message = ctx.message;
      return message !== undefined && 'migrate_to_chat_id' in message;
    },
    buttonCodes: ['ch'],
    load: () => require('./on-demand/groups') as OnDemandModule,
  },
  /**
   * Sharing: inline mode (`@bot words`, the Share button's prefilled `#<id>`), a friend's share
   * link (loaded by the start feature), `/shared` and the Share button. A reader who never shares
   * never loads it.
   */
  share: {
    admits: () => true,
    commands: ['shared'],
    handles: (ctx) => ctx.inlineQuery !== undefined || ctx.chosenInlineResult !== undefined,
    buttonCodes: ['sh'],
    load: () => require('./on-demand/share') as typeof import('./on-demand/share'),
  },
  /**
   * Comments: their buttons, `/cancel`, a `c_` link (loaded by the start feature) and a text that
   * may be the comment the bot asked for: any private text that is not a command, and in a group
   * only a reply to the bot (the module asks the session and passes the text on otherwise).
   */
  comments: {
    admits: () => true,
    commands: ['cancel'],
    handles: (ctx) => {
      const msg = ctx.message;
      if (msg === undefined || !('text' in msg) || msg.text.startsWith('/')) return false;
      return ctx.chat?.type === 'private' || msg.reply_to_message?.from?.id === ctx.botInfo.id;
    },
    buttonCodes: ['c', 'co', 'cn', 'pc', 'dc', 'cf'],
    load: () => require('./on-demand/comments') as typeof import('./on-demand/comments'),
  },
  /** /language: a setting a reader changes once, so its code waits until someone asks. */
  language: {
    admits: () => true,
    commands: ['language'],
    buttonCodes: ['lg'],
    load: () => require('./on-demand/language') as OnDemandModule,
  },
  /**
   * /settings, /tag and /tags: delivery modes, time zone, digest hour and day, quiet hours, tags,
   * topics per author;
   * also the mode and 🏷 Tags buttons that cards, profiles and /subscriptions draw.
   */
  settings: {
    admits: () => true,
    commands: ['settings', 'tag', 'tags'],
    // `tp`: topics per author (features/topic-settings.ts).
    buttonCodes: ['st', 'tp'],
    load: () => require('./on-demand/settings') as OnDemandModule,
  },
  /** /privacy and /forget_me: asked rarely, and the erasure's code is only needed then. */
  privacy: {
    admits: () => true,
    commands: ['privacy', 'forget_me'],
    buttonCodes: ['fm'],
    load: () => require('./on-demand/privacy') as OnDemandModule,
  },
} as const satisfies Record<string, OnDemandEntry>;

/**
 * An on-demand module itself, loaded on this first call (telegraf handed over first), for another
 * feature that calls one of its exports (the start feature's `r_` link reads an article).
 */
export function onDemandModule<M extends OnDemandModule>(entry: OnDemandEntry<M>): M {
  (globalThis as Record<symbol, unknown>)[PROVIDED_TELEGRAF] = telegraf;
  return entry.load();
}

/**
 * A Feature that stands for an on-demand one: its composer loads the module for its own commands
 * (when admitted) and falls through otherwise; its buttons load it for their codes. A press that
 * is not admitted answers like any unknown button, so nobody can tell the feature exists.
 */
export function onDemandFeature(entry: OnDemandEntry, deps: BotDeps): Feature {
  let feature: Feature | undefined;
  const loaded = (): Feature => {
    feature ??= onDemandModule(entry).createFeature(deps);
    return feature;
  };
  const composer = new Composer<Context>();
  const run = (ctx: Context, next: () => Promise<void>) =>
    entry.admits(ctx, deps) ? loaded().composer.middleware()(ctx, next) : next();
  composer.command([...entry.commands], run);
  const { handles } = entry;
  if (handles) composer.use((ctx, next) => (handles(ctx, deps) ? run(ctx, next) : next()));
  const buttons: ButtonRoute[] = entry.buttonCodes.map((code) => ({
    code,
    match(data) {
      if (callbackCode(data) !== code) return undefined;
      return async (ctx) => {
        if (!entry.admits(ctx, deps)) return answerOutOfDate(ctx);
        const handle = loaded()
          .buttons.find((b) => b.code === code)
          ?.match(data);
        return handle ? handle(ctx) : answerOutOfDate(ctx);
      };
    },
  }));
  return { composer, buttons };
}
