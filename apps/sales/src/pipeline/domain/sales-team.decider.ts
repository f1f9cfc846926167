import { SalesPipelineEventType, type SalesTeamDefinedData } from '@crm/contracts';
import type { Decider } from '@crm/domain';
import type { SalesTeamCommand } from './sales-team.commands';
import { SalesTeamError } from './sales-team.errors';

export type SalesTeamEvent = { type: typeof SalesPipelineEventType.SalesTeamDefined; data: SalesTeamDefinedData };

export type SalesTeam = { teamId: string; name: string; managerId: string; memberIds: readonly string[] };

/** A team stream (`salesteam-<tenant>-<id>`): its latest definition. */
export type SalesTeamState = { defined: false } | ({ defined: true } & SalesTeam);

const evolve = (state: SalesTeamState, event: SalesTeamEvent): SalesTeamState => {
  switch (event.type) {
    case SalesPipelineEventType.SalesTeamDefined: {
      const { teamId, name, managerId, memberIds } = event.data;
      return { defined: true, teamId, name, managerId, memberIds };
    }
    default:
      return state;
  }
};

const decide = ({ data }: SalesTeamCommand, state: SalesTeamState): SalesTeamEvent[] => {
  const duplicate = data.memberIds.find((m, i) => data.memberIds.indexOf(m) !== i);
  if (duplicate !== undefined) throw new SalesTeamError('duplicate_team_member', `member ${duplicate} is listed more than once`, { memberId: duplicate });
  const same = state.defined && state.name === data.name && state.managerId === data.managerId
    && state.memberIds.length === data.memberIds.length && state.memberIds.every((m, i) => m === data.memberIds[i]);
  if (same) return [];
  return [{
    type: SalesPipelineEventType.SalesTeamDefined,
    data: { teamId: data.teamId, name: data.name, managerId: data.managerId, memberIds: [...data.memberIds], definedAt: data.now.toISOString() },
  }];
};

export const salesTeamDecider: Decider<SalesTeamCommand, SalesTeamEvent, SalesTeamState> = {
  initialState: () => ({ defined: false }),
  evolve,
  decide,
};
