import { allocateLargestRemainder, exactShares, ratio } from './largest-remainder';

describe('allocateLargestRemainder', () => {
  it('gives the leftover unit to the earliest of equal remainders: 100 over 3 → 34/33/33', () =>
    // quotas 33⅓ each → floors 33+33+33 = 99, 1 left; remainders tie (1/3 each) → first part.
    expect(allocateLargestRemainder(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]));

  it('hands out several leftover units by position on ties: 10 over 4 → 3/3/2/2', () =>
    // quotas 2.5 each → floors 8, 2 left; all remainders ½ → the first two parts.
    expect(allocateLargestRemainder(10n, [1n, 1n, 1n, 1n])).toEqual([3n, 3n, 2n, 2n]));

  it('gives the leftover to the largest remainder, not the first part: 100 in 1:2 → 33/67', () =>
    // quotas 33⅓ and 66⅔ → floors 33+66 = 99; remainders ⅓ < ⅔ → the second part.
    expect(allocateLargestRemainder(100n, [1n, 2n])).toEqual([33n, 67n]));

  it('never gives a unit to a zero share', () => expect(allocateLargestRemainder(7n, [0n, 1n, 0n])).toEqual([0n, 7n, 0n]));

  it('splits 0 into zeros', () => expect(allocateLargestRemainder(0n, [3n, 5n])).toEqual([0n, 0n]));

  it('is exact far beyond 2^53', () => {
    const amount = 2n ** 80n + 1n;
    const parts = allocateLargestRemainder(amount, [1n, 1n]);
    expect(parts).toEqual([2n ** 79n + 1n, 2n ** 79n]);
  });

  it('refuses a negative amount, negative shares, and money over zero shares', () => {
    expect(() => allocateLargestRemainder(-1n, [1n])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(1n, [1n, -1n])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(1n, [0n, 0n])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(1n, [])).toThrow(RangeError);
  });
});

describe('exactShares', () => {
  it('puts doubles over one power-of-two denominator without rounding', () =>
    // 1 = 2^52·2^-52, 0.5 = 2^52·2^-53, 0.25 = 2^52·2^-54 → over 2^-54: 4·2^52, 2·2^52, 2^52.
    expect(exactShares([1, 0.5, 0.25, 0])).toEqual([2n ** 54n, 2n ** 53n, 2n ** 52n, 0n]));

  it('keeps subnormal weights', () => expect(exactShares([Number.MIN_VALUE, 1])[0]).toBe(1n));

  it('refuses negative or non-finite weights', () => {
    expect(() => exactShares([-1])).toThrow(RangeError);
    expect(() => exactShares([Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });
});

describe('ratio', () => {
  it('divides small and huge bigints alike', () => {
    expect(ratio(1n, 4n)).toBe(0.25);
    expect(ratio(2n ** 2000n, 2n ** 2002n)).toBe(0.25);
  });
});
