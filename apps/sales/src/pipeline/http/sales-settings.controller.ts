import { ApiProblems, Ctx, etag, openApiSchema, ZodValidationPipe, type RequestContext } from '@crm/nest-kit';
import { Body, Controller, Get, Put, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SalesConfigService } from '../application/sales-config.service';
import { PutSalesSettingsBody, SalesSettingsResponse } from './sales-config.dto';

@ApiTags('sales-settings')
@ApiProblems(400, 409, 422)
@Controller('v1/sales-settings')
export class SalesSettingsController {
  constructor(private readonly config: SalesConfigService) {}

  @Get()
  @ApiOperation({
    summary: 'The tenant’s sales settings: currency, lost reasons, stalled-deal rules, discount approval, tax',
    description: 'The defaults (version 0, no ETag) until the tenant changes them.',
  })
  @ApiResponse({ status: 200, schema: openApiSchema(SalesSettingsResponse) })
  async get(@Ctx() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const { settings, revision } = await this.config.settings(ctx.tenantId);
    if (revision >= 0) void reply.header('etag', etag(revision));
    return settings;
  }

  @Put()
  @ApiOperation({
    summary: 'Replace the tenant’s sales settings as a whole (the next version)',
    description: 'Lost reason codes unique (422 duplicate_lost_reason); at most one stalled rule per stage (422 duplicate_stalled_rule), '
      + 'naming a stage of one of the tenant’s pipelines (422 unknown_stalled_stage). The same settings again change nothing.',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag (revision) last seen; a stale one is refused with 409.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retrying with the same key appends nothing.' })
  @ApiBody({ schema: openApiSchema(PutSalesSettingsBody) })
  @ApiResponse({ status: 200, schema: openApiSchema(SalesSettingsResponse) })
  async put(@Ctx() ctx: RequestContext, @Body(new ZodValidationPipe(PutSalesSettingsBody)) body: PutSalesSettingsBody, @Res({ passthrough: true }) reply: FastifyReply) {
    const { settings, revision } = await this.config.changeSettings(ctx, body);
    if (revision >= 0) void reply.header('etag', etag(revision));
    return settings;
  }
}
