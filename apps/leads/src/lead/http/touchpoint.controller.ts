import { ApiProblems, Ctx, openApiSchema, ZodValidationPipe, type RequestContext } from '@crm/nest-kit';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { LeadCommandsService } from '../application/lead-commands.service';
import { TouchpointBatchBody } from './lead.dto';

@ApiTags('touchpoints')
@ApiProblems(400)
@Controller('v1/touchpoints')
export class TouchpointController {
  constructor(private readonly leads: LeadCommandsService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record a batch of behaviour touchpoints (page views, downloads, e-mail events, …)',
    description: 'Idempotent by touchpointId. Each item answers recorded, duplicate, or rejected with a code (e.g. lead_not_found).',
  })
  @ApiBody({ schema: openApiSchema(TouchpointBatchBody) })
  @ApiResponse({ status: 200, description: '{ results: [{ touchpointId, leadId, status, code? }] } in request order' })
  async record(@Ctx() ctx: RequestContext, @Body(new ZodValidationPipe(TouchpointBatchBody)) body: TouchpointBatchBody) {
    return { results: await this.leads.recordTouchpoints(ctx, body) };
  }
}
