import { DomainError, type DomainErrorKind } from '@crm/domain';

export type LeadErrorCode =
  | 'lead_not_found'
  | 'lead_already_exists'
  | 'lead_already_converted'
  | 'lead_not_qualified'
  | 'lead_disqualified'
  | 'disqualify_reason_required';

const KIND: Record<LeadErrorCode, DomainErrorKind> = {
  lead_not_found: 'not_found',
  lead_already_exists: 'conflict',
  lead_already_converted: 'rule_violation',
  lead_not_qualified: 'rule_violation',
  lead_disqualified: 'rule_violation',
  disqualify_reason_required: 'rule_violation',
};

export class LeadError extends DomainError<LeadErrorCode> {
  constructor(code: LeadErrorCode, message: string) {
    super(code, message, KIND[code]);
  }
}
