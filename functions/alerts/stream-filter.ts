/**
 * The fan-out's DynamoDB stream event source, as plain data shared by the stack and the local
 * stream reader, so the two cannot drift: the filter pattern (Lambda's event-filtering
 * syntax, the JSON `FilterCriteria.filter` serialises) and the batching the event source
 * mapping uses. lib/constructs/alert-pipeline.ts builds its `DynamoEventSource` from these;
 * functions/local/stream-reader.ts evaluates the same pattern with {@link matchesFilter}.
 *
 * Plain data and a pure function, free of any infrastructure library, so runtime code and the
 * stack can both import it.
 */

/**
 * Only first publication alerts: INSERTs of article items without `silent` (an article
 * published with alerts off, e.g. `herald import --no-alerts`). Counters, follows, comments,
 * alert bookkeeping and article edits are dropped before an invocation is paid for.
 */
export const ALERT_STREAM_FILTER_PATTERN = {
  eventName: ['INSERT'],
  dynamodb: {
    NewImage: { kind: { S: ['article'] }, silent: [{ exists: false }] },
  },
} as const;

/**
 * The channel poster's event source: a new article (the alert filter's INSERT), an edit (the
 * card revision item `cardrev`, which an article update rewrites: a filter cannot tell an edit
 * of the meta from a view), and a deleted article (REMOVE of an article meta item). Lambda ORs
 * the patterns of one event source (its FilterCriteria takes up to 5).
 */
export const CHANNEL_STREAM_FILTER_PATTERNS = [
  ALERT_STREAM_FILTER_PATTERN,
  { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { kind: { S: ['cardrev'] } } } },
  { eventName: ['REMOVE'], dynamodb: { OldImage: { kind: { S: ['article'] } } } },
] as const;

/** Records per channel-poster invocation: a record may post to every channel, so fewer than the fan-out's. */
export const CHANNEL_STREAM_BATCH_SIZE = 5;

/** Records per fan-out invocation (the event source mapping's BatchSize). */
export const ALERT_STREAM_BATCH_SIZE = 10;
/** Retries of a failing batch before its records go to the failure destination. */
export const ALERT_STREAM_RETRY_ATTEMPTS = 3;

type Rule = string | number | boolean | null | { [op: string]: unknown };
/** A Lambda event filter pattern (plain data). */
export type FilterPattern = { readonly [key: string]: unknown };
type Pattern = FilterPattern;

function ruleMatches(rule: Rule, present: boolean, value: unknown): boolean {
  if (rule === null || typeof rule !== 'object') {
    if (!present) return false;
    // A field holding an array matches when any element does (Lambda's semantics).
    return Array.isArray(value) ? value.includes(rule) : value === rule;
  }
  const [op, arg] = Object.entries(rule)[0] ?? [];
  switch (op) {
    case 'exists':
      return present === arg;
    case 'prefix':
      return present && typeof value === 'string' && typeof arg === 'string' && value.startsWith(arg);
    case 'anything-but':
      return present && Array.isArray(arg) && !arg.includes(value);
    default:
      // Fail loudly rather than let a rule this reader does not know pass or drop everything.
      throw new Error(`stream filter: unsupported rule ${JSON.stringify(rule)}`);
  }
}

/**
 * Whether `event` (a stream record as Lambda sees it) matches a Lambda filter pattern: every
 * key of the pattern must match; an array lists alternatives; an object descends.
 * Supports equality, `exists`, `prefix` and `anything-but` (what Herald's filters use).
 *
 * @throws Error on a rule it does not implement.
 */
export function matchesFilter(pattern: Pattern, event: unknown): boolean {
  const obj = event !== null && typeof event === 'object' ? (event as Record<string, unknown>) : {};
  for (const [key, expected] of Object.entries(pattern)) {
    const present = Object.hasOwn(obj, key) && obj[key] !== undefined;
    const value = obj[key];
    if (Array.isArray(expected)) {
      if (!expected.some((rule: Rule) => ruleMatches(rule, present, value))) return false;
    } else if (expected !== null && typeof expected === 'object') {
      if (!present || !matchesFilter(expected as Pattern, value)) return false;
    } else {
      throw new Error(`stream filter: ${key} must be an array of rules or an object`);
    }
  }
  return true;
}
