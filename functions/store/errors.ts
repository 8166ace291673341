/**
 * Typed errors of the storage layer. Everything else a repository meets (throttling, a
 * network failure, a validation error from DynamoDB) is rethrown untouched.
 */

/** A paging cursor that this store did not issue (tampered with, or for another list). */
export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}
