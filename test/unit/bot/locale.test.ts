/**
 * The locale middleware reads a reader's stored /language choice at most once a minute per
 * process, remembers a choice made in this process at once, and reads again after the minute.
 */
import { Context, type Telegram } from 'telegraf';
import type { Update, UserFromGetMe } from 'telegraf/types';
import { CHOICE_CACHE_MS, localeMiddleware, setTranslator, tr } from '../../../functions/bot/locale';
import { createI18n } from '../../../functions/i18n';
import { createInMemoryStore } from '../../helpers/in-memory-store';

function rig() {
  const store = createInMemoryStore();
  let reads = 0;
  const getLanguage = store.sessions.getLanguage.bind(store.sessions);
  store.sessions.getLanguage = (userId) => {
    reads += 1;
    return getLanguage(userId);
  };
  let now = Date.parse('2026-11-30T10:00:00Z');
  const i18n = createI18n();
  const middleware = localeMiddleware({ store, i18n, now: () => new Date(now) });
  const message = async (userId: number, then: (ctx: Context) => void = () => undefined): Promise<string> => {
    const update = {
      update_id: 1,
      message: {
        message_id: 1,
        date: 0,
        chat: { id: userId, type: 'private' },
        from: { id: userId, is_bot: false, first_name: 'R', language_code: 'en' },
        text: 'hi',
      },
    } as unknown as Update;
    const ctx = new Context(update, {} as Telegram, { username: 'HeraldBot' } as UserFromGetMe);
    let locale = '';
    await middleware(ctx, async () => {
      then(ctx);
      locale = tr(ctx).locale;
    });
    return locale;
  };
  return { store, i18n, message, reads: () => reads, advance: (ms: number) => (now += ms) };
}

describe('localeMiddleware', () => {
  it('reads a reader’s choice once for a run of updates, and again after the minute', async () => {
    // Prepare
    const r = rig();
    await r.store.sessions.setLanguage(7, 'ur');

    // Act
    const first = await r.message(7);
    const second = await r.message(7);
    r.advance(CHOICE_CACHE_MS);
    await r.store.sessions.setLanguage(7, 'ru');
    const later = await r.message(7);

    // Assess
    expect([first, second, later]).toEqual(['ur', 'ur', 'ru']);
    expect(r.reads()).toBe(2);
  });

  it('remembers a choice made in this process at once, without a read', async () => {
    // Prepare
    const r = rig();
    await r.message(8);

    // Act: /language switches the update's translator (and stores the choice).
    await r.message(8, (ctx) => setTranslator(ctx, r.i18n.translator('ar')));
    const next = await r.message(8);

    // Assess
    expect(next).toBe('ar');
    expect(r.reads()).toBe(1);
  });
});
