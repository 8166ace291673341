import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import type { Config } from './config';

/**
 * What a log line may say about an error. Everything else an error carries stays out: Telegraf's
 * `TelegramError.on.payload` holds the whole outgoing message (other readers' comments and
 * names, subscription lists), an AWS SDK error can hold the item a condition failed on
 * (`Item`, `CancellationReasons`) and the raw HTTP response.
 */
export interface SerializedError {
  name: string;
  message: string;
  /** A string code (`ECONNRESET`, `ETIMEDOUT`) or Telegraf's numeric `code` (the HTTP-like error code). */
  code?: string | number;
  /** Telegram's `error_code` (400, 403, 429…), from the error or its `response`. */
  error_code?: number;
  /** Telegram's `description`, e.g. "Bad Request: message is too long". */
  description?: string;
  stack?: string;
  /** The error's `cause` when it is an error, serialised the same way. */
  cause?: SerializedError;
}

/** Causes followed at most this deep: a cycle or a long chain cannot blow up a log line. */
const MAX_CAUSE_DEPTH = 3;

function pickString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function pickCode(value: unknown): string | number | undefined {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))
    ? value
    : undefined;
}

/**
 * The one way an error becomes log data: name, message, code, `error_code`, `description`, the
 * stack and an error `cause` (the same fields), and nothing else. Every logger Herald builds
 * (see {@link createLogger}) formats errors with it, wherever they sit in a log call.
 */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (typeof error !== 'object' || error === null) {
    // A thrown string or number: its type is all that is safe to say (it may be any text).
    return { name: typeof error, message: `non-error value thrown (${typeof error})` };
  }
  // Getters count too: Telegraf's TelegramError exposes code and description as getters over
  // `response`, which is read here only for those two fields.
  const e = error as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    error_code?: unknown;
    description?: unknown;
    stack?: unknown;
    cause?: unknown;
    response?: { error_code?: unknown; description?: unknown } | null;
  };
  const response = typeof e.response === 'object' && e.response !== null ? e.response : undefined;
  const out: SerializedError = {
    name: pickString(e.name) ?? 'Error',
    message: pickString(e.message) ?? '',
  };
  const code = pickCode(e.code);
  if (code !== undefined) out.code = code;
  const errorCode = pickCode(e.error_code) ?? pickCode(response?.error_code);
  if (typeof errorCode === 'number') out.error_code = errorCode;
  const description = pickString(e.description) ?? pickString(response?.description);
  if (description !== undefined) out.description = description;
  const stack = pickString(e.stack);
  if (stack !== undefined) out.stack = stack;
  if (e.cause instanceof Error && depth < MAX_CAUSE_DEPTH) out.cause = serializeError(e.cause, depth + 1);
  return out;
}

/**
 * Powertools' default log structure (the same keys, so metric filters on `$.message` and
 * `$.outcome` keep matching), with errors serialised by {@link serializeError} instead of
 * Powertools' `formatError`, which copies every enumerable property of an error.
 */
class HeraldLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        cold_start: attributes.lambdaContext?.coldStart,
        function_arn: attributes.lambdaContext?.invokedFunctionArn,
        function_memory_size: attributes.lambdaContext?.memoryLimitInMB,
        function_name: attributes.lambdaContext?.functionName,
        function_request_id: attributes.lambdaContext?.awsRequestId,
        sampling_rate: attributes.sampleRateValue,
        xray_trace_id: attributes.xRayTraceId,
        tenant_id: attributes.lambdaContext?.tenantId,
      },
    }).addAttributes(additional);
  }

  override formatError(error: Error): LogAttributes {
    return { ...serializeError(error) };
  }
}

/**
 * Catches what is logged under `error` but is not an Error instance (a thrown plain object):
 * it goes through the same {@link serializeError}. Error instances anywhere in a log call reach
 * the formatter's `formatError`.
 */
function errorReplacer(key: string, value: unknown): unknown {
  if (key === 'error' && typeof value === 'object' && value !== null && !(value instanceof Error)) {
    return serializeError(value);
  }
  return value;
}

/**
 * The structured logger (Powertools). Log keys are ids and kinds only — never message texts,
 * tokens or secrets; errors are reduced to {@link serializeError}'s fields.
 */
export function createLogger(config: Pick<Config, 'logLevel'>, serviceName = 'herald'): Logger {
  return new Logger({
    serviceName,
    logLevel: config.logLevel,
    logFormatter: new HeraldLogFormatter(),
    jsonReplacerFn: errorReplacer,
  });
}
