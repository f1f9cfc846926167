import { ApiProblems, Ctx, etag, openApiSchema, ZodValidationPipe, type RequestContext } from '@crm/nest-kit';
import { Body, Controller, Get, Param, Put, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SalesConfigService } from '../application/sales-config.service';
import type { SalesTarget } from '../domain/sales-target.decider';
import { SetTargetBody, TargetIdParam, TargetResponse } from './sales-config.dto';

const view = (reply: FastifyReply, { target, revision }: { target: SalesTarget; revision: number }) => {
  void reply.header('etag', etag(revision));
  const { targetId, scope, period, target: amount, setAt } = target;
  return { targetId, scope, period, target: amount, setAt, revision };
};

@ApiTags('sales-targets')
@ApiProblems(400, 404, 409, 422)
@Controller('v1/sales-targets')
export class SalesTargetController {
  constructor(private readonly config: SalesConfigService) {}

  @Put()
  @ApiOperation({
    summary: 'Set the won-amount target of a rep or team for a period (2026-11, 2026-Q4 or 2026)',
    description: 'One target per scope and period: its id is derived from them, so setting it again replaces it.',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag (revision) last seen; a stale one is refused with 409.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retrying with the same key appends nothing.' })
  @ApiBody({ schema: openApiSchema(SetTargetBody) })
  @ApiResponse({ status: 200, schema: openApiSchema(TargetResponse) })
  async set(@Ctx() ctx: RequestContext, @Body(new ZodValidationPipe(SetTargetBody)) body: SetTargetBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return view(reply, await this.config.setTarget(ctx, body));
  }

  @Get(':targetId')
  @ApiOperation({ summary: 'A sales target' })
  @ApiResponse({ status: 200, schema: openApiSchema(TargetResponse) })
  async get(@Ctx() ctx: RequestContext, @Param('targetId', new ZodValidationPipe(TargetIdParam)) targetId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return view(reply, await this.config.target(ctx.tenantId, targetId));
  }
}
