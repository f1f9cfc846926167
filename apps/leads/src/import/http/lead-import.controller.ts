import { ApiProblems, Ctx, openApiSchema, ZodValidationPipe, type RequestContext } from '@crm/nest-kit';
import { Controller, Get, Headers, Param, Post, Query, Req, Res, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { csvLine, UTF8_BOM } from '../application/csv-writer';
import type { LeadImportRowError } from '../application/lead-import-job.store';
import { LeadImportService } from '../application/lead-import.service';
import { importFormatOf, LeadImportIdParam, LeadImportResponse, StartLeadImportQuery, toLeadImportResponse, type StartLeadImportParams, XLSX_CONTENT_TYPE } from './lead-import.dto';

async function* errorsCsv(headers: string[], errors: AsyncIterable<LeadImportRowError>): AsyncGenerator<string> {
  yield UTF8_BOM + csvLine(['row', 'column', 'message', ...headers]);
  for await (const e of errors) {
    yield csvLine([e.rowNumber, e.columns.filter((c) => c !== '').join('; '), e.messages.join('; '), ...e.values]);
  }
}

@ApiTags('lead imports')
@ApiProblems(400, 404, 413, 415)
@Controller('v1/lead-imports')
export class LeadImportController {
  constructor(private readonly imports: LeadImportService) {}

  @Post()
  @ApiOperation({
    summary: 'Import leads from a CSV or XLSX file (the raw file is the body)',
    description: 'Answers 202 with the job once the file is stored; poll the Location. Columns are matched by header '
      + '(name/姓名, company/公司, email/邮箱, phone/电话/手机, channel, campaign, utm_*). A row whose normalised e-mail '
      + '(else phone) was imported before attaches to that lead: re-importing a file creates nothing new.',
  })
  @ApiConsumes('text/csv', XLSX_CONTENT_TYPE)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retrying the upload with the same key returns the first job (200) instead of starting another.' })
  @ApiResponse({ status: 202, schema: openApiSchema(LeadImportResponse) })
  async start(
    @Ctx() ctx: RequestContext,
    @Req() request: FastifyRequest,
    @Headers('content-type') contentType: string | undefined,
    @Query(new ZodValidationPipe(StartLeadImportQuery)) query: StartLeadImportParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadImportResponse> {
    const format = importFormatOf(contentType);
    if (!format || !(request.body instanceof Readable)) {
      throw new UnsupportedMediaTypeException(`send the file as the body with content-type text/csv or ${XLSX_CONTENT_TYPE}`);
    }
    const { job, created } = await this.imports.start(ctx, { body: request.body, format, ...(query.fileName && { fileName: query.fileName }) });
    void reply.status(created ? 202 : 200).header('location', `/v1/lead-imports/${job.id}`);
    return toLeadImportResponse(job);
  }

  @Get(':id')
  @ApiOperation({ summary: 'An import job: progress while it runs, the final counts when done' })
  @ApiResponse({ status: 200, schema: openApiSchema(LeadImportResponse) })
  async get(@Ctx() ctx: RequestContext, @Param('id', new ZodValidationPipe(LeadImportIdParam)) id: string): Promise<LeadImportResponse> {
    return toLeadImportResponse(await this.imports.get(ctx, id));
  }

  @Get(':id/errors')
  @ApiOperation({ summary: "The rows that failed, as CSV: row, column, message, then the row's original cells (fix them and upload this file again)" })
  @ApiProduces('text/csv')
  @ApiResponse({ status: 200, description: 'UTF-8 CSV with a BOM' })
  async errors(@Ctx() ctx: RequestContext, @Param('id', new ZodValidationPipe(LeadImportIdParam)) id: string, @Res() reply: FastifyReply): Promise<void> {
    const { job, errors } = await this.imports.errors(ctx, id);
    await reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="lead-import-${id}-errors.csv"`)
      .send(Readable.from(errorsCsv(job.headers, errors)));
  }
}
