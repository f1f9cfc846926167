import { domainErrors } from '@crm/domain';

export type ContractErrorCode =
  | 'contract_not_found'
  | 'contract_already_exists'
  | 'invalid_contract'
  | 'invalid_dates'
  | 'amount_too_large'
  | 'installments_mismatch'
  | 'invalid_installments'
  | 'unknown_quote'
  | 'quote_not_accepted'
  | 'unknown_account'
  | 'unknown_contact'
  | 'contract_cancelled';

export class ContractError extends domainErrors<ContractErrorCode>({
  contract_not_found: 'not_found',
  contract_already_exists: 'conflict',
  invalid_contract: 'rule_violation',
  invalid_dates: 'rule_violation',
  amount_too_large: 'rule_violation',
  installments_mismatch: 'rule_violation',
  invalid_installments: 'rule_violation',
  unknown_quote: 'rule_violation',
  quote_not_accepted: 'rule_violation',
  unknown_account: 'rule_violation',
  unknown_contact: 'rule_violation',
  contract_cancelled: 'rule_violation',
}) {}
