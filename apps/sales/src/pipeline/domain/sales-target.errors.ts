import { domainErrors } from '@crm/domain';

export type SalesTargetErrorCode = 'target_not_found' | 'invalid_amount';

export class SalesTargetError extends domainErrors<SalesTargetErrorCode>({
  target_not_found: 'not_found',
  invalid_amount: 'rule_violation',
}) {}
