import { SalesReportsError } from './sales-reports.errors';

/** A half-open UTC interval [start, end). */
export type Interval = { start: Date; end: Date };

/** `2026-11`. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The longest forecast range, in months (bounds the work of one request). */
export const MAX_FORECAST_MONTHS = 60;

const utc = (year: number, monthIndex: number): Date => new Date(Date.UTC(year, monthIndex, 1));

/**
 * The UTC interval of a sales period (the `SalesPeriod` of sales.SalesTargetSet): a month `2026-11`,
 * a quarter `2026-Q4` (October to December) or a year `2026`. The pattern is checked by the caller
 * (the contract's zod schema); anything else is a programming error.
 */
export const periodInterval = (period: string): Interval => {
  const year = Number(period.slice(0, 4));
  if (period.length === 4) return { start: utc(year, 0), end: utc(year + 1, 0) };
  if (period[5] === 'Q') {
    const first = (Number(period[6]) - 1) * 3;
    return { start: utc(year, first), end: utc(year, first + 3) };
  }
  const month = Number(period.slice(5, 7)) - 1;
  return { start: utc(year, month), end: utc(year, month + 1) };
};

const monthIndex = (month: string): number => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;

/**
 * The months `from` to `to`, both included, as one UTC interval; `invalid_period` (400) when
 * `from` is after `to` or the range is longer than `MAX_FORECAST_MONTHS`.
 */
export const monthsInterval = (from: string, to: string): Interval => {
  const months = monthIndex(to) - monthIndex(from) + 1;
  if (months < 1) throw new SalesReportsError('invalid_period', '`from` must not be after `to`', { from, to });
  if (months > MAX_FORECAST_MONTHS) {
    throw new SalesReportsError('invalid_period', `at most ${MAX_FORECAST_MONTHS} months`, { from, to, months });
  }
  const start = periodInterval(from).start;
  return { start, end: periodInterval(to).end };
};

/** `YYYY-MM-DD` of a UTC midnight (for comparisons with DATE columns, which have no time zone). */
export const isoDate = (instant: Date): string => instant.toISOString().slice(0, 10);
