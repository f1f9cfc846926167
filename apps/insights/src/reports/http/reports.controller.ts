import { ApiProblems, Ctx, ZodValidationPipe, type RequestContext } from '@crm/nest-kit';
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AttributionModel } from '../../attribution/domain/attribution';
import { INSIGHTS_READ_MODEL } from '../../insights.tokens';
import type { InsightsReadModel } from '../../insights-read-model';
import { FUNNEL_GROUPINGS } from '../funnel/lead-funnel.query';
import { INSTANT_QUERY, Instant } from './period-query';

const LeadFunnelQuery = z
  .object({ groupBy: z.enum(FUNNEL_GROUPINGS).default('channel'), from: Instant.optional(), to: Instant.optional() })
  .strict();
type LeadFunnelParams = z.infer<typeof LeadFunnelQuery>;

const AttributionQuery = z
  .object({
    model: AttributionModel,
    groupBy: z.enum(['campaign', 'channel']).default('campaign'),
    halfLifeDays: z.coerce.number().positive().max(3650).optional(),
    lookbackDays: z.coerce.number().min(0).max(3650).optional(),
    from: Instant.optional(),
    to: Instant.optional(),
  })
  .strict();
type AttributionParams = z.infer<typeof AttributionQuery>;

const CampaignIdParam = z.string().min(1).max(100);

@ApiTags('reports')
@ApiProblems(400, 404)
@Controller('v1/reports')
export class ReportsController {
  constructor(@Inject(INSIGHTS_READ_MODEL) private readonly readModel: InsightsReadModel) {}

  @Get('lead-funnel')
  @ApiOperation({ summary: 'Leads captured in the period by source, channel or campaign: captured → qualified → converted, rates and median days between steps' })
  @ApiQuery({ name: 'groupBy', required: false, enum: FUNNEL_GROUPINGS })
  @ApiQuery({ name: 'from', ...INSTANT_QUERY })
  @ApiQuery({ name: 'to', ...INSTANT_QUERY })
  leadFunnel(@Ctx() ctx: RequestContext, @Query(new ZodValidationPipe(LeadFunnelQuery)) query: LeadFunnelParams) {
    return this.readModel.reports.leadFunnel(ctx.tenantId, query);
  }

  @Get('campaigns')
  @ApiOperation({ summary: 'Every campaign: leads, cost, cost per lead, conversion, revenue and ROI (minor units)' })
  listCampaigns(@Ctx() ctx: RequestContext) {
    return this.readModel.reports.listCampaigns(ctx.tenantId);
  }

  @Get('campaigns/:id')
  @ApiOperation({ summary: 'One campaign: leads, cost, cost per lead, conversion, revenue and ROI (minor units)' })
  getCampaign(@Ctx() ctx: RequestContext, @Param('id', new ZodValidationPipe(CampaignIdParam)) id: string) {
    return this.readModel.reports.getCampaign(ctx.tenantId, id);
  }

  @Get('campaigns/:id/variants')
  @ApiOperation({ summary: 'A/B variant comparison: sent, opened, clicked, converted and rates per variant' })
  compareVariants(@Ctx() ctx: RequestContext, @Param('id', new ZodValidationPipe(CampaignIdParam)) id: string) {
    return this.readModel.reports.compareVariants(ctx.tenantId, id);
  }

  @Get('attribution')
  @ApiOperation({ summary: 'Won revenue credited to campaigns or channels by first-touch, last-touch, linear, time-decay or U-shaped' })
  @ApiQuery({ name: 'model', required: true, enum: AttributionModel.options })
  @ApiQuery({ name: 'groupBy', required: false, enum: ['campaign', 'channel'] })
  @ApiQuery({ name: 'halfLifeDays', required: false, schema: { type: 'number', minimum: 0, exclusiveMinimum: true, default: 7 } })
  @ApiQuery({ name: 'lookbackDays', required: false, schema: { type: 'number', minimum: 0, default: 90 } })
  @ApiQuery({ name: 'from', ...INSTANT_QUERY })
  @ApiQuery({ name: 'to', ...INSTANT_QUERY })
  attribution(@Ctx() ctx: RequestContext, @Query(new ZodValidationPipe(AttributionQuery)) query: AttributionParams) {
    return this.readModel.reports.attribution(ctx.tenantId, query);
  }
}
