import { Prisma, type InsightsPrisma } from '../../database/insights-prisma';
import { NONE_KEY, assertPeriod, rate, type Period } from '../report-values';

export const FUNNEL_GROUPINGS = ['source', 'channel', 'campaign'] as const;
/** source: `utm_source`; channel: the capture channel; campaign: the capture's campaign id. */
export type FunnelGrouping = (typeof FUNNEL_GROUPINGS)[number];

export type LeadFunnelOptions = Period & { groupBy: FunnelGrouping };

/** One row of the funnel: a cohort of leads captured in the period. */
export type FunnelRow = {
  /** The group (`(none)` when the lead has no value for it); null on the total row. */
  key: string | null;
  captured: number;
  /** Leads that reached `qualified` (conversion requires it, so converted ⊆ qualified). */
  qualified: number;
  converted: number;
  disqualified: number;
  /** qualified / captured; null when nothing was captured. */
  qualificationRate: number | null;
  /** converted / qualified; null when nothing was qualified. */
  conversionRate: number | null;
  /** converted / captured. */
  overallConversionRate: number | null;
  /** Median of (qualifiedAt − capturedAt) in days over the qualified leads; null when none. */
  medianDaysToQualify: number | null;
  /** Median of (convertedAt − qualifiedAt) in days over the converted leads. */
  medianDaysQualifiedToConverted: number | null;
  /** Median of (convertedAt − capturedAt) in days over the converted leads. */
  medianDaysToConvert: number | null;
};

export type LeadFunnelReport = {
  groupBy: FunnelGrouping;
  from: string | null;
  to: string | null;
  /** One row per group, largest cohort first (ties by key). */
  groups: FunnelRow[];
  total: FunnelRow;
};

type Row = {
  is_total: boolean;
  key: string | null;
  captured: number;
  qualified: number;
  converted: number;
  disqualified: number;
  median_to_qualify: number | null;
  median_qualified_to_converted: number | null;
  median_to_convert: number | null;
};

/** Whitelisted SQL expressions of the grouping dimensions (never user text). */
const KEY_SQL: Record<FunnelGrouping, Prisma.Sql> = {
  source: Prisma.raw(`COALESCE(utm_source, '${NONE_KEY}')`),
  channel: Prisma.raw('channel'),
  campaign: Prisma.raw(`COALESCE(campaign_id, '${NONE_KEY}')`),
};

const days = (later: string, earlier: string): Prisma.Sql =>
  Prisma.raw(`percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (${later} - ${earlier}))::float8 / 86400)`);

const toFunnelRow = (row: Row): FunnelRow => ({
  key: row.is_total ? null : row.key,
  captured: row.captured,
  qualified: row.qualified,
  converted: row.converted,
  disqualified: row.disqualified,
  qualificationRate: rate(row.qualified, row.captured),
  conversionRate: rate(row.converted, row.qualified),
  overallConversionRate: rate(row.converted, row.captured),
  medianDaysToQualify: row.median_to_qualify,
  medianDaysQualifiedToConverted: row.median_qualified_to_converted,
  medianDaysToConvert: row.median_to_convert,
});

const EMPTY: Row = {
  is_total: true,
  key: null,
  captured: 0,
  qualified: 0,
  converted: 0,
  disqualified: 0,
  median_to_qualify: null,
  median_qualified_to_converted: null,
  median_to_convert: null,
};

/**
 * The lead funnel (DOMAIN.md §6): leads captured in [from, to), grouped by source, channel or
 * campaign, with the count reaching each step, step-to-step conversion and the median days
 * between steps (PostgreSQL `percentile_cont(0.5)`, exact, interpolating between the middle two).
 */
export const leadFunnel = async (prisma: InsightsPrisma, tenantId: string, options: LeadFunnelOptions): Promise<LeadFunnelReport> => {
  assertPeriod(options);
  const key = KEY_SQL[options.groupBy];
  const from = options.from ? Prisma.sql`AND captured_at >= ${options.from}` : Prisma.empty;
  const to = options.to ? Prisma.sql`AND captured_at < ${options.to}` : Prisma.empty;
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT GROUPING(${key}) = 1 AS is_total,
           ${key} AS key,
           count(*)::int AS captured,
           count(qualified_at)::int AS qualified,
           count(converted_at)::int AS converted,
           count(disqualified_at)::int AS disqualified,
           ${days('qualified_at', 'captured_at')} AS median_to_qualify,
           ${days('converted_at', 'qualified_at')} AS median_qualified_to_converted,
           ${days('converted_at', 'captured_at')} AS median_to_convert
      FROM insights.lead_funnel_fact
     WHERE tenant_id = ${tenantId} ${from} ${to}
     GROUP BY GROUPING SETS ((${key}), ())
     ORDER BY is_total, captured DESC, ${key} COLLATE "C"`;
  const total = rows.find((row) => row.is_total) ?? EMPTY;
  return {
    groupBy: options.groupBy,
    from: options.from?.toISOString() ?? null,
    to: options.to?.toISOString() ?? null,
    groups: rows.filter((row) => !row.is_total).map(toFunnelRow),
    total: toFunnelRow(total),
  };
};
