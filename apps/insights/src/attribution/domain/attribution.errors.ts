import { DomainError, type DomainErrorKind } from '@crm/domain';

export type AttributionErrorCode =
  /** Amount not a non-negative integer number of minor units (or a `number` beyond 2^53). */
  | 'invalid_amount'
  /** Currency not an ISO 4217 alphabetic code such as `CNY`. */
  | 'invalid_currency'
  /** `wonAt` or a touch's `at` is not a valid Date. */
  | 'invalid_date'
  /** Options out of range (half-life ≤ 0, U-shaped ends outside [0, 0.5], negative lookback). */
  | 'invalid_options';

const KIND: Record<AttributionErrorCode, DomainErrorKind> = {
  invalid_amount: 'invalid',
  invalid_currency: 'invalid',
  invalid_date: 'invalid',
  invalid_options: 'invalid',
};

/** Errors of the attribution calculation; all are bad input (`invalid` → 400). */
export class AttributionError extends DomainError<AttributionErrorCode> {
  constructor(code: AttributionErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, KIND[code], details);
  }
}
