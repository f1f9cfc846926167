import { DomainError, type DomainErrorKind } from '@crm/domain';

export type AssignmentErrorCode = 'rep_lead_cap_reached' | 'no_reps_configured' | 'invalid_assignment_settings';

const KIND: Record<AssignmentErrorCode, DomainErrorKind> = {
  rep_lead_cap_reached: 'rule_violation',
  no_reps_configured: 'rule_violation',
  invalid_assignment_settings: 'invalid',
};

export class AssignmentError extends DomainError<AssignmentErrorCode> {
  constructor(code: AssignmentErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, KIND[code], details);
  }
}
