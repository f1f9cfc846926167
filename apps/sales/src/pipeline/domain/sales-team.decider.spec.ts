import { eventSchemas, SalesPipelineEventType } from '@crm/contracts';
import { DeciderSpecification } from '@crm/domain';
import { salesTeamDecider, type SalesTeamEvent } from './sales-team.decider';

const given = DeciderSpecification.for(salesTeamDecider);
const now = new Date('2026-11-02T09:00:00.000Z');
const define = (memberIds: string[], managerId = 'mgr-1') => ({ type: 'DefineSalesTeam' as const, data: { teamId: 'east', name: 'East', managerId, memberIds, now } });
const defined = (memberIds: string[], managerId = 'mgr-1'): SalesTeamEvent => ({
  type: SalesPipelineEventType.SalesTeamDefined,
  data: { teamId: 'east', name: 'East', managerId, memberIds, definedAt: now.toISOString() },
});

describe('Sales team decider', () => {
  it('defines a team with its manager and members', () => given([]).when(define(['rep-1', 'rep-2'])).then([defined(['rep-1', 'rep-2'])]));
  it('redefines it (new manager, members)', () => given([defined(['rep-1'])]).when(define(['rep-1', 'rep-3'], 'mgr-2')).then([defined(['rep-1', 'rep-3'], 'mgr-2')]));
  it('does nothing when unchanged', () => given([defined(['rep-1'])]).when(define(['rep-1'])).thenNothingHappened());
  it('refuses a member listed twice', () => given([]).when(define(['rep-1', 'rep-1'])).thenThrows('duplicate_team_member'));
  it('emits events that match the published schema', () =>
    expect(eventSchemas[SalesPipelineEventType.SalesTeamDefined].data.safeParse(defined(['rep-1']).data)).toMatchObject({ success: true }));
});
