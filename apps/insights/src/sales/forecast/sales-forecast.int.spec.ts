import { newId } from '@crm/contracts';
import {
  opportunityCreated,
  opportunityLost,
  opportunityReopened,
  opportunityUpdated,
  opportunityWon,
  stageChanged,
  teamDefined,
  useSalesReports,
  type OpportunitySpec,
  type SalesEvent,
} from '../sales-events.fixture';

const { readModel, tenant, recorded, delivered, deliver } = useSalesReports('insights_sales_forecast');

const CREATED = '2026-10-01T00:00:00.000Z';
const opp = (id: string, ownerId: string, amountMinor: number, probability: number, expectedCloseDate: string, extra: Partial<OpportunitySpec> = {}): OpportunitySpec => ({
  id, ownerId, amountMinor, probability, expectedCloseDate, createdAt: CREATED, ...extra,
});

// Teams: north = rep-a, rep-b; south = rep-c; key-accounts = rep-c too; rep-d is in no team.
// Forecast of 2026-11 … 2026-12 (weighted = amount × probability / 100, half up per opportunity):
//   F1  rep-a 100,000 CNY 10% close 11-15 open        → Nov   10,000
//   F2  rep-a  33,333 CNY 25% close 11-30 open        → Nov    8,333 (8,333.25)
//   F3  rep-b  10,001 CNY 50% close 12-01 open        → Dec    5,001 (5,000.5 half up)
//   F4  rep-c 200,000 CNY 75% close 12-20 open        → Dec  150,000
//   F5  rep-d  50,000 USD 90% close 11-10 open        → Nov   45,000 USD
//   F6  rep-a  80,000 CNY won 11-05                   → Nov won 80,000
//   F7  rep-c  40,000 CNY close 2027-01-15            → outside the range
//   F8  rep-b  60,000 CNY close 11-25 lost            → nowhere
//   F9  rep-b  70,000 CNY won 10-30                   → before the range
//   F10 rep-c  25,000 CNY won 12-31T23:30Z            → Dec won 25,000
//   F11 rep-a  10,000 → 20,000 CNY 10%, close 10-15 → 12-05 (OpportunityUpdated) → Dec 2,000
//   F12 rep-a   1,000 CNY 50% close 11-01, pipeline enterprise → Nov 500
//   F13 rep-b   4,000 CNY won 11-10, reopened 11-12 in negotiation 75%, close 12-10 → Dec 3,000, not won
const F: Record<string, OpportunitySpec> = {
  F1: opp('F1', 'rep-a', 100_000, 10, '2026-11-15'),
  F2: opp('F2', 'rep-a', 33_333, 25, '2026-11-30'),
  F3: opp('F3', 'rep-b', 10_001, 10, '2026-12-01'),
  F4: opp('F4', 'rep-c', 200_000, 75, '2026-12-20', { stageId: 'negotiation' }),
  F5: opp('F5', 'rep-d', 50_000, 90, '2026-11-10', { currency: 'USD', stageId: 'contract_signed' }),
  F6: opp('F6', 'rep-a', 80_000, 90, '2026-11-20'),
  F7: opp('F7', 'rep-c', 40_000, 50, '2027-01-15'),
  F8: opp('F8', 'rep-b', 60_000, 50, '2026-11-25'),
  F9: opp('F9', 'rep-b', 70_000, 50, '2026-11-05'),
  F10: opp('F10', 'rep-c', 25_000, 50, '2026-12-31'),
  F11: opp('F11', 'rep-a', 10_000, 10, '2026-10-15'),
  F12: opp('F12', 'rep-a', 1_000, 50, '2026-11-01', { pipelineId: 'enterprise', stageId: 'pilot' }),
  F13: opp('F13', 'rep-b', 4_000, 50, '2026-12-10'),
};

const events: SalesEvent[] = [
  teamDefined('north', 'boss-n', ['rep-a', 'rep-b']),
  teamDefined('south', 'boss-s', ['rep-c']),
  teamDefined('key-accounts', 'boss-k', ['rep-c']),
  ...Object.values(F).map(opportunityCreated),
  stageChanged(F.F3, 'initial_contact', 'proposal', 50, '2026-10-05T00:00:00.000Z'),
  opportunityWon(F.F6, 'initial_contact', '2026-11-05T10:00:00.000Z'),
  opportunityLost(F.F8, 'initial_contact', 'price', '2026-11-20T00:00:00.000Z'),
  opportunityWon(F.F9, 'initial_contact', '2026-10-30T00:00:00.000Z'),
  opportunityWon(F.F10, 'initial_contact', '2026-12-31T23:30:00.000Z'),
  opportunityUpdated(F.F11, { amount: { amountMinor: 20_000, currency: 'CNY' }, expectedCloseDate: '2026-12-05' }, '2026-10-10T00:00:00.000Z'),
  opportunityWon(F.F13, 'initial_contact', '2026-11-10T00:00:00.000Z'),
  opportunityReopened(F.F13, 'negotiation', 75, '2026-11-12T00:00:00.000Z'),
];

beforeAll(async () => {
  await deliver(events);
  // Another tenant's open deal in November never mixes in.
  await readModel().projections.salesReports.project(recorded(`t-${newId()}`, opportunityCreated(opp('F1', 'rep-a', 9, 100, '2026-11-15'))));
});

