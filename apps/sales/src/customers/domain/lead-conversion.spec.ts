import { eventSchemas, SalesCustomerEventType as T, type LeadConvertedData } from '@crm/contracts';
import { DeciderSpecification } from '@crm/domain';
import { accountFromLead, accountLookup, contactFromLead, leadConversionDecider, opportunityToOpen } from './lead-conversion';

const converted = (over: Partial<LeadConvertedData> = {}): LeadConvertedData => ({
  leadId: 'lead-1',
  accountId: 'acc-1',
  contactId: 'con-1',
  opportunityId: 'opp-1',
  lead: { name: '张三', company: '北京字节跳动科技有限公司', email: 'zhang.san@example.cn', phone: '+8613800138000', ownerId: 'rep-7', channel: 'web_form', campaignId: 'cmp-1', industry: 'internet' },
  convertedBy: 'manager-1',
  convertedAt: '2026-11-02T09:00:00.000Z',
  ...over,
});

describe('lead conversion mapping', () => {
  it('makes a company account of a lead with a company, without the person’s e-mail and phone', () => {
    expect(accountFromLead(converted().lead!)).toEqual({ kind: 'company', name: '北京字节跳动科技有限公司', ownerId: 'rep-7', industry: 'internet' });
    expect(accountLookup(converted().lead!)).toMatchObject({ kind: 'company', email: 'zhang.san@example.cn', phone: '+8613800138000' });
  });

  it('makes a person account of a lead without a company', () => {
    expect(accountFromLead({ name: '李四', email: 'LI@Example.cn', phone: '138 0013 8001', channel: 'phone' })).toEqual({
      kind: 'person', name: '李四', email: 'li@example.cn', phone: '+8613800138001',
    });
  });

  it('makes the contact under the account, dropping values that do not normalise', () => {
    expect(contactFromLead({ name: '张三', email: 'broken', phone: '+8613800138000', channel: 'api' }, 'acc-9')).toEqual({
      name: '张三', accountId: 'acc-9', decisionMaker: false, phone: '+8613800138000',
    });
  });

  describe('the opportunity to open', () => {
    it('defaults: "<company> — new business", 0 in the tenant currency, 90 days out, the lead owner, the lead source', () => {
      expect(opportunityToOpen(converted(), 'CNY')).toEqual({
        name: '北京字节跳动科技有限公司 — new business',
        amount: { amountMinor: 0, currency: 'CNY' },
        expectedCloseDate: '2027-01-31',
        ownerId: 'rep-7',
        source: { leadId: 'lead-1', campaignId: 'cmp-1', channel: 'web_form' },
      });
    });
    it('takes the converter’s hints', () => {
      const hinted = converted({ opportunity: { name: 'ByteDance CRM rollout', amountMinor: 1_250_000_00, currency: 'USD', expectedCloseDate: '2026-12-31' } });
      expect(opportunityToOpen(hinted, 'CNY')).toMatchObject({ name: 'ByteDance CRM rollout', amount: { amountMinor: 1_250_000_00, currency: 'USD' }, expectedCloseDate: '2026-12-31' });
    });
    it('names a person lead by name and falls back to the converter, then unassigned, as owner', () => {
      const lead = { name: '李四', channel: 'phone' as const };
      expect(opportunityToOpen(converted({ lead }), 'CNY')).toMatchObject({ name: '李四 — new business', ownerId: 'manager-1' });
      expect(opportunityToOpen(converted({ lead, convertedBy: undefined }), 'CNY')).toMatchObject({ ownerId: 'unassigned' });
    });
  });

  describe('RecordLeadConversion', () => {
    const given = DeciderSpecification.for(leadConversionDecider);
    const now = new Date('2026-11-02T09:00:05.000Z');
    const data = { leadId: 'lead-1', accountId: 'acc-1', account: 'created' as const, contactId: 'con-1', contact: 'linked' as const, opportunityId: undefined };
    const recorded = { type: T.LeadConversionRecorded, data: { leadId: 'lead-1', accountId: 'acc-1', account: 'created' as const, contactId: 'con-1', contact: 'linked' as const, recordedAt: now.toISOString() } };
    it('records the conversion once', () => given([]).when({ type: 'RecordLeadConversion', data: { ...data, now } }).then([recorded]));
    it('records nothing the second time (a redelivered event)', () => given([recorded]).when({ type: 'RecordLeadConversion', data: { ...data, now } }).thenNothingHappened());
    it('satisfies the published schema, with an opportunity block', () => {
      const withOpportunity = { ...recorded.data, opportunityId: 'opp-1', opportunity: opportunityToOpen(converted(), 'CNY') };
      expect(eventSchemas[T.LeadConversionRecorded].data.safeParse(withOpportunity)).toMatchObject({ success: true });
    });
  });
});
