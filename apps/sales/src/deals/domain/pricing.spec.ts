import fc from 'fast-check';
import { divideRounded, priceQuote, type PricingLine } from './pricing';
import { QuoteError } from './quote.errors';

const line = (lineId: string, quantity: number, unitPriceMinor: number, discountBps = 0): PricingLine => ({ lineId, quantity, unitPriceMinor, discountBps });

describe('quote pricing', () => {
  it('prices a hand-computed quote: 3 × 100.00 at 10 % off and 1 × 50.00, 13 % VAT', () => {
    const { lines, totals, maxLineDiscountBps } = priceQuote([line('1', 3, 10_000, 1000), line('2', 1, 5_000)], 1300);
    expect(lines).toEqual([
      { lineId: '1', grossMinor: 30_000, discountMinor: 3_000, netMinor: 27_000 },
      { lineId: '2', grossMinor: 5_000, discountMinor: 0, netMinor: 5_000 },
    ]);
    // 3000 / 35000 = 8.5714 % → 857 bps; tax 32000 × 13 % = 4160.
    expect(totals).toEqual({ subtotalMinor: 35_000, discountMinor: 3_000, netMinor: 32_000, taxMinor: 4_160, totalMinor: 36_160, effectiveDiscountBps: 857 });
    expect(maxLineDiscountBps).toBe(1000);
  });

  it('rounds discounts and tax half away from zero', () => {
    // 5 × 10 % = 0.5 → 1; net 4 × 13 % = 0.52 → 1.
    expect(priceQuote([line('a', 1, 5, 1000)], 1300).totals).toEqual({ subtotalMinor: 5, discountMinor: 1, netMinor: 4, taxMinor: 1, totalMinor: 5, effectiveDiscountBps: 2000 });
    expect(priceQuote([line('a', 1, 15, 1000)], 0).lines[0].discountMinor).toBe(2); // 1.5 → 2
    expect(priceQuote([line('a', 1, 14, 1000)], 0).lines[0].discountMinor).toBe(1); // 1.4 → 1
    expect(priceQuote([line('a', 1, 250, 0)], 1300).totals.taxMinor).toBe(33); // 32.5 → 33
    expect(divideRounded(25n, 10n)).toBe(3n);
    expect(divideRounded(24n, 10n)).toBe(2n);
  });

  it('rounds each line, then sums (the contract’s rule), not the sum of unrounded discounts', () => {
    // Two lines of 5 at 10 %: 0.5 → 1 each, so 2; rounding the sum (1.0) would give 1.
    expect(priceQuote([line('a', 1, 5, 1000), line('b', 1, 5, 1000)], 0).totals.discountMinor).toBe(2);
  });

  it('has an effective discount of 0 on a zero subtotal (free items)', () =>
    expect(priceQuote([line('a', 2, 0, 5000)], 1300).totals).toEqual({ subtotalMinor: 0, discountMinor: 0, netMinor: 0, taxMinor: 0, totalMinor: 0, effectiveDiscountBps: 0 }));

  it('is exact near Number.MAX_SAFE_INTEGER where floating point is not', () => {
    // 9007199254740991 × 99.99 % = 9006298534815516.9009…; Math.round on doubles gives …516.
    const { totals } = priceQuote([line('a', 1, Number.MAX_SAFE_INTEGER, 9999)], 0);
    expect(totals.discountMinor).toBe(9_006_298_534_815_517);
    expect(totals.netMinor).toBe(900_719_925_474);
    expect(totals.totalMinor).toBe(900_719_925_474);
  });

  it('refuses totals that cannot be represented exactly (amount_too_large), never rounding them', () => {
    const tooLarge = (f: () => unknown) => expect(f).toThrow(expect.objectContaining({ code: 'amount_too_large', kind: 'rule_violation' }));
    expect(priceQuote([line('a', 1, Number.MAX_SAFE_INTEGER)], 0).totals.totalMinor).toBe(Number.MAX_SAFE_INTEGER);
    tooLarge(() => priceQuote([line('a', 1, Number.MAX_SAFE_INTEGER)], 1)); // tax pushes the total over
    tooLarge(() => priceQuote([line('a', 2, Number.MAX_SAFE_INTEGER)], 0)); // one line's amount
    tooLarge(() => priceQuote([line('a', 1, Number.MAX_SAFE_INTEGER), line('b', 1, 1)], 0)); // the subtotal
  });

  it('refuses non-integer or out-of-range inputs', () => {
    for (const bad of [line('a', 0, 1), line('a', 1.5, 1), line('a', 1, -1), line('a', 1, 0.5), line('a', 1, 1, 10_001), line('a', 1, 1, -1)]) {
      expect(() => priceQuote([bad], 0)).toThrow(QuoteError);
    }
    expect(() => priceQuote([line('a', 1, 1)], 10_001)).toThrow(expect.objectContaining({ code: 'invalid_quote' }));
  });

  const lines = fc.array(
    fc.record({ quantity: fc.integer({ min: 1, max: 10_000 }), unitPriceMinor: fc.integer({ min: 0, max: 1_000_000_000 }), discountBps: fc.integer({ min: 0, max: 10_000 }) }),
    { minLength: 1, maxLength: 20 },
  ).map((ls) => ls.map((l, i) => ({ ...l, lineId: String(i + 1) })));
  const taxRate = fc.integer({ min: 0, max: 10_000 });

  it('property: total = net + tax, net = subtotal − discount, subtotal and discount are the sums of the lines', () =>
    fc.assert(fc.property(lines, taxRate, (ls, tax) => {
      const { lines: priced, totals } = priceQuote(ls, tax);
      expect(totals.totalMinor).toBe(totals.netMinor + totals.taxMinor);
      expect(totals.netMinor).toBe(totals.subtotalMinor - totals.discountMinor);
      expect(totals.subtotalMinor).toBe(ls.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0));
      expect(totals.discountMinor).toBe(priced.reduce((s, l) => s + l.discountMinor, 0));
      expect(totals.netMinor).toBe(priced.reduce((s, l) => s + l.netMinor, 0));
    })));

  it('property: discounts and tax are never negative and never above what they apply to', () =>
    fc.assert(fc.property(lines, taxRate, (ls, tax) => {
      const { lines: priced, totals } = priceQuote(ls, tax);
      for (const l of priced) {
        expect(l.discountMinor).toBeGreaterThanOrEqual(0);
        expect(l.discountMinor).toBeLessThanOrEqual(l.grossMinor);
        expect(l.netMinor).toBeGreaterThanOrEqual(0);
      }
      expect(totals.taxMinor).toBeGreaterThanOrEqual(0);
      expect(totals.taxMinor).toBeLessThanOrEqual(totals.netMinor);
      expect(totals.effectiveDiscountBps).toBeGreaterThanOrEqual(0);
      expect(totals.effectiveDiscountBps).toBeLessThanOrEqual(10_000);
    })));

  it('property: every rounding is to the nearest unit, halves away from zero', () =>
    fc.assert(fc.property(lines, taxRate, (ls, tax) => {
      const { lines: priced, totals } = priceQuote(ls, tax);
      // 2·(rounded·d − exact·d) lies in (−d, d]: within half a unit, ties going up.
      const nearest = (rounded: number, numerator: bigint, d: bigint) => {
        const twice = 2n * (BigInt(rounded) * d - numerator);
        expect(twice > -d && twice <= d).toBe(true);
      };
      priced.forEach((l, i) => nearest(l.discountMinor, BigInt(l.grossMinor) * BigInt(ls[i].discountBps), 10_000n));
      nearest(totals.taxMinor, BigInt(totals.netMinor) * BigInt(tax), 10_000n);
      if (totals.subtotalMinor > 0) nearest(totals.effectiveDiscountBps, BigInt(totals.discountMinor) * 10_000n, BigInt(totals.subtotalMinor));
    })));

  it('property: no discount means net = subtotal and an effective discount of 0', () =>
    fc.assert(fc.property(lines, taxRate, (ls, tax) => {
      const { totals } = priceQuote(ls.map((l) => ({ ...l, discountBps: 0 })), tax);
      expect(totals.netMinor).toBe(totals.subtotalMinor);
      expect(totals.effectiveDiscountBps).toBe(0);
    })));
});
