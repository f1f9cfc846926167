import { domainErrors } from '@crm/domain';

export type TaskErrorCode = 'task_not_found' | 'task_already_exists' | 'invalid_reminder' | 'task_closed' | 'subject_not_found';

export class TaskError extends domainErrors<TaskErrorCode>({
  task_not_found: 'not_found',
  task_already_exists: 'conflict',
  invalid_reminder: 'rule_violation',
  task_closed: 'rule_violation',
  subject_not_found: 'rule_violation',
}) {}
