import { domainErrors } from '@crm/domain';

export type ReportsErrorCode =
  /** An event without `metadata.tenantId`: it cannot be placed in any tenant's read model. */
  | 'missing_tenant'
  /** A step of a lead whose LeadCaptured was never projected (e.g. it was dead-lettered). */
  | 'lead_not_projected'
  | 'campaign_not_found'
  /** `from` is not before `to`. */
  | 'invalid_period';

/** Errors of the report read models and queries; `kind` maps them to problem+json (400, 404, 409). */
export class ReportsError extends domainErrors<ReportsErrorCode>({
  missing_tenant: 'invalid',
  lead_not_projected: 'conflict',
  campaign_not_found: 'not_found',
  invalid_period: 'invalid',
}) {}
