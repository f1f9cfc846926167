import { domainErrors } from '@crm/domain';

export type LeadReadModelErrorCode =
  /** A change to a lead whose LeadCaptured was never projected (e.g. it was dead-lettered). */
  | 'lead_not_projected'
  | 'lead_not_found'
  | 'invalid_cursor'
  | 'invalid_limit';

/**
 * Errors of the lead read model; `kind` maps them to problem+json (400, 404, 409). An event without
 * `metadata.tenantId` fails with the reports' `missing_tenant` (tenantOf of report-values).
 */
export class LeadReadModelError extends domainErrors<LeadReadModelErrorCode>({
  lead_not_projected: 'conflict',
  lead_not_found: 'not_found',
  invalid_cursor: 'invalid',
  invalid_limit: 'invalid',
}) {}
