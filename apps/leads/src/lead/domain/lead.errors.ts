import { DomainError, type DomainErrorKind } from '@crm/domain';

export type LeadErrorCode =
  | 'lead_not_found'
  | 'lead_already_exists'
  | 'lead_already_converted'
  | 'lead_not_qualified'
  | 'lead_disqualified'
  | 'disqualify_reason_required'
  | 'lead_already_owned'
  | 'lead_in_pool'
  | 'lead_closed'
  | 'lead_merged'
  | 'merge_into_self'
  | 'lead_not_converted';

const KIND: Record<LeadErrorCode, DomainErrorKind> = {
  lead_not_found: 'not_found',
  lead_already_exists: 'conflict',
  lead_already_converted: 'rule_violation',
  lead_not_qualified: 'rule_violation',
  lead_disqualified: 'rule_violation',
  disqualify_reason_required: 'rule_violation',
  lead_already_owned: 'conflict',
  lead_in_pool: 'rule_violation',
  lead_closed: 'rule_violation',
  lead_merged: 'rule_violation',
  merge_into_self: 'rule_violation',
  lead_not_converted: 'rule_violation',
};

export class LeadError extends DomainError<LeadErrorCode> {
  constructor(code: LeadErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, KIND[code], details);
  }
}
