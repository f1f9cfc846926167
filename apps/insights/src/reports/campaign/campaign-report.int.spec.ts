import { CampaignEventType, LeadEventType, newId, type CampaignEngagementKind, type CampaignEvent, type LeadEvent, type RecordedEvent } from '@crm/contracts';
import { useInsightsReadModel } from '../../../test/read-model.fixture';
import type { InsightsReadModel } from '../../insights-read-model';
import { createEventRecorder, day, dayIso } from '../report-events.fixture';

const fixture = useInsightsReadModel('insights_campaigns');
const { recorded } = createEventRecorder();
let readModel: InsightsReadModel;
beforeAll(() => {
  readModel = fixture.readModel();
});

const created = (campaignId: string, budgetMinor: number, channel: 'email' | 'webinar' = 'email'): CampaignEvent => ({
  type: CampaignEventType.CampaignCreated,
  data: { campaignId, name: `Campaign ${campaignId}`, channel, budget: { amountMinor: budgetMinor, currency: 'CNY' }, startsOn: '2025-03-01', endsOn: '2025-03-31', createdAt: dayIso(0) },
});
const cost = (campaignId: string, costEntryId: string, amountMinor: number, totalMinor: number): CampaignEvent => ({
  type: CampaignEventType.CostRecorded,
  data: {
    campaignId, costEntryId, amount: { amountMinor, currency: 'CNY' }, incurredOn: '2025-03-02',
    totalCost: { amountMinor: totalMinor, currency: 'CNY' }, recordedAt: dayIso(1),
  },
});
const engaged = (campaignId: string, variant: string | null, kind: CampaignEngagementKind): CampaignEvent => ({
  type: CampaignEventType.EngagementRecorded,
  data: { campaignId, engagementId: newId(), leadId: newId(), kind, variant, at: dayIso(2), recordedAt: dayIso(2) },
});
const captured = (leadId: string, campaignId: string): LeadEvent => ({
  type: LeadEventType.LeadCaptured,
  data: { leadId, name: 'Lead', source: { channel: 'email', campaignId }, capturedAt: dayIso(0) },
});
const qualified = (leadId: string): LeadEvent => ({ type: LeadEventType.LeadQualified, data: { leadId, qualifiedAt: dayIso(1) } });
const converted = (leadId: string): LeadEvent => ({ type: LeadEventType.LeadConverted, data: { leadId, accountId: newId(), contactId: newId(), convertedAt: dayIso(2) } });

const times = <T>(n: number, make: () => T): T[] => Array.from({ length: n }, make);

const tenant = `t-${newId()}`;
const otherTenant = `t-${newId()}`;
const campaignEvents: RecordedEvent[] = [];
const leadA = times(4, () => newId());
const leadB = times(3, () => newId());

const project = async (tenantId: string, events: Array<LeadEvent | CampaignEvent>): Promise<void> => {
  for (const event of events) {
    const wrapped = recorded(tenantId, event);
    if (event.type.startsWith('campaigns.')) {
      campaignEvents.push(wrapped);
      await readModel.projections.campaignReport.project(wrapped);
    } else {
      await readModel.projections.leadFunnel.project(wrapped);
    }
  }
};

beforeAll(async () => {
  // camp-A: budget 1,000,000 fen; costs 300,000 + 200,000 (entry c1 recorded twice counts once);
  // 4 leads, 3 of them converted. camp-B: cost 100,000, 3 leads, none converted.
  await project(tenant, [
    created('camp-A', 1_000_000),
    created('camp-B', 500_000, 'webinar'),
    cost('camp-A', 'c1', 300_000, 300_000),
    cost('camp-A', 'c2', 200_000, 500_000),
    cost('camp-A', 'c1', 300_000, 500_000),
    cost('camp-B', 'c3', 100_000, 100_000),
    ...leadA.map((id) => captured(id, 'camp-A')),
    ...leadB.map((id) => captured(id, 'camp-B')),
    ...leadA.slice(0, 3).flatMap((id) => [qualified(id), converted(id)]),
    { type: CampaignEventType.VariantsDefined, data: { campaignId: 'camp-A', variants: [{ key: 'A', weight: 1 }, { key: 'B', weight: 3 }], definedAt: dayIso(0) } },
    // A: 4 sent, 2 opened, 1 clicked, 1 converted. B: 4 sent, 3 opened, 3 clicked, 0 converted.
    ...times(4, () => engaged('camp-A', 'A', 'sent')),
    ...times(2, () => engaged('camp-A', 'A', 'opened')),
    engaged('camp-A', 'A', 'clicked'),
    engaged('camp-A', 'A', 'converted'),
    ...times(4, () => engaged('camp-A', 'B', 'sent')),
    ...times(3, () => engaged('camp-A', 'B', 'opened')),
    ...times(3, () => engaged('camp-A', 'B', 'clicked')),
  ]);
  // Another tenant with a campaign of the same id: its numbers never mix in.
  await project(otherTenant, [created('camp-A', 9), cost('camp-A', 'c1', 7, 7), captured(newId(), 'camp-A'), engaged('camp-A', 'A', 'sent')]);
});

