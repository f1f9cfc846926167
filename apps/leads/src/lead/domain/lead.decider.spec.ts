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
const snapshot = {
  name: '王小明', company: '北京某某科技有限公司', email: 'xiaoming@example.cn', phone: '+8613800138000', channel: 'web_form' as const,
  utm: { source: 'baidu', medium: 'cpc', campaign: 'spring' },
};
const converted: LeadEvent = {
  type: LeadEventType.LeadConverted,
  data: { leadId, accountId: 'acc-1', contactId: 'con-1', opportunityId: 'opp-1', lead: snapshot, convertedAt: now.toISOString() },
};
const survivorId = '0190aaaa-0000-7000-8000-000000000002';
const mergedInto: LeadEvent = { type: LeadEventType.LeadMergedInto, data: { leadId, survivorId, mergedBy: 'mgr-1', mergedAt: now.toISOString() } };

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

  describe('UpdateLeadAttributes', () => {
    const update = (changes: Record<string, string | number | boolean | null>) => ({ type: 'UpdateLeadAttributes' as const, data: { leadId, changes, now } });
    const updated = (changes: Record<string, string | number | boolean | null>): LeadEvent => ({ type: LeadEventType.LeadAttributesUpdated, data: { leadId, changes, updatedAt: now.toISOString() } });
    it('records new attribute values', () => given([captured]).when(update({ industry: 'software', employees: 120 })).then([updated({ industry: 'software', employees: 120 })]));
    it('records only what changes; clearing an absent attribute is nothing', () =>
      given([captured, updated({ industry: 'software', region: 'east' })]).when(update({ industry: 'software', region: null, title: null, vip: true })).then([updated({ region: null, vip: true })]));
    it('is a no-op when nothing changes', () => given([captured, updated({ industry: 'software' })]).when(update({ industry: 'software' })).thenNothingHappened());
    it('refuses a converted lead (its profile lives in sales now)', () => given([captured, qualified, converted]).when(update({ industry: 'x' })).thenThrows('lead_already_converted'));
    it('refuses a merged-away lead, naming the survivor', () =>
      given([captured, mergedInto]).when(update({ industry: 'x' })).thenThrows('lead_merged', (e) => expect(e.details).toEqual({ survivorId })));
    it('refuses a missing lead', () => given([]).when(update({ industry: 'x' })).thenThrows('lead_not_found'));
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
    it('carries what sales needs: the lead snapshot (owner, industry, region, campaign), the opportunity hints and who converted', () =>
      given([
        { ...captured, data: { ...captured.data, source: { ...captured.data.source, campaignId: 'cmp-1' } } } as LeadEvent,
        { type: LeadEventType.LeadAssigned, data: { leadId, ownerId: 'rep-1', how: 'manual', assignedAt: now.toISOString() } },
        { type: LeadEventType.LeadAttributesUpdated, data: { leadId, changes: { industry: 'SaaS', region: 'East', size: 50 }, updatedAt: now.toISOString() } },
        qualified,
      ]).when({
        type: 'ConvertLead',
        data: { ...convert.data, opportunity: { name: 'Acme CRM', amountMinor: 1_200_000, currency: 'CNY', expectedCloseDate: '2026-06-30' }, convertedBy: 'rep-1' },
      }).then([{
        type: LeadEventType.LeadConverted,
        data: {
          leadId, accountId: 'acc-1', contactId: 'con-1', opportunityId: 'opp-1',
          lead: { ...snapshot, ownerId: 'rep-1', industry: 'SaaS', region: 'East', campaignId: 'cmp-1' },
          opportunity: { name: 'Acme CRM', amountMinor: 1_200_000, currency: 'CNY', expectedCloseDate: '2026-06-30' },
          convertedBy: 'rep-1',
          convertedAt: now.toISOString(),
        },
      }]));
    it('leaves the opportunity hints out when no opportunity is opened', () =>
      given([captured, qualified])
        .when({ type: 'ConvertLead', data: { leadId, accountId: 'acc-1', contactId: 'con-1', opportunity: { name: 'x' }, now } })
        .then([{ type: LeadEventType.LeadConverted, data: { leadId, accountId: 'acc-1', contactId: 'con-1', lead: snapshot, convertedAt: now.toISOString() } }]));
    it('keeps pointing at the created records', () =>
      given([captured, qualified]).when(convert).thenState((s) => {
        expect(s).toMatchObject({ status: 'converted', conversion: { accountId: 'acc-1', contactId: 'con-1', opportunityId: 'opp-1' } });
      }));
  });

  describe('RecaptureLead', () => {
    const source = { channel: 'landing_page' as const, campaignId: 'cmp-2', utm: { source: 'wechat' }, referrer: 'https://ref.example/' };
    const consents = [{ purpose: 'marketing', grantedAt: now.toISOString(), source: 'landing_page' }];
    const recapture = (person: { name: string; company?: string; email?: string; phone?: string }) =>
      ({ type: 'RecaptureLead' as const, data: { leadId, ...person, source, consents, matchedOn: 'email' as const, now } });
    const minimal: LeadEvent = { type: LeadEventType.LeadCaptured, data: { leadId, name: 'Ann', email: 'ann@example.cn', source: { channel: 'api' }, capturedAt: now.toISOString() } };

    it('attaches the capture with its source and consents; fields the lead lacks are added', () =>
      given([minimal]).when(recapture({ name: 'Ann Lee', company: 'Acme', email: 'ann@example.cn', phone: '+8613800138000' })).then([{
        type: LeadEventType.LeadRecaptured,
        data: {
          leadId, name: 'Ann Lee', company: 'Acme', email: 'ann@example.cn', phone: '+8613800138000', source, consents, matchedOn: 'email',
          added: { company: 'Acme', phone: '+8613800138000' }, recapturedAt: now.toISOString(),
        },
      }]));
    it('never overwrites what the lead has', () =>
      given([captured]).when(recapture({ name: 'X', company: 'Other Co', email: 'xiaoming@example.cn', phone: '+8613900139000' })).thenState((s) =>
        expect(s).toMatchObject({ company: '北京某某科技有限公司', phone: '+8613800138000' })));
    it('takes the added fields into the lead', () =>
      given([minimal]).when(recapture({ name: 'Ann', email: 'ann@example.cn', phone: '+8613800138000' })).thenState((s) =>
        expect(s).toMatchObject({ email: 'ann@example.cn', phone: '+8613800138000' })));
    it('refuses a closed lead (a new lead is captured instead)', () => {
      given([captured, disqualified]).when(recapture({ name: 'X', email: 'xiaoming@example.cn' })).thenThrows('lead_closed');
      given([captured, qualified, converted]).when(recapture({ name: 'X', email: 'xiaoming@example.cn' })).thenThrows('lead_closed');
    });
    it('refuses a merged lead, naming the survivor', () =>
      given([captured, mergedInto]).when(recapture({ name: 'X', email: 'xiaoming@example.cn' })).thenThrows('lead_merged', (e) => expect(e.details).toEqual({ survivorId })));
    it('refuses a missing lead', () => given([]).when(recapture({ name: 'X' })).thenThrows('lead_not_found'));
  });

  describe('MergeLead (on the survivor)', () => {
    const merge = (mergedId: string) => ({ type: 'MergeLead' as const, data: { survivorId: leadId, mergedId, mergedBy: 'mgr-1', now } });
    const merged: LeadEvent = { type: LeadEventType.LeadsMerged, data: { leadId, mergedId: survivorId, mergedBy: 'mgr-1', mergedAt: now.toISOString() } };
    it('takes the other lead in', () => given([captured]).when(merge(survivorId)).then([merged]));
    it('is a no-op when that lead was merged in already', () => given([captured, merged]).when(merge(survivorId)).thenNothingHappened());
    it('refuses to merge a lead into itself', () => given([captured]).when(merge(leadId)).thenThrows('merge_into_self', (e) => expect(e.kind).toBe('rule_violation')));
    it('refuses a survivor that was merged away itself', () => given([captured, mergedInto]).when(merge('other')).thenThrows('lead_merged'));
    it('refuses a missing survivor', () => given([]).when(merge(survivorId)).thenThrows('lead_not_found'));
    it('lists the merged leads', () => given([captured]).when(merge(survivorId)).thenState((s) => expect(s).toMatchObject({ merged: [survivorId] })));
  });

  describe('MarkLeadMerged (on the merged lead)', () => {
    const mark = (into = survivorId) => ({ type: 'MarkLeadMerged' as const, data: { leadId, survivorId: into, mergedBy: 'mgr-1', now } });
    it('redirects the lead to the survivor', () => given([captured]).when(mark()).then([mergedInto]));
    it('is a no-op when already merged into that survivor', () => given([captured, mergedInto]).when(mark()).thenNothingHappened());
    it('refuses a lead merged into another one', () => given([captured, mergedInto]).when(mark('third')).thenThrows('lead_merged'));
    it('refuses a converted lead (sales holds records made from it)', () => given([captured, qualified, converted]).when(mark()).thenThrows('lead_already_converted'));
    it('refuses itself as survivor', () => given([captured]).when(mark(leadId)).thenThrows('merge_into_self'));
    it('refuses a missing lead', () => given([]).when(mark()).thenThrows('lead_not_found'));
    it('refuses every later command with lead_merged', () => {
      given([captured, mergedInto]).when({ type: 'QualifyLead', data: { leadId, now } }).thenThrows('lead_merged');
      given([captured, mergedInto]).when({ type: 'RecordTouchpoints', data: { leadId, touchpoints: [], now } }).thenThrows('lead_merged');
      given([captured, mergedInto]).when({ type: 'ClaimLead', data: { leadId, repId: 'rep-1', now } }).thenThrows('lead_merged');
    });
    it('shows where the lead went', () => given([captured]).when(mark()).thenState((s) => expect(s).toMatchObject({ mergedInto: survivorId })));
  });

  describe('ConfirmLeadConversion', () => {
    const ids = { leadId, accountId: 'acc-1', account: 'created' as const, contactId: 'con-9', contact: 'linked' as const, opportunityId: 'opp-1' };
    const confirm = { type: 'ConfirmLeadConversion' as const, data: { ...ids, now } };
    const confirmed: LeadEvent = { type: LeadEventType.LeadConversionConfirmed, data: { ...ids, confirmedAt: now.toISOString() } };
    it('notes what sales created or linked', () => given([captured, qualified, converted]).when(confirm).then([confirmed]));
    it('is a no-op for the same confirmation', () => given([captured, qualified, converted, confirmed]).when(confirm).thenNothingHappened());
    it('points the lead at the records sales linked', () =>
      given([captured, qualified, converted]).when(confirm).thenState((s) =>
        expect(s).toMatchObject({ conversion: { accountId: 'acc-1', contactId: 'con-9', opportunityId: 'opp-1' }, conversionConfirmed: { account: 'created', contact: 'linked' } })));
    it('refuses a lead that is not converted', () => given([captured, qualified]).when(confirm).thenThrows('lead_not_converted'));
    it('refuses a missing lead', () => given([]).when(confirm).thenThrows('lead_not_found'));
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
