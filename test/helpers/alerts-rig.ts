/**
 * What the alert tests share: a fresh table on DynamoDB Local and a Bot API stand-in (no webhook: alerts
 * are outbound only). `stop()` is safe after a failed start.
 */
import type { LocalAlerts } from '../../functions/alerts/local-alerts';
import { type BotApiStandIn, createBotApiStandIn } from '../../functions/local/bot-api-stand-in';
import { startTestStore, type TestStore } from './test-store';

export interface AlertsRig {
  ts: TestStore;
  standIn: BotApiStandIn;
  apiRoot: string;
}

export async function startAlertsRig(token: string): Promise<AlertsRig> {
  const ts = await startTestStore();
  const standIn = createBotApiStandIn({
    token,
    botInfo: { id: 123456789, is_bot: true, first_name: 'Herald', username: 'HeraldTestBot' },
  });
  try {
    return { ts, standIn, apiRoot: await standIn.start() };
  } catch (err) {
    await stopAlertsRig({ ts, standIn });
    throw err;
  }
}

export async function stopAlertsRig(rig: Partial<Pick<AlertsRig, 'ts' | 'standIn'>>): Promise<void> {
  await rig.standIn?.stop();
  await rig.ts?.stop();
}

/**
 * Runs an article's alert without a stream: the fan-out called directly, then the in-memory
 * queue drained; the run's counts after. (The runtime's stream reader does this on its own.)
 */
export async function runAlertFor(
  alerts: LocalAlerts,
  articleId: string,
): Promise<Awaited<ReturnType<LocalAlerts['report']>>> {
  const fanned = await alerts.fanOut(articleId);
  if (!fanned) return undefined;
  do await alerts.drain();
  while (alerts.queue.size > 0);
  return alerts.report(articleId);
}
