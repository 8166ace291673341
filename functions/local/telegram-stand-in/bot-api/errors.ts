/**
 * Errors the Bot API side answers, and the texts Telegram uses for them. Where Telegram's text
 * is not documented anywhere the stand-in could check, the constant says so.
 */

/** An answer with `ok: false`; handlers throw it and the dispatcher turns it into the envelope. */
export class BotApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(`${code}: ${description}`);
    this.name = 'BotApiError';
  }
}

export const badRequest = (text: string): BotApiError => new BotApiError(400, `Bad Request: ${text}`);

export const QUERY_TOO_OLD = 'query is too old and response timeout expired or query ID is invalid';
export const MESSAGE_NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';
export const GET_UPDATES_WITH_WEBHOOK =
  "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
export const GET_UPDATES_TERMINATED =
  'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';

/** Telegram's texts for the error codes a fault may carry. */
export function defaultFaultDescription(code: number, retryAfter: number): string {
  switch (code) {
    case 400:
      return 'Bad Request: chat not found';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden: bot was blocked by the user';
    case 404:
      return 'Not Found';
    case 409:
      return GET_UPDATES_TERMINATED;
    case 429:
      return `Too Many Requests: retry after ${retryAfter}`;
    case 502:
      return 'Bad Gateway';
    default:
      return 'Internal Server Error';
  }
}

/** The JSON envelope of a failed call. */
export function errorBody(error: BotApiError): Record<string, unknown> {
  const body: Record<string, unknown> = { ok: false, error_code: error.code, description: error.description };
  if (error.parameters !== undefined) body.parameters = error.parameters;
  return body;
}
