import { domainErrors } from '@crm/domain';

export type SalesSettingsErrorCode = 'duplicate_lost_reason' | 'duplicate_stalled_rule' | 'unknown_stalled_stage';

export class SalesSettingsError extends domainErrors<SalesSettingsErrorCode>({
  duplicate_lost_reason: 'rule_violation',
  duplicate_stalled_rule: 'rule_violation',
  unknown_stalled_stage: 'rule_violation',
}) {}
