/**
 * Domain errors the ports may throw. Kept apart from publishing.ts, so that what needs only the
 * error (the subscribe use case on the webhook's path) does not load the schemas and summaries.
 */

/** An author that does not exist: an article names one, or a reader subscribes to one. */
export class UnknownAuthorError extends Error {
  override name = 'UnknownAuthorError';
  constructor(readonly handle: string) {
    super(`authorHandle: no author "${handle}" exists; create the author first`);
  }
}

/** One bad field; `line` (1-based) where the field is a Markdown body and the problem is on a line. */
export interface ValidationIssue {
  field: string;
  message: string;
  line?: number;
}

/** A field-by-field validation failure; `issues` name each bad field. */
export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(readonly issues: ValidationIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  }
}

/** A schema library's issue, as much of it as {@link schemaIssues} reads. */
export interface SchemaIssue {
  path: PropertyKey[];
  message: string;
  code?: string;
  keys?: readonly string[];
}

/**
 * Schema issues as validation issues, one per bad field. An unknown key is named as the field
 * (`colour: is not a field Herald knows`), one issue per key: the whole object's `(body)` left a
 * CMS guessing which key (issue 17, item 18).
 */
export function schemaIssues(issues: readonly SchemaIssue[]): ValidationIssue[] {
  return issues.flatMap((i) => {
    const at = i.path.map(String).join('.');
    if (i.code === 'unrecognized_keys' && i.keys && i.keys.length > 0)
      return i.keys.map((k) => ({ field: at ? `${at}.${k}` : k, message: 'is not a field Herald knows' }));
    return [{ field: at || '(body)', message: i.message }];
  });
}
