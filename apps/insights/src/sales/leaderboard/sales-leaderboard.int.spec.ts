import { newId } from '@crm/contracts';
import {
  activityLogged,
  opportunityCreated,
  opportunityLost,
  opportunityReopened,
  opportunityWon,
  settingsChanged,
  teamDefined,
  useSalesReports,
  type OpportunitySpec,
  type SalesEvent,
} from '../sales-events.fixture';
import type { SalesLeaderboard } from './sales-leaderboard.query';

const { readModel, tenant, recorded, delivered, deliver } = useSalesReports('insights_sales_leaderboard');

const opp = (id: string, ownerId: string, amountMinor: number, currency = 'CNY'): OpportunitySpec => ({ id, ownerId, amountMinor, currency, createdAt: '2026-10-01T00:00:00.000Z' });
const won = (spec: OpportunitySpec, at: string): SalesEvent[] => [opportunityCreated(spec), opportunityWon(spec, 'proposal', at)];
const lost = (spec: OpportunitySpec, at: string): SalesEvent[] => [opportunityCreated(spec), opportunityLost(spec, 'proposal', 'price', at)];
const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
const NOV = (day: number): string => `2026-11-${String(day).padStart(2, '0')}T10:00:00.000Z`;

// November 2026. Teams: north = rep-a, rep-b; south = rep-c; west has no members; rep-d is in none.
//   rep-a won 300,000 CNY + 5,000 USD, lost 1 → win rate 2/3; 2 activities (+1 in October)
//   rep-b won 300,000 CNY, lost 0        → win rate 1;   5 activities
//   rep-c won 100,000 CNY, lost 3        → win rate 1/4; 1 activity; a 777,777 win reopened (not counted)
//   rep-d nothing closed                 → win rate null; 5 activities
//   rep-e won 50,000 CNY in October only → not on the November board
const events: SalesEvent[] = [
  teamDefined('north', 'boss-n', ['rep-a', 'rep-b'], 'North'),
  teamDefined('south', 'boss-s', ['rep-c'], 'South'),
  teamDefined('west', 'boss-w', [], 'West'),
  ...won(opp('A1', 'rep-a', 300_000), NOV(3)),
  ...won(opp('A2', 'rep-a', 5_000, 'USD'), NOV(4)),
  ...lost(opp('A3', 'rep-a', 1_000), NOV(5)),
  ...won(opp('B1', 'rep-b', 300_000), NOV(30)),
  ...won(opp('C1', 'rep-c', 100_000), NOV(1)),
  ...times(3, (i) => lost(opp(`C-lost-${i}`, 'rep-c', 1_000), NOV(10 + i))).flat(),
  ...won(opp('C9', 'rep-c', 777_777), NOV(20)),
  opportunityReopened(opp('C9', 'rep-c', 777_777), 'negotiation', 75, NOV(21)),
  ...won(opp('E1', 'rep-e', 50_000), '2026-10-31T23:59:59.000Z'),
  ...times(2, (i) => activityLogged('rep-a', NOV(2 + i))),
  activityLogged('rep-a', '2026-10-31T10:00:00.000Z'),
  ...times(5, (i) => activityLogged('rep-b', NOV(2 + i), 'meeting')),
  activityLogged('rep-c', NOV(7)),
  ...times(5, (i) => activityLogged('rep-d', NOV(2 + i), 'email')),
];

beforeAll(() => deliver(events));

const ranks = (board: SalesLeaderboard) => board.rows.map((r) => [r.rank, r.key]);

