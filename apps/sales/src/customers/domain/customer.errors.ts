import { domainErrors } from '@crm/domain';

export type CustomerErrorCode =
  | 'account_not_found'
  | 'contact_not_found'
  | 'account_already_exists'
  | 'contact_already_exists'
  | 'account_merged'
  | 'contact_merged'
  | 'merge_into_self'
  | 'unknown_account'
  | 'unknown_contact'
  | 'duplicate_account'
  | 'duplicate_contact'
  | 'match_key_taken';

/** One error class for accounts, contacts, the duplicate index and lead conversion. */
export class CustomerError extends domainErrors<CustomerErrorCode>({
  account_not_found: 'not_found',
  contact_not_found: 'not_found',
  account_already_exists: 'conflict',
  contact_already_exists: 'conflict',
  account_merged: 'rule_violation',
  contact_merged: 'rule_violation',
  merge_into_self: 'rule_violation',
  unknown_account: 'rule_violation',
  unknown_contact: 'rule_violation',
  duplicate_account: 'conflict',
  duplicate_contact: 'conflict',
  match_key_taken: 'conflict',
}) {}
