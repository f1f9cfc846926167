import type { Clock } from '@crm/domain';
import { ApiProblems, CLOCK, Ctx, etag, openApiSchema, ZodValidationPipe, type RequestContext } from '@crm/nest-kit';
import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { OpportunityCommandsService, type OpportunityResult } from '../application/opportunity-commands.service';
import { OpportunityError } from '../domain/opportunity.errors';
import {
  ChangeStageBody, CreateOpportunityBody, LoseOpportunityBody, OpportunityCommandResponse, OpportunityIdParam, OpportunityResponse, ReopenOpportunityBody,
  UpdateOpportunityBody,
} from './opportunity.dto';
import { opportunityView } from './opportunity.view';

const idempotencyHeader = { name: 'Idempotency-Key', required: false, description: 'Retrying with the same key appends nothing and returns the first result.' };
const ifMatchHeader = { name: 'If-Match', required: false, description: 'The ETag (revision) last seen; a stale one is refused with 409.' };
const commandResponse = { schema: openApiSchema(OpportunityCommandResponse) };
const id = () => new ZodValidationPipe(OpportunityIdParam);

const respond = (reply: FastifyReply, { state, revision, opportunityId }: OpportunityResult): OpportunityCommandResponse => {
  void reply.header('etag', etag(revision));
  if (state.status === 'none') throw new OpportunityError('opportunity_not_found', `opportunity ${opportunityId} does not exist`);
  return { id: opportunityId, status: state.status, stageId: state.stageId, probability: state.probability, revision };
};

@ApiTags('opportunities')
@ApiProblems(400, 404, 409, 422)
@Controller('v1/opportunities')
export class OpportunityController {
  constructor(
    private readonly opportunities: OpportunityCommandsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Open an opportunity: account, amount (integer minor units + currency), expected close date',
    description: 'Default pipeline `default`, default stage its first, default owner the caller. The probability is the stage’s.',
  })
  @ApiHeader(idempotencyHeader)
  @ApiBody({ schema: openApiSchema(CreateOpportunityBody) })
  @ApiResponse({ status: 201, ...commandResponse })
  async create(@Ctx() ctx: RequestContext, @Body(new ZodValidationPipe(CreateOpportunityBody)) body: CreateOpportunityBody, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.opportunities.create(ctx, body);
    void reply.status(201).header('location', `/v1/opportunities/${result.opportunityId}`);
    return respond(reply, result);
  }

  @Get(':id')
  @ApiOperation({ summary: 'An opportunity with its stage history (entered/left, exact times) and days in the current stage (with its ETag)' })
  @ApiResponse({ status: 200, schema: openApiSchema(OpportunityResponse) })
  async get(@Ctx() ctx: RequestContext, @Param('id', id()) opportunityId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const { state, revision } = await this.opportunities.get(ctx, opportunityId);
    void reply.header('etag', etag(revision));
    return opportunityView(state, revision, this.clock.now());
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change name, amount, expected close date, owner, team, contact or competitors (resets the stalled-deal clock)' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(UpdateOpportunityBody) })
  @ApiResponse({ status: 200, ...commandResponse })
  async update(@Ctx() ctx: RequestContext, @Param('id', id()) opportunityId: string, @Body(new ZodValidationPipe(UpdateOpportunityBody)) body: UpdateOpportunityBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.opportunities.update(ctx, opportunityId, body));
  }

  @Post(':id/stage')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move to another stage, forwards or backwards (recorded with the exact time spent in the previous one)' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(ChangeStageBody) })
  @ApiResponse({ status: 200, ...commandResponse })
  async changeStage(@Ctx() ctx: RequestContext, @Param('id', id()) opportunityId: string, @Body(new ZodValidationPipe(ChangeStageBody)) body: ChangeStageBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.opportunities.changeStage(ctx, opportunityId, body.stageId));
  }

  @Post(':id/win')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark as won' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiResponse({ status: 200, ...commandResponse })
  async win(@Ctx() ctx: RequestContext, @Param('id', id()) opportunityId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.opportunities.win(ctx, opportunityId));
  }

  @Post(':id/lose')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark as lost, with a reason code from the tenant’s list (required), a note and the competitor' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(LoseOpportunityBody) })
  @ApiResponse({ status: 200, ...commandResponse })
  async lose(@Ctx() ctx: RequestContext, @Param('id', id()) opportunityId: string, @Body(new ZodValidationPipe(LoseOpportunityBody)) body: LoseOpportunityBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.opportunities.lose(ctx, opportunityId, body));
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reopen a won or lost opportunity, in the given stage or the one it was closed in' })
  @ApiHeader(idempotencyHeader)
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(ReopenOpportunityBody), required: false })
  @ApiResponse({ status: 200, ...commandResponse })
  async reopen(@Ctx() ctx: RequestContext, @Param('id', id()) opportunityId: string, @Body(new ZodValidationPipe(ReopenOpportunityBody)) body: ReopenOpportunityBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, await this.opportunities.reopen(ctx, opportunityId, body.stageId));
  }
}
