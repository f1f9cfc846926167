import { LeadAssignmentEventType, type RoundRobinEvent } from '@crm/contracts';
import { DeciderSpecification } from '@crm/domain';
import { roundRobinDecider } from './round-robin.decider';

const given = DeciderSpecification.for(roundRobinDecider);
const now = new Date('2026-03-01T08:00:00.000Z');
const picked = (repId: string, leadId: string, pool = 'default'): RoundRobinEvent => ({
  type: LeadAssignmentEventType.RoundRobinAdvanced,
  data: { pool, repId, leadId, at: now.toISOString() },
});
const pick = (leadId: string, repIds = ['a', 'b', 'c'], pool = 'default') => ({ type: 'PickRep' as const, data: { pool, repIds, leadId, now } });

describe('Round-robin decider', () => {
  it('starts with the first rep', () => given([]).when(pick('l1')).then([picked('a', 'l1')]));
  it('gives the next lead to the next rep', () => given([picked('a', 'l1')]).when(pick('l2')).then([picked('b', 'l2')]));
  it('wraps around', () => given([picked('a', 'l1'), picked('b', 'l2'), picked('c', 'l3')]).when(pick('l4')).then([picked('a', 'l4')]));
  it('keeps one turn per pool', () => given([picked('a', 'l1')]).when(pick('l2', ['x', 'y'], 'rule:east')).then([picked('x', 'l2', 'rule:east')]));
  it('picks nothing new for a retried lead', () => given([picked('a', 'l1')]).when(pick('l1')).thenNothingHappened());
  it('refuses an empty pool', () => given([]).when(pick('l1', [])).thenThrows('no_reps_configured'));
});
