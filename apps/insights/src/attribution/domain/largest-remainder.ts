/**
 * Exact integer allocation of money by the largest-remainder (Hamilton) method.
 *
 * `amount` is split in proportion to `shares` (non-negative integers, any scale): each part
 * first gets ⌊amount·shareᵢ / Σshares⌋, then the units still left over (fewer than the
 * number of parts) go one each to the parts with the largest remainders
 * (amount·shareᵢ mod Σshares). Equal remainders are broken by position: the earlier part
 * wins. Everything is bigint arithmetic, so the parts always add up to `amount` exactly and
 * no float ever touches the money.
 *
 * Every part is within one minor unit of its exact quota, and a part whose share is 0 gets 0.
 */
export const allocateLargestRemainder = (amount: bigint, shares: readonly bigint[]): bigint[] => {
  if (amount < 0n) throw new RangeError(`amount must be non-negative, got ${amount}`);
  if (shares.some((share) => share < 0n)) throw new RangeError('shares must be non-negative');
  const total = shares.reduce((sum, share) => sum + share, 0n);
  if (shares.length === 0 || total === 0n) {
    if (amount === 0n) return shares.map(() => 0n);
    throw new RangeError('cannot allocate a non-zero amount over zero shares');
  }
  const parts = shares.map((share) => (amount * share) / total);
  const remainders = shares.map((share, index) => ({ index, remainder: (amount * share) % total }));
  let leftover = amount - parts.reduce((sum, part) => sum + part, 0n);
  // Largest remainder first; on equal remainders the earlier position first (deterministic).
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of remainders) {
    if (leftover === 0n) break;
    parts[index] += 1n;
    leftover -= 1n;
  }
  return parts;
};

/**
 * The exact value of a finite, non-negative IEEE-754 double as `mantissa · 2^exponent`.
 * Used to turn float weights into integer shares without any rounding.
 */
const binaryFraction = (value: number): { mantissa: bigint; exponent: number } => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  return biased === 0 ? { mantissa: fraction, exponent: -1074 } : { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
};

/**
 * Integer shares exactly proportional to the given non-negative finite doubles: each double
 * is read as the binary fraction it is and all are put over one power-of-two denominator.
 */
export const exactShares = (weights: readonly number[]): bigint[] => {
  if (weights.some((weight) => !Number.isFinite(weight) || weight < 0)) throw new RangeError('weights must be finite and non-negative');
  const fractions = weights.map(binaryFraction);
  const exponents = fractions.filter((fraction) => fraction.mantissa !== 0n).map((fraction) => fraction.exponent);
  const lowest = exponents.length === 0 ? 0 : Math.min(...exponents);
  return fractions.map(({ mantissa, exponent }) => (mantissa === 0n ? 0n : mantissa << BigInt(exponent - lowest)));
};

/** numerator / denominator as the nearest-ish double, even when both are far beyond 2^1024. */
export const ratio = (numerator: bigint, denominator: bigint): number => {
  const excessBits = denominator.toString(2).length - 64;
  if (excessBits <= 0) return Number(numerator) / Number(denominator);
  const shift = BigInt(excessBits);
  return Number(numerator >> shift) / Number(denominator >> shift);
};
