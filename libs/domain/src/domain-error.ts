/**
 * How a domain error reads over HTTP (mapped to problem+json by the Nest kit):
 * invalid → 400, forbidden → 403 (the actor may not do this, e.g. not an approver), not_found → 404,
 * conflict → 409, rule_violation → 422.
 */
export type DomainErrorKind = 'invalid' | 'forbidden' | 'not_found' | 'conflict' | 'rule_violation';

/** Base of every aggregate's error class; subclasses narrow `code` to a string-literal union. */
export class DomainError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    readonly kind: DomainErrorKind = 'rule_violation',
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The caller's expected revision (`If-Match`) is not the stream's current revision. */
export class ConcurrencyConflictError extends DomainError<'concurrency_conflict'> {
  constructor(
    readonly streamName: string,
    readonly expectedRevision: number,
    readonly actualRevision: number,
  ) {
    super('concurrency_conflict', `${streamName} is at revision ${actualRevision}, not ${expectedRevision}`, 'conflict', {
      expectedRevision,
      actualRevision,
    });
  }
}

/** Retries on concurrent writers ran out (someone else keeps writing the same stream). */
export class TooMuchContentionError extends DomainError<'too_much_contention'> {
  constructor(readonly streamName: string, readonly attempts: number) {
    super('too_much_contention', `${streamName}: gave up after ${attempts} conflicting attempts`, 'conflict', { attempts });
  }
}

/**
 * An error class for one feature from its code → kind table, so each feature states only its
 * codes: `export class QuoteError extends domainErrors<QuoteErrorCode>({ quote_not_found: 'not_found', … }) {}`.
 */
export const domainErrors = <Code extends string>(kinds: Record<Code, DomainErrorKind>) =>
  class extends DomainError<Code> {
    constructor(code: Code, message: string, details?: Record<string, unknown>) {
      super(code, message, kinds[code], details);
    }
  };
