import { LeadMatchKeyEventType } from '@crm/contracts';
import { DeciderSpecification } from '@crm/domain';
import { leadMatchKeyDecider } from './lead-match-key.decider';

const given = DeciderSpecification.for(leadMatchKeyDecider);
const now = new Date('2026-03-01T08:00:00.000Z');
const at = now.toISOString();

describe('Lead match-key decider', () => {
  const point = (leadId: string) => ({ type: 'PointMatchKey' as const, data: { leadId, rule: 'email' as const, now } });
  it('claims an unclaimed key for a lead', () =>
    given([]).when(point('lead-1')).then([{ type: LeadMatchKeyEventType.LeadMatchKeyPointed, data: { leadId: 'lead-1', rule: 'email', at } }]));
  it('re-points a key, naming the lead it belonged to', () =>
    given([{ type: LeadMatchKeyEventType.LeadMatchKeyPointed, data: { leadId: 'lead-1', rule: 'email', at } }]).when(point('lead-2')).then([
      { type: LeadMatchKeyEventType.LeadMatchKeyPointed, data: { leadId: 'lead-2', rule: 'email', previousLeadId: 'lead-1', at } },
    ]));
  it('is a no-op for the lead that owns it', () =>
    given([{ type: LeadMatchKeyEventType.LeadMatchKeyPointed, data: { leadId: 'lead-1', rule: 'email', at } }]).when(point('lead-1')).thenNothingHappened());
  it('remembers owner and time', () =>
    given([]).when(point('lead-1')).thenState((s) => expect(s).toEqual({ leadId: 'lead-1', pointedAt: at })));
});
