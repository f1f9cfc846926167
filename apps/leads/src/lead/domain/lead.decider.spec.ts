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

  describe('pool and assignment', () => {
    const later = new Date('2026-03-21T08:00:00.000Z');
    const at = now.toISOString();
    const assigned = (ownerId: string, extra: Record<string, string> = {}): LeadEvent => ({
      type: LeadEventType.LeadAssigned,
      data: { leadId, ownerId, how: 'manual', ...extra, assignedAt: at },
    });
    const claimed = (ownerId: string, when = at): LeadEvent => ({ type: LeadEventType.LeadClaimed, data: { leadId, ownerId, claimedAt: when } });
    const followedUp = (when: string): LeadEvent => ({ type: LeadEventType.LeadFollowedUp, data: { leadId, by: 'rep-1', followedUpAt: when } });
    const returned = (previousOwnerId: string, reason: 'manual' | 'no_follow_up', when = later): LeadEvent => ({
      type: LeadEventType.LeadReturnedToPool,
      data: { leadId, previousOwnerId, reason, returnedAt: when.toISOString() },
    });
    const hot: LeadEvent = {
      type: LeadEventType.LeadBecameHot,
      data: { leadId, score: 65, reasons: [], threshold: 60, ruleSetVersion: 1, becameHotAt: at },
    };
    const cooled: LeadEvent = { type: LeadEventType.LeadCooled, data: { leadId, score: 40, reasons: [], threshold: 60, ruleSetVersion: 1, cooledAt: at } };

    describe('AssignLead', () => {
      const assign = (ownerId: string, how: 'manual' | 'round_robin' | 'rule' = 'manual', ruleId?: string) =>
        ({ type: 'AssignLead' as const, data: { leadId, ownerId, how, ...(ruleId && { ruleId }), now } });
      it('gives a pool lead an owner', () => given([captured]).when(assign('rep-1')).then([assigned('rep-1')]));
      it('records the rule that matched', () =>
        given([captured]).when(assign('rep-2', 'rule', 'east')).then([assigned('rep-2', { how: 'rule', ruleId: 'east' })]));
      it('re-assigns, naming the previous owner', () =>
        given([captured, claimed('rep-1')]).when(assign('rep-2')).then([assigned('rep-2', { previousOwnerId: 'rep-1' })]));
      it('is a no-op for the current owner', () => given([captured, assigned('rep-1')]).when(assign('rep-1')).thenNothingHappened());
      it('refuses converted and disqualified leads', () => {
        given([captured, qualified, converted]).when(assign('rep-1')).thenThrows('lead_closed');
        given([captured, disqualified]).when(assign('rep-1')).thenThrows('lead_closed');
      });
      it('refuses a missing lead', () => given([]).when(assign('rep-1')).thenThrows('lead_not_found'));
    });

    describe('ClaimLead', () => {
      const claim = (repId: string) => ({ type: 'ClaimLead' as const, data: { leadId, repId, now } });
      it('claims a lead from the pool', () => given([captured]).when(claim('rep-1')).then([claimed('rep-1')]));
      it('claims a lead that went back to the pool', () =>
        given([captured, assigned('rep-2'), returned('rep-2', 'no_follow_up')]).when(claim('rep-1')).then([claimed('rep-1')]));
      it('refuses a lead somebody owns (409)', () =>
        given([captured, assigned('rep-2')]).when(claim('rep-1')).thenThrows('lead_already_owned', (e) => expect(e.kind).toBe('conflict')));
      it('is a no-op for its own owner', () => given([captured, claimed('rep-1')]).when(claim('rep-1')).thenNothingHappened());
      it('refuses a closed lead', () => given([captured, disqualified]).when(claim('rep-1')).thenThrows('lead_closed'));
    });

    describe('ReturnLeadToPool', () => {
      const release = { type: 'ReturnLeadToPool' as const, data: { leadId, reason: 'manual' as const, now: later } };
      const expire = (ifNoActivitySince: Date) => ({ type: 'ReturnLeadToPool' as const, data: { leadId, reason: 'no_follow_up' as const, ifNoActivitySince, now: later } });
      it('releases an owned lead by hand', () => given([captured, claimed('rep-1')]).when(release).then([returned('rep-1', 'manual')]));
      it('is a no-op for a lead in the pool', () => given([captured]).when(release).thenNothingHappened());
      it('returns a lead without follow-up since the armed time', () =>
        given([captured, assigned('rep-1')]).when(expire(now)).then([returned('rep-1', 'no_follow_up')]));
      it('does nothing when the lead was followed up after the armed time', () =>
        given([captured, assigned('rep-1'), followedUp('2026-03-11T08:00:00.000Z')]).when(expire(now)).thenNothingHappened());
      it('does nothing when the timer fires again after the lead went back', () =>
        given([captured, assigned('rep-1'), returned('rep-1', 'no_follow_up')]).when(expire(now)).thenNothingHappened());
      it('does nothing for a converted lead on expiry, refuses a manual release of it', () => {
        given([captured, assigned('rep-1'), qualified, converted]).when(expire(now)).thenNothingHappened();
        given([captured, assigned('rep-1'), qualified, converted]).when(release).thenThrows('lead_closed');
      });
      it('leaves the lead ownerless', () =>
        given([captured, claimed('rep-1')]).when(release).thenState((s) => expect(s).toMatchObject({ ownerId: undefined, lastActivityAt: undefined })));
    });

    describe('RecordFollowUp', () => {
      const follow = { type: 'RecordFollowUp' as const, data: { leadId, by: 'rep-1', note: 'called, demo next week', now: later } };
      it('records a follow-up and restarts the clock', () =>
        given([captured, claimed('rep-1')]).when(follow).then([
          { type: LeadEventType.LeadFollowedUp, data: { leadId, by: 'rep-1', note: 'called, demo next week', followedUpAt: later.toISOString() } },
        ]));
      it('moves the last activity', () =>
        given([captured, claimed('rep-1')]).when(follow).thenState((s) => expect(s).toMatchObject({ lastActivityAt: later.toISOString() })));
      it('refuses a lead in the pool', () => given([captured]).when(follow).thenThrows('lead_in_pool'));
      it('refuses a closed lead', () => given([captured, claimed('rep-1'), disqualified]).when(follow).thenThrows('lead_closed'));
    });

    describe('AlertHotLeadOwner', () => {
      const alert = { type: 'AlertHotLeadOwner' as const, data: { leadId, now } };
      const alerted = (ownerId: string): LeadEvent => ({ type: LeadEventType.HotLeadOwnerAlerted, data: { leadId, ownerId, score: 65, alertedAt: at } });
      it('alerts the owner of a hot lead', () => given([captured, claimed('rep-1'), hot]).when(alert).then([alerted('rep-1')]));
      it('alerts once per hot spell', () => given([captured, claimed('rep-1'), hot, alerted('rep-1')]).when(alert).thenNothingHappened());
      it('alerts again in a new hot spell', () =>
        given([captured, claimed('rep-1'), hot, alerted('rep-1'), cooled, hot]).when(alert).then([alerted('rep-1')]));
      it('alerts a new owner of a lead that is still hot', () =>
        given([captured, claimed('rep-1'), hot, alerted('rep-1'), assigned('rep-2', { previousOwnerId: 'rep-1' })]).when(alert).then([alerted('rep-2')]));
      it('does nothing for a lead without owner or not hot', () => {
        given([captured, hot]).when(alert).thenNothingHappened();
        given([captured, claimed('rep-1')]).when(alert).thenNothingHappened();
      });
    });

    it('keeps attributes for assignment rules (null clears)', () =>
      given([
        captured,
        { type: LeadEventType.LeadAttributesUpdated, data: { leadId, changes: { region: 'East', industry: 'SaaS' }, updatedAt: at } },
        { type: LeadEventType.LeadAttributesUpdated, data: { leadId, changes: { industry: null }, updatedAt: at } },
      ]).when({ type: 'ClaimLead', data: { leadId, repId: 'rep-1', now } }).thenState((s) => expect(s).toMatchObject({ attributes: { region: 'East' } })));
  });
});
