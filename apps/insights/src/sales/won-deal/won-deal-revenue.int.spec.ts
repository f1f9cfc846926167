import { CampaignEventType, LeadEventType, newId, type CampaignEvent, type LeadEvent } from '@crm/contracts';
import { createEventRecorder, dayIso } from '../../reports/report-events.fixture';
import { opportunityCreated, opportunityReopened, opportunityWon, useSalesReports, type OpportunitySpec } from '../sales-events.fixture';

// The campaign ROI and attribution reports read `insights.won_deal`; here nothing inserts into it:
// it is filled from sales.OpportunityWon (and emptied by sales.OpportunityReopened) by the sales projection.
const { readModel, tenant, deliver: sell } = useSalesReports('insights_sales_won_deal');
const leadsStore = createEventRecorder();
const L1 = newId();
const L2 = newId();

const marketing: Array<LeadEvent | CampaignEvent> = [
  {
    type: CampaignEventType.CampaignCreated,
    data: { campaignId: 'camp-A', name: 'Spring', channel: 'email', budget: { amountMinor: 1_000_000, currency: 'CNY' }, startsOn: '2025-03-01', endsOn: '2025-03-31', createdAt: dayIso(0) },
  },
  {
    type: CampaignEventType.CostRecorded,
    data: { campaignId: 'camp-A', costEntryId: 'c1', amount: { amountMinor: 500_000, currency: 'CNY' }, incurredOn: '2025-03-02', totalCost: { amountMinor: 500_000, currency: 'CNY' }, recordedAt: dayIso(1) },
  },
  { type: LeadEventType.LeadCaptured, data: { leadId: L1, name: 'Lead 1', source: { channel: 'web_form', campaignId: 'camp-A' }, capturedAt: dayIso(0) } },
  { type: LeadEventType.LeadCaptured, data: { leadId: L2, name: 'Lead 2', source: { channel: 'social', campaignId: 'camp-A' }, capturedAt: dayIso(1) } },
];

// O1 (lead L1) 1,000,000 and O2 (lead L2) 500,000 won; O3 (no lead) 50,000 won. OpportunityWon
// carries no leadId here: the lead comes from the opportunity's source.
const O1: OpportunitySpec = { id: 'O1', ownerId: 'rep-a', amountMinor: 1_000_000, createdAt: dayIso(5), leadId: L1, campaignId: 'camp-A' };
const O2: OpportunitySpec = { id: 'O2', ownerId: 'rep-a', amountMinor: 500_000, createdAt: dayIso(5), leadId: L2, campaignId: 'camp-A' };
const O3: OpportunitySpec = { id: 'O3', ownerId: 'rep-b', amountMinor: 50_000, createdAt: dayIso(5) };

beforeAll(async () => {
  for (const event of marketing) {
    const wrapped = leadsStore.recorded(tenant, event);
    if (event.type.startsWith('campaigns.')) await readModel().projections.campaignReport.project(wrapped);
    else await readModel().projections.leadFunnel.project(wrapped);
  }
  await sell([...[O1, O2, O3].map(opportunityCreated), opportunityWon(O1, 'proposal', dayIso(10)), opportunityWon(O2, 'proposal', dayIso(11)), opportunityWon(O3, 'proposal', dayIso(12))]);
});

describe('won deals from sales events feed campaign ROI and attribution', () => {
  it('campaign revenue and ROI: (1,500,000 − 500,000) / 500,000 = 2', async () => {
    expect(await readModel().reports.getCampaign(tenant, 'camp-A')).toMatchObject({ leads: 2, costMinor: '500000', wonDeals: 2, revenueMinor: '1500000', roi: 2 });
  });

  it('attribution: first touch credits both deals to camp-A; the deal without a lead is unattributed', async () => {
    expect(await readModel().reports.attribution(tenant, { model: 'first_touch', groupBy: 'campaign' })).toMatchObject({
      deals: 3,
      revenue: [{ currency: 'CNY', amountMinor: '1550000' }],
      totals: [{ currency: 'CNY', key: 'camp-A', amountMinor: '1500000' }],
      unattributed: [{ currency: 'CNY', amountMinor: '50000', deals: 1 }],
    });
    expect((await readModel().reports.attribution(tenant, { model: 'linear', groupBy: 'channel' })).totals).toEqual([
      { currency: 'CNY', key: 'web_form', amountMinor: '1000000' },
      { currency: 'CNY', key: 'social', amountMinor: '500000' },
    ]);
  });

  it('a reopened deal stops counting; won again, it counts with its new amount and date', async () => {
    await sell([opportunityReopened(O2, 'negotiation', 75, dayIso(13))]);
    expect(await readModel().reports.getCampaign(tenant, 'camp-A')).toMatchObject({ wonDeals: 1, revenueMinor: '1000000', roi: 1 });
    expect(await readModel().reports.attribution(tenant, { model: 'first_touch', groupBy: 'campaign' })).toMatchObject({ deals: 2, totals: [{ key: 'camp-A', amountMinor: '1000000' }] });

    await sell([opportunityWon(O2, 'negotiation', dayIso(20), 700_000)]);
    expect(await readModel().reports.getCampaign(tenant, 'camp-A')).toMatchObject({ wonDeals: 2, revenueMinor: '1700000', roi: 2.4 });
    const late = await readModel().reports.attribution(tenant, { model: 'first_touch', groupBy: 'campaign', from: new Date(dayIso(15)) });
    expect(late).toMatchObject({ deals: 1, totals: [{ key: 'camp-A', amountMinor: '700000' }] });
  });
});
