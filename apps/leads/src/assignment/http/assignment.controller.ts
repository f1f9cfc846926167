import type { LeadEvent } from '@crm/contracts';
import type { CommandResult } from '@crm/domain';
import { ApiProblems, Ctx, etag, openApiSchema, ZodValidationPipe, type RequestContext } from '@crm/nest-kit';
import { Body, Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { LeadState } from '../../lead/domain/lead.decider';
import { LeadIdParam } from '../../lead/http/lead.dto';
import { AssignmentService } from '../application/assignment.service';
import { AssignLeadBody, AssignmentSettingsBody, FollowUpBody, PoolCommandResponse } from './assignment.dto';

const ifMatchHeader = { name: 'If-Match', required: false, description: 'The ETag (revision) last seen; a stale one is refused with 409.' };
const actorHeader = { name: 'x-actor-id', required: true, description: 'The rep acting (claims go to this rep).' };
const response = { status: 200, schema: openApiSchema(PoolCommandResponse) };

const respond = (reply: FastifyReply, leadId: string, { state, revision }: CommandResult<LeadEvent, LeadState>): PoolCommandResponse => {
  void reply.header('etag', etag(revision));
  return { id: leadId, ownerId: state.status === 'none' ? null : (state.ownerId ?? null), revision };
};

@ApiTags('lead pool')
@ApiProblems(400, 404, 409, 422)
@Controller('v1')
export class AssignmentController {
  constructor(private readonly assignment: AssignmentService) {}

  @Post('leads/:id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign a lead to a rep, or `{ auto: true }` by the tenant’s rules and round-robin' })
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(AssignLeadBody) })
  @ApiResponse(response)
  async assign(@Ctx() ctx: RequestContext, @Param('id', new ZodValidationPipe(LeadIdParam)) id: string, @Body(new ZodValidationPipe(AssignLeadBody)) body: AssignLeadBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, id, 'ownerId' in body ? await this.assignment.assignTo(ctx, id, body.ownerId) : await this.assignment.assignAutomatically(ctx, id));
  }

  @Post('leads/:id/claim')
  @HttpCode(200)
  @ApiOperation({ summary: 'Claim a lead from the pool (公海) for the acting rep, within the per-rep cap' })
  @ApiHeader(actorHeader)
  @ApiResponse(response)
  async claim(@Ctx() ctx: RequestContext, @Param('id', new ZodValidationPipe(LeadIdParam)) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, id, await this.assignment.claim(ctx, id));
  }

  @Post('leads/:id/release')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a lead back to the pool' })
  @ApiHeader(ifMatchHeader)
  @ApiResponse(response)
  async release(@Ctx() ctx: RequestContext, @Param('id', new ZodValidationPipe(LeadIdParam)) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, id, await this.assignment.release(ctx, id));
  }

  @Post('leads/:id/follow-ups')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record a follow-up: the no-follow-up clock starts again' })
  @ApiBody({ schema: openApiSchema(FollowUpBody), required: false })
  @ApiResponse(response)
  async followUp(@Ctx() ctx: RequestContext, @Param('id', new ZodValidationPipe(LeadIdParam)) id: string, @Body(new ZodValidationPipe(FollowUpBody)) body: FollowUpBody, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, id, await this.assignment.followUp(ctx, id, body?.note));
  }

  @Get('assignment-settings')
  @ApiOperation({ summary: 'The tenant’s assignment settings (defaults until set), with their ETag' })
  @ApiResponse({ status: 200, schema: openApiSchema(AssignmentSettingsBody) })
  async settings(@Ctx() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const { settings, revision } = await this.assignment.settings(ctx.tenantId);
    void reply.header('etag', etag(revision));
    return settings;
  }

  @Put('assignment-settings')
  @ApiOperation({ summary: 'Replace the tenant’s assignment settings (reps, rules, claim cap, return-to-pool days)' })
  @ApiHeader(ifMatchHeader)
  @ApiBody({ schema: openApiSchema(AssignmentSettingsBody) })
  @ApiResponse({ status: 200, schema: openApiSchema(AssignmentSettingsBody) })
  async configure(@Ctx() ctx: RequestContext, @Body(new ZodValidationPipe(AssignmentSettingsBody)) body: AssignmentSettingsBody, @Res({ passthrough: true }) reply: FastifyReply) {
    const { state, revision } = await this.assignment.configure(ctx, body);
    void reply.header('etag', etag(revision));
    return state.settings;
  }
}
