import { LeadAssignmentEventType, type RepLeadsEvent } from '@crm/contracts';
import { DeciderSpecification } from '@crm/domain';
import { repLeadsDecider } from './rep-leads.decider';

const given = DeciderSpecification.for(repLeadsDecider);
const now = new Date('2026-03-01T08:00:00.000Z');
const taken = (leadId: string): RepLeadsEvent => ({ type: LeadAssignmentEventType.RepLeadTaken, data: { repId: 'rep-1', leadId, at: now.toISOString() } });
const dropped = (leadId: string): RepLeadsEvent => ({ type: LeadAssignmentEventType.RepLeadDropped, data: { repId: 'rep-1', leadId, at: now.toISOString() } });
const take = (leadId: string, cap?: number) => ({ type: 'TakeLead' as const, data: { repId: 'rep-1', leadId, ...(cap !== undefined && { cap }), now } });
const drop = (leadId: string) => ({ type: 'DropLead' as const, data: { repId: 'rep-1', leadId, now } });

describe('Rep leads decider (per-rep cap)', () => {
  it('counts a lead under the cap', () => given([taken('l1')]).when(take('l2', 2)).then([taken('l2')]));
  it('refuses a lead at the cap', () =>
    given([taken('l1'), taken('l2')]).when(take('l3', 2)).thenThrows('rep_lead_cap_reached', (e) => expect(e.details).toMatchObject({ cap: 2, open: 2 })));
  it('frees a slot when a lead is dropped', () => given([taken('l1'), taken('l2'), dropped('l1')]).when(take('l3', 2)).then([taken('l3')]));
  it('is a no-op for a lead already held, even at the cap', () => given([taken('l1'), taken('l2')]).when(take('l2', 2)).thenNothingHappened());
  it('ignores the cap without one (a manager assigns)', () => given([taken('l1'), taken('l2')]).when(take('l3')).then([taken('l3')]));
  it('drops a held lead once', () => {
    given([taken('l1')]).when(drop('l1')).then([dropped('l1')]);
    given([taken('l1'), dropped('l1')]).when(drop('l1')).thenNothingHappened();
  });
});
