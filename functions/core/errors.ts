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
