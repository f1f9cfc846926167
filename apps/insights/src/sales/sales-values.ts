import { Prisma } from '../database/insights-prisma';
import { NONE_KEY } from '../reports/report-values';

/**
 * An amount of one currency in integer minor units, as a decimal string (sums of bigint columns
 * may pass 2^53; the other insights reports write money the same way). Amounts of different
 * currencies are never added: a report lists one entry per currency.
 */
export type MoneyAmount = { currency: string; amountMinor: string };

export const REP_OR_TEAM = ['rep', 'team'] as const;
export type RepOrTeam = (typeof REP_OR_TEAM)[number];

/** Orders strings by code point (as `COLLATE "C"` does), independent of the locale. */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** One entry per currency, by currency code. */
export const sortByCurrency = <T extends { currency: string }>(values: Iterable<T>): T[] => [...values].sort((a, b) => byCodePoint(a.currency, b.currency));

/**
 * The team rule of every sales report: a team's numbers are those of its current members
 * (`sales_team_member`), whoever owns an opportunity now; a rep in two teams counts in both, and an
 * owner in no team falls under `(none)`. Joined to `insights.sales_opportunity o`.
 */
export const TEAM_OF_OWNER = {
  join: Prisma.raw('LEFT JOIN insights.sales_team_member m ON m.tenant_id = o.tenant_id AND m.member_id = o.owner_id'),
  key: Prisma.raw(`COALESCE(m.team_id, '${NONE_KEY}')`),
};
