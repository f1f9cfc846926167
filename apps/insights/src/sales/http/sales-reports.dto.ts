import { DEFAULT_PIPELINE_ID, SalesPeriod } from '@crm/contracts';
import { z } from 'zod';
import { FORECAST_GROUPINGS } from '../forecast/sales-forecast.query';
import { LEADERBOARD_METRICS } from '../leaderboard/sales-leaderboard.query';
import { MONTH_PATTERN } from '../sales-period';
import { REP_OR_TEAM } from '../sales-values';

const Month = z.string().regex(MONTH_PATTERN, 'a month, YYYY-MM');
/** The period format of sales targets: `2026-11`, `2026-Q4` or `2026`. */
const Period = SalesPeriod;
/** An instant (ISO 8601 with offset) or a UTC calendar date (its midnight). */
const Instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((value) => new Date(value));
// The inferred types are named apart from the schemas: a parameter typed by a name that is also a
// value would make Nest's metadata point at the zod object, which Swagger then tries to read as a DTO class.
const currency = z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code such as CNY');

export const ForecastQuery = z.object({ groupBy: z.enum(FORECAST_GROUPINGS).default('rep'), from: Month, to: Month }).strict();
export type ForecastParams = z.infer<typeof ForecastQuery>;

export const TargetsQuery = z.object({ period: Period, scope: z.enum(REP_OR_TEAM).optional() }).strict();
export type TargetsParams = z.infer<typeof TargetsQuery>;

export const LeaderboardQuery = z
  .object({
    period: Period,
    groupBy: z.enum(REP_OR_TEAM).default('rep'),
    metric: z.enum(LEADERBOARD_METRICS).default('won_amount'),
    currency: currency.optional(),
  })
  .strict();
export type LeaderboardParams = z.infer<typeof LeaderboardQuery>;

export const OpportunityFunnelQuery = z
  .object({ pipelineId: z.string().trim().min(1).max(100).default(DEFAULT_PIPELINE_ID), from: Instant.optional(), to: Instant.optional() })
  .strict();
export type OpportunityFunnelParams = z.infer<typeof OpportunityFunnelQuery>;
