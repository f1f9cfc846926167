import { domainErrors } from '@crm/domain';

export type OpportunityErrorCode =
  | 'opportunity_not_found'
  | 'opportunity_already_exists'
  | 'unknown_pipeline'
  | 'unknown_stage'
  | 'invalid_amount'
  | 'opportunity_closed'
  | 'opportunity_not_closed'
  | 'lost_reason_required'
  | 'unknown_lost_reason';

export class OpportunityError extends domainErrors<OpportunityErrorCode>({
  opportunity_not_found: 'not_found',
  opportunity_already_exists: 'conflict',
  unknown_pipeline: 'rule_violation',
  unknown_stage: 'rule_violation',
  invalid_amount: 'rule_violation',
  opportunity_closed: 'rule_violation',
  opportunity_not_closed: 'rule_violation',
  lost_reason_required: 'rule_violation',
  unknown_lost_reason: 'rule_violation',
}) {}