const month = (m: string, currency: string, openCount: number, pipeline: number, weighted: number, wonCount = 0, won = 0) => ({
  month: m,
  currency,
  openCount,
  pipelineMinor: String(pipeline),
  weightedMinor: String(weighted),
  wonCount,
  wonMinor: String(won),
});

const TOTALS = [
  month('2026-11', 'CNY', 3, 134_333, 18_833, 1, 80_000),
  month('2026-11', 'USD', 1, 50_000, 45_000),
  month('2026-12', 'CNY', 4, 234_001, 160_001, 1, 25_000),
];

describe('weighted pipeline forecast', () => {
  it('per rep and month: open count, pipeline, weighted (half up per opportunity) and won, per currency', async () => {
    expect(await readModel().sales.forecast(tenant, { groupBy: 'rep', from: '2026-11', to: '2026-12' })).toEqual({
      groupBy: 'rep',
      from: '2026-11',
      to: '2026-12',
      groups: [
        // F1 + F2 + F12 = 134,333; 10,000 + 8,333 + 500 = 18,833. F11: 20,000 at 10%.
        { key: 'rep-a', months: [month('2026-11', 'CNY', 3, 134_333, 18_833, 1, 80_000), month('2026-12', 'CNY', 1, 20_000, 2_000)] },
        // F3 (5,001) + F13 reopened (3,000).
        { key: 'rep-b', months: [month('2026-12', 'CNY', 2, 14_001, 8_001)] },
        { key: 'rep-c', months: [month('2026-12', 'CNY', 1, 200_000, 150_000, 1, 25_000)] },
        { key: 'rep-d', months: [month('2026-11', 'USD', 1, 50_000, 45_000)] },
      ],
      totals: TOTALS,
    });
  });

  it('per team: the owners\' current teams; a rep in two teams counts in both, an owner in none under (none)', async () => {
    const report = await readModel().sales.forecast(tenant, { groupBy: 'team', from: '2026-11', to: '2026-12' });
    expect(report.groups).toEqual([
      { key: '(none)', months: [month('2026-11', 'USD', 1, 50_000, 45_000)] },
      { key: 'key-accounts', months: [month('2026-12', 'CNY', 1, 200_000, 150_000, 1, 25_000)] },
      // rep-a + rep-b: Dec = F3 + F11 + F13 = 10,001 + 20,000 + 4,000; 5,001 + 2,000 + 3,000.
      { key: 'north', months: [month('2026-11', 'CNY', 3, 134_333, 18_833, 1, 80_000), month('2026-12', 'CNY', 3, 34_001, 10_001)] },
      { key: 'south', months: [month('2026-12', 'CNY', 1, 200_000, 150_000, 1, 25_000)] },
    ]);
    // The totals count rep-c's deals once.
    expect(report.totals).toEqual(TOTALS);
  });

  it('per pipeline', async () => {
    expect((await readModel().sales.forecast(tenant, { groupBy: 'pipeline', from: '2026-11', to: '2026-12' })).groups).toEqual([
      {
        key: 'default',
        months: [month('2026-11', 'CNY', 2, 133_333, 18_333, 1, 80_000), month('2026-11', 'USD', 1, 50_000, 45_000), month('2026-12', 'CNY', 4, 234_001, 160_001, 1, 25_000)],
      },
      { key: 'enterprise', months: [month('2026-11', 'CNY', 1, 1_000, 500)] },
    ]);
  });

  it('the months bound both the expected close dates and the wins; a single month; an empty range', async () => {
    expect((await readModel().sales.forecast(tenant, { groupBy: 'rep', from: '2026-12', to: '2026-12' })).totals).toEqual([TOTALS[2]]);
    // October: F9 won on 10-30; F11 no longer closes in October after its update.
    expect((await readModel().sales.forecast(tenant, { groupBy: 'rep', from: '2026-10', to: '2026-10' })).totals).toEqual([month('2026-10', 'CNY', 0, 0, 0, 1, 70_000)]);
    expect((await readModel().sales.forecast(tenant, { groupBy: 'rep', from: '2027-01', to: '2027-01' })).groups).toEqual([
      { key: 'rep-c', months: [month('2027-01', 'CNY', 1, 40_000, 20_000)] },
    ]);
    expect(await readModel().sales.forecast(`t-${newId()}`, { groupBy: 'team', from: '2026-01', to: '2026-12' })).toMatchObject({ groups: [], totals: [] });
  });

  it('a range that ends before it starts, or spans more than 60 months, is invalid_period', async () => {
    await expect(readModel().sales.forecast(tenant, { groupBy: 'rep', from: '2026-12', to: '2026-11' })).rejects.toMatchObject({ code: 'invalid_period', kind: 'invalid' });
    await expect(readModel().sales.forecast(tenant, { groupBy: 'rep', from: '2020-01', to: '2025-01' })).rejects.toMatchObject({ code: 'invalid_period' });
    await expect(readModel().sales.forecast(tenant, { groupBy: 'rep', from: '2020-01', to: '2024-12' })).resolves.toBeDefined();
  });

  it('redelivering every event gives the same numbers', async () => {
    const before = await readModel().sales.forecast(tenant, { groupBy: 'team', from: '2026-01', to: '2027-12' });
    for (const event of delivered) expect(await readModel().projections.salesReports.project(event)).toBe('skipped');
    expect(await readModel().sales.forecast(tenant, { groupBy: 'team', from: '2026-01', to: '2027-12' })).toEqual(before);
  });
});
