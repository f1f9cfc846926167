import { ApiProblems, Ctx, ZodValidationPipe, type RequestContext } from '@crm/nest-kit';
import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { LeadExportQuery } from '../application/lead-export.query';
import { ExportLeadsQuery, type ExportLeadsParams } from './lead-import.dto';

@ApiTags('leads')
@ApiProblems(400)
@Controller('v1/leads')
export class LeadExportController {
  constructor(private readonly exporter: LeadExportQuery) {}

  @Get('export.csv')
  @ApiOperation({ summary: "Export the tenant's leads as CSV (UTF-8 with BOM, streamed), optionally filtered" })
  @ApiQuery({ name: 'status', required: false, description: 'captured, qualified, disqualified, converted' })
  @ApiQuery({ name: 'channel', required: false })
  @ApiQuery({ name: 'capturedFrom', required: false, description: 'Date (YYYY-MM-DD) or ISO date-time, inclusive' })
  @ApiQuery({ name: 'capturedTo', required: false, description: 'Date (that whole day, UTC) or ISO date-time, inclusive' })
  @ApiProduces('text/csv')
  @ApiResponse({ status: 200, description: 'UTF-8 CSV with a BOM' })
  async export(@Ctx() ctx: RequestContext, @Query(new ZodValidationPipe(ExportLeadsQuery)) query: ExportLeadsParams, @Res() reply: FastifyReply): Promise<void> {
    await reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="leads.csv"')
      .send(Readable.from(this.exporter.csv(ctx, query)));
  }
}
