/**
 * The main bundle's entries for on-demand features must agree with the modules they load: a
 * button code missing from an entry would never reach its feature (the module is not loaded yet).
 * Commands are checked by driving them through the bot (test/integration/admin/admin-bot.test.ts).
 */

import { Composer, Context, type Telegram } from 'telegraf';
import type { Update, UserFromGetMe } from 'telegraf/types';
import { callbackCode } from '../../../functions/bot/callback';
import type { BotDeps } from '../../../functions/bot/deps';
import { ON_DEMAND, type OnDemandEntry, onDemandFeature } from '../../../functions/bot/on-demand';
import { loadConfig } from '../../../functions/config';
import { createLogger } from '../../../functions/logger';
import { createInMemoryStore } from '../../helpers/in-memory-store';

describe.each(Object.entries(ON_DEMAND))('on-demand feature %s', (_name, entry) => {
  const deps = {
    config: loadConfig({ TELEGRAM_BOT_TOKEN: '1:x', BOT_USERNAME: 'HeraldBot', ADMIN_IDS: '' }),
    store: createInMemoryStore(),
    logger: createLogger({ logLevel: 'SILENT' }),
    now: () => new Date(),
  } as unknown as BotDeps;

  it('lists exactly the button codes its module answers', () => {
    // Act
    const feature = entry.load().createFeature(deps);

    // Assess
    expect(feature.buttons.map((b) => b.code).sort()).toEqual([...entry.buttonCodes].sort());
  });
});

describe('callbackCode', () => {
  it.each([
    ['1:ad:x:y', 'ad'],
    ['1:ad', 'ad'],
    ['2:ad:x', undefined],
    ['1:ADX:x', undefined],
    ['1:abcd:x', undefined],
    ['', undefined],
  ])('%s → %s', (data, code) => {
    expect(callbackCode(data)).toBe(code);
  });
});

describe('onDemandFeature', () => {
  const deps = {} as BotDeps;
  const update = (u: object) =>
    new Context({ update_id: 1, ...u } as Update, {} as Telegram, { username: 'HeraldBot' } as UserFromGetMe);

  function probe(handles: OnDemandEntry['handles']) {
    const seen = { loads: 0, runs: 0, passed: 0 };
    const entry: OnDemandEntry = {
      admits: () => true,
      commands: ['probe'],
      buttonCodes: [],
      handles,
      load: () => {
        seen.loads += 1;
        return {
          createFeature: () => ({
            composer: new Composer<Context>(() => {
              seen.runs += 1;
            }),
            buttons: [],
          }),
        };
      },
    };
    const feature = onDemandFeature(entry, deps);
    const dispatch = (ctx: Context) =>
      feature.composer.middleware()(ctx, async () => {
        seen.passed += 1;
      });
    return { seen, dispatch };
  }

  it('loads its module once, for the updates it says it handles, and passes the rest on', async () => {
    // Prepare
    const { seen, dispatch } = probe((ctx) => 'my_chat_member' in ctx.update);

    // Act
    await dispatch(update({ my_chat_member: {} }));
    await dispatch(update({ my_chat_member: {} }));
    await dispatch(update({ edited_message: {} }));

    // Assess
    expect(seen).toEqual({ loads: 1, runs: 2, passed: 1 });
  });

  it('loads nothing for updates it does not handle', async () => {
    // Prepare
    const { seen, dispatch } = probe(undefined);

    // Act
    await dispatch(update({ my_chat_member: {} }));

    // Assess
    expect(seen).toEqual({ loads: 0, runs: 0, passed: 1 });
  });
});
