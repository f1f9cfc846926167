import { Prisma, type InsightsPrisma } from '../../database/insights-prisma';
import { isoDate, monthsInterval } from '../sales-period';
import { TEAM_OF_OWNER } from '../sales-values';

export const FORECAST_GROUPINGS = ['rep', 'team', 'pipeline'] as const;
/** rep: the opportunity's owner; team: the owner's teams (see TEAM_OF_OWNER); pipeline: its pipeline. */
export type ForecastGrouping = (typeof FORECAST_GROUPINGS)[number];

export type ForecastOptions = {
  groupBy: ForecastGrouping;
  /** First month (`2026-01`), included. */
  from: string;
  /** Last month, included. */
  to: string;
};

/** One month in one currency. Money in minor units (decimal strings). */
export type ForecastMonth = {
  /** `2026-11` (UTC). */
  month: string;
  currency: string;
  /** Open opportunities expected to close in the month. */
  openCount: number;
  /** Σ amount of those. */
  pipelineMinor: string;
  /** Σ round-half-up(amount × probability / 100), rounded per opportunity (so a row is the sum of its deals). */
  weightedMinor: string;
  /** Opportunities won in the month (by the win instant), and their amount. */
  wonCount: number;
  wonMinor: string;
};

export type ForecastGroup = { key: string; months: ForecastMonth[] };

export type SalesForecast = {
  groupBy: ForecastGrouping;
  from: string;
  to: string;
  /** By key; each group's months by month, then currency. Months without numbers are left out. */
  groups: ForecastGroup[];
  /** Every opportunity once (a rep in two teams is in two team groups but once here). */
  totals: ForecastMonth[];
};

type Row = {
  key: string;
  month: string;
  currency: string;
  open_count: number;
  pipeline: string;
  weighted: string;
  won_count: number;
  won: string;
};

const GROUPING_SQL: Record<ForecastGrouping, { key: Prisma.Sql; join: Prisma.Sql }> = {
  rep: { key: Prisma.raw('o.owner_id'), join: Prisma.empty },
  team: TEAM_OF_OWNER,
  pipeline: { key: Prisma.raw('o.pipeline_id'), join: Prisma.empty },
};

const ALL = { key: Prisma.raw(`''`), join: Prisma.empty };

const toMonth = (row: Row): ForecastMonth => ({
  month: row.month,
  currency: row.currency,
  openCount: row.open_count,
  pipelineMinor: row.pipeline,
  weightedMinor: row.weighted,
  wonCount: row.won_count,
  wonMinor: row.won,
});

/** Open opportunities by expected close month (a DATE, no time zone) and won ones by the UTC month of the win. */
const forecastRows = (prisma: InsightsPrisma, tenantId: string, start: Date, end: Date, grouping: { key: Prisma.Sql; join: Prisma.Sql }): Promise<Row[]> =>
  prisma.$queryRaw<Row[]>`
    SELECT key, month, currency,
           sum(open_count)::int AS open_count, sum(pipeline)::text AS pipeline, sum(weighted)::text AS weighted,
           sum(won_count)::int AS won_count, sum(won)::text AS won
      FROM (
        SELECT ${grouping.key} AS key, to_char(o.expected_close_date, 'YYYY-MM') AS month, o.currency,
               1 AS open_count, o.amount_minor AS pipeline, (o.amount_minor * o.probability + 50) / 100 AS weighted,
               0 AS won_count, 0::bigint AS won
          FROM insights.sales_opportunity o ${grouping.join}
         WHERE o.tenant_id = ${tenantId} AND o.status = 'open'
           AND o.expected_close_date >= ${isoDate(start)}::date AND o.expected_close_date < ${isoDate(end)}::date
        UNION ALL
        SELECT ${grouping.key}, to_char(o.won_at AT TIME ZONE 'UTC', 'YYYY-MM'), o.currency,
               0, 0, 0, 1, o.amount_minor
          FROM insights.sales_opportunity o ${grouping.join}
         WHERE o.tenant_id = ${tenantId} AND o.status = 'won' AND o.won_at >= ${start} AND o.won_at < ${end}
      ) facts
     GROUP BY key, month, currency
     ORDER BY key COLLATE "C", month, currency`;

/**
 * The weighted pipeline forecast (DOMAIN.md §2 "Forecast"): per group and month from `from` to `to`
 * (UTC months, both included; at most MAX_FORECAST_MONTHS), the open opportunities expected to
 * close in the month — count, amount and weighted amount — beside the amount won in the month.
 * One entry per currency: amounts are never converted.
 */
export const salesForecast = async (prisma: InsightsPrisma, tenantId: string, options: ForecastOptions): Promise<SalesForecast> => {
  const { start, end } = monthsInterval(options.from, options.to);
  const [rows, totals] = await Promise.all([
    forecastRows(prisma, tenantId, start, end, GROUPING_SQL[options.groupBy]),
    forecastRows(prisma, tenantId, start, end, ALL),
  ]);
  const groups: ForecastGroup[] = [];
  for (const row of rows) {
    const last = groups.at(-1);
    if (last?.key === row.key) last.months.push(toMonth(row));
    else groups.push({ key: row.key, months: [toMonth(row)] });
  }
  return { groupBy: options.groupBy, from: options.from, to: options.to, groups, totals: totals.map(toMonth) };
};
