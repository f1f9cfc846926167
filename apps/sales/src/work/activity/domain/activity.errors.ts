import { domainErrors } from '@crm/domain';

export type ActivityErrorCode = 'activity_not_found' | 'activity_already_exists' | 'subject_required' | 'subject_not_found' | 'occurred_in_future';

export class ActivityError extends domainErrors<ActivityErrorCode>({
  activity_not_found: 'not_found',
  activity_already_exists: 'conflict',
  subject_required: 'invalid',
  subject_not_found: 'rule_violation',
  occurred_in_future: 'rule_violation',
}) {}
