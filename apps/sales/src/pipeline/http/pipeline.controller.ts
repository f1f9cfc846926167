import { ApiProblems, Ctx, etag, openApiSchema, ZodValidationPipe, type RequestContext } from '@crm/nest-kit';
import { Body, Controller, Get, Param, Put, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PipelineService, type CurrentPipeline } from '../application/pipeline.service';
import { DefinePipelineBody, PipelineIdParam, PipelineListResponse, PipelineResponse } from './pipeline.dto';

const view = (reply: FastifyReply, { pipeline, builtIn, revision }: CurrentPipeline): PipelineResponse => {
  if (revision >= 0) void reply.header('etag', etag(revision));
  return { pipelineId: pipeline.pipelineId, name: pipeline.name, stages: pipeline.stages.map((s) => ({ ...s })), builtIn, revision };
};

@ApiTags('pipelines')
@ApiProblems(400, 404, 409, 422)
@Controller('v1/pipelines')
export class PipelineController {
  constructor(private readonly pipelines: PipelineService) {}

  @Get()
  @ApiOperation({ summary: 'The tenant’s pipelines: the default one first (built in until defined), then by id' })
  @ApiResponse({ status: 200, schema: openApiSchema(PipelineListResponse) })
  async list(@Ctx() ctx: RequestContext) {
    return { pipelines: await this.pipelines.list(ctx.tenantId) };
  }

  @Get(':pipelineId')
  @ApiOperation({ summary: 'A pipeline’s ordered stages and win probabilities (the default pipeline exists without being defined)' })
  @ApiResponse({ status: 200, schema: openApiSchema(PipelineResponse) })
  async get(@Ctx() ctx: RequestContext, @Param('pipelineId', new ZodValidationPipe(PipelineIdParam)) pipelineId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return view(reply, await this.pipelines.get(ctx.tenantId, pipelineId));
  }

  @Put(':pipelineId')
  @ApiOperation({
    summary: 'Define or redefine a pipeline: its name and the whole ordered stage list',
    description: 'Stage ids are unique (422 duplicate_stage_id). Removing a stage leaves opportunities in it where they are; they can move on to any stage that exists.',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag (revision) last seen; a stale one is refused with 409.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retrying with the same key appends nothing.' })
  @ApiBody({ schema: openApiSchema(DefinePipelineBody) })
  @ApiResponse({ status: 200, schema: openApiSchema(PipelineResponse) })
  async define(
    @Ctx() ctx: RequestContext,
    @Param('pipelineId', new ZodValidationPipe(PipelineIdParam)) pipelineId: string,
    @Body(new ZodValidationPipe(DefinePipelineBody)) body: DefinePipelineBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return view(reply, await this.pipelines.define(ctx, pipelineId, body));
  }
}
