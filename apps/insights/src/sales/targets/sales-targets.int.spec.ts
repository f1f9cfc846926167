import { newId } from '@crm/contracts';
import type { SalesTargetsReport } from './sales-targets.query';
import {
  opportunityCreated,
  opportunityLost,
  opportunityReopened,
  opportunityWon,
  targetSet,
  teamDefined,
  useSalesReports,
  type OpportunitySpec,
  type SalesEvent,
} from '../sales-events.fixture';

const { readModel, tenant, delivered, deliver } = useSalesReports('insights_sales_targets');

const opp = (id: string, ownerId: string, amountMinor: number, currency = 'CNY'): OpportunitySpec => ({ id, ownerId, amountMinor, currency, createdAt: '2026-10-01T00:00:00.000Z' });
const wonAt = (spec: OpportunitySpec, at: string): SalesEvent[] => [opportunityCreated(spec), opportunityWon(spec, 'initial_contact', at)];

// Teams: north = rep-a, rep-b; south = rep-c. Won (UTC):
//   T1 rep-a 300,000 CNY 2026-11-03
//   T2 rep-a  50,000 USD 2026-11-04            (not the target's currency: not counted)
//   T3 rep-b 100,000 CNY 2026-11-30T23:59:59Z  (the last second of November)
//   T4 rep-b  70,000 CNY 2026-12-01T00:00:00Z  (December, so Q4 but not November)
//   T5 rep-c  20,000 CNY 2026-10-15
//   T6 rep-c 999,999 CNY 2026-11-10, then reopened (not won any more)
//   T7 rep-a  10,000 CNY lost 2026-11-05
const events: SalesEvent[] = [
  teamDefined('north', 'boss-n', ['rep-a', 'rep-b'], 'North'),
  teamDefined('south', 'boss-s', ['rep-c'], 'South'),
  ...wonAt(opp('T1', 'rep-a', 300_000), '2026-11-03T09:00:00.000Z'),
  ...wonAt(opp('T2', 'rep-a', 50_000, 'USD'), '2026-11-04T09:00:00.000Z'),
  ...wonAt(opp('T3', 'rep-b', 100_000), '2026-11-30T23:59:59.000Z'),
  ...wonAt(opp('T4', 'rep-b', 70_000), '2026-12-01T00:00:00.000Z'),
  ...wonAt(opp('T5', 'rep-c', 20_000), '2026-10-15T00:00:00.000Z'),
  ...wonAt(opp('T6', 'rep-c', 999_999), '2026-11-10T00:00:00.000Z'),
  opportunityReopened(opp('T6', 'rep-c', 999_999), 'negotiation', 75, '2026-11-11T00:00:00.000Z'),
  opportunityCreated(opp('T7', 'rep-a', 10_000)),
  opportunityLost(opp('T7', 'rep-a', 10_000), 'initial_contact', 'price', '2026-11-05T00:00:00.000Z'),
  targetSet('rep', 'rep-a', '2026-11', 350_000),
  // Setting it again replaces it.
  targetSet('rep', 'rep-a', '2026-11', 400_000),
  targetSet('rep', 'rep-b', '2026-11', 0),
  targetSet('rep', 'rep-c', '2026-11', 50_000),
  targetSet('team', 'north', '2026-11', 500_000),
  targetSet('team', 'north', '2026-Q4', 1_000_000),
  targetSet('team', 'south', '2026-Q4', 40_000),
  targetSet('rep', 'rep-a', '2026', 2_000_000),
  targetSet('rep', 'rep-a', '2026-12', 10_000, 'USD'),
];

beforeAll(() => deliver(events));

const row = (kind: 'rep' | 'team', id: string, name: string | null, target: number, won: number, wonCount: number, attainment: number | null, currency = 'CNY') => ({
  scope: { kind, id },
  name,
  target: { currency, amountMinor: String(target) },
  won: { currency, amountMinor: String(won) },
  wonCount,
  attainment,
});

/** The rows without their target ids (the fixture derives them from scope and period). */
const attainments = (report: SalesTargetsReport) => report.targets.map((t) => ({ scope: t.scope, name: t.name, target: t.target, won: t.won, wonCount: t.wonCount, attainment: t.attainment }));

describe('sales targets and attainment', () => {
  it('a month: each target beside the amount won in its currency in the month', async () => {
    const report = await readModel().sales.targets(tenant, { period: '2026-11' });
    expect(report).toMatchObject({ period: '2026-11', from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' });
    expect(attainments(report)).toEqual([
      // 300,000 / 400,000; the USD deal is not converted.
      row('rep', 'rep-a', null, 400_000, 300_000, 1, 0.75),
      // A target of 0 has no attainment ratio.
      row('rep', 'rep-b', null, 0, 100_000, 1, null),
      // T6 was reopened: not won.
      row('rep', 'rep-c', null, 50_000, 0, 0, 0),
      // T1 + T3 = 400,000 of 500,000.
      row('team', 'north', 'North', 500_000, 400_000, 2, 0.8),
    ]);
    expect(report.targets[0].targetId).toBe('target-rep-rep-a-2026-11');
  });

  it('a quarter and a year', async () => {
    const quarter = await readModel().sales.targets(tenant, { period: '2026-Q4' });
    expect(quarter).toMatchObject({ from: '2026-10-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' });
    expect(attainments(quarter)).toEqual([
      // T1 + T3 + T4 = 470,000 of 1,000,000.
      row('team', 'north', 'North', 1_000_000, 470_000, 3, 0.47),
      row('team', 'south', 'South', 40_000, 20_000, 1, 0.5),
    ]);
    const year = await readModel().sales.targets(tenant, { period: '2026' });
    expect(year.targets.map((t) => [t.scope.id, t.won.amountMinor, t.attainment])).toEqual([['rep-a', '300000', 0.15]]);
  });

  it('a target in another currency compares with the wins in that currency only', async () => {
    const december = await readModel().sales.targets(tenant, { period: '2026-12' });
    expect(december.targets.map((t) => [t.scope.id, t.target, t.won, t.attainment])).toEqual([
      ['rep-a', { currency: 'USD', amountMinor: '10000' }, { currency: 'USD', amountMinor: '0' }, 0],
    ]);
  });

  it('filters by scope; no targets for a period is an empty list; tenant-scoped', async () => {
    expect((await readModel().sales.targets(tenant, { period: '2026-11', scope: 'team' })).targets.map((t) => t.scope.id)).toEqual(['north']);
    expect((await readModel().sales.targets(tenant, { period: '2026-11', scope: 'rep' })).targets.map((t) => t.scope.id)).toEqual(['rep-a', 'rep-b', 'rep-c']);
    expect((await readModel().sales.targets(tenant, { period: '2025-11' })).targets).toEqual([]);
    expect((await readModel().sales.targets(`t-${newId()}`, { period: '2026-11' })).targets).toEqual([]);
  });

  it('redelivering every event gives the same numbers', async () => {
    const before = await readModel().sales.targets(tenant, { period: '2026-Q4' });
    for (const event of delivered) expect(await readModel().projections.salesReports.project(event)).toBe('skipped');
    expect(await readModel().sales.targets(tenant, { period: '2026-Q4' })).toEqual(before);
  });
});
