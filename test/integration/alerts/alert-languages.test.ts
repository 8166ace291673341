/**
 * Issue 13: each subscriber's alert is written in their language, end to end — subscriptions
 * keep the reader's locale, the fan-out carries it in its pages and queue messages (no profile
 * read per recipient), the sender draws one card per language — on DynamoDB Local and the
 * stand-in, over more recipients than one queue message holds.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createLocalAlerts } from '../../../functions/alerts/local-alerts';
import type { AlertMessage } from '../../../functions/alerts/queue';
import { alertRenderer } from '../../../functions/bot/views';
import { publishArticle, publishAuthor } from '../../../functions/core/publishing';
import { createI18n, FSI, PDI } from '../../../functions/i18n';
import type { BotApiStandIn } from '../../../functions/local/telegram-stand-in';
import { runAlertFor, startAlertsRig, stopAlertsRig } from '../../helpers/alerts-rig';
import { eachLimit } from '../../helpers/each-limit';
import type { TestStore } from '../../helpers/test-store';

const TOKEN = '123456789:TEST-token-for-the-alerts-stand-in-0';

let ts: TestStore;
let standIn: BotApiStandIn;
let apiRoot: string;

beforeAll(async () => {
  ({ ts, standIn, apiRoot } = await startAlertsRig(TOKEN));
});

afterAll(async () => {
  await stopAlertsRig({ ts, standIn });
});

/** 120 subscribers (three queue messages), languages in turn; every fifth subscribed before languages were kept. */
const LANGS = ['ar', 'ur', 'ru', 'en', undefined] as const;
const users = Array.from({ length: 120 }, (_, i) => ({ id: 50_001 + i, locale: LANGS[i % LANGS.length] }));

const HEADINGS: Record<string, string> = {
  ar: `<i>جديد ${FSI}Anna Ivanova${PDI}</i>`,
  ur: `<i>${FSI}Anna Ivanova${PDI} کی نئی تحریر</i>`,
  ru: `<i>Новое от автора ${FSI}Anna Ivanova${PDI}</i>`,
  en: `<i>New from ${FSI}Anna Ivanova${PDI}</i>`,
};

it('sends every subscriber the alert in their own language, reading no profile', async () => {
  // Prepare
  await publishAuthor(ts.store, { handle: 'ivanova', fullName: 'Anna Ivanova', userSince: '2015-01-02' });
  await eachLimit(users, 20, (u) => ts.store.subscriptions.subscribe(u.id, 'ivanova', u.locale));
  await publishArticle(ts.store, {
    id: 'city-for-people',
    title: 'A city for people',
    authorHandle: 'ivanova',
    body: 'Cities are for people. Streets should serve the people who live on them.',
    publishedAt: '2026-11-25T08:00:00Z',
  });
  const enqueued: AlertMessage[] = [];
  const alerts = createLocalAlerts({
    renderAlert: alertRenderer(createI18n()),
    doc: ts.doc,
    store: ts.store,
    config: { tableName: ts.tableName, alertRatePerSecond: 1000, adminIds: [] },
    telegram: { apiRoot, token: TOKEN },
    logger: new Logger({ logLevel: 'SILENT' }),
  });
  const send = alerts.queue.send.bind(alerts.queue);
  alerts.queue.send = async (messages) => {
    enqueued.push(...messages);
    return send(messages);
  };

  // Act
  try {
    await runAlertFor(alerts, 'city-for-people');
  } finally {
    await alerts.stop();
  }

  // Assess
  const batches = enqueued.filter((m) => m.userIds.length > 0);
  expect(batches).toHaveLength(3);
  for (const m of batches) {
    expect(Object.keys(m.locales ?? {}).every((id) => m.userIds.includes(Number(id)))).toBe(true);
  }
  const wrong = users.flatMap((u) => {
    const sent = standIn.messages(u.id);
    const expected = HEADINGS[u.locale ?? 'en'] ?? '';
    return sent.length === 1 && sent[0]?.sentText?.startsWith(expected)
      ? []
      : [{ ...u, got: sent.map((m) => m.sentText?.split('\n')[0]) }];
  });
  expect(wrong).toEqual([]);
});
