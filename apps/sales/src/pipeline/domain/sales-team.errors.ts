import { domainErrors } from '@crm/domain';

export type SalesTeamErrorCode = 'team_not_found' | 'duplicate_team_member';

export class SalesTeamError extends domainErrors<SalesTeamErrorCode>({
  team_not_found: 'not_found',
  duplicate_team_member: 'rule_violation',
}) {}
