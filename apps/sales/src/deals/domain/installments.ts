import type { Installment } from '@crm/contracts';
import { ContractError } from './contract.errors';

/**
 * How the total is to be paid: one installment at the start (the default), an even split
 * every `intervalMonths`, or an explicit list that must add up to the total exactly.
 */
export type InstallmentPlan =
  | { kind: 'single' }
  | { kind: 'even'; installmentCount: number; intervalMonths: number }
  | { kind: 'explicit'; installments: { dueDate: string; amountMinor: number }[] };

export const MAX_INSTALLMENTS = 120;

const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (y: number, m: number) => (m === 2 && isLeapYear(y) ? 29 : DAYS[m - 1]);
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * A calendar date `months` later, on the same day of the month or the month's last day when it
 * is shorter (2026-01-31 + 1 month = 2026-02-28). Always counted from the start date, so the
 * day never drifts after a short month.
 */
export const addMonths = (date: string, months: number): string => {
  const [y, m, d] = date.split('-').map(Number);
  const index = m - 1 + months;
  const year = y + Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(Math.min(d, daysIn(year, month)), 2)}`;
};

/** The payment plan of a contract; its amounts always sum exactly to `totalMinor`. */
export const planInstallments = (totalMinor: number, startDate: string, plan: InstallmentPlan): Installment[] => {
  switch (plan.kind) {
    case 'single':
      return [{ sequence: 1, dueDate: startDate, amountMinor: totalMinor }];
    case 'even': {
      const { installmentCount: n, intervalMonths } = plan;
      if (!Number.isInteger(n) || n < 1 || n > MAX_INSTALLMENTS || !Number.isInteger(intervalMonths) || intervalMonths < 1 || intervalMonths > 60) {
        throw new ContractError('invalid_installments', `1 to ${MAX_INSTALLMENTS} installments, 1 to 60 months apart`);
      }
      // Equal parts in whole minor units; what does not divide evenly is paid with the last one.
      const part = Math.floor(totalMinor / n);
      return Array.from({ length: n }, (_, i) => ({
        sequence: i + 1,
        dueDate: addMonths(startDate, i * intervalMonths),
        amountMinor: i === n - 1 ? totalMinor - part * (n - 1) : part,
      }));
    }
    case 'explicit': {
      const list = plan.installments;
      if (list.length < 1 || list.length > MAX_INSTALLMENTS) throw new ContractError('invalid_installments', `1 to ${MAX_INSTALLMENTS} installments, not ${list.length}`);
      if (list.some((i) => !Number.isSafeInteger(i.amountMinor) || i.amountMinor < 0)) {
        throw new ContractError('invalid_installments', 'installment amounts are non-negative integers of minor units');
      }
      if (list.some((i, k) => k > 0 && i.dueDate < list[k - 1].dueDate)) {
        throw new ContractError('invalid_installments', 'installments are listed in due-date order');
      }
      const sum = list.reduce((s, i) => s + BigInt(i.amountMinor), 0n);
      if (sum !== BigInt(totalMinor)) {
        throw new ContractError('installments_mismatch', `the installments add up to ${sum}, not the contract total ${totalMinor}`, { totalMinor });
      }
      return list.map((i, k) => ({ sequence: k + 1, dueDate: i.dueDate, amountMinor: i.amountMinor }));
    }
  }
};
