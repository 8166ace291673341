import {
  type BotApiStandIn,
  type BotInfo,
  createBotApiStandIn,
} from '../../../functions/local/telegram-stand-in';

export const TOKEN = '123456789:FAKE-test-token-for-the-stand-in';
export const BOT: BotInfo = {
  id: 123456789,
  is_bot: true,
  first_name: 'Herald',
  username: 'herald_test_bot',
};
export const CHAT = 1001;

export interface ApiReply {
  status: number;
  body: { ok: boolean; result?: unknown; error_code?: number; description?: string };
}

/** A started stand-in and a raw Bot API client for it (fetch, JSON body). */
export async function startStandIn(): Promise<{
  standIn: BotApiStandIn;
  call: (method: string, params: Record<string, unknown>) => Promise<ApiReply>;
}> {
  const standIn = createBotApiStandIn({ token: TOKEN, botInfo: BOT, now: () => Date.UTC(2026, 10, 25, 12) });
  const apiRoot = await standIn.start();
  const call = async (method: string, params: Record<string, unknown>): Promise<ApiReply> => {
    const response = await fetch(`${apiRoot}/bot${TOKEN}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    return { status: response.status, body: (await response.json()) as ApiReply['body'] };
  };
  return { standIn, call };
}

/** The Bot API's answer for a 400 with this reason. */
export const rejected = (reason: string): ApiReply => ({
  status: 400,
  body: { ok: false, error_code: 400, description: `Bad Request: ${reason}` },
});
