import { z } from 'zod';
import { AttributionError } from './attribution.errors';
import { allocateLargestRemainder, exactShares, ratio } from './largest-remainder';

/**
 * Multi-touch attribution of a won deal's revenue to the campaigns and channels that touched
 * it (DOMAIN.md §1 "Attribution", reported in §6 as campaign ROI and lead-source conversion).
 *
 * Pure: no clock, no I/O. The read side gathers a won deal's touches and calls `attribute`,
 * then `aggregate` over many deals' credits.
 *
 * Money: integer minor units, never floats. Each model yields exact integer shares; the deal
 * amount is split with the largest-remainder method (see `allocateLargestRemainder`), ties
 * going to the earlier touch, so the credited amounts add up to the deal amount exactly.
 * `weight` is the model's share as a float, for display; it never feeds the money.
 */

/** One marketing touch on the way to a won deal. */
export type Touch = {
  at: Date;
  campaignId?: string;
  channel: string;
  touchpointId: string;
};

/** A won deal and the touches that led to it. */
export type Conversion = {
  /** Won revenue in integer minor units (fen for CNY); a `number` must be a safe integer. */
  amountMinor: bigint | number;
  /** ISO 4217 alphabetic code, e.g. `CNY`. */
  currency: string;
  wonAt: Date;
  touches: readonly Touch[];
};

export const AttributionModel = z.enum(['first_touch', 'last_touch', 'linear', 'time_decay', 'u_shaped']);
export type AttributionModel = z.infer<typeof AttributionModel>;

export const AttributionOptions = z.object({
  /** time_decay: a touch this many days older than another gets half its weight. */
  halfLifeDays: z.number().positive().default(7),
  /** u_shaped: share of the first and of the last touch each; the middle touches split the rest evenly. */
  uShapedEnds: z.number().min(0).max(0.5).default(0.4),
  /** Only touches in [wonAt − lookbackDays, wonAt] count (both ends inclusive). */
  lookbackDays: z.number().min(0).default(90),
});
/** Every option is optional; defaults: half-life 7 days, U-shaped ends 0.4 each, lookback 90 days. */
export type AttributionOptions = z.input<typeof AttributionOptions>;

/** The credit one touch receives for one conversion. */
export type AttributionCredit = {
  touchpointId: string;
  campaignId?: string;
  channel: string;
  currency: string;
  /** The model's share of this touch, in [0, 1]; a conversion's weights sum to 1. */
  weight: number;
  /** This touch's part of the deal amount; a conversion's parts sum to its amount exactly. */
  amountMinor: bigint;
};

export type AttributionDimension = 'campaign' | 'channel';

/** Aggregation key of touches that carry no campaign. */
export const NO_CAMPAIGN_KEY = '(none)';

/** Total credited revenue of one campaign or channel in one currency. */
export type AttributionTotal = {
  currency: string;
  key: string;
  amountMinor: bigint;
};

const DAY_MS = 86_400_000;

const toMinorUnits = (amount: bigint | number): bigint => {
  if (typeof amount === 'number' && !Number.isSafeInteger(amount)) {
    throw new AttributionError('invalid_amount', `amountMinor must be an integer number of minor units, got ${amount}`, { amountMinor: amount });
  }
  const minor = BigInt(amount);
  if (minor < 0n) throw new AttributionError('invalid_amount', `amountMinor must not be negative, got ${minor}`, { amountMinor: minor.toString() });
  return minor;
};

const assertValidDate = (date: Date, what: string): void => {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new AttributionError('invalid_date', `${what} is not a valid date`);
};

