import { domainErrors } from '@crm/domain';

export type SalesReportsErrorCode =
  /** An event of an opportunity whose OpportunityCreated was never projected (e.g. it was dead-lettered). */
  | 'opportunity_not_projected'
  /** The funnel of a pipeline the tenant never defined (`default` always exists). */
  | 'pipeline_not_found'
  /** `from` is after `to`, or the range is longer than a report allows. */
  | 'invalid_period';

/** Errors of the sales read models and reports; `kind` maps them to problem+json (400, 404, 409). */
export class SalesReportsError extends domainErrors<SalesReportsErrorCode>({
  opportunity_not_projected: 'conflict',
  pipeline_not_found: 'not_found',
  invalid_period: 'invalid',
}) {}
