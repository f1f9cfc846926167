import { LeadEventType, type LeadEvent } from '@crm/contracts';
import { DeciderSpecification } from '@crm/domain';
import { leadDecider } from './lead.decider';

const given = DeciderSpecification.for(leadDecider);
const now = new Date('2026-03-01T08:00:00.000Z');
const leadId = '0190aaaa-0000-7000-8000-000000000001';

const captured: LeadEvent = {
  type: LeadEventType.LeadCaptured,
  data: {
    leadId,
    name: '王小明',
    company: '北京某某科技有限公司',
    email: 'xiaoming@example.cn',
    phone: '+8613800138000',
    source: { channel: 'web_form', utm: { source: 'baidu', medium: 'cpc', campaign: 'spring' } },
    capturedAt: now.toISOString(),
  },
};
const qualified: LeadEvent = { type: LeadEventType.LeadQualified, data: { leadId, qualifiedAt: now.toISOString() } };
const disqualified: LeadEvent = { type: LeadEventType.LeadDisqualified, data: { leadId, reason: 'no budget', disqualifiedAt: now.toISOString() } };
const converted: LeadEvent = {
  type: LeadEventType.LeadConverted,
  data: { leadId, accountId: 'acc-1', contactId: 'con-1', opportunityId: 'opp-1', convertedAt: now.toISOString() },
};

describe('Lead decider', () => {
  describe('CaptureLead', () => {
    const capture = {
      type: 'CaptureLead' as const,
      data: { leadId, name: '王小明', company: '北京某某科技有限公司', email: 'xiaoming@example.cn', phone: '+8613800138000', source: captured.data.source as never, now },
    };
    it('captures a new lead with its source', () => given([]).when(capture).then([captured]));
    it('refuses a second capture of the same lead', () => given([captured]).when(capture).thenThrows('lead_already_exists'));
    it('leaves out fields that were not given', () =>
      given([]).when({ type: 'CaptureLead', data: { leadId, name: 'Ann', source: { channel: 'api' }, now } }).then([
        { type: LeadEventType.LeadCaptured, data: { leadId, name: 'Ann', source: { channel: 'api' }, capturedAt: now.toISOString() } },
      ]));
  });

  describe('QualifyLead', () => {
    const qualify = { type: 'QualifyLead' as const, data: { leadId, now } };
    it('qualifies a captured lead', () => given([captured]).when(qualify).then([qualified]));
    it('re-qualifies a disqualified lead', () => given([captured, disqualified]).when(qualify).then([qualified]));
    it('is a no-op on a qualified lead', () => given([captured, qualified]).when(qualify).thenNothingHappened());
    it('refuses a converted lead', () => given([captured, qualified, converted]).when(qualify).thenThrows('lead_already_converted'));
    it('refuses a missing lead', () => given([]).when(qualify).thenThrows('lead_not_found', (e) => expect(e.kind).toBe('not_found')));
  });

  describe('DisqualifyLead', () => {
    const disqualify = { type: 'DisqualifyLead' as const, data: { leadId, reason: 'no budget', now } };
    it('disqualifies with a reason', () => given([captured]).when(disqualify).then([disqualified]));
    it('requires a reason', () =>
      given([captured]).when({ type: 'DisqualifyLead', data: { leadId, reason: '  ', now } }).thenThrows('disqualify_reason_required'));
    it('is a no-op when already disqualified for the same reason', () =>
      given([captured, disqualified]).when(disqualify).thenNothingHappened());
    it('records a new reason', () =>
      given([captured, disqualified])
        .when({ type: 'DisqualifyLead', data: { leadId, reason: 'competitor chosen', now } })
        .then([{ type: LeadEventType.LeadDisqualified, data: { leadId, reason: 'competitor chosen', disqualifiedAt: now.toISOString() } }]));
    it('refuses a converted lead', () => given([captured, qualified, converted]).when(disqualify).thenThrows('lead_already_converted'));
    it('refuses a missing lead', () => given([]).when(disqualify).thenThrows('lead_not_found'));
  });

  describe('ConvertLead', () => {
    const convert = { type: 'ConvertLead' as const, data: { leadId, accountId: 'acc-1', contactId: 'con-1', opportunityId: 'opp-1', now } };
    it('converts a qualified lead, naming what sales will create', () => given([captured, qualified]).when(convert).then([converted]));
    it('requires qualification first', () => given([captured]).when(convert).thenThrows('lead_not_qualified', (e) => expect(e.kind).toBe('rule_violation')));
    it('refuses a disqualified lead', () => given([captured, disqualified]).when(convert).thenThrows('lead_disqualified'));
    it('is a no-op when already converted', () => given([captured, qualified, converted]).when(convert).thenNothingHappened());
    it('keeps pointing at the created records', () =>
      given([captured, qualified]).when(convert).thenState((s) => {
        expect(s).toMatchObject({ status: 'converted', conversion: { accountId: 'acc-1', contactId: 'con-1', opportunityId: 'opp-1' } });
      }));
  });

  describe('RecordTouchpoints', () => {
    const pricing = { touchpointId: 'tp-1', type: 'pricing_page_view' as const, at: '2026-03-02T09:00:00.000Z', url: 'https://example.cn/pricing' };
    const download = { touchpointId: 'tp-2', type: 'whitepaper_download' as const, at: '2026-03-02T09:05:00.000Z', campaignId: 'cmp-1' };
    const recorded = (t: typeof pricing | typeof download): LeadEvent => ({
      type: LeadEventType.TouchpointRecorded,
      data: { leadId, ...t, recordedAt: now.toISOString() },
    });
    const record = (...touchpoints: (typeof pricing | typeof download)[]) => ({ type: 'RecordTouchpoints' as const, data: { leadId, touchpoints, now } });

    it('records new touchpoints in order', () => given([captured]).when(record(pricing, download)).then([recorded(pricing), recorded(download)]));
    it('skips touchpoints already recorded', () => given([captured, recorded(pricing)]).when(record(pricing, download)).then([recorded(download)]));
    it('records an id repeated within one batch once', () => given([captured]).when(record(pricing, pricing)).then([recorded(pricing)]));
    it('is a no-op when every touchpoint is known', () => given([captured, recorded(pricing)]).when(record(pricing)).thenNothingHappened());
    it('records touchpoints on converted leads too (behaviour keeps flowing into the profile)', () =>
      given([captured, qualified, converted]).when(record(download)).then([recorded(download)]));
    it('refuses a missing lead', () => given([]).when(record(pricing)).thenThrows('lead_not_found'));
  });
});