describe('campaign metrics', () => {
  it('cost per lead: 500,000 / 4 leads = 125,000; conversion 3/4; no revenue or ROI before any won deal', async () => {
    expect(await readModel.reports.getCampaign(tenant, 'camp-A')).toEqual({
      campaignId: 'camp-A',
      name: 'Campaign camp-A',
      channel: 'email',
      currency: 'CNY',
      budgetMinor: '1000000',
      leads: 4,
      qualified: 3,
      converted: 3,
      conversionRate: 0.75,
      costMinor: '500000',
      costPerLeadMinor: '125000',
      wonDeals: 0,
      revenueMinor: null,
      roi: null,
    });
  });

  it('cost per lead rounds half up to a minor unit: 100,000 / 3 = 33,333.33 → 33,333', async () => {
    expect(await readModel.reports.getCampaign(tenant, 'camp-B')).toMatchObject({ leads: 3, costMinor: '100000', costPerLeadMinor: '33333', conversionRate: 0 });
  });

  it('lists the tenant\'s campaigns in creation order', async () => {
    const list = await readModel.reports.listCampaigns(tenant);
    expect(list.map((c) => [c.campaignId, c.leads, c.costMinor])).toEqual([
      ['camp-A', 4, '500000'],
      ['camp-B', 3, '100000'],
    ]);
  });

  it('revenue and ROI from won deals (rows inserted directly; the sales projection’s own spec fills them from OpportunityWon)', async () => {
    // 1,500,000 fen won from a camp-A lead; a USD deal is not added to a CNY campaign.
    await readModel.prisma.wonDeal.createMany({
      data: [
        { tenantId: tenant, dealId: `d-${newId()}`, leadId: leadA[0], amountMinor: 1_000_000n, currency: 'CNY', wonAt: day(10) },
        { tenantId: tenant, dealId: `d-${newId()}`, leadId: leadA[1], amountMinor: 500_000n, currency: 'CNY', wonAt: day(11) },
        { tenantId: tenant, dealId: `d-${newId()}`, leadId: leadA[2], amountMinor: 999n, currency: 'USD', wonAt: day(11) },
        // Another tenant's deal for a lead of the same id.
        { tenantId: otherTenant, dealId: `d-${newId()}`, leadId: leadA[0], amountMinor: 5n, currency: 'CNY', wonAt: day(10) },
      ],
    });

    // ROI = (1,500,000 − 500,000) / 500,000 = 2.
    expect(await readModel.reports.getCampaign(tenant, 'camp-A')).toMatchObject({ wonDeals: 2, revenueMinor: '1500000', roi: 2 });
    expect(await readModel.reports.getCampaign(tenant, 'camp-B')).toMatchObject({ wonDeals: 0, revenueMinor: null, roi: null });
  });

  it('is tenant-scoped, and an unknown campaign is a typed 404', async () => {
    expect(await readModel.reports.getCampaign(otherTenant, 'camp-A')).toMatchObject({ budgetMinor: '9', leads: 1, costMinor: '7', costPerLeadMinor: '7', wonDeals: 0 });
    expect((await readModel.reports.listCampaigns(otherTenant)).map((c) => c.campaignId)).toEqual(['camp-A']);
    await expect(readModel.reports.getCampaign(otherTenant, 'camp-B')).rejects.toMatchObject({ code: 'campaign_not_found', kind: 'not_found' });
    expect(await readModel.reports.listCampaigns(`t-${newId()}`)).toEqual([]);
  });
});

describe('A/B variant comparison', () => {
  it('counts and rates per variant', async () => {
    expect(await readModel.reports.compareVariants(tenant, 'camp-A')).toEqual({
      campaignId: 'camp-A',
      variants: [
        { variant: 'A', weight: 1, sent: 4, opened: 2, clicked: 1, converted: 1, openRate: 0.5, clickRate: 0.25, clickToOpenRate: 0.5, conversionRate: 0.25 },
        { variant: 'B', weight: 3, sent: 4, opened: 3, clicked: 3, converted: 0, openRate: 0.75, clickRate: 0.75, clickToOpenRate: 1, conversionRate: 0 },
      ],
    });
  });

  it('a campaign without variants counts under "(none)"; rates of nothing sent are null', async () => {
    await project(tenant, [engaged('camp-B', null, 'opened')]);
    expect((await readModel.reports.compareVariants(tenant, 'camp-B')).variants).toEqual([
      { variant: '(none)', weight: null, sent: 0, opened: 1, clicked: 0, converted: 0, openRate: null, clickRate: null, clickToOpenRate: 0, conversionRate: null },
    ]);
  });

  it('is tenant-scoped', async () => {
    expect((await readModel.reports.compareVariants(otherTenant, 'camp-A')).variants).toEqual([expect.objectContaining({ variant: 'A', weight: null, sent: 1 })]);
    await expect(readModel.reports.compareVariants(otherTenant, 'camp-B')).rejects.toMatchObject({ code: 'campaign_not_found' });
  });

  it('replaying the campaign events changes nothing', async () => {
    const before = [await readModel.reports.listCampaigns(tenant), await readModel.reports.compareVariants(tenant, 'camp-A')];
    const outcomes = [];
    for (const event of campaignEvents) outcomes.push(await readModel.projections.campaignReport.project(event));
    expect(new Set(outcomes)).toEqual(new Set(['skipped']));
    expect([await readModel.reports.listCampaigns(tenant), await readModel.reports.compareVariants(tenant, 'camp-A')]).toEqual(before);
  });
});
