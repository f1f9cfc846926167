import fc from 'fast-check';
import { addMonths, planInstallments } from './installments';

describe('installment plans', () => {
  it('defaults to one installment of the total due at the start', () =>
    expect(planInstallments(36_160, '2026-12-01', { kind: 'single' })).toEqual([{ sequence: 1, dueDate: '2026-12-01', amountMinor: 36_160 }]));

  it('splits evenly, the remainder on the last installment, every intervalMonths from the start', () =>
    expect(planInstallments(100_000, '2026-12-15', { kind: 'even', installmentCount: 3, intervalMonths: 3 })).toEqual([
      { sequence: 1, dueDate: '2026-12-15', amountMinor: 33_333 },
      { sequence: 2, dueDate: '2027-03-15', amountMinor: 33_333 },
      { sequence: 3, dueDate: '2027-06-15', amountMinor: 33_334 },
    ]));

  it('keeps month ends: a plan starting on the 31st falls on each month’s last day without drifting', () => {
    expect(planInstallments(4, '2026-01-31', { kind: 'even', installmentCount: 4, intervalMonths: 1 }).map((i) => i.dueDate)).toEqual([
      '2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30',
    ]);
    expect(addMonths('2027-12-29', 2)).toBe('2028-02-29'); // leap year
    expect(addMonths('2099-11-30', 3)).toBe('2100-02-28'); // 2100 is not a leap year
  });

  it('accepts an explicit list that sums exactly to the total, numbered in order', () =>
    expect(planInstallments(10_000, '2026-12-01', { kind: 'explicit', installments: [{ dueDate: '2026-12-01', amountMinor: 3_000 }, { dueDate: '2027-01-01', amountMinor: 7_000 }] })).toEqual([
      { sequence: 1, dueDate: '2026-12-01', amountMinor: 3_000 },
      { sequence: 2, dueDate: '2027-01-01', amountMinor: 7_000 },
    ]));

  it('refuses an explicit list that does not sum to the total (installments_mismatch)', () => {
    const plan = (amounts: number[]) => ({ kind: 'explicit' as const, installments: amounts.map((amountMinor, i) => ({ dueDate: `2027-0${i + 1}-01`, amountMinor })) });
    expect(() => planInstallments(10_000, '2026-12-01', plan([3_000, 6_999]))).toThrow(expect.objectContaining({ code: 'installments_mismatch', kind: 'rule_violation' }));
    expect(() => planInstallments(10_000, '2026-12-01', plan([3_000, 7_001]))).toThrow(expect.objectContaining({ code: 'installments_mismatch' }));
  });

  it('refuses lists out of date order, and counts or intervals out of range', () => {
    const bad = { code: 'invalid_installments' };
    expect(() => planInstallments(2, '2026-12-01', { kind: 'explicit', installments: [{ dueDate: '2027-02-01', amountMinor: 1 }, { dueDate: '2027-01-01', amountMinor: 1 }] })).toThrow(expect.objectContaining(bad));
    expect(() => planInstallments(2, '2026-12-01', { kind: 'even', installmentCount: 0, intervalMonths: 1 })).toThrow(expect.objectContaining(bad));
    expect(() => planInstallments(2, '2026-12-01', { kind: 'even', installmentCount: 121, intervalMonths: 1 })).toThrow(expect.objectContaining(bad));
    expect(() => planInstallments(2, '2026-12-01', { kind: 'even', installmentCount: 2, intervalMonths: 0 })).toThrow(expect.objectContaining(bad));
  });

  it('property: an even split sums to the total, parts differ by less than the count, dates never go backwards', () =>
    fc.assert(fc.property(
      fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
      fc.integer({ min: 1, max: 120 }),
      fc.integer({ min: 1, max: 12 }),
      fc.date({ min: new Date('2000-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }),
      (total, n, interval, start) => {
        const plan = planInstallments(total, start.toISOString().slice(0, 10), { kind: 'even', installmentCount: n, intervalMonths: interval });
        expect(plan).toHaveLength(n);
        expect(plan.reduce((s, i) => s + BigInt(i.amountMinor), 0n)).toBe(BigInt(total));
        const first = plan[0].amountMinor;
        for (const i of plan) {
          expect(i.amountMinor - first).toBeGreaterThanOrEqual(0);
          expect(i.amountMinor - first).toBeLessThan(n);
        }
        plan.forEach((i, k) => k > 0 && expect(i.dueDate > plan[k - 1].dueDate).toBe(true));
      },
    ), { numRuns: 50 }));
});
