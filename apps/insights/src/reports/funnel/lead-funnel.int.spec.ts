import { LeadEventType, newId, type LeadEvent, type RecordedEvent } from '@crm/contracts';
import { useInsightsReadModel } from '../../../test/read-model.fixture';
import type { InsightsReadModel } from '../../insights-read-model';
import { createEventRecorder, day, dayIso } from '../report-events.fixture';
import { CAPTURE_TOUCHPOINT_ID } from './lead-funnel.projection';

const fixture = useInsightsReadModel('insights_funnel');
const { recorded } = createEventRecorder();
let readModel: InsightsReadModel;
beforeAll(() => {
  readModel = fixture.readModel();
});

const captured = (leadId: string, at: number, channel: 'web_form' | 'email', campaignId?: string, utmSource?: string): LeadEvent => ({
  type: LeadEventType.LeadCaptured,
  data: {
    leadId,
    name: 'Lead',
    source: { channel, ...(campaignId ? { campaignId } : {}), ...(utmSource ? { utm: { source: utmSource } } : {}) },
    capturedAt: dayIso(at),
  },
});
const qualified = (leadId: string, at: number): LeadEvent => ({ type: LeadEventType.LeadQualified, data: { leadId, qualifiedAt: dayIso(at) } });
const converted = (leadId: string, at: number): LeadEvent => ({
  type: LeadEventType.LeadConverted,
  data: { leadId, accountId: newId(), contactId: newId(), convertedAt: dayIso(at) },
});
const disqualified = (leadId: string, at: number): LeadEvent => ({ type: LeadEventType.LeadDisqualified, data: { leadId, reason: 'no budget', disqualifiedAt: dayIso(at) } });

// Ten leads captured on day 0 (plus one on day −28, outside the March window):
//   lead  channel   campaign utm     qualified (days after capture)  converted (days after qualified)
//   0     web_form  camp-A   google  1                               2
//   1     web_form  camp-A   google  2                               4
//   2     web_form  camp-A   google  3                               9
//   3     web_form  camp-A   –       4
//   4     web_form  camp-B   –       5
//   5     email     camp-B   –       6
//   6, 7  email     –        –       disqualified on day 1
//   8, 9  email     –        –       –
// Totals: 10 captured, 6 qualified (60%), 3 converted (50% of qualified, 30% overall).
// Median days capture→qualified over 1,2,3,4,5,6 = (3+4)/2 = 3.5; qualified→converted over
// 2,4,9 = 4; capture→converted over 1+2, 2+4, 3+9 = 3, 6, 12 → 6.
const tenant = `t-${newId()}`;
const otherTenant = `t-${newId()}`;
const leads = Array.from({ length: 10 }, () => newId());
const storyEvents: LeadEvent[] = [
  ...leads.map((id, i) => captured(id, 0, i < 5 ? 'web_form' : 'email', i < 4 ? 'camp-A' : i < 6 ? 'camp-B' : undefined, i < 3 ? 'google' : undefined)),
  ...[1, 2, 3, 4, 5, 6].map((days, i) => qualified(leads[i], days)),
  converted(leads[0], 1 + 2),
  converted(leads[1], 2 + 4),
  converted(leads[2], 3 + 9),
  disqualified(leads[6], 1),
  disqualified(leads[7], 1),
  captured(newId(), -28, 'web_form', 'camp-A'),
  {
    type: LeadEventType.TouchpointRecorded,
    data: { leadId: leads[0], touchpointId: 'tp-1', type: 'email_clicked', at: dayIso(0.5), campaignId: 'camp-C', recordedAt: dayIso(0.5) },
  },
];
const applied: RecordedEvent[] = [];

beforeAll(async () => {
  for (const event of storyEvents) {
    const wrapped = recorded(tenant, event);
    applied.push(wrapped);
    await readModel.projections.leadFunnel.project(wrapped);
  }
  // Another tenant: one captured and converted lead of the same campaign and channel.
  const other = newId();
  for (const event of [captured(other, 0, 'web_form', 'camp-A'), qualified(other, 1), converted(other, 2)]) {
    await readModel.projections.leadFunnel.project(recorded(otherTenant, event));
  }
});

