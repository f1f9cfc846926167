import fc from 'fast-check';
import { rankRows, type LeaderboardRow } from './sales-leaderboard.query';

const row = (key: string, wonMinor: number, winRate: number | null, activities: number): Omit<LeaderboardRow, 'rank'> => ({
  key,
  name: null,
  wonAmount: { currency: 'CNY', amountMinor: String(wonMinor) },
  wonInOtherCurrencies: [],
  wonCount: 0,
  lostCount: 0,
  winRate,
  activities,
});

describe('leaderboard ranking', () => {
  it('best first; equal values share the rank of the first of them (1, 2, 2, 4); ties by key', () => {
    const rows = [row('d', 5, null, 1), row('c', 7, 0.5, 3), row('b', 7, 1, 3), row('a', 9, 0.5, 0)];
    expect(rankRows(rows, 'won_amount').map((r) => [r.rank, r.key])).toEqual([[1, 'a'], [2, 'b'], [2, 'c'], [4, 'd']]);
    expect(rankRows(rows, 'win_rate').map((r) => [r.rank, r.key])).toEqual([[1, 'b'], [2, 'a'], [2, 'c'], [4, 'd']]);
    expect(rankRows(rows, 'activities').map((r) => [r.rank, r.key])).toEqual([[1, 'b'], [1, 'c'], [3, 'd'], [4, 'a']]);
  });

  it('ranks never decrease down the board and a rank is at most the row\'s position', () => {
    const arbitraryRows = fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 3 }), fc.nat(5), fc.option(fc.integer({ min: 0, max: 4 })), fc.nat(3)), { selector: (r) => r[0], maxLength: 12 });
    fc.assert(
      fc.property(arbitraryRows, fc.constantFrom('won_amount' as const, 'win_rate' as const, 'activities' as const), (tuples, metric) => {
        const ranked = rankRows(tuples.map(([key, won, rate, activities]) => row(key, won, rate === null ? null : rate / 4, activities)), metric);
        ranked.forEach((r, i) => {
          expect(r.rank).toBeLessThanOrEqual(i + 1);
          if (i > 0) expect(r.rank).toBeGreaterThanOrEqual(ranked[i - 1].rank);
        });
        if (ranked.length > 0) expect(ranked[0].rank).toBe(1);
      }),
    );
  });
});
