import { DomainError, type DomainErrorKind } from '@crm/domain';

export type CampaignErrorCode =
  | 'campaign_not_found'
  | 'campaign_already_exists'
  | 'invalid_dates'
  | 'invalid_amount'
  | 'currency_mismatch'
  | 'cost_entry_conflict'
  | 'invalid_variants'
  | 'variants_frozen'
  | 'variants_not_defined'
  | 'campaign_not_started'
  | 'campaign_closed';

const KIND: Record<CampaignErrorCode, DomainErrorKind> = {
  campaign_not_found: 'not_found',
  campaign_already_exists: 'conflict',
  invalid_dates: 'rule_violation',
  invalid_amount: 'rule_violation',
  currency_mismatch: 'rule_violation',
  cost_entry_conflict: 'conflict',
  invalid_variants: 'rule_violation',
  variants_frozen: 'rule_violation',
  variants_not_defined: 'rule_violation',
  campaign_not_started: 'rule_violation',
  campaign_closed: 'rule_violation',
};

export class CampaignError extends DomainError<CampaignErrorCode> {
  constructor(code: CampaignErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, KIND[code], details);
  }
}
