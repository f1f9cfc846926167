import type { QuoteTotals } from '@crm/contracts';
import { QuoteError } from './quote.errors';

/** What pricing needs of a line: integer quantity, unit price in minor units, discount in basis points. */
export type PricingLine = { lineId: string; quantity: number; unitPriceMinor: number; discountBps: number };

export type PricedLine = { lineId: string; grossMinor: number; discountMinor: number; netMinor: number };

export type QuotePricing = { lines: PricedLine[]; totals: QuoteTotals; maxLineDiscountBps: number };

const BPS = 10_000n;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * `numerator / denominator` rounded half away from zero, for a non-negative numerator and a
 * positive denominator (every amount here is non-negative, so this is half-up).
 */
export const divideRounded = (numerator: bigint, denominator: bigint): bigint => (numerator * 2n + denominator) / (denominator * 2n);

const checkInteger = (value: number, what: string, min: number, max: number) => {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new QuoteError('invalid_quote', `${what} must be an integer from ${min} to ${max}, not ${value}`);
  }
};

/** Amounts are computed in BigInt so nothing is lost; an amount that cannot be a safe JSON integer is refused. */
const toSafeNumber = (value: bigint, what: string): number => {
  if (value > SAFE) throw new QuoteError('amount_too_large', `${what} (${value} minor units) is larger than ${Number.MAX_SAFE_INTEGER}`, { limit: Number.MAX_SAFE_INTEGER });
  return Number(value);
};

/**
 * Prices a quote: per line gross = quantity × unit price, discount = gross × bps / 10000
 * (rounded half away from zero), net = gross − discount; then subtotal (Σ gross), discount
 * (Σ line discounts), net = subtotal − discount, tax = net × taxRateBps / 10000 (rounded the
 * same way) and total = net + tax. The effective discount is discount × 10000 / subtotal, rounded.
 */
export const priceQuote = (lines: readonly PricingLine[], taxRateBps: number): QuotePricing => {
  checkInteger(taxRateBps, 'the tax rate (basis points)', 0, 10_000);
  let subtotal = 0n;
  let discount = 0n;
  let maxLineDiscountBps = 0;
  const priced = lines.map((line) => {
    checkInteger(line.quantity, `line ${line.lineId}: the quantity`, 1, 1_000_000);
    checkInteger(line.unitPriceMinor, `line ${line.lineId}: the unit price`, 0, Number.MAX_SAFE_INTEGER);
    checkInteger(line.discountBps, `line ${line.lineId}: the discount (basis points)`, 0, 10_000);
    const gross = BigInt(line.quantity) * BigInt(line.unitPriceMinor);
    const lineDiscount = divideRounded(gross * BigInt(line.discountBps), BPS);
    subtotal += gross;
    discount += lineDiscount;
    maxLineDiscountBps = Math.max(maxLineDiscountBps, line.discountBps);
    return {
      lineId: line.lineId,
      grossMinor: toSafeNumber(gross, `line ${line.lineId}: the amount`),
      discountMinor: toSafeNumber(lineDiscount, `line ${line.lineId}: the discount`),
      netMinor: toSafeNumber(gross - lineDiscount, `line ${line.lineId}: the net amount`),
    };
  });
  const net = subtotal - discount;
  const tax = divideRounded(net * BigInt(taxRateBps), BPS);
  const total = net + tax;
  const effectiveDiscountBps = subtotal === 0n ? 0 : Number(divideRounded(discount * BPS, subtotal));
  return {
    lines: priced,
    totals: {
      subtotalMinor: toSafeNumber(subtotal, 'the subtotal'),
      discountMinor: toSafeNumber(discount, 'the discount'),
      netMinor: toSafeNumber(net, 'the net amount'),
      taxMinor: toSafeNumber(tax, 'the tax'),
      totalMinor: toSafeNumber(total, 'the total'),
      effectiveDiscountBps,
    },
    maxLineDiscountBps,
  };
};
