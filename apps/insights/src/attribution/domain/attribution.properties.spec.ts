import fc from 'fast-check';
import { aggregate, attribute, AttributionModel, type AttributionOptions, type Conversion, type Touch } from './attribution';

const DAY_MS = 86_400_000;
const wonAt = new Date('2026-06-30T00:00:00.000Z');

const touch: fc.Arbitrary<Touch> = fc.record(
  {
    // From 120 days before the win to 5 days after it, so lookback and "after wonAt" both bite.
    at: fc.integer({ min: -120 * DAY_MS, max: 5 * DAY_MS }).map((offset) => new Date(wonAt.getTime() + offset)),
    campaignId: fc.constantFrom('camp-A', 'camp-B', 'camp-C'),
    channel: fc.constantFrom('web_form', 'email', 'webinar', 'phone'),
    touchpointId: fc.uuid(),
  },
  { requiredKeys: ['at', 'channel', 'touchpointId'] },
);

const conversion: fc.Arbitrary<Conversion> = fc.record({
  amountMinor: fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 18n }), fc.integer({ min: 0, max: 10_000_000 }), fc.constantFrom(0, 1, 2, 3, 100)),
  currency: fc.constantFrom('CNY', 'USD', 'EUR'),
  wonAt: fc.constant(wonAt),
  touches: fc.array(touch, { maxLength: 12 }),
});

const options: fc.Arbitrary<AttributionOptions> = fc.record(
  {
    halfLifeDays: fc.double({ min: 0.01, max: 60, noNaN: true }),
    uShapedEnds: fc.double({ min: 0, max: 0.5, noNaN: true }),
    lookbackDays: fc.double({ min: 0, max: 150, noNaN: true }),
  },
  { requiredKeys: [] },
);

const model = fc.constantFrom(...AttributionModel.options);

const eligibleCount = (c: Conversion, o: AttributionOptions): number => {
  const start = c.wonAt.getTime() - (o.lookbackDays ?? 90) * DAY_MS;
  return c.touches.filter((t) => t.at.getTime() >= start && t.at.getTime() <= c.wonAt.getTime()).length;
};

const sum = (values: readonly bigint[]): bigint => values.reduce((total, value) => total + value, 0n);

describe('attribute: properties', () => {
  it('for every model: one credit per eligible touch, amounts non-negative and summing exactly to the deal, weights summing to 1', () =>
    fc.assert(
      fc.property(conversion, model, options, (c, m, o) => {
        const credits = attribute(c, m, o);
        const n = eligibleCount(c, o);
        expect(credits).toHaveLength(n);
        if (n === 0) return;
        expect(credits.every((credit) => credit.amountMinor >= 0n)).toBe(true);
        expect(sum(credits.map((credit) => credit.amountMinor))).toBe(BigInt(c.amountMinor));
        expect(credits.every((credit) => credit.weight >= 0 && credit.weight <= 1)).toBe(true);
        expect(Math.abs(credits.reduce((total, credit) => total + credit.weight, 0) - 1)).toBeLessThanOrEqual(1e-9);
        expect(credits.every((credit) => credit.currency === c.currency)).toBe(true);
      }),
      { numRuns: 500 },
    ));

  it('every credited amount is within one minor unit of its exact share', () =>
    fc.assert(
      fc.property(conversion, model, options, (c, m, o) => {
        const amount = Number(c.amountMinor);
        // Tolerance: 1 unit from rounding plus the float error of amount·weight (amount up to 1e18).
        const slack = 1 + amount * 1e-12;
        attribute(c, m, o).forEach((credit) => expect(Math.abs(Number(credit.amountMinor) - amount * credit.weight)).toBeLessThanOrEqual(slack));
      }),
      { numRuns: 300 },
    ));

  it('first-touch and last-touch give everything to one touch: the earliest, resp. the latest', () =>
    fc.assert(
      fc.property(conversion, fc.constantFrom('first_touch' as const, 'last_touch' as const), options, (c, m, o) => {
        const credits = attribute(c, m, o);
        fc.pre(credits.length > 0);
        const winner = m === 'first_touch' ? 0 : credits.length - 1;
        credits.forEach((credit, index) => {
          expect(credit.weight).toBe(index === winner ? 1 : 0);
          expect(credit.amountMinor).toBe(index === winner ? BigInt(c.amountMinor) : 0n);
        });
      }),
      { numRuns: 300 },
    ));

  it('linear amounts differ by at most one minor unit, larger ones first', () =>
    fc.assert(
      fc.property(conversion, options, (c, o) => {
        const amounts = attribute(c, 'linear', o).map((credit) => credit.amountMinor);
        fc.pre(amounts.length > 0);
        const max = amounts.reduce((a, b) => (a > b ? a : b));
        const min = amounts.reduce((a, b) => (a < b ? a : b));
        expect(max - min <= 1n).toBe(true);
        expect([...amounts].sort((a, b) => (a === b ? 0 : a > b ? -1 : 1))).toEqual(amounts);
      }),
      { numRuns: 300 },
    ));

  it('credits come in time order, and time-decay never credits an older touch more than a newer one', () =>
    fc.assert(
      fc.property(conversion, options, (c, o) => {
        const credits = attribute(c, 'time_decay', o);
        const byId = new Map(c.touches.map((t) => [t.touchpointId, t.at.getTime()]));
        const times = credits.map((credit) => byId.get(credit.touchpointId) ?? Number.NaN);
        times.slice(1).forEach((time, index) => expect(time).toBeGreaterThanOrEqual(times[index]));
        credits.slice(1).forEach((credit, index) => {
          expect(credit.weight).toBeGreaterThanOrEqual(credits[index].weight);
          expect(credit.amountMinor >= credits[index].amountMinor).toBe(true);
        });
      }),
      { numRuns: 300 },
    ));

  it('aggregation preserves each currency total and never mixes currencies', () =>
    fc.assert(
      fc.property(fc.array(fc.tuple(conversion, model), { maxLength: 6 }), fc.constantFrom('campaign' as const, 'channel' as const), (deals, by) => {
        const credits = deals.flatMap(([c, m]) => attribute(c, m));
        const totals = aggregate(credits, by);
        for (const currency of ['CNY', 'USD', 'EUR']) {
          const credited = sum(credits.filter((credit) => credit.currency === currency).map((credit) => credit.amountMinor));
          const aggregated = sum(totals.filter((total) => total.currency === currency).map((total) => total.amountMinor));
          expect(aggregated).toBe(credited);
        }
        const keys = totals.map((total) => `${total.currency}/${total.key}`);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 200 },
    ));
});
