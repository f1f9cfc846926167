import { ApiProblems, Ctx, ZodValidationPipe, type RequestContext } from '@crm/nest-kit';
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { INSIGHTS_READ_MODEL } from '../../insights.tokens';
import type { InsightsReadModel } from '../../insights-read-model';
import { LEAD_STATUSES, MAX_LEAD_PAGE_SIZE, type LeadStatus } from '../lead.query';

const ListLeadsQuery = z
  .object({
    status: z.enum(LEAD_STATUSES as [LeadStatus, ...LeadStatus[]]).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_LEAD_PAGE_SIZE).optional(),
    cursor: z.string().min(1).max(500).optional(),
  })
  .strict();
type ListLeadsParams = z.infer<typeof ListLeadsQuery>;

const LeadIdParam = z.uuid({ message: 'lead ids are UUIDs' });

@ApiTags('leads')
@ApiProblems(400, 404)
@Controller('v1/leads')
export class LeadQueryController {
  constructor(@Inject(INSIGHTS_READ_MODEL) private readonly readModel: InsightsReadModel) {}

  @Get()
  @ApiOperation({ summary: 'Leads of the tenant, newest first, with counts by status' })
  @ApiQuery({ name: 'status', required: false, enum: LEAD_STATUSES })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_LEAD_PAGE_SIZE, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  list(@Ctx() ctx: RequestContext, @Query(new ZodValidationPipe(ListLeadsQuery)) query: ListLeadsParams) {
    return this.readModel.leads.listLeads(ctx.tenantId, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One lead from the read model' })
  get(@Ctx() ctx: RequestContext, @Param('id', new ZodValidationPipe(LeadIdParam)) id: string) {
    return this.readModel.leads.getLead(ctx.tenantId, id);
  }
}
