import { DomainError, type DomainErrorKind } from '@crm/domain';

export type ScoringRulesErrorCode = 'rule_set_version_mismatch';

const KINDS: Record<ScoringRulesErrorCode, DomainErrorKind> = {
  rule_set_version_mismatch: 'conflict',
};

export class ScoringRulesError extends DomainError<ScoringRulesErrorCode> {
  constructor(code: ScoringRulesErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, KINDS[code], details);
  }
}
