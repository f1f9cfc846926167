import { domainErrors } from '@crm/domain';

export type QuoteErrorCode =
  | 'quote_not_found'
  | 'quote_already_exists'
  | 'invalid_quote'
  | 'amount_too_large'
  | 'approval_pending'
  | 'approval_rejected'
  | 'no_pending_approval'
  | 'not_an_approver'
  | 'quote_not_sent'
  | 'quote_already_decided'
  | 'quote_expired';

/** An actor outside the current step of the approver chain is forbidden (403 `not_an_approver`). */
export class QuoteError extends domainErrors<QuoteErrorCode>({
  quote_not_found: 'not_found',
  quote_already_exists: 'conflict',
  invalid_quote: 'rule_violation',
  amount_too_large: 'rule_violation',
  approval_pending: 'rule_violation',
  approval_rejected: 'rule_violation',
  no_pending_approval: 'rule_violation',
  not_an_approver: 'forbidden',
  quote_not_sent: 'rule_violation',
  quote_already_decided: 'rule_violation',
  quote_expired: 'rule_violation',
}) {}
