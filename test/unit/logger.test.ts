/**
 * Errors reach the logs through one serialiser: name, message, code, error_code, description,
 * stack (and an error cause, the same way), nothing else — so neither Telegraf's `on.payload`
 * (the outgoing message) nor an AWS SDK error's item or raw response is ever written.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TelegramError } from 'telegraf';
import { createLogger, serializeError } from '../../functions/logger';

/** Texts a failed call carried; none may appear in a log line. */
const SECRETS = ['SECRET TEXT', 'Zainab Qureshi', 'SECRET COMMENT', 'secret-caption', 'SECRET RAW BODY'];
const ALLOWED_KEYS = ['name', 'message', 'code', 'error_code', 'description', 'stack', 'cause'];

/** A TelegramError built the way Telegraf's client builds one after a failed call. */
function failedSend(errorCode: number, description: string): TelegramError {
  // The Bot API's error response as Telegraf hands it over (it passes the whole body).
  const response = { ok: false, error_code: errorCode, description, parameters: { retry_after: 7 } };
  return new TelegramError(response, {
    method: 'sendMessage',
    payload: {
      chat_id: 4242,
      text: 'SECRET TEXT: a comment by Zainab Qureshi on your subscriptions',
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: 'secret-caption', callback_data: 'x' }]] },
    },
  });
}

/** An AWS SDK v3 error as the DynamoDB client throws it, carrying the item and raw response. */
function conditionFailed(): ConditionalCheckFailedException {
  const err = new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: { httpStatusCode: 400, requestId: 'REQ1' },
    Item: { text: { S: 'SECRET COMMENT by Zainab Qureshi' } },
  });
  // What the SDK's deserialiser attaches besides the modelled fields.
  Object.assign(err, { $fault: 'client', $response: { statusCode: 400, body: 'SECRET RAW BODY' } });
  return err;
}

let lines: string[];

beforeEach(() => {
  lines = [];
  const capture = (chunk: string | Uint8Array): boolean => {
    lines.push(String(chunk));
    return true;
  };
  jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  jest.spyOn(process.stderr, 'write').mockImplementation(capture);
});

afterEach(() => {
  jest.restoreAllMocks();
});

function logged(): Record<string, unknown>[] {
  return lines
    .join('')
    .trim()
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l));
}

