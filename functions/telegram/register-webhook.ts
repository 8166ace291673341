/**
 * Webhook registration with the Telegram Bot API: the deploy-time side of the bot.
 *
 * Plain `fetch` (Node ≥ 18) on purpose: the registrar runs three calls per deploy and does
 * not need Telegraf's client, so its bundle stays tiny and it has no dependency to keep
 * in step with the bot's.
 */

/** The update types the bot handles; Telegram drops every other type before delivery. */
export const ALLOWED_UPDATES = [
  'message',
  'callback_query',
  'inline_query',
  'chosen_inline_result',
  'my_chat_member',
] as const;

/**
 * Telegram opens at most this many concurrent HTTPS connections to the webhook, which
 * bounds the webhook function's concurrency (see docs/deploy.md).
 */
export const MAX_CONNECTIONS = 40;

/**
 * One command menu shown by Telegram clients (`/` button), order is display order: the default
 * one (no `language_code`) and one per interface language. The caller builds them from the
 * catalogues (functions/i18n/commands.ts `commandMenus()`).
 */
export interface CommandMenuParams {
  readonly language_code?: string;
  readonly commands: readonly { readonly command: string; readonly description: string }[];
}

/** Per-call timeout: the registrar function has 30 s for up to three calls. */
const CALL_TIMEOUT_MS = 8_000;

/** Telegram answered `ok: false`, or not with the Bot API's JSON envelope at all. */
export class TelegramApiError extends Error {
  override name = 'TelegramApiError';

  constructor(
    /** The Bot API method that failed, e.g. `setWebhook`. */
    readonly method: string,
    /** Telegram's `error_code` (an HTTP status), or the HTTP status when the body was not JSON. */
    readonly errorCode: number,
    /** Telegram's `description`, e.g. `Unauthorized` or `Bad Request: bad webhook: ...`. */
    readonly description: string,
  ) {
    super(`Telegram ${method} failed (${errorCode}): ${description}`);
  }
}

/** What every call needs; the token is used only in the request path and never logged or thrown. */
export interface BotApiTarget {
  /** Bot API root without trailing slash, e.g. `https://api.telegram.org` or a local stand-in. */
  readonly apiRoot: string;
  readonly token: string;
  /** Injectable for tests; defaults to the global `fetch`. */
  readonly fetchImpl?: typeof fetch;
}

export interface RegisterWebhookOptions extends BotApiTarget {
  /** The public HTTPS URL of `POST /telegram/webhook`. */
  readonly url: string;
  /** Sent back by Telegram in `X-Telegram-Bot-Api-Secret-Token` on every delivery. */
  readonly secretToken: string;
  /** Drop updates queued while no webhook was set (true on first install only). */
  readonly dropPending: boolean;
  /** The command menus, one `setMyCommands` call each (the default first). */
  readonly commandMenus: readonly CommandMenuParams[];
}

interface BotApiEnvelope {
  ok?: unknown;
  error_code?: unknown;
  description?: unknown;
}

/**
 * Calls one Bot API method with a JSON body and returns its `result`.
 * Throws {@link TelegramApiError} on `ok: false` or a non-JSON answer; the message carries
 * Telegram's description but never the URL (which contains the token).
 */
async function callBotApi(
  target: BotApiTarget,
  method: string,
  params: Record<string, unknown>,
): Promise<unknown> {
  const doFetch = target.fetchImpl ?? fetch;
  const root = target.apiRoot.replace(/\/+$/, '');
  const response = await doFetch(`${root}/bot${target.token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
  const text = await response.text();
  let body: BotApiEnvelope & { result?: unknown };
  try {
    body = JSON.parse(text) as BotApiEnvelope & { result?: unknown };
  } catch {
    throw new TelegramApiError(method, response.status, `non-JSON response (HTTP ${response.status})`);
  }
  if (body.ok !== true) {
    const code = typeof body.error_code === 'number' ? body.error_code : response.status;
    const description = typeof body.description === 'string' ? body.description : 'no description';
    throw new TelegramApiError(method, code, description);
  }
  return body.result;
}

/** Publishes the command menus: one `setMyCommands` per menu (Telegram keeps one per language). */
export async function setCommandMenus(
  target: BotApiTarget,
  menus: readonly CommandMenuParams[],
): Promise<void> {
  for (const menu of menus) await callBotApi(target, 'setMyCommands', { ...menu });
}

/**
 * Points the bot's webhook at `url` and publishes the command menus.
 *
 * `setWebhook` is idempotent, so calling this on every deploy is safe; `dropPending` should
 * be true only on first install, so a redeploy never discards updates readers already sent.
 *
 * @throws {TelegramApiError} with Telegram's description (e.g. 401 Unauthorized for a wrong token).
 */
export async function registerWebhook(opts: RegisterWebhookOptions): Promise<void> {
  await callBotApi(opts, 'setWebhook', {
    url: opts.url,
    secret_token: opts.secretToken,
    allowed_updates: ALLOWED_UPDATES,
    max_connections: MAX_CONNECTIONS,
    drop_pending_updates: opts.dropPending,
  });
  await setCommandMenus(opts, opts.commandMenus);
}

/**
 * Removes the webhook (pending updates are kept, so long polling can pick them up).
 *
 * @throws {TelegramApiError} with Telegram's description.
 */
export async function unregisterWebhook(opts: BotApiTarget): Promise<void> {
  await callBotApi(opts, 'deleteWebhook', { drop_pending_updates: false });
}