describe('sales leaderboard', () => {
  it('reps by won amount in the tenant\'s default currency (CNY without settings); ties share a rank', async () => {
    const board = await readModel().sales.leaderboard(tenant, { period: '2026-11', groupBy: 'rep', metric: 'won_amount' });
    expect(board).toMatchObject({ period: '2026-11', from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z', groupBy: 'rep', metric: 'won_amount', currency: 'CNY' });
    expect(board.rows).toEqual([
      {
        rank: 1, key: 'rep-a', name: null,
        wonAmount: { currency: 'CNY', amountMinor: '300000' }, wonInOtherCurrencies: [{ currency: 'USD', amountMinor: '5000' }],
        wonCount: 2, lostCount: 1, winRate: 2 / 3, activities: 2,
      },
      { rank: 1, key: 'rep-b', name: null, wonAmount: { currency: 'CNY', amountMinor: '300000' }, wonInOtherCurrencies: [], wonCount: 1, lostCount: 0, winRate: 1, activities: 5 },
      { rank: 3, key: 'rep-c', name: null, wonAmount: { currency: 'CNY', amountMinor: '100000' }, wonInOtherCurrencies: [], wonCount: 1, lostCount: 3, winRate: 0.25, activities: 1 },
      { rank: 4, key: 'rep-d', name: null, wonAmount: { currency: 'CNY', amountMinor: '0' }, wonInOtherCurrencies: [], wonCount: 0, lostCount: 0, winRate: null, activities: 5 },
    ]);
  });

  it('by win rate (no closed deal ranks last) and by activities', async () => {
    expect(ranks(await readModel().sales.leaderboard(tenant, { period: '2026-11', groupBy: 'rep', metric: 'win_rate' }))).toEqual([
      [1, 'rep-b'],
      [2, 'rep-a'],
      [3, 'rep-c'],
      [4, 'rep-d'],
    ]);
    expect(ranks(await readModel().sales.leaderboard(tenant, { period: '2026-11', groupBy: 'rep', metric: 'activities' }))).toEqual([
      [1, 'rep-b'],
      [1, 'rep-d'],
      [3, 'rep-a'],
      [4, 'rep-c'],
    ]);
  });

  it('in another currency on request', async () => {
    const board = await readModel().sales.leaderboard(tenant, { period: '2026-11', groupBy: 'rep', metric: 'won_amount', currency: 'USD' });
    expect(board.currency).toBe('USD');
    expect(board.rows.map((r) => [r.rank, r.key, r.wonAmount.amountMinor, r.wonInOtherCurrencies])).toEqual([
      [1, 'rep-a', '5000', [{ currency: 'CNY', amountMinor: '300000' }]],
      [2, 'rep-b', '0', [{ currency: 'CNY', amountMinor: '300000' }]],
      [2, 'rep-c', '0', [{ currency: 'CNY', amountMinor: '100000' }]],
      [2, 'rep-d', '0', []],
    ]);
  });

  it('teams: the sum of their members; a team without members has zeros; reps in no team are in no row', async () => {
    const board = await readModel().sales.leaderboard(tenant, { period: '2026-11', groupBy: 'team', metric: 'won_amount' });
    expect(board.rows).toEqual([
      {
        rank: 1, key: 'north', name: 'North',
        wonAmount: { currency: 'CNY', amountMinor: '600000' }, wonInOtherCurrencies: [{ currency: 'USD', amountMinor: '5000' }],
        wonCount: 3, lostCount: 1, winRate: 0.75, activities: 7,
      },
      { rank: 2, key: 'south', name: 'South', wonAmount: { currency: 'CNY', amountMinor: '100000' }, wonInOtherCurrencies: [], wonCount: 1, lostCount: 3, winRate: 0.25, activities: 1 },
      { rank: 3, key: 'west', name: 'West', wonAmount: { currency: 'CNY', amountMinor: '0' }, wonInOtherCurrencies: [], wonCount: 0, lostCount: 0, winRate: null, activities: 0 },
    ]);
  });

  it('a quarter takes in October: rep-e and rep-a\'s October activity', async () => {
    const board = await readModel().sales.leaderboard(tenant, { period: '2026-Q4', groupBy: 'rep', metric: 'activities' });
    expect(board.rows.map((r) => [r.rank, r.key, r.activities, r.wonAmount.amountMinor])).toEqual([
      [1, 'rep-b', 5, '300000'],
      [1, 'rep-d', 5, '0'],
      [3, 'rep-a', 3, '300000'],
      [4, 'rep-c', 1, '100000'],
      [5, 'rep-e', 0, '50000'],
    ]);
  });

  it('ranks in the tenant\'s default currency from its sales settings', async () => {
    const other = `t-${newId()}`;
    for (const event of [settingsChanged('USD'), ...won(opp('X1', 'rep-x', 1_000, 'USD'), NOV(3))]) await readModel().projections.salesReports.project(recorded(other, event));
    const board = await readModel().sales.leaderboard(other, { period: '2026-11', groupBy: 'rep', metric: 'won_amount' });
    expect(board).toMatchObject({ currency: 'USD', rows: [{ rank: 1, key: 'rep-x', wonAmount: { currency: 'USD', amountMinor: '1000' } }] });
    expect((await readModel().sales.leaderboard(`t-${newId()}`, { period: '2026-11', groupBy: 'team', metric: 'win_rate' })).rows).toEqual([]);
  });

  it('redelivering every event gives the same numbers', async () => {
    const before = await readModel().sales.leaderboard(tenant, { period: '2026', groupBy: 'team', metric: 'activities' });
    for (const event of delivered) expect(await readModel().projections.salesReports.project(event)).toBe('skipped');
    expect(await readModel().sales.leaderboard(tenant, { period: '2026', groupBy: 'team', metric: 'activities' })).toEqual(before);
  });
});
