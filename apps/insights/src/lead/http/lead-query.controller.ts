import { LeadSourceChannel } from '@crm/contracts';
import { ApiProblems, Ctx, ZodValidationPipe, type RequestContext } from '@crm/nest-kit';
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { INSIGHTS_READ_MODEL } from '../../insights.tokens';
import type { InsightsReadModel } from '../../insights-read-model';
import { LEAD_SORTS, LEAD_STATUSES, MAX_LEAD_PAGE_SIZE } from '../lead.query';
import { LeadIdParam, ListLeadsQuery, type ListLeadsParams } from './lead-query.dto';

const BOOLEAN = { required: false, enum: ['true', 'false'] } as const;

@ApiTags('leads')
@ApiProblems(400, 404)
@Controller('v1/leads')
export class LeadQueryController {
  constructor(@Inject(INSIGHTS_READ_MODEL) private readonly readModel: InsightsReadModel) {}

  @Get()
  @ApiOperation({ summary: 'Leads of the tenant matching every filter given, newest (or highest score) first, with counts by status' })
  @ApiQuery({ name: 'status', required: false, enum: LEAD_STATUSES })
  @ApiQuery({ name: 'ownerId', required: false, description: 'Leads this rep holds' })
  @ApiQuery({ name: 'pool', ...BOOLEAN, description: 'true: the pool (公海), captured or qualified leads without an owner; false: all others' })
  @ApiQuery({ name: 'hot', ...BOOLEAN })
  @ApiQuery({ name: 'campaignId', required: false })
  @ApiQuery({ name: 'channel', required: false, enum: LeadSourceChannel.options })
  @ApiQuery({ name: 'q', required: false, description: 'Case-insensitive substring of the name, company or e-mail' })
  @ApiQuery({ name: 'minScore', required: false, schema: { type: 'integer', minimum: 0 } })
  @ApiQuery({ name: 'sort', required: false, enum: LEAD_SORTS, description: 'capturedAt: newest first (default); score: highest first, then newest' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_LEAD_PAGE_SIZE, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page (same sort)' })
  list(@Ctx() ctx: RequestContext, @Query(new ZodValidationPipe(ListLeadsQuery)) query: ListLeadsParams) {
    return this.readModel.leads.listLeads(ctx.tenantId, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One lead from the read model' })
  get(@Ctx() ctx: RequestContext, @Param('id', new ZodValidationPipe(LeadIdParam)) id: string) {
    return this.readModel.leads.getLead(ctx.tenantId, id);
  }
}
