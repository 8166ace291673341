/**
 * What the alert tests share: a fresh table on DynamoDB Local and a Bot API stand-in (no webhook: alerts
 * are outbound only). `stop()` is safe after a failed start.
 */
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