describe('createLogger', () => {
  it('logs a failed Bot API call with its error_code and description but not the message it sent', () => {
    // Prepare
    const logger = createLogger({ logLevel: 'DEBUG' });
    const error = failedSend(400, 'Bad Request: message is too long');

    // Act
    logger.error('Telegram rejected an alert', { chatId: 4242, error });
    logger.warn('send failed', error);

    // Assess
    const output = lines.join('');
    for (const secret of SECRETS) expect(output.includes(secret)).toBe(false);
    expect(output.includes('payload')).toBe(false);
    expect(output.includes('inline_keyboard')).toBe(false);
    const [first, second] = logged();
    for (const line of [first, second]) {
      const e = line?.error as Record<string, unknown>;
      expect(e).toMatchObject({
        message: '400: Bad Request: message is too long',
        code: 400,
        error_code: 400,
        description: 'Bad Request: message is too long',
      });
      expect(typeof e.stack).toBe('string');
      expect(Object.keys(e).every((k) => ALLOWED_KEYS.includes(k))).toBe(true);
    }
  });

  it.each([
    [403, 'Forbidden: bot was blocked by the user'],
    [429, 'Too Many Requests: retry after 7'],
    [400, "Bad Request: can't parse entities: Unsupported start tag"],
  ])('keeps %d "%s" and drops the payload', (code, description) => {
    // Prepare
    const logger = createLogger({ logLevel: 'INFO' });

    // Act
    logger.error('update failed', { error: failedSend(code, description) });

    // Assess
    const output = lines.join('');
    for (const secret of SECRETS) expect(output.includes(secret)).toBe(false);
    expect(logged()[0]?.error).toMatchObject({ error_code: code, description });
  });

  it('reduces AWS SDK errors to their name and message: no item, metadata or raw response', () => {
    // Prepare
    const logger = createLogger({ logLevel: 'INFO' });
    const cancelled = new TransactionCanceledException({
      message:
        'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed]',
      $metadata: {},
      CancellationReasons: [{ Code: 'ConditionalCheckFailed', Item: { text: { S: 'SECRET COMMENT' } } }],
    });

    // Act
    logger.error('could not record the update', { error: conditionFailed() });
    logger.error('comment not saved', { error: cancelled });

    // Assess
    const output = lines.join('');
    for (const secret of SECRETS) expect(output.includes(secret)).toBe(false);
    expect(output.includes('$metadata')).toBe(false);
    const [first, second] = logged().map((l) => l.error as Record<string, unknown>);
    expect(first).toMatchObject({
      name: 'ConditionalCheckFailedException',
      message: 'The conditional request failed',
    });
    expect(second?.name).toBe('TransactionCanceledException');
    for (const e of [first, second]) {
      expect(Object.keys(e ?? {}).every((k) => ALLOWED_KEYS.includes(k))).toBe(true);
    }
  });

  it('serialises a cause the same way (a wrapped Telegram or network error)', () => {
    // Prepare
    const logger = createLogger({ logLevel: 'INFO' });
    const network = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', request: 'SECRET TEXT' }),
    });
    const wrapped = new Error('update will be redelivered', { cause: failedSend(400, 'Bad Request: x') });

    // Act
    logger.error('send failed', { error: network });
    logger.error('update failed', { error: wrapped });

    // Assess
    const output = lines.join('');
    for (const secret of SECRETS) expect(output.includes(secret)).toBe(false);
    const [first, second] = logged().map((l) => l.error as Record<string, Record<string, unknown>>);
    expect(first?.cause).toMatchObject({ message: 'socket hang up', code: 'ECONNRESET' });
    expect(second?.cause).toMatchObject({ error_code: 400, description: 'Bad Request: x' });
  });

  it('applies to child loggers and to a thrown non-Error object logged as the error', () => {
    // Prepare
    const child = createLogger({ logLevel: 'INFO' }).createChild({ persistentKeys: { part: 'sender' } });
    const thrownObject = { message: 'odd throw', on: { payload: { text: 'SECRET TEXT' } } };

    // Act
    child.error('Telegram rejected an alert', { error: failedSend(403, 'Forbidden: user is deactivated') });
    child.error('odd failure', { error: thrownObject });

    // Assess
    const output = lines.join('');
    for (const secret of SECRETS) expect(output.includes(secret)).toBe(false);
    const [first, second] = logged();
    expect(first).toMatchObject({ part: 'sender', error: { error_code: 403 } });
    expect(second?.error).toEqual({ name: 'Error', message: 'odd throw' });
  });
});

describe('serializeError', () => {
  it('keeps exactly name, message, code, error_code, description and stack of a TelegramError', () => {
    // Prepare
    const error = failedSend(429, 'Too Many Requests: retry after 7');

    // Act
    const out = serializeError(error);

    // Assess
    expect(Object.keys(out).sort()).toEqual([
      'code',
      'description',
      'error_code',
      'message',
      'name',
      'stack',
    ]);
    expect(JSON.stringify(out).includes('SECRET')).toBe(false);
  });

  it('stops following causes after a few levels (a cycle cannot loop)', () => {
    // Prepare
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.assign(a, { cause: b });

    // Act
    const out = serializeError(a);

    // Assess
    expect(out.cause?.cause?.cause?.message).toBe('b');
    expect(out.cause?.cause?.cause?.cause).toBeUndefined();
  });

  it('says only the type of a thrown primitive', () => {
    // Prepare / Act
    const out = serializeError('SECRET TEXT');

    // Assess
    expect(out).toEqual({ name: 'string', message: 'non-error value thrown (string)' });
  });
});
