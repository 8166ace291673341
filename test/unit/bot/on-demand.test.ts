/**
 * The main bundle's entries for on-demand features must agree with the modules they load: a
 * button code missing from an entry would never reach its feature (the module is not loaded yet).
 * Commands are checked by driving them through the bot (test/integration/admin/admin-bot.test.ts).
 */
import { callbackCode } from '../../../functions/bot/callback';
import type { BotDeps } from '../../../functions/bot/deps';
import { ON_DEMAND } from '../../../functions/bot/on-demand';
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
