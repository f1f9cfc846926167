import { LeadEventType, newId, type LeadEvent } from '@crm/contracts';
import { useInsightsReadModel } from '../../../test/read-model.fixture';
import type { InsightsReadModel } from '../../insights-read-model';
import { createEventRecorder, day, dayIso } from '../report-events.fixture';

const fixture = useInsightsReadModel('insights_attribution');
const { recorded } = createEventRecorder();
let readModel: InsightsReadModel;
beforeAll(() => {
  readModel = fixture.readModel();
});

const captured = (leadId: string, at: number, channel: 'web_form' | 'social', campaignId: string): LeadEvent => ({
  type: LeadEventType.LeadCaptured,
  data: { leadId, name: 'Lead', source: { channel, campaignId }, capturedAt: dayIso(at) },
});
const touch = (leadId: string, touchpointId: string, at: number, type: 'email_clicked' | 'pricing_page_view', campaignId?: string): LeadEvent => ({
  type: LeadEventType.TouchpointRecorded,
  data: { leadId, touchpointId, type, at: dayIso(at), ...(campaignId ? { campaignId } : {}), recordedAt: dayIso(at) },
});

// Deal D1: 1,000,000 fen, won day 30, lead L1 touched by
//   day 0  capture        web_form  camp-A
//   day 10 email click    email     camp-B
//   day 30 pricing page   web       (none)
// Deal D2: 300,000 fen, won day 25, lead L2 captured day 20 via social, camp-B (one touch).
// Deal D3: 50,000 fen, won day 10, no lead → unattributed.
// The deals are inserted into `insights.won_deal` directly, so the attribution arithmetic is tested on
// its own; apps/insights/src/sales shows the sales projection filling the same table from OpportunityWon.
const tenant = `t-${newId()}`;
const otherTenant = `t-${newId()}`;
const L1 = newId();
const L2 = newId();

beforeAll(async () => {
  const events = [captured(L1, 0, 'web_form', 'camp-A'), touch(L1, 'tp-email', 10, 'email_clicked', 'camp-B'), touch(L1, 'tp-pricing', 30, 'pricing_page_view'), captured(L2, 20, 'social', 'camp-B')];
  for (const event of events) await readModel.projections.leadFunnel.project(recorded(tenant, event));
  // The other tenant has a lead of the same id with another history, and a deal of the same id.
  await readModel.projections.leadFunnel.project(recorded(otherTenant, captured(L1, 0, 'social', 'camp-Z')));
  await readModel.prisma.wonDeal.createMany({
    data: [
      { tenantId: tenant, dealId: 'D1', leadId: L1, amountMinor: 1_000_000n, currency: 'CNY', wonAt: day(30) },
      { tenantId: tenant, dealId: 'D2', leadId: L2, amountMinor: 300_000n, currency: 'CNY', wonAt: day(25) },
      { tenantId: tenant, dealId: 'D3', leadId: null, amountMinor: 50_000n, currency: 'CNY', wonAt: day(10) },
      { tenantId: otherTenant, dealId: 'D1', leadId: L1, amountMinor: 7n, currency: 'CNY', wonAt: day(30) },
    ],
  });
});

const totals = async (options: Parameters<InsightsReadModel['reports']['attribution']>[1]): Promise<Array<[string, string]>> =>
  (await readModel.reports.attribution(tenant, options)).totals.map((t) => [t.key, t.amountMinor]);

