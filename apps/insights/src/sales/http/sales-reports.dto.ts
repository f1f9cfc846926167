import { CurrencyCode, DEFAULT_PIPELINE_ID, SalesPeriod } from '@crm/contracts';
import { z } from 'zod';
import { Instant } from '../../reports/http/period-query';
import { FORECAST_GROUPINGS } from '../forecast/sales-forecast.query';
import { LEADERBOARD_METRICS } from '../leaderboard/sales-leaderboard.query';
import { MONTH_PATTERN } from '../sales-period';
import { REP_OR_TEAM } from '../sales-values';

const Month = z.string().regex(MONTH_PATTERN, 'a month, YYYY-MM');
// The inferred types are named apart from the schemas: a parameter typed by a name that is also a
// value would make Nest's metadata point at the zod object, which Swagger then tries to read as a DTO class.
const currency = z.string().trim().toUpperCase().pipe(CurrencyCode);

export const ForecastQuery = z.object({ groupBy: z.enum(FORECAST_GROUPINGS).default('rep'), from: Month, to: Month }).strict();
export type ForecastParams = z.infer<typeof ForecastQuery>;

export const TargetsQuery = z.object({ period: SalesPeriod, scope: z.enum(REP_OR_TEAM).optional() }).strict();
export type TargetsParams = z.infer<typeof TargetsQuery>;

export const LeaderboardQuery = z
  .object({
    period: SalesPeriod,
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