const MARCH = { from: new Date('2025-03-01T00:00:00.000Z'), to: new Date('2025-04-01T00:00:00.000Z') };

describe('lead funnel report', () => {
  it('totals: 10 captured → 6 qualified (60%) → 3 converted (50%), with the medians between steps', async () => {
    const report = await readModel.reports.leadFunnel(tenant, { groupBy: 'channel', ...MARCH });

    expect(report.total).toEqual({
      key: null,
      captured: 10,
      qualified: 6,
      converted: 3,
      disqualified: 2,
      qualificationRate: 0.6,
      conversionRate: 0.5,
      overallConversionRate: 0.3,
      medianDaysToQualify: 3.5,
      medianDaysQualifiedToConverted: 4,
      medianDaysToConvert: 6,
    });
    expect(report).toMatchObject({ groupBy: 'channel', from: '2025-03-01T00:00:00.000Z', to: '2025-04-01T00:00:00.000Z' });
  });

  it('by channel: web_form 5 → 5 → 3, email 5 → 1 → 0', async () => {
    const { groups } = await readModel.reports.leadFunnel(tenant, { groupBy: 'channel', ...MARCH });

    expect(groups).toEqual([
      // Ties on captured are ordered by key.
      {
        key: 'email', captured: 5, qualified: 1, converted: 0, disqualified: 2,
        qualificationRate: 0.2, conversionRate: 0, overallConversionRate: 0,
        medianDaysToQualify: 6, medianDaysQualifiedToConverted: null, medianDaysToConvert: null,
      },
      {
        key: 'web_form', captured: 5, qualified: 5, converted: 3, disqualified: 0,
        qualificationRate: 1, conversionRate: 0.6, overallConversionRate: 0.6,
        // 1,2,3,4,5 → 3; 2,4,9 → 4; 3,6,12 → 6.
        medianDaysToQualify: 3, medianDaysQualifiedToConverted: 4, medianDaysToConvert: 6,
      },
    ]);
  });

  it('by campaign (the capture campaign; none → "(none)") and by utm source', async () => {
    const byCampaign = await readModel.reports.leadFunnel(tenant, { groupBy: 'campaign', ...MARCH });
    expect(byCampaign.groups.map((g) => [g.key, g.captured, g.qualified, g.converted, g.medianDaysToQualify])).toEqual([
      ['(none)', 4, 0, 0, null],
      ['camp-A', 4, 4, 3, 2.5],
      ['camp-B', 2, 2, 0, 5.5],
    ]);

    const bySource = await readModel.reports.leadFunnel(tenant, { groupBy: 'source', ...MARCH });
    expect(bySource.groups.map((g) => [g.key, g.captured, g.qualified, g.converted, g.conversionRate])).toEqual([
      ['(none)', 7, 3, 0, 0],
      ['google', 3, 3, 3, 1],
    ]);
  });

  it('the period filters on the capture instant: without it the day −28 lead counts too', async () => {
    const all = await readModel.reports.leadFunnel(tenant, { groupBy: 'campaign' });
    expect(all.total.captured).toBe(11);
    expect(all.groups.find((g) => g.key === 'camp-A')?.captured).toBe(5);

    const february = await readModel.reports.leadFunnel(tenant, { groupBy: 'campaign', to: MARCH.from });
    expect(february.total).toMatchObject({ captured: 1, qualified: 0, qualificationRate: 0, conversionRate: null, medianDaysToQualify: null });
  });

  it('an empty period has a zero total and no groups; from after to is refused', async () => {
    const empty = await readModel.reports.leadFunnel(tenant, { groupBy: 'channel', from: day(100) });
    expect(empty.groups).toEqual([]);
    expect(empty.total).toMatchObject({ captured: 0, qualificationRate: null, overallConversionRate: null });

    await expect(readModel.reports.leadFunnel(tenant, { groupBy: 'channel', from: day(1), to: day(1) })).rejects.toMatchObject({ code: 'invalid_period', kind: 'invalid' });
  });

  it('is tenant-scoped: the other tenant sees only its own lead', async () => {
    const report = await readModel.reports.leadFunnel(otherTenant, { groupBy: 'campaign' });
    expect(report.groups).toEqual([expect.objectContaining({ key: 'camp-A', captured: 1, qualified: 1, converted: 1, medianDaysToQualify: 1, medianDaysToConvert: 2 })]);
    expect(await readModel.reports.leadFunnel(`t-${newId()}`, { groupBy: 'channel' })).toMatchObject({ groups: [], total: { captured: 0 } });
  });

  it('keeps the capture as the first touch and each touchpoint once', async () => {
    const touches = await readModel.prisma.leadTouch.findMany({ where: { tenantId: tenant, leadId: leads[0] }, orderBy: { at: 'asc' } });
    expect(touches.map((t) => [t.touchpointId, t.kind, t.channel, t.campaignId, t.at.toISOString()])).toEqual([
      [CAPTURE_TOUCHPOINT_ID, 'capture', 'web_form', 'camp-A', dayIso(0)],
      // No channel on the touchpoint: taken from its type.
      ['tp-1', 'email_clicked', 'email', 'camp-C', dayIso(0.5)],
    ]);
  });

  it('replaying the events changes nothing', async () => {
    const before = await readModel.reports.leadFunnel(tenant, { groupBy: 'campaign' });
    const outcomes = [];
    for (const event of applied) outcomes.push(await readModel.projections.leadFunnel.project(event));
    expect(new Set(outcomes)).toEqual(new Set(['skipped']));
    // The same events recorded again at later positions (a re-delivered history): still the same numbers.
    for (const event of storyEvents) await readModel.projections.leadFunnel.project(recorded(tenant, event));
    expect(await readModel.reports.leadFunnel(tenant, { groupBy: 'campaign' })).toEqual(before);
    expect(await readModel.prisma.leadTouch.count({ where: { tenantId: tenant } })).toBe(12);
  });

  it('counts a recapture as a touch of the lead, and a merged lead once: the survivor takes over its touches', async () => {
    const mergeTenant = `t-${newId()}`;
    const [survivor, loser] = [newId(), newId()];
    const recapture: LeadEvent = {
      type: LeadEventType.LeadRecaptured,
      data: { leadId: survivor, name: 'Lead', source: { channel: 'email', campaignId: 'camp-R' }, matchedOn: 'email', recapturedAt: dayIso(1) },
    };
    const events = [
      captured(survivor, 0, 'web_form', 'camp-A'),
      captured(loser, 0.25, 'email', 'camp-B'),
      { type: LeadEventType.TouchpointRecorded, data: { leadId: loser, touchpointId: 'tp-l', type: 'page_view', at: dayIso(0.5), recordedAt: dayIso(0.5) } } as LeadEvent,
      recapture,
      { type: LeadEventType.LeadMergedInto, data: { leadId: loser, survivorId: survivor, mergedAt: dayIso(2) } } as LeadEvent,
    ].map((event) => recorded(mergeTenant, event));
    for (const event of events) await readModel.projections.leadFunnel.project(event);

    expect((await readModel.reports.leadFunnel(mergeTenant, { groupBy: 'channel' })).total).toMatchObject({ captured: 1 });
    const touches = await readModel.prisma.leadTouch.findMany({ where: { tenantId: mergeTenant }, orderBy: { at: 'asc' } });
    expect(touches.map((t) => [t.leadId, t.touchpointId, t.kind, t.channel, t.campaignId])).toEqual([
      [survivor, CAPTURE_TOUCHPOINT_ID, 'capture', 'web_form', 'camp-A'],
      [survivor, `${CAPTURE_TOUCHPOINT_ID}:${loser}`, 'capture', 'email', 'camp-B'],
      [survivor, 'tp-l', 'page_view', 'web', null],
      [survivor, `${CAPTURE_TOUCHPOINT_ID}:${events[3].id}`, 'capture', 'email', 'camp-R'],
    ]);
    for (const event of events) expect(await readModel.projections.leadFunnel.project(event)).toBe('skipped');
  });

  it('a step of a lead that was never captured fails the delivery (retried, then dead-lettered)', async () => {
    await expect(readModel.projections.leadFunnel.project(recorded(tenant, qualified(newId(), 1)))).rejects.toMatchObject({ code: 'lead_not_projected' });
  });
});
