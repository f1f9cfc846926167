import { ApiProblems, Ctx, ZodValidationPipe, type RequestContext } from '@crm/nest-kit';
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { INSIGHTS_READ_MODEL } from '../../insights.tokens';
import { INSTANT_QUERY } from '../../reports/http/period-query';
import type { InsightsReadModel } from '../../insights-read-model';
import { FORECAST_GROUPINGS } from '../forecast/sales-forecast.query';
import { LEADERBOARD_METRICS } from '../leaderboard/sales-leaderboard.query';
import { REP_OR_TEAM } from '../sales-values';
import {
  ForecastQuery,
  LeaderboardQuery,
  OpportunityFunnelQuery,
  TargetsQuery,
  type ForecastParams,
  type LeaderboardParams,
  type OpportunityFunnelParams,
  type TargetsParams,
} from './sales-reports.dto';

const PERIOD = { required: true, description: 'A month 2026-11, a quarter 2026-Q4 or a year 2026 (UTC)' } as const;
const MONTH = { required: true, description: 'A month, YYYY-MM (UTC); `from` and `to` both included' } as const;

/** The sales reports; money is integer minor units as decimal strings, one entry per currency. */
@ApiTags('reports')
@ApiProblems(400, 404)
@Controller('v1/reports/sales')
export class SalesReportsController {
  constructor(@Inject(INSIGHTS_READ_MODEL) private readonly readModel: InsightsReadModel) {}

  @Get('forecast')
  @ApiOperation({ summary: 'Weighted pipeline by expected close month per rep, team or pipeline, beside the amount won per month' })
  @ApiQuery({ name: 'groupBy', required: false, enum: FORECAST_GROUPINGS })
  @ApiQuery({ name: 'from', ...MONTH })
  @ApiQuery({ name: 'to', ...MONTH })
  forecast(@Ctx() ctx: RequestContext, @Query(new ZodValidationPipe(ForecastQuery)) query: ForecastParams) {
    return this.readModel.sales.forecast(ctx.tenantId, query);
  }

  @Get('targets')
  @ApiOperation({ summary: 'Targets of reps and teams for a period with the amount won and the attainment' })
  @ApiQuery({ name: 'period', ...PERIOD })
  @ApiQuery({ name: 'scope', required: false, enum: REP_OR_TEAM })
  targets(@Ctx() ctx: RequestContext, @Query(new ZodValidationPipe(TargetsQuery)) query: TargetsParams) {
    return this.readModel.sales.targets(ctx.tenantId, query);
  }

  @Get('leaderboard')
  @ApiOperation({ summary: 'Reps or teams ranked by won amount, win rate or activities in a period' })
  @ApiQuery({ name: 'period', ...PERIOD })
  @ApiQuery({ name: 'groupBy', required: false, enum: REP_OR_TEAM })
  @ApiQuery({ name: 'metric', required: false, enum: LEADERBOARD_METRICS })
  @ApiQuery({ name: 'currency', required: false, description: 'Currency won amounts are ranked in (default: the tenant’s sales default currency)' })
  leaderboard(@Ctx() ctx: RequestContext, @Query(new ZodValidationPipe(LeaderboardQuery)) query: LeaderboardParams) {
    return this.readModel.sales.leaderboard(ctx.tenantId, query);
  }

  @Get('opportunity-funnel')
  @ApiOperation({ summary: 'Opportunities created in the window per stage: reached, amount, conversion, average days in stage, current; won, lost and loss reasons' })
  @ApiQuery({ name: 'pipelineId', required: false, schema: { type: 'string', default: 'default' } })
  @ApiQuery({ name: 'from', ...INSTANT_QUERY })
  @ApiQuery({ name: 'to', ...INSTANT_QUERY })
  opportunityFunnel(@Ctx() ctx: RequestContext, @Query(new ZodValidationPipe(OpportunityFunnelQuery)) query: OpportunityFunnelParams) {
    return this.readModel.sales.opportunityFunnel(ctx.tenantId, query);
  }
}
