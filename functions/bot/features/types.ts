import type { Composer, Context } from 'telegraf';
import type { CallbackAction } from '../callback-data';

type ActionOf<K extends CallbackAction['a']> = Extract<CallbackAction, { a: K }>;

/** Button handlers a feature owns, keyed by the action they answer. */
export type CallbackHandlers = {
  [K in CallbackAction['a']]?: (ctx: Context, action: ActionOf<K>) => Promise<void>;
};

/** A feature module: its commands/updates (a Composer) and the buttons it answers. */
export interface Feature {
  composer: Composer<Context>;
  callbacks: CallbackHandlers;
}