describe('attribution report over won deals', () => {
  it('first-touch by campaign: D1 to camp-A, D2 to camp-B; D3 unattributed', async () => {
    const report = await readModel.reports.attribution(tenant, { model: 'first_touch', groupBy: 'campaign' });
    expect(report).toEqual({
      model: 'first_touch',
      groupBy: 'campaign',
      halfLifeDays: null,
      from: null,
      to: null,
      deals: 3,
      revenue: [{ currency: 'CNY', amountMinor: '1350000' }],
      totals: [
        { currency: 'CNY', key: 'camp-A', amountMinor: '1000000' },
        { currency: 'CNY', key: 'camp-B', amountMinor: '300000' },
        // The day-30 pricing page view (no campaign) was touched but credited nothing.
        { currency: 'CNY', key: '(none)', amountMinor: '0' },
      ],
      unattributed: [{ currency: 'CNY', amountMinor: '50000', deals: 1 }],
    });
  });

  it('last-touch by campaign: D1 to the pricing page (none), D2 to camp-B', async () => {
    expect(await totals({ model: 'last_touch', groupBy: 'campaign' })).toEqual([
      ['(none)', '1000000'],
      ['camp-B', '300000'],
      ['camp-A', '0'],
    ]);
  });

  it('linear: D1 333,334/333,333/333,333 (the odd fen to the earliest), D2 300,000', async () => {
    expect(await totals({ model: 'linear', groupBy: 'campaign' })).toEqual([
      ['camp-B', '633333'],
      ['camp-A', '333334'],
      ['(none)', '333333'],
    ]);
    expect(await totals({ model: 'linear', groupBy: 'channel' })).toEqual([
      ['web_form', '333334'],
      ['email', '333333'],
      ['web', '333333'],
      ['social', '300000'],
    ]);
  });

  it('U-shaped: D1 40%/20%/40% = 400,000/200,000/400,000; D2 (one touch) 100%', async () => {
    expect(await totals({ model: 'u_shaped', groupBy: 'campaign' })).toEqual([
      ['camp-B', '500000'],
      ['(none)', '400000'],
      ['camp-A', '400000'],
    ]);
  });

  it('time-decay, half-life 10 days: D1 weights 1/8, 1/4, 1 → 1/11, 2/11, 8/11 = 90,909/181,818/727,273', async () => {
    // Ages at the win (day 30): 30, 20, 0 days → 2^−3, 2^−2, 2^0; Σ = 11/8.
    // 1,000,000 · 1/11 = 90,909.09; · 2/11 = 181,818.18; · 8/11 = 727,272.73 → the spare fen to .73.
    const report = await readModel.reports.attribution(tenant, { model: 'time_decay', halfLifeDays: 10, groupBy: 'campaign' });
    expect(report.halfLifeDays).toBe(10);
    expect(report.totals.map((t) => [t.key, t.amountMinor])).toEqual([
      ['(none)', '727273'],
      ['camp-B', '481818'],
      ['camp-A', '90909'],
    ]);
  });

  it('the period filters on the win instant; the lookback window drops old touches', async () => {
    const late = await readModel.reports.attribution(tenant, { model: 'linear', groupBy: 'campaign', from: day(26) });
    expect(late).toMatchObject({ deals: 1, revenue: [{ currency: 'CNY', amountMinor: '1000000' }], unattributed: [] });

    // Lookback 25 days from day 30: the day-0 capture no longer counts; D1 splits over two touches.
    expect(await totals({ model: 'linear', groupBy: 'campaign', from: day(26), lookbackDays: 25 })).toEqual([
      ['(none)', '500000'],
      ['camp-B', '500000'],
    ]);
  });

  it('invalid options are a typed 400 from the pure model', async () => {
    await expect(readModel.reports.attribution(tenant, { model: 'time_decay', halfLifeDays: 0, groupBy: 'campaign' })).rejects.toMatchObject({ code: 'invalid_options', kind: 'invalid' });
    await expect(readModel.reports.attribution(tenant, { model: 'linear', groupBy: 'campaign', from: day(2), to: day(1) })).rejects.toMatchObject({ code: 'invalid_period' });
  });

  it('is tenant-scoped: the other tenant\'s deal of the same id credits its own lead\'s touches only', async () => {
    const report = await readModel.reports.attribution(otherTenant, { model: 'linear', groupBy: 'campaign' });
    expect(report).toMatchObject({ deals: 1, revenue: [{ currency: 'CNY', amountMinor: '7' }], totals: [{ currency: 'CNY', key: 'camp-Z', amountMinor: '7' }], unattributed: [] });
    expect(await readModel.reports.attribution(`t-${newId()}`, { model: 'linear', groupBy: 'channel' })).toMatchObject({ deals: 0, revenue: [], totals: [], unattributed: [] });
  });
});
