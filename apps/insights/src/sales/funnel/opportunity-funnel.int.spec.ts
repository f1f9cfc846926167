import { newId } from '@crm/contracts';
import {
  opportunityCreated,
  opportunityLost,
  opportunityReopened,
  opportunityWon,
  pipelineDefined,
  stageChanged,
  useSalesReports,
  type OpportunitySpec,
  type SalesEvent,
} from '../sales-events.fixture';

const { readModel, tenant, delivered, deliver } = useSalesReports('insights_sales_funnel');

const DAY0 = Date.parse('2026-10-01T00:00:00.000Z');
/** Day `n` after 2026-10-01T00:00Z; `d(1.5)` is 36 hours later. */
const d = (n: number): string => new Date(DAY0 + n * 86_400_000).toISOString();

const IC = 'initial_contact';
const NA = 'needs_analysis';
const PR = 'proposal';
const NE = 'negotiation';
const CS = 'contract_signed';

const opp = (id: string, amountMinor: number, extra: Partial<OpportunitySpec> = {}): OpportunitySpec => ({ id, ownerId: 'rep-a', amountMinor, createdAt: d(0), ...extra });
const P = {
  P1: opp('P1', 100_000),
  P2: opp('P2', 50_000),
  P3: opp('P3', 30_000, { currency: 'USD' }),
  P4: opp('P4', 20_000),
  P5: opp('P5', 10_000),
  P6: opp('P6', 5_000),
  P7: opp('P7', 1_000, { createdAt: d(0.5) }),
  P8: opp('P8', 999, { createdAt: '2026-09-15T00:00:00.000Z' }),
  P9: opp('P9', 4_000, { pipelineId: 'enterprise', stageId: 'qualify' }),
  P10: opp('P10', 7_000, { stageId: NE, probability: 75 }),
};

// Stage visits (days after 2026-10-01), all created on day 0 unless said:
//   P1 100,000 CNY  IC 0–2, NA 2–5, PR 5–6, NE 6–10, CS 10–12, won day 12
//   P2  50,000 CNY  IC 0–1, NA 1–3, PR 3–4, back to NA 4–8, PR 8–9, lost day 9 (price)
//   P3  30,000 USD  IC 0–4, NA 4– (open)
//   P4  20,000 CNY  IC 0–3, lost day 3 (no_budget)
//   P5  10,000 CNY  IC 0–1, NA 1–2, PR 2–5, CS 5–6 (skipped NE), won day 6
//   P6   5,000 CNY  IC 0–1.5, lost day 1.5 (price)
//   P7   1,000 CNY  created day 0.5 in IC (open)
//   P8     999 CNY  created 2026-09-15 in IC (open): before the window
//   P9   4,000 CNY  pipeline enterprise: qualify 0–2, pilot 2– (open)
//   P10  7,000 CNY  created in NE, won day 3, reopened day 4 in NE (open)
const events: SalesEvent[] = [
  pipelineDefined('enterprise', 'Enterprise', [
    { stageId: 'qualify', name: 'Qualify', probability: 20 },
    { stageId: 'pilot', name: 'Pilot', probability: 60 },
  ]),
  ...Object.values(P).map(opportunityCreated),
  stageChanged(P.P1, IC, NA, 25, d(2)),
  stageChanged(P.P1, NA, PR, 50, d(5)),
  stageChanged(P.P1, PR, NE, 75, d(6)),
  stageChanged(P.P1, NE, CS, 90, d(10)),
  opportunityWon(P.P1, CS, d(12)),
  stageChanged(P.P2, IC, NA, 25, d(1)),
  stageChanged(P.P2, NA, PR, 50, d(3)),
  stageChanged(P.P2, PR, NA, 25, d(4), 'backward'),
  stageChanged(P.P2, NA, PR, 50, d(8)),
  opportunityLost(P.P2, PR, 'price', d(9)),
  stageChanged(P.P3, IC, NA, 25, d(4)),
  opportunityLost(P.P4, IC, 'no_budget', d(3)),
  stageChanged(P.P5, IC, NA, 25, d(1)),
  stageChanged(P.P5, NA, PR, 50, d(2)),
  stageChanged(P.P5, PR, CS, 90, d(5)),
  opportunityWon(P.P5, CS, d(6)),
  opportunityLost(P.P6, IC, 'price', d(1.5)),
  stageChanged(P.P9, 'qualify', 'pilot', 60, d(2)),
  opportunityWon(P.P10, NE, d(3)),
  opportunityReopened(P.P10, NE, 75, d(4)),
];

beforeAll(() => deliver(events));

const cny = (amountMinor: number) => ({ currency: 'CNY', amountMinor: String(amountMinor) });
const usd = (amountMinor: number) => ({ currency: 'USD', amountMinor: String(amountMinor) });

const OCTOBER = { pipelineId: 'default', from: new Date('2026-10-01T00:00:00.000Z'), to: new Date('2026-11-01T00:00:00.000Z') };

