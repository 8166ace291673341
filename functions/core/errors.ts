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
