import { domainErrors } from '@crm/domain';

export type PipelineErrorCode = 'pipeline_not_found' | 'duplicate_stage_id' | 'invalid_stages';

export class PipelineError extends domainErrors<PipelineErrorCode>({
  pipeline_not_found: 'not_found',
  duplicate_stage_id: 'rule_violation',
  invalid_stages: 'rule_violation',
}) {}