describe('opportunity funnel', () => {
  it('per stage in pipeline order: reached, amount, conversion, average days in stage, current', async () => {
    const funnel = await readModel().sales.opportunityFunnel(tenant, OCTOBER);
    expect(funnel).toMatchObject({ pipelineId: 'default', pipelineName: 'Default', from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z', opportunities: 8 });
    expect(funnel.stages).toEqual([
      {
        // P1–P7; completed visits 2 + 1 + 4 + 3 + 1 + 1.5 = 12.5 days / 6 = 2.083 → 2.1; P7 is still here.
        stageId: IC, name: '初步接洽 Initial contact', probability: 10,
        reached: 7, amounts: [cny(186_000), usd(30_000)], conversionRate: 4 / 7, averageDaysInStage: 2.1, completedVisits: 6, current: 1,
      },
      {
        // P1, P2 (twice), P3, P5; completed 3 + 2 + 4 + 1 = 10 days / 4 = 2.5; P3 is still here.
        stageId: NA, name: '需求分析 Needs analysis', probability: 25,
        reached: 4, amounts: [cny(160_000), usd(30_000)], conversionRate: 0.75, averageDaysInStage: 2.5, completedVisits: 4, current: 1,
      },
      {
        // P1, P2 (twice), P5; 1 + 1 + 1 + 3 = 6 days / 4 = 1.5.
        stageId: PR, name: '方案呈现 Proposal', probability: 50,
        reached: 3, amounts: [cny(160_000)], conversionRate: 2 / 3, averageDaysInStage: 1.5, completedVisits: 4, current: 0,
      },
      {
        // P1 and P10 (its visit before the win: 3 days; the one after the reopen is open); (4 + 3) / 2.
        stageId: NE, name: '商务谈判 Negotiation', probability: 75,
        reached: 2, amounts: [cny(107_000)], conversionRate: 1, averageDaysInStage: 3.5, completedVisits: 2, current: 1,
      },
      {
        // P1 and P5 (which skipped negotiation); the last stage converts into won: 2 won / 2.
        stageId: CS, name: '合同签订 Contract signed', probability: 90,
        reached: 2, amounts: [cny(110_000)], conversionRate: 1, averageDaysInStage: 1.5, completedVisits: 2, current: 0,
      },
    ]);
  });

  it('open, won and lost totals, the win rate and the loss reasons', async () => {
    expect(await readModel().sales.opportunityFunnel(tenant, OCTOBER)).toMatchObject({
      open: { count: 3, amounts: [cny(8_000), usd(30_000)] },
      won: { count: 2, amounts: [cny(110_000)] },
      lost: { count: 3, amounts: [cny(75_000)] },
      winRate: 0.4,
      lossReasons: [
        { reason: 'price', count: 2, amounts: [cny(55_000)] },
        { reason: 'no_budget', count: 1, amounts: [cny(20_000)] },
      ],
    });
  });

  it('without a window every opportunity of the pipeline counts', async () => {
    const funnel = await readModel().sales.opportunityFunnel(tenant, { pipelineId: 'default' });
    expect(funnel).toMatchObject({ from: null, to: null, opportunities: 9 });
    expect(funnel.stages[0]).toMatchObject({ reached: 8, amounts: [cny(186_999), usd(30_000)], current: 2 });
    // Created from 2026-10-01T12:00: only P7.
    expect(await readModel().sales.opportunityFunnel(tenant, { pipelineId: 'default', from: new Date(d(0.5)) })).toMatchObject({ opportunities: 1, stages: [{ reached: 1, current: 1, averageDaysInStage: null, conversionRate: 0 }, { reached: 0, conversionRate: null }, {}, {}, {}] });
  });

  it('a defined pipeline uses its own stages', async () => {
    expect(await readModel().sales.opportunityFunnel(tenant, { pipelineId: 'enterprise' })).toMatchObject({
      pipelineName: 'Enterprise',
      opportunities: 1,
      stages: [
        { stageId: 'qualify', name: 'Qualify', reached: 1, conversionRate: 1, averageDaysInStage: 2, current: 0 },
        { stageId: 'pilot', name: 'Pilot', reached: 1, conversionRate: 0, averageDaysInStage: null, current: 1 },
      ],
      won: { count: 0, amounts: [] },
      winRate: null,
      lossReasons: [],
    });
  });

  it('an unknown pipeline is a typed 404; an empty window is invalid_period; the default pipeline always exists', async () => {
    await expect(readModel().sales.opportunityFunnel(tenant, { pipelineId: 'nope' })).rejects.toMatchObject({ code: 'pipeline_not_found', kind: 'not_found' });
    await expect(readModel().sales.opportunityFunnel(tenant, { pipelineId: 'default', from: new Date(d(2)), to: new Date(d(1)) })).rejects.toMatchObject({ code: 'invalid_period' });
    const empty = await readModel().sales.opportunityFunnel(`t-${newId()}`, { pipelineId: 'default' });
    expect(empty).toMatchObject({ opportunities: 0, winRate: null, lossReasons: [] });
    expect(empty.stages.map((s) => [s.stageId, s.reached, s.conversionRate])).toEqual([IC, NA, PR, NE, CS].map((stage) => [stage, 0, null]));
  });

  it('redelivering every event gives the same numbers', async () => {
    const before = await readModel().sales.opportunityFunnel(tenant, OCTOBER);
    for (const event of delivered) expect(await readModel().projections.salesReports.project(event)).toBe('skipped');
    expect(await readModel().sales.opportunityFunnel(tenant, OCTOBER)).toEqual(before);
  });
});
