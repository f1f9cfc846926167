import { DomainError, type DomainErrorKind } from '@crm/domain';

export type LeadReadModelErrorCode =
  /** An event without `metadata.tenantId`: it cannot be placed in any tenant's read model. */
  | 'missing_tenant'
  /** A change to a lead whose LeadCaptured was never projected (e.g. it was dead-lettered). */
  | 'lead_not_projected'
  | 'lead_not_found'
  | 'invalid_cursor'
  | 'invalid_limit';

const kinds: Record<LeadReadModelErrorCode, DomainErrorKind> = {
  missing_tenant: 'invalid',
  lead_not_projected: 'conflict',
  lead_not_found: 'not_found',
  invalid_cursor: 'invalid',
  invalid_limit: 'invalid',
};

/** Errors of the lead read model; `kind` maps them to problem+json (400, 404, 409). */
export class LeadReadModelError extends DomainError<LeadReadModelErrorCode> {
  constructor(code: LeadReadModelErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, kinds[code], details);
  }
}