const parseOptions = (options: AttributionOptions): z.output<typeof AttributionOptions> => {
  const parsed = AttributionOptions.safeParse(options);
  if (!parsed.success) {
    throw new AttributionError('invalid_options', `invalid attribution options: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  return parsed.data;
};

/**
 * A finite non-negative decimal as an exact fraction, read from its shortest round-trip
 * representation: 0.4 → 4/10 (not the binary double 0.400000000000000022…), so U-shaped
 * splits are exactly what an administrator typed.
 */
const decimalFraction = (value: number): { numerator: bigint; denominator: bigint } => {
  const [coefficient, exponentText = '0'] = String(value).split('e');
  const [whole, fraction = ''] = coefficient.split('.');
  const exponent = Number(exponentText) - fraction.length;
  const digits = BigInt(whole + fraction);
  return exponent >= 0
    ? { numerator: digits * 10n ** BigInt(exponent), denominator: 1n }
    : { numerator: digits, denominator: 10n ** BigInt(-exponent) };
};

/** Integer shares per touch (chronological order, at least one touch) under each model. */
const sharesOf = (touches: readonly Touch[], model: AttributionModel, options: z.output<typeof AttributionOptions>): bigint[] => {
  const n = touches.length;
  const last = n - 1;
  switch (model) {
    case 'first_touch':
      return touches.map((_, index) => (index === 0 ? 1n : 0n));
    case 'last_touch':
      return touches.map((_, index) => (index === last ? 1n : 0n));
    case 'linear':
      return touches.map(() => 1n);
    case 'u_shaped': {
      if (n <= 2) return touches.map(() => 1n); // one touch: 100%; two touches: 50/50
      // Over the denominator q·(n−2): each end gets p·(n−2), each middle touch (q − 2p).
      const { numerator: p, denominator: q } = decimalFraction(options.uShapedEnds);
      const middles = BigInt(n - 2);
      return touches.map((_, index) => (index === 0 || index === last ? p * middles : q - 2n * p));
    }
    case 'time_decay': {
      // weightᵢ = 2^(−(wonAt − atᵢ)/halfLife). Measured from the newest touch instead of wonAt:
      // the common factor 2^(−(wonAt − newest)/halfLife) cancels in the normalisation, and the
      // newest touch keeps weight 1 so nothing underflows to an all-zero split.
      const halfLifeMs = options.halfLifeDays * DAY_MS;
      const newest = touches[last].at.getTime();
      return exactShares(touches.map((touch) => 2 ** (-(newest - touch.at.getTime()) / halfLifeMs)));
    }
    default: {
      const unknown: never = model;
      throw new AttributionError('invalid_options', `unknown attribution model ${String(unknown)}`);
    }
  }
};

/**
 * Credits a won deal's revenue to its touches under one model.
 *
 * - Touches after `wonAt` or before `wonAt − lookbackDays` are ignored; the rest are taken in
 *   chronological order, touches at the same instant in their input order.
 * - No eligible touch → `[]`: the revenue is unattributed and the caller reports it as such.
 * - One touch gets 100% under every model; two touches under U-shaped get 50/50.
 * - Every eligible touch gets a credit (possibly 0, e.g. the middle ones under first-touch).
 */
export const attribute = (conversion: Conversion, model: AttributionModel, options: AttributionOptions = {}): AttributionCredit[] => {
  const amount = toMinorUnits(conversion.amountMinor);
  if (!/^[A-Z]{3}$/.test(conversion.currency)) {
    throw new AttributionError('invalid_currency', `currency must be an ISO 4217 code such as CNY, got ${conversion.currency}`);
  }
  assertValidDate(conversion.wonAt, 'wonAt');
  conversion.touches.forEach((touch) => assertValidDate(touch.at, `touch ${touch.touchpointId} at`));
  if (!AttributionModel.safeParse(model).success) throw new AttributionError('invalid_options', `unknown attribution model ${String(model)}`);
  const settings = parseOptions(options);

  const wonAt = conversion.wonAt.getTime();
  const windowStart = wonAt - settings.lookbackDays * DAY_MS;
  // Array.prototype.sort is stable: touches at the same instant keep their input order.
  const touches = conversion.touches
    .filter((touch) => touch.at.getTime() >= windowStart && touch.at.getTime() <= wonAt)
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  if (touches.length === 0) return [];

  const shares = sharesOf(touches, model, settings);
  const total = shares.reduce((sum, share) => sum + share, 0n);
  const amounts = allocateLargestRemainder(amount, shares);
  return touches.map((touch, index) => ({
    touchpointId: touch.touchpointId,
    ...(touch.campaignId === undefined ? {} : { campaignId: touch.campaignId }),
    channel: touch.channel,
    currency: conversion.currency,
    weight: ratio(shares[index], total),
    amountMinor: amounts[index],
  }));
};

/**
 * Totals credited revenue per campaign (touches without one under `(none)`) or per channel,
 * separately per currency: amounts in different currencies are never added. Keys that were
 * touched but credited nothing appear with 0. Ordered by currency, then amount (largest
 * first), then key.
 */
export const aggregate = (credits: readonly AttributionCredit[], by: AttributionDimension): AttributionTotal[] => {
  const totals = new Map<string, AttributionTotal>();
  for (const credit of credits) {
    const key = by === 'campaign' ? (credit.campaignId ?? NO_CAMPAIGN_KEY) : credit.channel;
    const id = JSON.stringify([credit.currency, key]);
    const total = totals.get(id) ?? { currency: credit.currency, key, amountMinor: 0n };
    total.amountMinor += credit.amountMinor;
    totals.set(id, total);
  }
  const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...totals.values()].sort(
    (a, b) => byCode(a.currency, b.currency) || (a.amountMinor === b.amountMinor ? 0 : a.amountMinor > b.amountMinor ? -1 : 1) || byCode(a.key, b.key),
  );
};
