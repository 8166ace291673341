import type { Composer, Context } from 'telegraf';
import type { CallbackDef } from '../callback';

/** A button kind a feature answers, and its handler. */
export interface ButtonRoute {
  readonly code: string;
  /** The handler bound to the values when `data` is this button's; undefined otherwise. */
  match(data: string): ((ctx: Context) => Promise<void>) | undefined;
}

/** Pairs a button kind with its handler (the values arrive decoded and validated). */
export function onButton<V>(
  def: CallbackDef<V>,
  handle: (ctx: Context, values: V) => Promise<void>,
): ButtonRoute {
  return {
    code: def.code,
    match(data) {
      const values = def.match(data);
      return values === undefined ? undefined : (ctx) => handle(ctx, values);
    },
  };
}

/** A feature module: its commands/updates (a Composer) and the buttons it answers. */
export interface Feature {
  composer: Composer<Context>;
  buttons: ButtonRoute[];
}
